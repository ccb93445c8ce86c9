/**
 * The local history of fix outcomes (`.homeostat/history.json`): which rule was tried on which
 * handler, what it predicted for each user-felt metric and what the replays measured. Later
 * suggestions are ranked by how often their rule delivered, and by how well its predictions held:
 * a rule that keeps promising 10× and delivering 1.2× has its promises discounted. Once a fix
 * ships, `homeostat confirm` adds what production measured, and that outranks the replays.
 */
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { z } from 'zod';
import type { Diagnosis, RuleId } from '../core/diagnose.ts';
import { RULES } from '../core/diagnose.ts';
import { PRODUCTION_VERDICTS } from '../core/field/confirm.ts';
import { issueLines, jsonValue } from '../core/session.ts';

export const HISTORY_FORMAT = 'homeostat.history';

const VERDICTS = ['improved', 'partial', 'no-effect', 'regressed', 'unresolved', 'broke-behaviour', 'not-applicable', 'build-failed'] as const;

/** Predicted and measured after/before ratios for one metric of one attempt. */
const metricOutcomeSchema = z
  .object({
    key: z.string(),
    label: z.string(),
    role: z.enum(['primary', 'guard', 'context']),
    /** Predicted after/before; null when the rule made no prediction for it. */
    predicted: z.number().positive().nullable(),
    /** Measured after/before (ratio of geometric means) and its interval; null when not measured. */
    measured: z.number().positive().nullable(),
    low: z.number().positive().nullable(),
    high: z.number().positive().nullable(),
  })
  .strict();
export type MetricOutcome = z.infer<typeof metricOutcomeSchema>;

/** What production said about a shipped fix (`homeostat confirm`): build before → after, per-session B/A. */
const productionSchema = z
  .object({
    date: z.string(),
    before: z.string(),
    after: z.string(),
    verdict: z.enum(PRODUCTION_VERDICTS),
    /** The primary metric's label and its statistic on the merged calls of each build (ms). */
    label: z.string(),
    beforeMs: z.number().nullable(),
    afterMs: z.number().nullable(),
    /** B/A over sessions and its interval; null when a build had no sample. */
    measured: z.number().positive().nullable(),
    low: z.number().nonnegative().nullable(),
    high: z.number().positive().nullable(),
    sessions: z.object({ before: z.number().int().nonnegative(), after: z.number().int().nonnegative() }).strict(),
    source: z.string(),
  })
  .strict();
export type ProductionRecord = z.infer<typeof productionSchema>;

const outcomeSchema = z
  .object({
    date: z.string(),
    id: z.string(),
    rule: z.enum(RULES),
    handler: z.string(),
    verdict: z.enum(VERDICTS),
    /** On the primary metric: predicted and measured relative change (after/before − 1). */
    predictedChange: z.number().nullable(),
    measuredChange: z.number().nullable(),
    metrics: z.array(metricOutcomeSchema).default([]),
    branch: z.string().nullable(),
    /** Set once the fix shipped and production decided (or said how much data it still needs). */
    production: productionSchema.optional(),
  })
  .strict();
export type Outcome = z.infer<typeof outcomeSchema>;

const historySchema = z
  .object({
    format: z.literal(HISTORY_FORMAT),
    // Version 1 had no per-metric outcomes; it is read as version 2 with none.
    version: z.union([z.literal(1), z.literal(2)]).transform(() => 2 as const),
    outcomes: z.array(outcomeSchema),
  })
  .strict();
export type History = z.infer<typeof historySchema>;

export const emptyHistory = (): History => ({ format: HISTORY_FORMAT, version: 2, outcomes: [] });

/** Reads the history; a missing file is an empty history, a corrupt one an error naming the field. */
export async function readHistory(path: string): Promise<History> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return emptyHistory();
    throw e;
  }
  const value = jsonValue(text, (issues) => new Error(`${path}: ${issues.join('; ')}; fix or move it, nothing was overwritten`));
  const r = historySchema.safeParse(value);
  if (!r.success) throw new Error(`${path}: not a Homeostat history: ${issueLines(r.error, 5).join('; ')}; fix or move it, nothing was overwritten`);
  return r.data;
}

export async function appendHistory(path: string, outcomes: Outcome[]): Promise<History> {
  const h = await readHistory(path);
  h.outcomes.push(...outcomes);
  await writeHistory(path, h);
  return h;
}

/** Writes the whole history atomically (a temporary file renamed over it). */
export async function writeHistory(path: string, h: History): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const tmp = `${path}.tmp-${process.pid}`;
  await writeFile(tmp, JSON.stringify(h, null, 2) + '\n');
  await rename(tmp, path);
}

/** Production's decided verdicts override the local one: the field is what users felt. */
const DECIDED_IN_PRODUCTION = new Set<ProductionRecord['verdict']>(['confirmed', 'partial', 'refuted', 'regressed']);

/** The credit an outcome earns its rule: production's when it decided, else the local verdict's. */
function credit(o: Outcome): number {
  const p = o.production;
  if (p && DECIDED_IN_PRODUCTION.has(p.verdict)) return p.verdict === 'confirmed' ? 1 : p.verdict === 'partial' ? 0.5 : 0;
  return o.verdict === 'improved' ? 1 : o.verdict === 'partial' ? 0.5 : 0;
}

const TRIED = new Set<Outcome['verdict']>(['improved', 'partial', 'no-effect', 'regressed', 'unresolved', 'broke-behaviour']);

/**
 * Success rate of a rule with a uniform prior: (improved + 1) / (tried + 2). A partial fix counts
 * half. A fix production refuted (or saw regress) counts as failed whatever the replays said: a
 * rule whose fixes do not hold in the field is discounted.
 */
export function ruleSuccess(history: History, rule: RuleId): { tried: number; improved: number; rate: number; refutedInProduction: number } {
  const tried = history.outcomes.filter((o) => o.rule === rule && TRIED.has(o.verdict));
  const improved = tried.reduce((n, o) => n + credit(o), 0);
  const refutedInProduction = tried.filter((o) => o.production?.verdict === 'refuted' || o.production?.verdict === 'regressed').length;
  return { tried: tried.length, improved, rate: (improved + 1) / (tried.length + 2), refutedInProduction };
}

/**
 * How a rule's predictions on its primary metric held up, as an exponent k on the predicted
 * ratio: measured ≈ predicted^k. k = 1 means the rule predicts well, k < 1 that it promises more
 * than it delivers. Averaged with a prior of one well-predicted fix, clamped to [0, 1.5].
 */
export function predictionCalibration(history: History, rule: RuleId): { samples: number; k: number } {
  const ks: number[] = [];
  for (const o of history.outcomes) {
    if (o.rule !== rule) continue;
    const p = o.metrics.find((m) => m.role === 'primary');
    // Measured in production beats measured locally, when production decided.
    const field = o.production && DECIDED_IN_PRODUCTION.has(o.production.verdict) ? o.production.measured : null;
    const measured = field ?? p?.measured ?? null;
    if (!p || p.predicted === null || measured === null || Math.abs(Math.log(p.predicted)) < 0.05) continue;
    ks.push(Math.min(1.5, Math.max(0, Math.log(measured) / Math.log(p.predicted))));
  }
  return { samples: ks.length, k: (1 + ks.reduce((a, b) => a + b, 0)) / (1 + ks.length) };
}

/**
 * Orders suggestions by expected value: severity × confidence × the rule's track record here ×
 * the benefit it predicts, discounted by how its predictions held before. A rule whose fixes kept
 * failing, or kept falling short of what they promised, sinks below ones that delivered.
 */
export function rankByHistory(diagnoses: readonly Diagnosis[], history: History): Diagnosis[] {
  const weight = { high: 3, medium: 2, low: 1 } as const;
  const score = (d: Diagnosis) => {
    const ratio = Math.max(1e-6, 1 + d.impact.predictedChange);
    const benefit = 1 - ratio ** predictionCalibration(history, d.rule).k;
    return weight[d.severity] * Math.max(0.05, d.confidence) * ruleSuccess(history, d.rule).rate * Math.max(0.05, benefit) * (d.fix ? 1 : 0.5);
  };
  return diagnoses.slice().sort((a, b) => score(b) - score(a) || a.id.localeCompare(b.id));
}
