/**
 * What a generated test measures in one replay of its flows: the signals of test-file.ts,
 * computed from the runs' sessions and the page's uncaught errors. Counts come first because
 * they are deterministic: a value recomputed on every render is called once per commit however
 * loaded the machine is, and React runs an update as blocking or in a transition by its lanes,
 * not by the clock. Timings (run metrics) are the fallback, for fixes that move nothing countable.
 */
import { formatMs, formatPct } from '../core/format.ts';
import { describeRunMetric, isCount, runMetricValue } from '../core/run-metrics.ts';
import type { SessionFile } from '../core/session.ts';
import type { Signal } from './test-file.ts';

/** One replay of a test's flows: a session per flow, and what the page threw uncaught. */
export interface RunEvidence {
  sessions: readonly SessionFile[];
  pageErrors: readonly string[];
}

/** Where a session's interactions began: calls and commits before it (page load) are the same for both builds. */
function firstInteraction(file: SessionFile): number {
  let first = Infinity;
  for (const s of file.sequences) if (s.trigger !== null && s.start < first) first = s.start;
  return first;
}

/** `Name: message` as the diagnosis names an error pattern (only the name when there is no message). */
export function errorPattern(e: { name: string; message: string }): string {
  return e.message ? `${e.name}: ${e.message}` : e.name;
}

/** The signal's value in one run, or null when the run has no sample of it (no commit, the handler never updated). */
export function signalValue(signal: Signal, run: RunEvidence): number | null {
  switch (signal.kind) {
    case 'callsPerCommit': {
      let calls = 0;
      let commits = 0;
      for (const f of run.sessions) {
        const from = firstInteraction(f);
        for (const c of f.calls) if (c.handler === signal.handler && c.start >= from) calls++;
        for (const c of f.commits) if (c.time >= from) commits++;
      }
      return commits === 0 ? null : calls / commits;
    }
    case 'blockingShare': {
      // Update requests, not calls: React 18's useTransition asks for its isPending update
      // urgently, so a fixed call is `mixed` there; counting requests still moves from 1 to ½.
      let blocking = 0;
      let total = 0;
      for (const f of run.sessions) {
        for (const c of f.calls) {
          if (c.handler !== signal.handler) continue;
          blocking += c.updates.blocking;
          total += c.updates.blocking + c.updates.transition;
        }
      }
      return total === 0 ? null : blocking / total;
    }
    case 'uncaughtErrors':
      return run.pageErrors.length;
    case 'errors': {
      let n = 0;
      for (const f of run.sessions) {
        for (const c of f.calls) {
          if (c.handler !== signal.handler) continue;
          const failed = c.error !== null || c.outcome === 'threw' || c.outcome === 'rejected';
          if (failed && (signal.pattern === undefined || (c.error !== null && errorPattern(c.error) === signal.pattern))) n++;
        }
      }
      return n;
    }
    case 'metric':
      return runMetricValue(run.sessions, signal.metric);
  }
}

/** Counts and shares do not move with the machine's load; timings do. */
export function isDeterministic(signal: Signal): boolean {
  return signal.kind !== 'metric' || isCount(signal.metric);
}

/** "computeFacets calls per React commit", "share of renderReact's React updates run as blocking". */
export function describeSignal(signal: Signal): string {
  switch (signal.kind) {
    case 'callsPerCommit':
      return `${signal.handler} calls per React commit`;
    case 'blockingShare':
      return `share of ${signal.handler}'s React updates run as blocking`;
    case 'uncaughtErrors':
      return 'uncaught errors in the page';
    case 'errors':
      return `${signal.handler} calls that threw${signal.pattern ? ` "${signal.pattern}"` : ''}`;
    case 'metric':
      return describeRunMetric(signal.metric);
  }
}

/** A value as its signal reads: 0.98 calls per commit, 100%, 3 errors, 164 ms. */
export function formatSignal(signal: Signal, v: number | null): string {
  if (v === null || !Number.isFinite(v)) return 'no sample';
  switch (signal.kind) {
    case 'callsPerCommit':
      return v.toFixed(2);
    case 'blockingShare':
      return formatPct(v);
    case 'uncaughtErrors':
    case 'errors':
      return String(Math.round(v));
    case 'metric':
      return isCount(signal.metric) ? String(Math.round(v)) : `${formatMs(v)} ms`;
  }
}
