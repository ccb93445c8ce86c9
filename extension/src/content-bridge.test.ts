// @vitest-environment jsdom
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { CHANNEL, LIMITS } from '../../src/bridge/protocol.ts';
import { sampleTick, session } from '../panel/test-fixtures.ts';
import { startContentBridge, type ContentBridge } from './content-bridge.ts';
import { fakePort, type FakePort } from './fake-port.ts';

// Fake timers: what the bridge does after N ms is checked at exactly N ms, however busy the machine.
const settle = () => vi.advanceTimersByTimeAsync(30);
const elapse = (ms: number) => vi.advanceTimersByTimeAsync(ms);
// jsdom's postMessage leaves event.source null; a real same-window post has source === window.
const post = (data: unknown, source: Window | null = window) =>
  window.dispatchEvent(new MessageEvent('message', { data, source, origin: location.origin }));
const fromPage = (msg: unknown) => post({ channel: CHANNEL, from: 'page', msg });

let bridge: ContentBridge | null = null;
beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  bridge?.stop();
  vi.useRealTimers();
});

function start(): { port: () => FakePort; toPage: unknown[] } {
  const ports: FakePort[] = [];
  const toPage: unknown[] = [];
  window.addEventListener('message', (e) => {
    if (e.data?.from === 'extension') toPage.push(e.data.msg);
  });
  bridge = startContentBridge({ win: window, connect: (name) => (ports.push(fakePort(name)), ports.at(-1)!), absentAfterMs: 100 });
  bridge.wake();
  return { port: () => ports.at(-1)!, toPage };
}

describe('content bridge', () => {
  it('stays unconnected on pages without Homeostat until a panel wakes it, and connects for pages that announce it', async () => {
    const ports: unknown[] = [];
    bridge = startContentBridge({ win: window, connect: (name) => (ports.push(name), fakePort(name)) });
    post({ channel: CHANNEL, from: 'page', msg: { type: 'tick' } }); // refused, and no reason to connect
    await settle();
    expect(ports).toEqual([]);
    fromPage({ type: 'ready', session });
    await settle();
    expect(ports).toHaveLength(1);
    bridge.wake();
    expect(ports).toHaveLength(1);
  });

  it('forwards valid page data while subscribed and nothing before', async () => {
    const { port, toPage } = start();
    fromPage(sampleTick());
    await settle();
    expect(port().sent).toEqual([]);
    port().receive({ type: 'subscribe' });
    await settle();
    expect(toPage).toContainEqual({ type: 'subscribe' });
    fromPage({ type: 'ready', session });
    fromPage(sampleTick());
    await settle();
    expect(port().sent.map((m) => (m as { msg: { type: string } }).msg.type)).toEqual(['ready', 'tick']);
  });

  it('rejects and counts spoofed, malformed, oversized and unsolicited messages', async () => {
    const { port } = start();
    port().receive({ type: 'subscribe' });
    fromPage({ type: 'request', id: 1, op: 'clear' }); // commands never come from the page
    fromPage({ type: 'tick', calls: 'lots' });
    fromPage({ ...sampleTick(), calls: new Array(5000).fill(sampleTick().calls[0]) });
    fromPage({ type: 'response', id: 99, error: null, result: { op: 'done' } });
    post({ channel: CHANNEL, from: 'page', msg: { type: 'ready', session } }, null); // another frame
    post({ channel: CHANNEL, from: 'nobody' });
    post({ unrelated: true }); // not ours: ignored, not counted
    // The coalesced report goes out 250 ms after the first refusal; the page counts as absent only at 500 ms.
    await elapse(300);
    expect(bridge!.rejected()).toBe(6);
    expect(port().sent.filter((m) => (m as { kind: string }).kind === 'page')).toEqual([]);
    expect(port().sent.filter((m) => (m as { kind: string }).kind === 'rejected')).toEqual([{ kind: 'rejected', total: 6, reason: expect.any(String) }]);
    expect(port().sent.at(-1)).toMatchObject({ kind: 'rejected', total: 6 });
  });

  it('refuses a message over the whole-message size limit even when every array is within its own', async () => {
    const { port } = start();
    port().receive({ type: 'subscribe' });
    const tick = sampleTick();
    const h = tick.snapshot.handlers[0]!;
    // 2,000 handlers with 200-character names and 50 error names each: every array within its limit, ~25 MB in all.
    const errorPatterns = Array.from({ length: LIMITS.errorPatterns }, (_, i) => ({ name: `E${i}${'e'.repeat(190)}`, message: '' as const, count: 1, firstSeen: 0, lastSeen: 0 }));
    tick.snapshot.handlers = Array.from({ length: LIMITS.handlers }, (_, i) => ({ ...h, handler: `${i}`.padEnd(200, 'h'), errorPatterns }));
    fromPage(tick);
    await elapse(300);
    expect(bridge!.rejected()).toBe(1);
    expect(port().sent.filter((m) => (m as { kind: string }).kind === 'page')).toEqual([]);
    expect(port().sent.at(-1)).toMatchObject({ kind: 'rejected', total: 1, reason: expect.stringMatching(/larger than/) });
  });

  it('passes a response only for a request the extension made', async () => {
    const { port, toPage } = start();
    port().receive({ type: 'request', id: 4, op: 'export' });
    await settle();
    expect(toPage).toContainEqual({ type: 'request', id: 4, op: 'export' });
    fromPage({ type: 'response', id: 4, error: null, result: { op: 'export', json: '{}' } });
    fromPage({ type: 'response', id: 4, error: null, result: { op: 'export', json: '{}' } });
    await elapse(300);
    expect(port().sent.filter((m) => (m as { kind: string }).kind === 'page')).toHaveLength(1);
    expect(bridge!.rejected()).toBe(1);
  });

  it('reports a page without a wrapper, and reconnects when the service worker goes away', async () => {
    const { port } = start();
    const first = port();
    first.receive({ type: 'subscribe' });
    await elapse(450);
    expect(first.sent).not.toContainEqual({ kind: 'absent' });
    await elapse(100);
    expect(first.sent).toContainEqual({ kind: 'absent' });
    first.drop();
    await elapse(150);
    expect(port()).toBe(first);
    await elapse(100);
    expect(port()).not.toBe(first);
  });
});
