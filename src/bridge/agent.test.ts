// @vitest-environment jsdom
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Aggregator } from '../core/aggregate.ts';
import type { HandlerCall } from '../core/model.ts';
import { emptySpec } from '../core/spec.ts';
import type { HomeostatClient } from '../page/client.ts';
import fc from 'fast-check';
import { sampleTick } from '../../extension/panel/test-fixtures.ts';
import { bridgeSnapshot, fitTick, startAgent, toCallLite } from './agent.ts';
import { CHANNEL, LIMITS, messageSize, pageMessageSchema, parse, type PageMessage, type Tick } from './protocol.ts';

const call = (id: number): HandlerCall => ({
  id,
  handler: 'search',
  sequence: 0,
  parent: null,
  start: id,
  duration: 1,
  settle: null,
  outcome: id === 2 ? 'threw' : 'ok',
  error: id === 2 ? { name: 'TypeError', message: 'Cannot read <string> of user alice@example.com' } : null,
  mode: 'blocking',
  updates: { blocking: 1, transition: 0 },
  commits: 1,
  renderMs: null,
  commitMs: 1,
  blockingMs: 3,
  paintMs: 4,
  loaf: null,
  interactionMs: null,
  resultMs: null,
  frames: null,
});

function fakeClient(calls: HandlerCall[]) {
  let on = true;
  const agg = new Aggregator();
  for (const c of calls) agg.addCall(c, 0);
  const client = {
    status: () => ({
      session: { id: 's1', app: 'shop', build: null, url: 'http://localhost/', timeOrigin: 0, react: { version: '19.3.1' }, transport: 'worker', storage: 'memory', crossOriginIsolated: false },
      dropped: 0,
    }),
    aggregates: vi.fn(async () => agg.snapshot()),
    recentCalls: vi.fn(async (after = 0, limit = 500) => ({ total: calls.length, calls: calls.slice(Math.max(after, calls.length - limit)) })),
    exportSession: vi.fn(async () => '{"format":"homeostat.session"}'),
    importSession: vi.fn(async () => ({ id: 'imp', calls: 3 })),
    clear: vi.fn(async () => undefined),
    setEnabled: vi.fn((v: boolean) => void (on = v)),
    enabled: () => on,
    sources: () => ({ search: { file: 'src/App.tsx', line: 38, column: 2 } }),
  };
  return client as typeof client & HomeostatClient;
}

const fromExtension = (msg: unknown, source: Window | null = window) =>
  window.dispatchEvent(new MessageEvent('message', { data: { channel: CHANNEL, from: 'extension', msg }, source, origin: location.origin }));

function collect(): PageMessage[] {
  const out: PageMessage[] = [];
  window.addEventListener('message', (e) => {
    if (e.data?.channel === CHANNEL && e.data.from === 'page') out.push(pageMessageSchema.parse(e.data.msg));
  });
  return out;
}

let stop: (() => void) | null = null;
afterEach(() => {
  stop?.();
  vi.useRealTimers();
});

describe('page agent', () => {
  it('announces itself, then ticks valid data only while subscribed', async () => {
    vi.useFakeTimers();
    const got = collect();
    const client = fakeClient([call(1), call(2), call(3)]);
    stop = startAgent(client, { spec: null, tickMs: 20 });
    await vi.advanceTimersByTimeAsync(60);
    expect(got.map((m) => m.type)).toEqual(['ready']);
    fromExtension({ type: 'subscribe' });
    await vi.advanceTimersByTimeAsync(100);
    const ticks = got.filter((m) => m.type === 'tick');
    expect(ticks.length).toBeGreaterThan(1);
    const first = ticks[0]!;
    expect(first.type === 'tick' && first.calls.map((c) => c.id)).toEqual([1, 2, 3]);
    // Later ticks carry only new calls.
    expect(ticks[1]!.type === 'tick' && ticks[1]!.calls).toEqual([]);
    fromExtension({ type: 'unsubscribe' });
    await vi.advanceTimersByTimeAsync(60);
    const n = got.length;
    await vi.advanceTimersByTimeAsync(200);
    expect(got.length).toBe(n);
  });

  it('sends no error messages, arguments or user data: only the error name', () => {
    const lite = toCallLite(call(2));
    expect(lite.error).toBe('TypeError');
    expect(JSON.stringify(lite)).not.toContain('alice');
  });

  it('answers requests, and ignores messages from other windows', async () => {
    const got = collect();
    const client = fakeClient([call(1)]);
    const spec = emptySpec('shop');
    stop = startAgent(client, { spec });
    fromExtension({ type: 'request', id: 1, op: 'clear' }, null);
    fromExtension({ type: 'request', id: 2, op: 'pause' });
    fromExtension({ type: 'request', id: 3, op: 'spec' });
    fromExtension({ type: 'request', id: 4, op: 'export' });
    fromExtension({ type: 'request', id: 5, op: 'import', json: '{}' });
    fromExtension({ type: 'request', id: 6, op: 'format-disk' });
    fromExtension({ type: 'request', id: 7, op: 'tracks-on' });
    await vi.waitFor(() => expect(got.filter((m) => m.type === 'response')).toHaveLength(5));
    expect(client.clear).not.toHaveBeenCalled();
    expect(client.setEnabled).toHaveBeenCalledWith(false);
    const responses = Object.fromEntries(got.filter((m) => m.type === 'response').map((m) => [m.type === 'response' && m.id, m]));
    expect(Object.keys(responses).sort()).toEqual(['2', '3', '4', '5', '7']);
    expect(responses['3']).toMatchObject({ error: null, result: { op: 'spec', spec, sources: { search: { file: 'src/App.tsx', line: 38, column: 2 } } } });
    // What the panel accepts: the response passes the extension's schema.
    expect(parse(pageMessageSchema, responses['3']).ok).toBe(true);
    expect(responses['4']).toMatchObject({ result: { op: 'export', json: '{"format":"homeostat.session"}' } });
    expect(responses['5']).toMatchObject({ result: { op: 'import', id: 'imp', calls: 3 } });
  });
});

describe('Performance-panel tracks', () => {
  it('draws nothing until turned on, then each new call once: out-of-order ids and a backfill included', async () => {
    vi.useFakeTimers();
    const drawn: string[] = [];
    const perf = performance as unknown as Record<string, unknown>;
    const saved = { measure: perf['measure'], mark: perf['mark'], clearMeasures: perf['clearMeasures'], clearMarks: perf['clearMarks'] };
    Object.assign(perf, {
      measure: (name: string, o: { detail: { devtools: { track: string } } }) => void (o.detail.devtools.track === 'Handler calls' && drawn.push(name)),
      mark: () => undefined,
      clearMeasures: () => undefined,
      clearMarks: () => undefined,
    });
    try {
      // Call 9 finished before 7 and 8 (its interaction closed first).
      const calls = [call(1), call(9), call(7), call(8)].map((c) => ({ ...c, handler: `h${c.id}` }));
      const client = fakeClient(calls.slice(0, 2));
      stop = startAgent(client, { spec: null, tickMs: 20 });
      fromExtension({ type: 'subscribe' });
      await vi.advanceTimersByTimeAsync(50);
      expect(drawn).toEqual([]);
      fromExtension({ type: 'request', id: 1, op: 'tracks-on' });
      await vi.advanceTimersByTimeAsync(10);
      const all = [...calls];
      client.recentCalls.mockImplementation(async (after = 0, limit = 500) => ({ total: all.length, calls: all.slice(Math.max(after, all.length - limit)) }));
      await vi.advanceTimersByTimeAsync(50);
      // A backfill (the panel reopened) sends every call again: none is redrawn.
      fromExtension({ type: 'request', id: 2, op: 'snapshot' });
      await vi.advanceTimersByTimeAsync(50);
      expect(drawn).toEqual(['h7()', 'h8()']);
    } finally {
      Object.assign(perf, saved);
    }
  });
});

describe('what crosses the bridge', () => {
  it('carries error names only, never their (normalised) messages, whatever they say', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.constantFrom('TypeError', 'SyntaxError', 'AbortError'), fc.string({ minLength: 6, maxLength: 60 })), { minLength: 1, maxLength: 20 }), (errors) => {
        const agg = new Aggregator();
        errors.forEach(([name, message], i) => agg.addCall({ ...call(i + 10), outcome: 'threw', error: { name, message: `secret:${message}` } }, 0));
        const snap = bridgeSnapshot(agg.snapshot());
        const text = JSON.stringify(snap);
        expect(text).not.toContain('secret:');
        const h = snap.handlers[0]!;
        expect(h.errorPatterns.every((p) => p.message === '')).toBe(true);
        expect(h.errorPatterns.map((p) => p.name).sort()).toEqual([...new Set(errors.map(([n]) => n))].sort());
        expect(h.errorPatterns.reduce((n, p) => n + p.count, 0)).toBe(errors.length);
        expect(parse(pageMessageSchema, { ...sampleTick(), snapshot: snap }).ok).toBe(true);
      }),
    );
  });

  it('keeps every tick within the whole-message limit, however many handlers and calls the page has', () => {
    const agg = new Aggregator();
    let id = 1;
    // 2,000 handlers (the per-array maximum), each with spread-out durations (full histograms).
    for (let h = 0; h < LIMITS.handlers; h++) {
      for (let k = 0; k < 20; k++) agg.addCall({ ...call(id++), handler: `handler-${h}-${'x'.repeat(150)}`, duration: 0.01 * 1.2 ** k, blockingMs: 0.01 * 1.21 ** k }, 0);
    }
    const snapshot = bridgeSnapshot(agg.snapshot());
    // …and 1,000 sequences with many long variants (each array within its own limit).
    const seq = sampleTick().snapshot.sequences[0]!;
    const variant = seq.variants[0]!;
    const step = variant.steps[0]!;
    const longVariant = { ...variant, handlers: Array.from({ length: 40 }, (_, i) => `step-${i}-${'z'.repeat(100)}`), steps: Array.from({ length: 40 }, (_, i) => ({ ...step, handler: `step-${i}` })) };
    snapshot.sequences = Array.from({ length: LIMITS.sequences }, (_, i) => ({ ...seq, name: `sequence-${i}`, count: i + 1, variants: Array.from({ length: 5 }, () => longVariant) }));
    const calls = Array.from({ length: LIMITS.calls }, (_, i) => toCallLite({ ...call(i), handler: 'y'.repeat(200) }));
    const tick: Tick = { ...sampleTick(), snapshot, calls };
    // Every array is within its own limit, yet the whole is far over: the protocol refuses it…
    expect(messageSize(tick, { data: Infinity, json: Infinity }).data).toBeGreaterThan(10 * LIMITS.message);
    expect(parse(pageMessageSchema, tick)).toMatchObject({ ok: false, reason: expect.stringMatching(/larger than/) });
    // …and the agent never sends it: it trims to fit, busiest handlers first.
    const fitted = fitTick(tick);
    expect(parse(pageMessageSchema, fitted).ok).toBe(true);
    expect(messageSize(fitted).data).toBeLessThanOrEqual(LIMITS.message);
    expect(fitted.snapshot.handlers.length).toBeGreaterThan(100);
    expect(fitted.snapshot.sequences[0]!.count).toBe(LIMITS.sequences);
  });

  it('measures cyclic and enormous values without walking all of them', () => {
    const cyclic: Record<string, unknown> = { a: 1 };
    cyclic['self'] = cyclic;
    expect(messageSize(cyclic).data).toBe(Infinity);
    // 50 M entries: counting stops at the limit instead of walking them all.
    expect(messageSize({ calls: new Array(50_000_000) }).data).toBe(Infinity);
  });
});
