/**
 * Turns replay runs into what the report shows: per handler and per sequence, the p50 of each
 * run and its run-to-run spread, the pooled figures against the docs' budgets and baselines,
 * and every failed expectation.
 */
import { Aggregator, aggregateSession, type AggregateSnapshot } from '../core/aggregate.ts';
import { formatBudget, observedFor, observedForSequence, type Budget, type SpecFile, type Stat } from '../core/spec.ts';
import type { RunResult } from './run.ts';
import { geometricMean, runsToDetect, seriesStats, type SeriesStats } from './stats.ts';

export type BudgetStatus = 'pass' | 'fail' | 'no-budget' | 'no-data';

export interface HandlerSummary {
  handler: string;
  /** Calls per measured run. */
  calls: number[];
  /** What the user felt, p50 per run: interaction latency, time to result, the longest frame the work occupied. */
  interactionP50: SeriesStats;
  resultP50: SeriesStats;
  frameP50: SeriesStats;
  /** p50 of the call's own duration and of its blocking time, one per run, with their spread. */
  durationP50: SeriesStats;
  blockingP50: SeriesStats;
  /**
   * Per-run geometric mean of the blocking time of every call: steadier from run to run than the
   * p50 when a handler's calls differ in size, so the better figure for A/B comparisons.
   */
  blockingGeoMean: SeriesStats;
  /** Runs per build a 20 % change in blockingGeoMean needs at its spread. */
  runsFor20GeoMean: number | null;
  /** Pooled over every measured run. */
  pooled: {
    count: number;
    interactionP95: number | null;
    resultP95: number | null;
    longestFrameP95: number | null;
    durationP50: number;
    durationP95: number;
    blockingP50: number;
    blockingP95: number;
    errors: number;
  };
  budget: Budget | null;
  budgetText: string | null;
  /** The pooled value the budget names (its metric and stat). */
  observed: number | null;
  status: BudgetStatus;
  /** The docs' baseline p50 of duration and blocking, when the spec has one. */
  baseline: { durationP50: number | null; blockingP50: number | null } | null;
  /** Runs per build a 20 % change in the blocking p50 (duration when it never blocks) needs at this spread. */
  runsFor20: number | null;
}

export interface SequenceSummary {
  name: string;
  counts: number[];
  /** Time to result (input to the paint after the last work), p50 per run. */
  durationP50: SeriesStats;
  /** Interaction latency of the input that started it, p50 per run. */
  interactionP50: SeriesStats;
  pooled: { count: number; p50: number; p95: number; interactionP95: number | null; longestFrameP95: number | null };
  order: string[];
  documentedOrder: string[] | null;
  budget: { stat: Stat; ms: number } | null;
  observed: number | null;
  status: BudgetStatus;
  runsFor20: number | null;
}

export interface FailedExpectation {
  run: number;
  label: string | null;
  step: number;
  description: string;
  message: string;
  screenshot: string | null;
}

export interface ReplaySummary {
  title: string | null;
  /** Measured runs (warm-ups excluded). */
  runs: number;
  passedRuns: number;
  runResults: { index: number; label: string | null; passed: boolean; error: string | null; wallMs: number; failedExpectations: number; session: string | null }[];
  failures: FailedExpectation[];
  errors: { run: number; label: string | null; error: string; screenshots: string[] }[];
  handlers: HandlerSummary[];
  sequences: SequenceSummary[];
  clock: { resolutionMs: number | null; crossOriginIsolated: boolean | null };
  /** Highest 1-minute load average seen at the end of a run, and the CPU count: above the CPU count, runs competed for CPU. */
  machine: { maxLoadAvg: number; cpus: number } | null;
  budgetFailures: number;
  /** Every run passed and no budget failed. */
  passed: boolean;
}

function snapshotOf(run: RunResult): AggregateSnapshot | null {
  return run.session ? aggregateSession(run.session).snapshot() : null;
}

function statusOf(observed: number | null, limit: number | null): BudgetStatus {
  if (limit === null) return 'no-budget';
  if (observed === null) return 'no-data';
  return observed <= limit ? 'pass' : 'fail';
}

/** Per handler/sequence: p50 per run, mean, CV across runs, pass/fail vs the spec's budgets. */
export function summariseRuns(runs: readonly RunResult[], spec: SpecFile | null = null, meta: { title?: string } = {}): ReplaySummary {
  const measured = runs.filter((r) => !r.warmup);
  const snaps = measured.map(snapshotOf);
  const pooled = new Aggregator();
  for (const r of measured) if (r.session) aggregateSession(r.session, pooled);
  const all = pooled.snapshot();

  const handlers: HandlerSummary[] = all.handlers.map((h) => {
    const per = snaps.map((s) => s?.handlers.find((x) => x.handler === h.handler) ?? null);
    const blockingGeoMean = seriesStats(
      measured.map((r) =>
        r.session ? geometricMean(r.session.calls.filter((c) => c.handler === h.handler).map((c) => c.blockingMs), r.session.session.clockResolutionMs) : null,
      ),
    );
    const hs = spec?.handlers[h.handler] ?? null;
    const budget = hs?.budget ?? null;
    const observed = budget ? observedFor(h, budget) : null;
    const blockingP50 = seriesStats(per.map((x) => x?.blocking.p50 ?? null));
    const durationP50 = seriesStats(per.map((x) => x?.duration.p50 ?? null));
    const cv = (blockingP50.mean ?? 0) > 0 ? blockingP50.cv : durationP50.cv;
    return {
      handler: h.handler,
      calls: per.map((x) => x?.count ?? 0),
      interactionP50: seriesStats(per.map((x) => x?.interaction?.p50 ?? null)),
      resultP50: seriesStats(per.map((x) => x?.result?.p50 ?? null)),
      frameP50: seriesStats(per.map((x) => x?.longestFrame?.p50 ?? null)),
      durationP50,
      blockingP50,
      blockingGeoMean,
      runsFor20GeoMean: blockingGeoMean.cv === null ? null : runsToDetect(blockingGeoMean.cv),
      pooled: {
        count: h.count,
        interactionP95: h.interaction?.p95 ?? null,
        resultP95: h.result?.p95 ?? null,
        longestFrameP95: h.longestFrame?.p95 ?? null,
        durationP50: h.duration.p50,
        durationP95: h.duration.p95,
        blockingP50: h.blocking.p50,
        blockingP95: h.blocking.p95,
        errors: h.errors,
      },
      budget,
      budgetText: budget ? formatBudget(budget) : null,
      observed,
      status: statusOf(observed, budget?.ms ?? null),
      baseline: hs?.baseline
        ? { durationP50: hs.baseline.metrics.duration?.p50 ?? null, blockingP50: hs.baseline.metrics.blocking?.p50 ?? null }
        : null,
      runsFor20: cv === null ? null : runsToDetect(cv),
    };
  });
  // Budgets for handlers the replay never called are reported as missing data.
  for (const [name, hs] of Object.entries(spec?.handlers ?? {})) {
    if (hs.budget && !handlers.some((h) => h.handler === name)) {
      const empty = seriesStats(measured.map(() => null));
      handlers.push({
        handler: name,
        calls: measured.map(() => 0),
        interactionP50: empty,
        resultP50: empty,
        frameP50: empty,
        durationP50: empty,
        blockingP50: empty,
        blockingGeoMean: empty,
        runsFor20GeoMean: null,
        pooled: { count: 0, interactionP95: null, resultP95: null, longestFrameP95: null, durationP50: 0, durationP95: 0, blockingP50: 0, blockingP95: 0, errors: 0 },
        budget: hs.budget,
        budgetText: formatBudget(hs.budget),
        observed: null,
        status: 'no-data',
        baseline: null,
        runsFor20: null,
      });
    }
  }
  // Worst felt first: the longest interactions, then the slowest results, then the handler's own blocking.
  const felt = (h: HandlerSummary) => [h.pooled.interactionP95 ?? -1, h.pooled.resultP95 ?? -1, h.pooled.blockingP50 * h.pooled.count] as const;
  handlers.sort((a, b) => {
    const x = felt(a);
    const y = felt(b);
    return y[0] - x[0] || y[1] - x[1] || y[2] - x[2] || a.handler.localeCompare(b.handler);
  });

  const sequences: SequenceSummary[] = all.sequences.map((s) => {
    const per = snaps.map((x) => x?.sequences.find((y) => y.name === s.name) ?? null);
    const ss = spec?.sequences[s.name] ?? null;
    const budget = ss?.budget ?? null;
    const observed = budget ? observedForSequence(s, budget) : null;
    const durationP50 = seriesStats(per.map((x) => x?.duration.p50 ?? null));
    return {
      name: s.name,
      counts: per.map((x) => x?.count ?? 0),
      durationP50,
      interactionP50: seriesStats(per.map((x) => x?.interaction?.p50 ?? null)),
      pooled: { count: s.count, p50: s.duration.p50, p95: s.duration.p95, interactionP95: s.interaction?.p95 ?? null, longestFrameP95: s.longestFrame?.p95 ?? null },
      order: s.variants[0]?.handlers ?? [],
      documentedOrder: ss?.handlers ?? null,
      budget,
      observed,
      status: statusOf(observed, budget?.ms ?? null),
      runsFor20: durationP50.cv === null ? null : runsToDetect(durationP50.cv),
    };
  });
  sequences.sort((a, b) => b.pooled.count - a.pooled.count || a.name.localeCompare(b.name));

  const failures: FailedExpectation[] = measured.flatMap((r) =>
    r.expectations
      .filter((e) => !e.passed)
      .map((e) => ({ run: r.index, label: r.label, step: e.step, description: e.description, message: e.message ?? '', screenshot: e.screenshot ?? null })),
  );
  const errors = runs
    .filter((r) => r.error !== null)
    .map((r) => ({ run: r.index, label: r.label, error: r.error!, screenshots: r.screenshots }));
  const budgetFailures = handlers.filter((h) => h.status === 'fail').length + sequences.filter((s) => s.status === 'fail').length;
  const first = measured.find((r) => r.session)?.session?.session ?? null;
  const passedRuns = measured.filter((r) => r.passed).length;
  return {
    title: meta.title ?? null,
    runs: measured.length,
    passedRuns,
    runResults: measured.map((r) => ({
      index: r.index,
      label: r.label,
      passed: r.passed,
      error: r.error,
      wallMs: r.wallMs,
      failedExpectations: r.expectations.filter((e) => !e.passed).length,
      session: r.session?.session.id ?? null,
    })),
    failures,
    errors,
    handlers,
    sequences,
    clock: { resolutionMs: first?.clockResolutionMs ?? null, crossOriginIsolated: first?.crossOriginIsolated ?? null },
    machine: measured.length > 0 && measured[0]!.machine ? { maxLoadAvg: Math.max(...measured.map((r) => r.machine?.loadAvg ?? 0)), cpus: measured[0]!.machine.cpus } : null,
    budgetFailures,
    passed: measured.length > 0 && passedRuns === measured.length && errors.length === 0 && budgetFailures === 0,
  };
}
