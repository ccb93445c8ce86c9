// @vitest-environment jsdom
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Aggregator } from '../core/aggregate.ts';
import type { HandlerCall } from '../core/model.ts';
import { emptySpec } from '../core/spec.ts';
import type { HomeostatClient } from '../page/client.ts';
import { startAgent, toCallLite } from './agent.ts';
import { CHANNEL, pageMessageSchema, type PageMessage } from './protocol.ts';

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
afterEach(() => stop?.());

describe('page agent', () => {
  it('announces itself, then ticks valid data only while subscribed', async () => {
    const got = collect();
    const client = fakeClient([call(1), call(2), call(3)]);
    stop = startAgent(client, { spec: null, tickMs: 20 });
    await new Promise((r) => setTimeout(r, 60));
    expect(got.map((m) => m.type)).toEqual(['ready']);
    fromExtension({ type: 'subscribe' });
    await new Promise((r) => setTimeout(r, 100));
    const ticks = got.filter((m) => m.type === 'tick');
    expect(ticks.length).toBeGreaterThan(1);
    const first = ticks[0]!;
    expect(first.type === 'tick' && first.calls.map((c) => c.id)).toEqual([1, 2, 3]);
    // Later ticks carry only new calls.
    expect(ticks[1]!.type === 'tick' && ticks[1]!.calls).toEqual([]);
    fromExtension({ type: 'unsubscribe' });
    await new Promise((r) => setTimeout(r, 60));
    const n = got.length;
    await new Promise((r) => setTimeout(r, 80));
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
    await new Promise((r) => setTimeout(r, 50));
    expect(client.clear).not.toHaveBeenCalled();
    expect(client.setEnabled).toHaveBeenCalledWith(false);
    const responses = Object.fromEntries(got.filter((m) => m.type === 'response').map((m) => [m.type === 'response' && m.id, m]));
    expect(Object.keys(responses).sort()).toEqual(['2', '3', '4', '5']);
    expect(responses['3']).toMatchObject({ error: null, result: { op: 'spec', spec } });
    expect(responses['4']).toMatchObject({ result: { op: 'export', json: '{"format":"homeostat.session"}' } });
    expect(responses['5']).toMatchObject({ result: { op: 'import', id: 'imp', calls: 3 } });
  });
});
