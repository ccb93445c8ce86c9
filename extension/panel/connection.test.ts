import { describe, expect, it, vi } from 'vitest';
import { PORT_PANEL_PREFIX } from '../../src/bridge/protocol.ts';
import { fakePort, type FakePort } from '../src/fake-port.ts';
import { connectBridge } from './connection.ts';
import { createPanelStore } from './store.ts';
import { sampleTick, session } from './test-fixtures.ts';

function setup() {
  const store = createPanelStore();
  const ports: FakePort[] = [];
  const frames: Array<() => void> = [];
  const bridge = connectBridge({ tabId: 12, store, connect: (name) => (ports.push(fakePort(name)), ports.at(-1)!), schedule: (fn) => void frames.push(fn) });
  return { store, ports, frames, bridge };
}

describe('panel connection', () => {
  it('names its port after the inspected tab and coalesces ticks into one store update per frame', () => {
    const { store, ports, frames } = setup();
    expect(ports[0]!.name).toBe(`${PORT_PANEL_PREFIX}12`);
    const tick = sampleTick();
    const a = { ...tick, calls: tick.calls.slice(0, 10) };
    const b = { ...tick, calls: tick.calls.slice(10, 25) };
    ports[0]!.receive({ kind: 'page', msg: a });
    ports[0]!.receive({ kind: 'page', msg: b });
    expect(frames).toHaveLength(1);
    expect(store.getState().ticks).toBe(0);
    frames[0]!();
    expect(store.getState()).toMatchObject({ ticks: 1, page: 'present' });
    expect(store.getState().calls.map((c) => c.id)).toEqual(tick.calls.slice(0, 25).map((c) => c.id));
  });

  it('matches responses to requests and reconnects when the service worker drops the port', async () => {
    const { ports, bridge, store } = setup();
    const pending = bridge.request({ op: 'export' });
    const sent = ports[0]!.sent[0] as { request: { id: number } };
    ports[0]!.receive({ kind: 'page', msg: { type: 'response', id: sent.request.id, error: null, result: { op: 'export', json: '{}' } } });
    await expect(pending).resolves.toEqual({ op: 'export', json: '{}' });
    const failing = bridge.request({ op: 'clear' });
    const id = (ports[0]!.sent[1] as { request: { id: number } }).request.id;
    ports[0]!.receive({ kind: 'page', msg: { type: 'response', id, error: 'IndexedDB is gone', result: null } });
    await expect(failing).rejects.toThrow('IndexedDB is gone');

    ports[0]!.drop();
    expect(store.getState().link).toBe('connecting');
    // Reconnects after its back-off: wait for it, however long a busy machine takes.
    await vi.waitFor(() => expect(ports).toHaveLength(2), { timeout: 10_000 });
    expect(store.getState().link).toBe('connected');
  });

  it('ignores invalid messages and tracks the page state', () => {
    const { ports, store } = setup();
    ports[0]!.receive({ kind: 'page', msg: { type: 'tick', nonsense: true } });
    ports[0]!.receive({ kind: 'absent' });
    expect(store.getState().page).toBe('absent');
    ports[0]!.receive({ kind: 'page', msg: { type: 'ready', session } });
    expect(store.getState()).toMatchObject({ page: 'present', session: { id: session.id } });
    ports[0]!.receive({ kind: 'tab', connected: false });
    expect(store.getState()).toMatchObject({ tab: false, page: 'unknown' });
  });
});
