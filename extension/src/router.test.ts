import { describe, expect, it } from 'vitest';
import { PORT_CONTENT, PORT_PANEL_PREFIX } from '../../src/bridge/protocol.ts';
import { sampleTick } from '../panel/test-fixtures.ts';
import { fakePort } from './fake-port.ts';
import { Router } from './router.ts';

const ID = 'abcdefghijklmnopabcdefghijklmnop';
const ORIGIN = `chrome-extension://${ID}/`;
const content = (tab: number, frameId = 0) => fakePort(PORT_CONTENT, { id: ID, url: 'https://shop.example/', frameId, tab: { id: tab } });
const panel = (tab: number, url = `${ORIGIN}panel.html`) => fakePort(`${PORT_PANEL_PREFIX}${tab}`, { id: ID, url });

describe('Router', () => {
  it('refuses ports from other extensions, sub-frames and web pages posing as the panel', () => {
    const r = new Router(ID, ORIGIN);
    const foreign = fakePort(PORT_CONTENT, { id: 'other', frameId: 0, tab: { id: 1 } });
    const frame = content(1, 3);
    const fakePanel = panel(1, 'https://shop.example/');
    const unnamed = fakePort('something', { id: ID, url: `${ORIGIN}panel.html` });
    for (const p of [foreign, frame, fakePanel, unnamed]) r.connect(p);
    expect([foreign, frame, fakePanel, unnamed].every((p) => p.disconnected)).toBe(true);
    expect(r.refused()).toBe(4);
    expect(r.describe()).toEqual([]);
  });

  it('routes page data to the panels of the sender\'s tab only, and requests back', () => {
    const r = new Router(ID, ORIGIN);
    const c1 = content(1);
    const c2 = content(2);
    r.connect(c1);
    r.connect(c2);
    expect(c1.sent).toEqual([{ type: 'unsubscribe' }]);
    const p1 = panel(1);
    r.connect(p1);
    expect(p1.sent).toEqual([{ kind: 'tab', connected: true }]);
    expect(c1.sent.at(-1)).toEqual({ type: 'subscribe' });
    expect(c2.sent).toEqual([{ type: 'unsubscribe' }]);

    const tick = sampleTick();
    c1.receive({ kind: 'page', msg: tick });
    c2.receive({ kind: 'page', msg: { ...tick, session: { ...tick.session, id: 'other' } } });
    expect(p1.sent).toHaveLength(2);
    expect(p1.sent[1]).toMatchObject({ kind: 'page', msg: { type: 'tick', session: { id: tick.session.id } } });

    p1.receive({ kind: 'request', request: { type: 'request', id: 7, op: 'export' } });
    expect(c1.sent.at(-1)).toEqual({ type: 'request', id: 7, op: 'export' });
    p1.drop();
    expect(c1.sent.at(-1)).toEqual({ type: 'unsubscribe' });
  });

  it('counts invalid port messages and forwards the content script\'s count of refused page messages', () => {
    const r = new Router(ID, ORIGIN);
    const c = content(5);
    const p = panel(5);
    r.connect(c);
    r.connect(p);
    c.receive({ kind: 'page', msg: { type: 'request', id: 1, op: 'clear' } });
    c.receive({ kind: 'rejected', total: 3, reason: 'invalid page message (type: bad)' });
    p.receive({ kind: 'launch-missiles' });
    const rejected = p.sent.filter((m) => (m as { kind: string }).kind === 'rejected');
    expect(rejected.at(-1)).toEqual({ kind: 'rejected', page: 3, worker: 2, reason: expect.stringContaining('from panel') });
    // Nothing the page sent reached the panel as data.
    expect(p.sent.some((m) => (m as { kind: string }).kind === 'page')).toBe(false);
  });

  it('follows reloads (a new content port) and rebuilds after a service-worker restart', () => {
    const woken: number[] = [];
    const r = new Router(ID, ORIGIN, (tab) => woken.push(tab));
    const p = panel(9);
    r.connect(p);
    expect(p.sent).toEqual([{ kind: 'tab', connected: false }]);
    // No content script connected yet: the router asks the tab's to connect.
    expect(woken).toEqual([9]);
    const first = content(9);
    r.connect(first);
    first.drop(); // navigation
    const second = content(9);
    r.connect(second);
    const tabs = p.sent.filter((m) => (m as { kind: string }).kind === 'tab');
    expect(tabs.map((m) => (m as { connected: boolean }).connected)).toEqual([false, true, false, true]);
    // A new document starts with no refused messages.
    expect(p.sent.at(-1)).toEqual({ kind: 'rejected', page: 0, worker: 0, reason: '' });
    expect(second.sent).toEqual([{ type: 'subscribe' }]);

    // A restarted worker is a new Router: both ends reconnect and the subscription comes back.
    const fresh = new Router(ID, ORIGIN);
    const c2 = content(9);
    const p2 = panel(9);
    fresh.connect(c2);
    fresh.connect(p2);
    expect(c2.sent).toEqual([{ type: 'unsubscribe' }, { type: 'subscribe' }]);
    expect(fresh.describe()).toEqual([{ tabId: 9, content: true, panels: 1 }]);
  });

  it('survives posting to a port whose other end is gone', () => {
    const r = new Router(ID, ORIGIN);
    const c = content(3);
    const p = panel(3);
    r.connect(c);
    r.connect(p);
    p.disconnected = true;
    expect(() => c.receive({ kind: 'absent' })).not.toThrow();
  });
});
