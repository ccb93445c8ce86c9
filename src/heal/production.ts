/**
 * `homeostat confirm`: joins a shipped fix with what production then saw. Reads the field data
 * of the build before the fix and the build after it, decides per fixed handler
 * (core/field/confirm.ts), and writes the outcome where people and heal look: the handler's
 * section of HANDLER_SPECS.md (one generated line, docs/render-production.ts) and the history
 * entry of that fix (matched by branch, else the handler's latest delivered fix), which later
 * rankings learn from.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { confirmFix, type ConfirmOptions, type ConfirmTarget, type ProductionOutcome } from '../core/field/confirm.ts';
import { HANDLER_METRICS, type HandlerMetric } from '../core/metrics.ts';
import { STATS, type Stat } from '../core/spec.ts';
import { PRODUCTION_FILE, readProduction, setProductionEntry, spliceProduction, type ProductionEntry } from '../docs/render-production.ts';
import { HANDLER_SPECS } from '../docs/spec-file.ts';
import { writeFilesAtomically } from '../docs/write.ts';
import { FieldSourceError } from '../field/apps.ts';
import type { BuildField, BuildsField } from '../field/by-build.ts';
import { readHistory, writeHistory, type History, type Outcome, type ProductionRecord } from './history.ts';

export interface ConfirmRequest {
  field: BuildsField;
  before: string;
  after: string;
  /** Handlers to confirm (default: every fix in the history with a branch, or those of `branch`). */
  handlers?: readonly string[];
  branch?: string;
  history: History;
  options?: ConfirmOptions;
}

export interface ConfirmedFix extends ProductionOutcome {
  /** The history entry this fix came from (null: a handler named by hand with no fix in the history). */
  outcome: Outcome | null;
  target: ConfirmTarget;
}

/** The two builds, or an error naming the builds the data does hold. */
export function buildsOf(field: BuildsField, before: string, after: string): { A: BuildField; B: BuildField } {
  const A = field.builds.get(before);
  const B = field.builds.get(after);
  if (!A || !B) {
    const missing = [!A ? before : null, !B ? after : null].filter((x): x is string => x !== null);
    const seen = field.seen.map((s) => `${s.build} (${s.sessions} sessions)`).join(', ') || 'none';
    throw new FieldSourceError(`no field data of build ${missing.join(' or ')} in ${field.source}; builds there: ${seen}`);
  }
  return { A, B };
}

/** The primary metric a history entry judged its fix on, when it is a per-call handler statistic. */
export function targetOf(handler: string, outcome: Outcome | null): ConfirmTarget {
  const key = outcome?.metrics.find((m) => m.role === 'primary')?.key ?? '';
  const [h, stat, metric] = key.split(':');
  if (h === handler && (STATS as readonly string[]).includes(stat ?? '') && (HANDLER_METRICS as readonly string[]).includes(metric ?? '')) {
    return { handler, stat: stat as Stat, metric: metric as HandlerMetric };
  }
  // Flow metrics and totals have no per-call field series: what the user felt per call stands in.
  return { handler, stat: 'p95', metric: 'interaction' };
}

const DELIVERED = new Set<Outcome['verdict']>(['improved', 'partial']);

/** The fixes to confirm: history entries with a branch (the latest per handler), or the handlers named. */
export function fixesToConfirm(history: History, handlers: readonly string[] | undefined, branch: string | undefined): Array<{ handler: string; outcome: Outcome | null }> {
  const matches = (o: Outcome) => o.branch !== null && (branch === undefined || o.branch === branch);
  const latest = new Map<string, Outcome>();
  for (const o of history.outcomes) if (matches(o) && (branch !== undefined || DELIVERED.has(o.verdict))) latest.set(o.handler, o);
  if (handlers && handlers.length > 0) return handlers.map((h) => ({ handler: h, outcome: latest.get(h) ?? null }));
  return [...latest.values()].map((o) => ({ handler: o.handler, outcome: o }));
}

/** Decides every fix; pure over what was read. */
export function confirmFixes(req: ConfirmRequest): ConfirmedFix[] {
  const { A, B } = buildsOf(req.field, req.before, req.after);
  const fixes = fixesToConfirm(req.history, req.handlers, req.branch);
  return fixes.map(({ handler, outcome }) => {
    const target = targetOf(handler, outcome);
    return { ...confirmFix(target, A.sessions, B.sessions, { A: A.merged, B: B.merged }, req.options), outcome, target };
  });
}

export function productionRecord(f: ConfirmedFix, req: Pick<ConfirmRequest, 'before' | 'after' | 'field'>, date: string): ProductionRecord {
  const r = f.primary.ratio;
  return {
    date,
    before: req.before,
    after: req.after,
    verdict: f.verdict,
    label: f.primary.label,
    beforeMs: f.primary.before,
    afterMs: f.primary.after,
    measured: r && r.estimate > 0 ? r.estimate : null,
    low: r ? r.low : null,
    high: r && r.high > 0 ? r.high : null,
    sessions: f.sessions,
    source: req.field.source,
  };
}

export function ledgerEntry(f: ConfirmedFix, req: Pick<ConfirmRequest, 'before' | 'after' | 'field'>, date: string): ProductionEntry {
  return { date, before: req.before, after: req.after, verdict: f.verdict, why: f.why, sessions: f.sessions, needed: f.needed, source: req.field.source };
}

/**
 * Writes the outcomes: the ledger and the handlers' lines in HANDLER_SPECS.md (atomically, both
 * or neither), then each fix's history entry. Returns the files written.
 */
export async function recordConfirmations(fixes: readonly ConfirmedFix[], req: Pick<ConfirmRequest, 'before' | 'after' | 'field'>, paths: { docsDir?: string; historyPath: string }, date = new Date().toISOString()): Promise<string[]> {
  const written: string[] = [];
  if (paths.docsDir) {
    const ledger = await readProduction(paths.docsDir);
    const specsPath = join(paths.docsDir, HANDLER_SPECS);
    let markdown = existsSync(specsPath) ? await readFile(specsPath, 'utf8') : null;
    for (const f of fixes) {
      const entry = ledgerEntry(f, req, date);
      setProductionEntry(ledger, f.handler, entry);
      if (markdown !== null) markdown = spliceProduction(markdown, f.handler, entry) ?? markdown;
    }
    const files = [{ path: join(paths.docsDir, PRODUCTION_FILE), content: `${JSON.stringify(ledger, null, 2)}\n` }];
    if (markdown !== null) files.push({ path: specsPath, content: markdown });
    await writeFilesAtomically(files);
    written.push(...files.map((f) => f.path));
  }
  const withEntry = fixes.filter((f) => f.outcome !== null);
  if (withEntry.length > 0) {
    // Re-read: heal may have appended since; entries are matched by identity of date, id and branch.
    const history = await readHistory(paths.historyPath);
    for (const f of withEntry) {
      const o = history.outcomes.find((x) => x.date === f.outcome!.date && x.id === f.outcome!.id && x.branch === f.outcome!.branch);
      if (o) o.production = productionRecord(f, req, date);
    }
    await writeHistory(paths.historyPath, history);
    written.push(paths.historyPath);
  }
  return written;
}
