/**
 * The flow that measures a handler best: the most of its calls per second of replay. A/B rounds
 * replay only these (every flow still runs once per candidate, for behaviour).
 */
export function bestFlowFor(handler: string, m: Pick<BaselineMeasurement, 'callsByFlow' | 'flowMs'>): number | null {
  let best: number | null = null;
  let bestRate = 0;
  m.callsByFlow.forEach((calls, k) => {
    const rate = (calls.get(handler) ?? 0) / Math.max(1, m.flowMs[k]!);
    if (rate > bestRate) {
      bestRate = rate;
      best = k;
    }
  });
  return best;
}

/**
 * Measuring the baseline: the recorded flows replayed on the unpatched build (a warm-up, then at
 * least `runs` rounds, then more rounds of only the flows that run the handlers still short of
 * samples, until nothing is short, `maxRuns` rounds, or a round would end past the deadline), the
 * aggregates the diagnosis reads, and which flows each handler runs in (so the A/B rounds replay
 * only those).
 */
import type { Browser } from 'playwright-core';
import { Aggregator, aggregateSession, type AggregateSnapshot } from '../core/aggregate.ts';
import type { SessionFile } from '../core/session.ts';
import { replayRun, type Recording } from '../replay/index.ts';
import type { BaselineNeeds } from './baseline-needs.ts';
import { errorPattern } from './signals.ts';

export interface BaselineMeasurement {
  runs: number;
  sessions: SessionFile[];
  snapshot: AggregateSnapshot;
  /** Per flow (by index), how many calls of each handler one run of it makes. */
  callsByFlow: Array<Map<string, number>>;
  /** Wall time of one run of each flow (ms), from the measured runs: what later rounds will cost. */
  flowMs: number[];
  /** Per flow (by index), errors per run by `errorKey(handler, pattern)`: where a regression test can provoke one. */
  errorsByFlow: Array<Map<string, number>>;
  /** What was still short of samples when sampling stopped (empty: enough), and why it stopped. */
  short: Array<{ handler: string; calls: number; need: string }>;
  stoppedBy: 'enough' | 'max-runs' | 'deadline';
}

/** The key of a handler's error pattern in `errorsByFlow`. */
export const errorKey = (handler: string, pattern: string) => `${handler}\u0000${pattern}`;

export class BaselineFailed extends Error {
  override name = 'BaselineFailed';
}

export function snapshotOf(sessions: readonly SessionFile[]): AggregateSnapshot {
  const agg = new Aggregator();
  for (const s of sessions) aggregateSession(s, agg);
  return agg.snapshot();
}

export async function measureBaseline(options: {
  browser: Browser;
  url: string;
  flows: readonly Recording[];
  /** Flow paths as the user gave them, for error messages. */
  names: readonly string[];
  /** Rounds of every flow before sampling adapts (default 2). */
  runs: number;
  /** Rounds at most (default `runs`: no adaptive rounds unless `needs` is given). */
  maxRuns?: number;
  /** No round starts that would end after this (ms on `now`'s clock), judged from the rounds so far. */
  deadline?: number;
  /** What is still short of samples after each round (see baseline-needs.ts); its flows get another round. */
  needs?: (sessions: readonly SessionFile[]) => BaselineNeeds;
  screenshotDir?: string;
  cpuThrottle?: number;
  onProgress?: (line: string) => void;
  now?: () => number;
}): Promise<BaselineMeasurement> {
  const log = options.onProgress ?? (() => {});
  const now = options.now ?? Date.now;
  const sessions: SessionFile[] = [];
  const flowRuns = options.flows.map(() => 0);
  const counts = options.flows.map(() => new Map<string, number>());
  const errors = options.flows.map(() => new Map<string, number>());
  const wall = options.flows.map(() => 0);
  const replay = async (k: number, round: number, warmup: boolean) => {
    const flow = options.flows[k]!;
    log(warmup ? `baseline warm-up: ${flow.title}` : `baseline replay ${round + 1}: ${flow.title}`);
    const run = await replayRun(options.browser, flow, {
      url: options.url,
      seed: 0x5eed + round,
      index: round,
      warmup,
      label: 'baseline',
      ...(options.screenshotDir ? { screenshotDir: options.screenshotDir } : {}),
      ...(options.cpuThrottle ? { cpuThrottle: options.cpuThrottle } : {}),
    });
    if (!run.passed) {
      const failed = run.expectations.filter((e) => !e.passed).map((e) => `step ${e.step} ${e.description}`);
      throw new BaselineFailed(`The baseline build fails its own flow ${options.names[k]}: ${run.error ?? failed.join('; ')}. Fix the flow or the app before healing.`);
    }
    if (warmup || !run.session) return;
    sessions.push(run.session);
    flowRuns[k]!++;
    wall[k]! += run.wallMs;
    for (const c of run.session.calls) counts[k]!.set(c.handler, (counts[k]!.get(c.handler) ?? 0) + 1);
    for (const c of run.session.calls) {
      if (!c.error) continue;
      const key = errorKey(c.handler, errorPattern(c.error));
      errors[k]!.set(key, (errors[k]!.get(key) ?? 0) + 1);
    }
  };
  // Each run gets a fresh browser context: the warm-up only warms the browser, the server and the
  // disk, so the shortest flow does it.
  const shortest = options.flows.reduce((best, f, k) => (f.steps.length < options.flows[best]!.steps.length ? k : best), 0);
  await replay(shortest, 0, true);
  const maxRuns = Math.max(options.runs, options.maxRuns ?? options.runs);
  let short: BaselineNeeds['short'] = [];
  let stoppedBy: BaselineMeasurement['stoppedBy'] = 'enough';
  for (let round = 0; ; round++) {
    // The first rounds replay every flow; later ones only those that run a handler still short.
    let todo = options.flows.map((_, k) => k);
    if (round >= options.runs) {
      short = options.needs ? options.needs(sessions).short : [];
      if (short.length === 0) break;
      if (round >= maxRuns) {
        stoppedBy = 'max-runs';
        break;
      }
      const wanted = new Set(short.map((s) => s.handler));
      todo = todo.filter((k) => [...counts[k]!.keys()].some((h) => wanted.has(h)));
      if (todo.length === 0) break; // No flow runs them: more rounds cannot help.
      const cost = todo.reduce((sum, k) => sum + wall[k]! / Math.max(1, flowRuns[k]!), 0);
      if (options.deadline !== undefined && now() + cost > options.deadline) {
        stoppedBy = 'deadline';
        break;
      }
      log(`baseline: more samples for ${short.map((s) => `${s.handler} (${s.calls} calls; ${s.need})`).join(', ')}`);
    }
    for (const k of todo) await replay(k, round, false);
  }
  if (short.length > 0) log(`baseline: stopped (${stoppedBy}) with ${short.map((s) => `${s.handler} short: ${s.need}`).join('; ')}`);
  const runs = Math.max(...flowRuns, 0);
  return {
    runs,
    sessions,
    snapshot: snapshotOf(sessions),
    // Per run of each flow, as before: what one more run of it buys.
    callsByFlow: counts.map((m, k) => new Map([...m].map(([h, n]) => [h, n / Math.max(1, flowRuns[k]!)]))),
    flowMs: wall.map((w, k) => w / Math.max(1, flowRuns[k]!)),
    errorsByFlow: errors.map((m, k) => new Map([...m].map(([e, n]) => [e, n / Math.max(1, flowRuns[k]!)]))),
    short,
    stoppedBy,
  };
}
