/**
 * The panel's end of the bridge: a runtime port to the service worker named after the inspected
 * tab, reconnected whenever it drops (the MV3 worker is stopped after ~30 s idle), incoming
 * messages validated, ticks coalesced per animation frame, and request/response matching.
 */
import {
  PORT_PANEL_PREFIX,
  parse,
  workerToPanelSchema,
  type BridgeRequest,
  type BridgeResult,
  type CallLite,
  type Tick,
} from '../../src/bridge/protocol.ts';
import type { PortLike } from '../src/content-bridge.ts';
import { MAX_CALLS, MAX_COMMITS, type PanelStore } from './store.ts';

/** A request without its id: the connection numbers them. */
export type RequestBody = { op: Exclude<BridgeRequest['op'], 'import'> } | { op: 'import'; json: string };

export interface Bridge {
  request(body: RequestBody, timeoutMs?: number): Promise<BridgeResult>;
  close(): void;
}

export interface ConnectOptions {
  tabId: number;
  store: PanelStore;
  connect: (name: string) => PortLike;
  /** Frame scheduler (requestAnimationFrame in the panel; injectable for tests). */
  schedule?: (fn: () => void) => void;
}

export function connectBridge(options: ConnectOptions): Bridge {
  const { store } = options;
  const schedule =
    options.schedule ??
    ((fn: () => void) => {
      // rAF does not run while DevTools hides the panel; the timeout keeps data flowing then.
      let done = false;
      const run = () => {
        if (!done) {
          done = true;
          fn();
        }
      };
      requestAnimationFrame(run);
      setTimeout(run, 100);
    });
  let port: PortLike | null = null;
  let closed = false;
  let nextId = 1;
  const waiting = new Map<number, { resolve: (r: BridgeResult) => void; reject: (e: Error) => void }>();
  // Coalesced ticks: the newest snapshot wins, calls accumulate (bounded).
  let pendingTick: Tick | null = null;
  let pendingCalls: CallLite[] = [];
  let scheduled = false;

  const flushTicks = () => {
    scheduled = false;
    if (!pendingTick) return;
    const tick = pendingTick;
    const calls = pendingCalls;
    pendingTick = null;
    pendingCalls = [];
    store.getState().applyTick(tick, calls);
  };

  const onTick = (tick: Tick) => {
    if (pendingTick && pendingTick.session.id !== tick.session.id) pendingCalls = [];
    // Commits accumulate like calls: each tick carries only the ones since the previous.
    else if (pendingTick && pendingTick.commits.length > 0) tick = { ...tick, commits: pendingTick.commits.concat(tick.commits).slice(-MAX_COMMITS) };
    pendingTick = tick;
    pendingCalls = pendingCalls.concat(tick.calls);
    if (pendingCalls.length > MAX_CALLS) pendingCalls = pendingCalls.slice(pendingCalls.length - MAX_CALLS);
    if (!scheduled) {
      scheduled = true;
      schedule(flushTicks);
    }
  };

  const onMessage = (raw: unknown) => {
    const r = parse(workerToPanelSchema, raw);
    if (!r.ok) return;
    const m = r.value;
    const s = store.getState();
    switch (m.kind) {
      case 'tab':
        s.setTab(m.connected);
        break;
      case 'absent':
        if (s.page !== 'present') s.setPage('absent');
        break;
      case 'rejected':
        s.setRejected({ page: m.page, worker: m.worker, reason: m.reason });
        break;
      case 'page': {
        const msg = m.msg;
        if (msg.type === 'tick') onTick(msg);
        else if (msg.type === 'ready') s.setPage('present', msg.session);
        else {
          const w = waiting.get(msg.id);
          if (!w) return;
          waiting.delete(msg.id);
          if (msg.error !== null || msg.result === null) w.reject(new Error(msg.error ?? 'empty response'));
          else w.resolve(msg.result);
        }
        break;
      }
    }
  };

  const connect = () => {
    if (closed) return;
    const p = options.connect(`${PORT_PANEL_PREFIX}${options.tabId}`);
    port = p;
    p.onMessage.addListener(onMessage);
    p.onDisconnect.addListener(() => {
      if (port !== p) return;
      port = null;
      store.getState().setLink('connecting');
      // The service worker restarts on the next connection; the page re-sends on subscribe.
      setTimeout(connect, 250);
    });
    store.getState().setLink('connected');
  };

  connect();
  return {
    request(body, timeoutMs = 30_000) {
      const id = nextId++;
      return new Promise<BridgeResult>((resolve, reject) => {
        if (!port) return reject(new Error('not connected to the extension'));
        const timer = setTimeout(() => {
          waiting.delete(id);
          reject(new Error(`no answer from the page to "${body.op}"`));
        }, timeoutMs);
        waiting.set(id, {
          resolve: (r) => (clearTimeout(timer), resolve(r)),
          reject: (e) => (clearTimeout(timer), reject(e)),
        });
        try {
          port.postMessage({ kind: 'request', request: { type: 'request', id, ...body } });
        } catch (e) {
          waiting.delete(id);
          clearTimeout(timer);
          reject(e instanceof Error ? e : new Error(String(e)));
        }
      });
    },
    close() {
      closed = true;
      port?.disconnect();
    },
  };
}
