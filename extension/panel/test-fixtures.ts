/** Test data for the panel: a real Aggregator fed with synthetic calls, so snapshots have the real shape. */
import { Aggregator } from '../../src/core/aggregate.ts';
import type { HandlerCall, TransitionMode } from '../../src/core/model.ts';
import { emptySpec, type SpecFile } from '../../src/core/spec.ts';
import type { CallLite, SessionInfo, Tick } from '../../src/bridge/protocol.ts';
import { bridgeSnapshot } from '../../src/bridge/agent.ts';

export function call(id: number, handler: string, duration: number, patch: Partial<HandlerCall> = {}): HandlerCall {
  return {
    id,
    handler,
    sequence: Math.floor(id / 3),
    parent: null,
    start: id * 10,
    duration,
    settle: null,
    outcome: 'ok',
    error: null,
    mode: 'blocking' as TransitionMode,
    updates: { blocking: 1, transition: 0 },
    commits: 1,
    renderMs: null,
    commitMs: 1,
    blockingMs: duration * 2,
    paintMs: duration * 3,
    loaf: null,
    interactionMs: null,
    resultMs: null,
    frames: null,
    ...patch,
  };
}

/** Calls of three handlers: `search` (slow, blocking), `filter` (transitions), `parse` (an error). */
export function sampleCalls(): HandlerCall[] {
  const out: HandlerCall[] = [];
  let id = 0;
  for (let i = 0; i < 30; i++) {
    // What the user felt: typing waits for search's blocking render (interaction), and its result.
    const d = 8 + (i % 5);
    out.push(call(id++, 'search', d, { interactionMs: d * 30, resultMs: d * 32, frames: { count: 1, blockingMs: d * 25, totalMs: d * 30, longestMs: d * 30, styleLayoutMs: d * 3, forcedStyleLayoutMs: 0 } }));
    out.push(call(id++, 'filter', 1 + (i % 3) * 0.1, { mode: 'transition', updates: { blocking: 0, transition: 1 } }));
    out.push(
      call(id++, 'parse', 0.2, i === 7 ? { outcome: 'threw', error: { name: 'SyntaxError', message: 'bad <regexp>' }, mode: 'none', commits: 0 } : { mode: 'none', commits: 0 }),
    );
  }
  return out;
}

export function sampleSnapshot(calls = sampleCalls()) {
  const agg = new Aggregator();
  for (const c of calls) agg.addCall(c, 1_700_000_000_000);
  const seqCalls = calls.slice(0, 3);
  agg.addSequence(
    { id: 1, name: 'input:search', trigger: { type: 'input', timeStamp: 0 }, explicit: false, start: 0, end: 40, calls: seqCalls.map((c) => c.id), handlers: seqCalls.map((c) => c.handler), interactionMs: null, resultMs: 40, frames: null },
    seqCalls,
    1_700_000_000_000,
  );
  return agg.snapshot();
}

export function lite(c: HandlerCall): CallLite {
  return { id: c.id, handler: c.handler, sequence: c.sequence, parent: c.parent, start: c.start, duration: c.duration, settle: c.settle, blockingMs: c.blockingMs, commits: c.commits, renderMs: c.renderMs, commitMs: c.commitMs, paintMs: c.paintMs, frameBlockingMs: c.frames?.blockingMs ?? null, styleLayoutMs: c.frames?.styleLayoutMs ?? null, interactionMs: c.interactionMs, resultMs: c.resultMs, longestFrameMs: c.frames?.longestMs ?? null, mode: c.mode, outcome: c.outcome, error: c.error?.name ?? null };
}

export const session: SessionInfo = {
  id: 'session-1234abcd',
  app: 'shop',
  build: null,
  url: 'http://127.0.0.1:5173/',
  timeOrigin: 1_700_000_000_000,
  react: '19.3.1',
  transport: 'worker',
  storage: 'indexeddb',
  crossOriginIsolated: true,
};

export function sampleTick(calls = sampleCalls()): Tick {
  return { type: 'tick', session, snapshot: bridgeSnapshot(sampleSnapshot(calls)), calls: calls.map(lite), totalCalls: calls.length, paused: false, tracks: false, bridgeMs: 0, commits: [], dropped: 0 };
}

/** `search` over budget, `filter` within its budget, `parse` drifting from its baseline. */
export function sampleSpec(): SpecFile {
  const spec = emptySpec('shop');
  const doc = { tolerance: null, source: null, description: null };
  spec.handlers['search'] = { ...doc, budget: { metric: 'blocking', stat: 'p95', ms: 5 }, baseline: null };
  spec.handlers['filter'] = { ...doc, budget: { metric: 'duration', stat: 'p95', ms: 16 }, baseline: null };
  spec.handlers['parse'] = {
    ...doc,
    budget: null,
    baseline: { metrics: { blocking: { mean: 0.1, p50: 0.1, p75: 0.1, p95: 0.1, p99: 0.1 } }, n: 50, date: '2026-01-01', build: null, sessions: [], errorRate: 0, transitionShare: null },
  };
  return spec;
}
