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
 * Measuring the baseline: the recorded flows replayed on the unpatched build (a warm-up, then N
 * runs), the aggregates the diagnosis reads, and which flows each handler runs in (so the A/B
 * rounds replay only those).
 */
import type { Browser } from 'playwright-core';
import { Aggregator, aggregateSession, type AggregateSnapshot } from '../core/aggregate.ts';
import type { SessionFile } from '../core/session.ts';
import { replayRun, type Recording } from '../replay/index.ts';
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
  runs: number;
  screenshotDir?: string;
  cpuThrottle?: number;
  onProgress?: (line: string) => void;
}): Promise<BaselineMeasurement> {
  const log = options.onProgress ?? (() => {});
  const sessions: SessionFile[] = [];
  const callsByFlow = options.flows.map(() => new Map<string, number>());
  const flowMs = options.flows.map(() => 0);
  const errorsByFlow = options.flows.map(() => new Map<string, number>());
  // Each run gets a fresh browser context: the warm-up only warms the browser, the server and the
  // disk, so the shortest flow does it.
  const shortest = options.flows.reduce((best, f, k) => (f.steps.length < options.flows[best]!.steps.length ? k : best), 0);
  for (let i = -1; i < options.runs; i++) {
    for (const [k, flow] of options.flows.entries()) {
      if (i < 0 && k !== shortest) continue;
      log(i < 0 ? `baseline warm-up: ${flow.title}` : `baseline replay ${i + 1}/${options.runs}: ${flow.title}`);
      const run = await replayRun(options.browser, flow, {
        url: options.url,
        seed: 0x5eed + Math.max(0, i),
        index: Math.max(0, i),
        warmup: i < 0,
        label: 'baseline',
        ...(options.screenshotDir ? { screenshotDir: options.screenshotDir } : {}),
        ...(options.cpuThrottle ? { cpuThrottle: options.cpuThrottle } : {}),
      });
      if (!run.passed) {
        const failed = run.expectations.filter((e) => !e.passed).map((e) => `step ${e.step} ${e.description}`);
        throw new BaselineFailed(`The baseline build fails its own flow ${options.names[k]}: ${run.error ?? failed.join('; ')}. Fix the flow or the app before healing.`);
      }
      if (i < 0 || !run.session) continue;
      sessions.push(run.session);
      const calls = callsByFlow[k]!;
      for (const c of run.session.calls) calls.set(c.handler, (calls.get(c.handler) ?? 0) + 1 / options.runs);
      const errors = errorsByFlow[k]!;
      for (const c of run.session.calls) {
        if (c.error) errors.set(errorKey(c.handler, errorPattern(c.error)), (errors.get(errorKey(c.handler, errorPattern(c.error))) ?? 0) + 1 / options.runs);
      }
      flowMs[k] = flowMs[k]! + run.wallMs / options.runs;
    }
  }
  return { runs: options.runs, sessions, snapshot: snapshotOf(sessions), callsByFlow, flowMs, errorsByFlow };
}
