/**
 * The deployment gate (`homeostat gate`): holds a candidate build's field data (a canary or a
 * staged rollout) against the docs' budgets and against the previous build, and decides what a
 * release-health user expects: promote, hold (not enough data yet), or roll back. A regression is
 * a budget the candidate breaks that the previous build held, a handler proven slower than on the
 * previous build (the same per-session log-ratio as `confirm`), or an uptime below the floor.
 *
 * It also computes the seed's five metrics from field data in one report:
 * - documentation accuracy: the share of judged documented handlers whose docs the candidate's
 *   field data matches (`check --field`);
 * - issue detection rate: of the issues production shows on the candidate (budget breaks, drift,
 *   error-rate and transition-share changes, regressions), the share Homeostat had found before
 *   they shipped (heal tried the handler: it is in the history);
 * - fix success rate: of the shipped fixes production decided, the share it confirmed;
 * - auto-deployment rate: of the candidate builds the gate decided, the share it promoted on its
 *   own (the newest decision per build in `.homeostat/deployments.json`);
 * - uptime: the share of the candidate's sessions without a Homeostat error (an export that
 *   could not be delivered).
 */
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { z } from 'zod';
import { checkObserved, observeField, type Discrepancy } from '../core/check/index.ts';
import { confirmFix, type ConfirmOptions, type ProductionOutcome } from '../core/field/confirm.ts';
import type { FieldSnapshot } from '../core/field/merge.ts';
import { issueLines, jsonValue } from '../core/session.ts';
import type { SpecFile } from '../core/spec.ts';
import type { BuildsField } from '../field/by-build.ts';
import type { History } from './history.ts';
import { buildsOf, confirmFixes, type ConfirmedFix } from './production.ts';

export type GateDecision = 'promote' | 'hold' | 'rollback';

export interface SeedMetrics {
  documentationAccuracy: number | null;
  issueDetectionRate: number | null;
  fixSuccessRate: number | null;
  autoDeploymentRate: number | null;
  uptime: number | null;
}

export interface GateReport {
  candidate: string;
  previous: string;
  decision: GateDecision;
  /** Why: the regressions (rollback), what is still missing (hold), or what held (promote). */
  reasons: string[];
  sessions: { previous: number; candidate: number };
  /** Budgets the candidate breaks; `new` when the previous build held them. */
  budgets: Array<{ discrepancy: Discrepancy; new: boolean }>;
  /** Every documented handler that ran on both builds, candidate vs previous. */
  handlers: ProductionOutcome[];
  /** The fixes the history says shipped in the candidate, as `confirm` decides them. */
  fixes: ConfirmedFix[];
  metrics: SeedMetrics;
}

export interface GateOptions extends ConfirmOptions {
  /** Lowest acceptable uptime (share of sessions without a Homeostat error; default none). */
  minUptime?: number;
}

const ISSUE_KINDS = new Set(['over-budget', 'drift', 'error-rate', 'transition-share']);

const uptimeOf = (sessions: readonly FieldSnapshot[]) => (sessions.length === 0 ? null : sessions.filter((s) => s.exportFailures === 0).length / sessions.length);

/** Decides on the candidate; `deployments` is the decision log so far (this decision is counted in). */
export function gate(spec: SpecFile, field: BuildsField, previous: string, candidate: string, history: History, deployments: DeploymentLog, options: GateOptions = {}): GateReport {
  const { A, B } = buildsOf(field, previous, candidate);
  const minSessions = options.minSessions ?? spec.defaults.minSamples;
  const opts: ConfirmOptions = { ...options, minSessions, tolerance: options.tolerance ?? spec.defaults.tolerance, confidence: options.confidence ?? spec.defaults.confidence };
  const checkB = checkObserved(spec, observeField(B.merged));
  const checkA = checkObserved(spec, observeField(A.merged));
  const overA = new Set(checkA.discrepancies.filter((d) => d.kind === 'over-budget').map((d) => d.subject.name));
  const budgets = checkB.discrepancies.filter((d) => d.kind === 'over-budget' && d.subject.type === 'handler').map((d) => ({ discrepancy: d, new: !overA.has(d.subject.name) }));

  const handlers: ProductionOutcome[] = [];
  for (const [name, doc] of Object.entries(spec.handlers).sort(([a], [b]) => a.localeCompare(b))) {
    if (!A.merged.handlers.has(name) || !B.merged.handlers.has(name)) continue;
    // Judged on what the budget names (a per-call statistic), else what the user felt per call.
    const target = doc.budget ? { handler: name, metric: doc.budget.metric, stat: doc.budget.stat } : { handler: name, metric: 'interaction' as const, stat: 'p95' as const };
    if (!B.merged.handlers.get(name)!.metrics[target.metric]) continue;
    handlers.push(confirmFix(target, A.sessions, B.sessions, { A: A.merged, B: B.merged }, opts));
  }
  // The fixes this rollout ships: delivered ones production has not judged yet (or judged on this
  // very candidate). A fix confirmed on an earlier build is settled; re-judging it would hold every
  // later rollout on a change that is no longer in it.
  const fixes = confirmFixes({ field, before: previous, after: candidate, history, options: opts }).filter(
    (f) => (f.sessions.before > 0 || f.sessions.after > 0) && (!f.outcome?.production || f.outcome.production.after === candidate),
  );

  const uptime = uptimeOf(B.sessions);
  const regressions = [
    ...budgets.filter((b) => b.new).map((b) => `new budget break: ${b.discrepancy.message}`),
    ...handlers.filter((h) => h.verdict === 'regressed').map((h) => `${h.handler} slower than on ${previous}: ${h.why}`),
    ...fixes.filter((f) => f.verdict === 'regressed' && !handlers.some((h) => h.handler === f.handler && h.verdict === 'regressed')).map((f) => `the fix of ${f.handler} regressed: ${f.why}`),
    ...(options.minUptime !== undefined && uptime !== null && uptime < options.minUptime ? [`uptime ${pct(uptime)} below the ${pct(options.minUptime)} floor (sessions with a Homeostat error)`] : []),
  ];
  const missing = [
    ...(B.sessions.length < minSessions ? [`${B.sessions.length} sessions of ${candidate}, need ${minSessions}`] : []),
    ...fixes.filter((f) => f.verdict === 'not-enough-data').map((f) => `the fix of ${f.handler}: ${f.why}`),
  ];
  const decision: GateDecision = regressions.length > 0 ? 'rollback' : missing.length > 0 ? 'hold' : 'promote';
  const reasons =
    decision === 'rollback'
      ? regressions
      : decision === 'hold'
        ? missing
        : [`no regression vs ${previous} over ${handlers.length} handlers; ${fixes.filter((f) => f.verdict === 'confirmed').length} of ${fixes.length} shipped fixes confirmed`];

  // Issue detection: the candidate's field issues, and whether heal had found them before they shipped.
  const issues = new Set([
    ...checkB.discrepancies.filter((d) => ISSUE_KINDS.has(d.kind) && d.subject.type === 'handler' && d.severity !== 'info').map((d) => d.subject.name),
    ...handlers.filter((h) => h.verdict === 'regressed').map((h) => h.handler),
  ]);
  const known = new Set(history.outcomes.map((o) => o.handler));
  // Fix success in production: every decided fix in the history, with this run's verdicts for the candidate's.
  const verdicts = new Map<string, ConfirmedFix['verdict']>();
  for (const o of history.outcomes) if (o.production) verdicts.set(`${o.id}\u0000${o.date}`, o.production.verdict);
  for (const f of fixes) if (f.outcome) verdicts.set(`${f.outcome.id}\u0000${f.outcome.date}`, f.verdict);
  const decided = [...verdicts.values()].filter((v) => v !== 'not-enough-data');
  const success = decided.reduce((n, v) => n + (v === 'confirmed' ? 1 : v === 'partial' ? 0.5 : 0), 0);
  const latest = new Map<string, GateDecision>();
  for (const d of deployments.decisions) latest.set(d.candidate, d.decision);
  latest.set(candidate, decision);
  const final = [...latest.values()];
  return {
    candidate,
    previous,
    decision,
    reasons,
    sessions: { previous: A.sessions.length, candidate: B.sessions.length },
    budgets,
    handlers,
    fixes,
    metrics: {
      documentationAccuracy: checkB.accuracy.ratio,
      issueDetectionRate: issues.size === 0 ? null : [...issues].filter((h) => known.has(h)).length / issues.size,
      fixSuccessRate: decided.length === 0 ? null : success / decided.length,
      autoDeploymentRate: final.length === 0 ? null : final.filter((d) => d === 'promote').length / final.length,
      uptime,
    },
  };
}

const pct = (x: number) => `${(x * 100).toFixed(x > 0.99 && x < 1 ? 2 : 0)}%`;

/** "Documentation accuracy 92% · issue detection 100% · …": the five metrics, n/a where nothing could be judged. */
export function formatSeedMetrics(m: SeedMetrics): string[] {
  const f = (x: number | null) => (x === null ? 'n/a' : pct(x));
  return [
    `documentation accuracy  ${f(m.documentationAccuracy)}`,
    `issue detection rate    ${f(m.issueDetectionRate)}`,
    `fix success rate        ${f(m.fixSuccessRate)} (in production)`,
    `auto-deployment rate    ${f(m.autoDeploymentRate)}`,
    `uptime                  ${f(m.uptime)} (sessions without a Homeostat error)`,
  ];
}

const deploymentLogSchema = z
  .object({
    format: z.literal('homeostat.deployments'),
    version: z.literal(1),
    decisions: z.array(z.object({ date: z.string(), candidate: z.string(), previous: z.string(), decision: z.enum(['promote', 'hold', 'rollback']) }).strict()),
  })
  .strict();
export type DeploymentLog = z.infer<typeof deploymentLogSchema>;

export async function readDeployments(path: string): Promise<DeploymentLog> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { format: 'homeostat.deployments', version: 1, decisions: [] };
    throw e;
  }
  const r = deploymentLogSchema.safeParse(jsonValue(text, (issues) => new Error(`${path}: ${issues.join('; ')}`)));
  if (!r.success) throw new Error(`${path}: not a Homeostat deployment log: ${issueLines(r.error, 5).join('; ')}`);
  return r.data;
}

export async function appendDeployment(path: string, log: DeploymentLog, report: GateReport, date = new Date().toISOString()): Promise<void> {
  log.decisions.push({ date, candidate: report.candidate, previous: report.previous, decision: report.decision });
  await mkdir(dirname(path), { recursive: true });
  const tmp = `${path}.tmp-${process.pid}`;
  await writeFile(tmp, `${JSON.stringify(log, null, 2)}\n`);
  await rename(tmp, path);
}
