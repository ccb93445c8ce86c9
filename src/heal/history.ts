/**
 * The local history of fix outcomes (`.homeostat/history.json`): which rule was tried on which
 * handler, what it predicted and what the replays measured. Later suggestions are ranked by
 * how often their rule actually delivered.
 */
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { z } from 'zod';
import { issueLines, jsonValue } from '../core/session.ts';
import type { Diagnosis, RuleId } from './diagnose.ts';
import { RULES } from './diagnose.ts';

export const HISTORY_FORMAT = 'homeostat.history';

const outcomeSchema = z
  .object({
    date: z.string(),
    id: z.string(),
    rule: z.enum(RULES),
    handler: z.string(),
    verdict: z.enum(['improved', 'no-effect', 'regressed', 'unresolved', 'broke-behaviour', 'not-applicable', 'build-failed']),
    predictedChange: z.number().nullable(),
    measuredChange: z.number().nullable(),
    branch: z.string().nullable(),
  })
  .strict();
export type Outcome = z.infer<typeof outcomeSchema>;

const historySchema = z.object({ format: z.literal(HISTORY_FORMAT), version: z.literal(1), outcomes: z.array(outcomeSchema) }).strict();
export type History = z.infer<typeof historySchema>;

export const emptyHistory = (): History => ({ format: HISTORY_FORMAT, version: 1, outcomes: [] });

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
  if (!r.success) throw new Error(`${path}: not a Homeostat history: ${issueLines(r.error, 5).join('; ')}`);
  return r.data;
}

export async function appendHistory(path: string, outcomes: Outcome[]): Promise<History> {
  const h = await readHistory(path);
  h.outcomes.push(...outcomes);
  await mkdir(dirname(path), { recursive: true });
  const tmp = `${path}.tmp-${process.pid}`;
  await writeFile(tmp, JSON.stringify(h, null, 2) + '\n');
  await rename(tmp, path);
  return h;
}

/** Success rate of a rule with a uniform prior: (improved + 1) / (tried + 2). */
export function ruleSuccess(history: History, rule: RuleId): { tried: number; improved: number; rate: number } {
  const tried = history.outcomes.filter((o) => o.rule === rule && o.verdict !== 'not-applicable');
  const improved = tried.filter((o) => o.verdict === 'improved').length;
  return { tried: tried.length, improved, rate: (improved + 1) / (tried.length + 2) };
}

/**
 * Orders suggestions by expected value: severity × confidence × the rule's track record here,
 * so a rule whose fixes kept failing on this app sinks below ones that delivered.
 */
export function rankByHistory(diagnoses: readonly Diagnosis[], history: History): Diagnosis[] {
  const weight = { high: 3, medium: 2, low: 1 } as const;
  const score = (d: Diagnosis) => weight[d.severity] * Math.max(0.05, d.confidence) * ruleSuccess(history, d.rule).rate * (d.fix ? 1 : 0.5);
  return diagnoses.slice().sort((a, b) => score(b) - score(a) || a.id.localeCompare(b.id));
}
