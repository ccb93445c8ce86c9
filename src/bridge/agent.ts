/**
 * The page agent: the page end of the DevTools bridge. It answers the extension's content
 * script over `window.postMessage`, posting the worker's aggregates and the calls recorded
 * since the previous tick, a few times a second, only while a panel is subscribed.
 *
 * It accepts messages only from this very window (`event.source === window`, same origin,
 * our channel tag, schema-valid). Any script of the page could post the same messages, but
 * it can call `__HOMEOSTAT__` directly anyway: the agent grants nothing beyond that.
 */
import type { HandlerCall } from '../core/model.ts';
import type { SpecFile } from '../core/spec.ts';
import type { HomeostatClient } from '../page/client.ts';
import {
  CHANNEL,
  LIMITS,
  envelopeSchema,
  extensionMessageSchema,
  type BridgeRequest,
  type BridgeResult,
  type CallLite,
  type PageMessage,
  type SessionInfo,
  type Tick,
} from './protocol.ts';

export interface AgentOptions {
  spec: SpecFile | null;
  /** Interval between ticks while subscribed (default 250 ms). */
  tickMs?: number;
  /** A subscription lapses without a renewal within this time (default 12 s). */
  leaseMs?: number;
}

/** Reduces a recorded call to what the panel shows: no arguments, no error message. */
export function toCallLite(c: HandlerCall): CallLite {
  return {
    id: c.id,
    handler: c.handler.slice(0, LIMITS.name),
    start: c.start,
    duration: c.duration,
    settle: c.settle,
    blockingMs: c.blockingMs,
    interactionMs: c.interactionMs ?? null,
    resultMs: c.resultMs ?? null,
    longestFrameMs: c.frames?.longestMs ?? null,
    mode: c.mode,
    outcome: c.outcome,
    error: c.error ? c.error.name.slice(0, LIMITS.name) : null,
  };
}

/** Starts the agent on `window`; returns a function that stops it. */
export function startAgent(client: HomeostatClient, options: AgentOptions): () => void {
  const tickMs = options.tickMs ?? 250;
  const leaseMs = options.leaseMs ?? 12_000;
  let leaseUntil = 0;
  let timer: ReturnType<typeof setTimeout> | null = null;
  let ticking = false;
  let seen = 0;

  const post = (msg: PageMessage) => {
    // Same window only; opaque origins (file:, sandboxed frames) cannot be named as a target.
    const origin = window.location.origin;
    window.postMessage({ channel: CHANNEL, from: 'page', msg }, origin === 'null' ? '*' : origin);
  };

  const session = (): SessionInfo => {
    const s = client.status().session;
    return {
      id: s.id,
      app: s.app,
      build: s.build,
      url: s.url.slice(0, 2048),
      timeOrigin: s.timeOrigin,
      react: s.react.version,
      transport: s.transport,
      storage: s.storage,
      crossOriginIsolated: s.crossOriginIsolated,
    };
  };

  const tick = async (): Promise<void> => {
    const snapshot = await client.aggregates();
    const recent = await client.recentCalls(seen, LIMITS.calls);
    seen = recent.total;
    const msg: Tick = {
      type: 'tick',
      session: session(),
      snapshot: {
        ...snapshot,
        handlers: snapshot.handlers.slice(0, LIMITS.handlers),
        sequences: snapshot.sequences.slice(0, LIMITS.sequences),
      },
      calls: recent.calls.map(toCallLite),
      totalCalls: recent.total,
      paused: !client.enabled(),
      dropped: client.status().dropped,
    };
    post(msg);
  };

  // One tick at a time: a slow worker stretches the interval instead of queueing ticks.
  const loop = () => {
    timer = null;
    if (Date.now() > leaseUntil || ticking) return;
    ticking = true;
    tick()
      .catch(() => undefined)
      .finally(() => {
        ticking = false;
        if (Date.now() <= leaseUntil) timer = setTimeout(loop, tickMs);
      });
  };

  const subscribe = () => {
    const idle = Date.now() > leaseUntil;
    leaseUntil = Date.now() + leaseMs;
    if (idle) {
      // A new subscriber (panel opened, page reloaded) gets every recent call: the backfill.
      seen = 0;
      post({ type: 'ready', session: session() });
      if (timer === null && !ticking) loop();
    }
  };

  const answer = async (req: BridgeRequest): Promise<BridgeResult> => {
    switch (req.op) {
      case 'snapshot':
        seen = 0;
        await tick();
        return { op: 'done' };
      case 'spec':
        return { op: 'spec', spec: options.spec };
      case 'export':
        return { op: 'export', json: await client.exportSession() };
      case 'import': {
        const s = await client.importSession(req.json);
        return { op: 'import', id: s.id, calls: s.calls };
      }
      case 'clear':
        await client.clear();
        return { op: 'done' };
      case 'pause':
      case 'resume':
        client.setEnabled(req.op === 'resume');
        return { op: 'done' };
    }
  };

  const onMessage = (event: MessageEvent) => {
    if (event.source !== window || event.origin !== window.location.origin) return;
    const env = envelopeSchema.safeParse(event.data);
    if (!env.success || env.data.from !== 'extension') return;
    const parsed = extensionMessageSchema.safeParse(env.data.msg);
    if (!parsed.success) return;
    const msg = parsed.data;
    if (msg.type === 'subscribe') subscribe();
    else if (msg.type === 'unsubscribe') leaseUntil = 0;
    else {
      answer(msg).then(
        (result) => post({ type: 'response', id: msg.id, error: null, result }),
        (e: unknown) => post({ type: 'response', id: msg.id, error: String(e instanceof Error ? e.message : e).slice(0, 2000), result: null }),
      );
    }
  };

  window.addEventListener('message', onMessage);
  // Announce ourselves: a content script already listening learns the page has a wrapper.
  post({ type: 'ready', session: session() });
  return () => {
    window.removeEventListener('message', onMessage);
    leaseUntil = 0;
    if (timer !== null) clearTimeout(timer);
  };
}
