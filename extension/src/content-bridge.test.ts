// @vitest-environment jsdom
import { afterEach, describe, expect, it } from 'vitest';
import { CHANNEL } from '../../src/bridge/protocol.ts';
import { sampleTick, session } from '../panel/test-fixtures.ts';
import { startContentBridge, type ContentBridge } from './content-bridge.ts';
import { fakePort, type FakePort } from './fake-port.ts';

const settle = () => new Promise((r) => setTimeout(r, 30));
// jsdom's postMessage leaves event.source null; a real same-window post has source === window.
const post = (data: unknown, source: Window | null = window) =>
  window.dispatchEvent(new MessageEvent('message', { data, source, origin: location.origin }));
const fromPage = (msg: unknown) => post({ channel: CHANNEL, from: 'page', msg });

let bridge: ContentBridge | null = null;
afterEach(() => bridge?.stop());

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
    await new Promise((r) => setTimeout(r, 400));
    expect(bridge!.rejected()).toBe(6);
    expect(port().sent.filter((m) => (m as { kind: string }).kind === 'page')).toEqual([]);
    expect(port().sent.at(-1)).toMatchObject({ kind: 'rejected', total: 6 });
  });

  it('passes a response only for a request the extension made', async () => {
    const { port, toPage } = start();
    port().receive({ type: 'request', id: 4, op: 'export' });
    await settle();
    expect(toPage).toContainEqual({ type: 'request', id: 4, op: 'export' });
    fromPage({ type: 'response', id: 4, error: null, result: { op: 'export', json: '{}' } });
    fromPage({ type: 'response', id: 4, error: null, result: { op: 'export', json: '{}' } });
    await new Promise((r) => setTimeout(r, 300));
    expect(port().sent.filter((m) => (m as { kind: string }).kind === 'page')).toHaveLength(1);
    expect(bridge!.rejected()).toBe(1);
  });

  it('reports a page without a wrapper, and reconnects when the service worker goes away', async () => {
    const { port } = start();
    const first = port();
    first.receive({ type: 'subscribe' });
    await new Promise((r) => setTimeout(r, 700));
    expect(first.sent).toContainEqual({ kind: 'absent' });
    first.drop();
    await new Promise((r) => setTimeout(r, 300));
    expect(port()).not.toBe(first);
  });
});
