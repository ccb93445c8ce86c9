/**
 * The page agent: the page end of the DevTools bridge. It answers the extension's content
 * script over `window.postMessage`, posting the worker's aggregates and the calls recorded
 * since the previous tick, a few times a second, only while a panel is subscribed. The page
 * loads it (`hook.ts`) only when the extension first speaks to it.
 *
 * It accepts messages only from this very window (`event.source === window`, same origin,
 * our channel tag, schema-valid). Any script of the page could post the same messages, but
 * it can call `__HOMEOSTAT__` directly anyway: the agent grants nothing beyond that.
 */
import type { AggregateSnapshot, ErrorPattern } from '../core/aggregate.ts';
import type { HandlerCall } from '../core/model.ts';
import type { SpecFile } from '../core/spec.ts';
import type { BridgeClient } from './client.ts';
import { tapCommits } from './commits.ts';
import { drawTracks } from './tracks.ts';
import { sessionInfo } from './client.ts';
import { CHANNEL, LIMITS, messageSize } from './limits.ts';
import type { BridgeResult, CallLite, PageMessage, Tick } from './protocol.ts';
import { envelopeSchema, extensionMessageSchema, type BridgeRequest } from './requests.ts';

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
    sequence: c.sequence,
    parent: c.parent,
    start: c.start,
    duration: c.duration,
    settle: c.settle,
    blockingMs: c.blockingMs,
    commits: c.commits,
    renderMs: c.renderMs,
    commitMs: c.commitMs,
    paintMs: c.paintMs,
    frameBlockingMs: c.frames?.blockingMs ?? null,
    styleLayoutMs: c.frames?.styleLayoutMs ?? null,
    interactionMs: c.interactionMs ?? null,
    resultMs: c.resultMs ?? null,
    longestFrameMs: c.frames?.longestMs ?? null,
    mode: c.mode,
    outcome: c.outcome,
    error: c.error ? c.error.name.slice(0, LIMITS.name) : null,
  };
}

type BridgeSnapshot = Tick['snapshot'];

/**
 * The aggregates as the bridge carries them: error patterns by name only (their normalised
 * messages stay in the page), counts merged per name; at most the protocol's array limits.
 */
export function bridgeSnapshot(snapshot: AggregateSnapshot): BridgeSnapshot {
  return {
    ...snapshot,
    handlers: snapshot.handlers.slice(0, LIMITS.handlers).map((h) => ({ ...h, errorPatterns: errorNames(h.errorPatterns) })),
    sequences: snapshot.sequences.slice(0, LIMITS.sequences),
  };
}

function errorNames(patterns: readonly ErrorPattern[]): BridgeSnapshot['handlers'][number]['errorPatterns'] {
  const byName = new Map<string, { name: string; message: ''; count: number; firstSeen: number; lastSeen: number }>();
  for (const p of patterns) {
    const name = p.name.slice(0, LIMITS.name);
    const seen = byName.get(name);
    if (seen) {
      seen.count += p.count;
      seen.firstSeen = Math.min(seen.firstSeen, p.firstSeen);
      seen.lastSeen = Math.max(seen.lastSeen, p.lastSeen);
    } else byName.set(name, { name, message: '', count: p.count, firstSeen: p.firstSeen, lastSeen: p.lastSeen });
  }
  return [...byName.values()].sort((a, b) => b.count - a.count).slice(0, LIMITS.errorPatterns);
}

/**
 * Trims a tick to the protocol's whole-message limit, so the content script never has to refuse
 * it: recent calls go first (the panel catches up on the next tick), then the least-called
 * handlers and sequences. Returns the tick unchanged when it fits.
 */
export function fitTick(tick: Tick, limit: number = LIMITS.message): Tick {
  const fits = (t: Tick) => messageSize(t, { data: limit, json: LIMITS.sessionJson }).data <= limit;
  if (fits(tick)) return tick;
  let t = tick;
  // Commits first: the costliest components of a few hundred commits can be the largest part.
  for (let n = t.commits.length >> 1; !fits(t) && t.commits.length > 0; n >>= 1) t = { ...t, commits: t.commits.slice(t.commits.length - n) };
  for (let n = t.calls.length >> 1; !fits(t) && t.calls.length > 0; n >>= 1) t = { ...t, calls: t.calls.slice(t.calls.length - n) };
  const byCount = <T extends { count: number }>(xs: readonly T[]) => xs.slice().sort((a, b) => b.count - a.count);
  const handlers = byCount(t.snapshot.handlers);
  const sequences = byCount(t.snapshot.sequences);
  const size = (xs: readonly unknown[]) => messageSize(xs, { data: Infinity, json: Infinity }).data;
  let h = handlers.length;
  let q = sequences.length;
  // Halve whichever of the two takes more room, until the whole fits.
  while (!fits(t) && (h > 0 || q > 0)) {
    if (size(handlers.slice(0, h)) >= size(sequences.slice(0, q))) h >>= 1;
    else q >>= 1;
    t = { ...t, snapshot: { ...t.snapshot, handlers: handlers.slice(0, h), sequences: sequences.slice(0, q) } };
  }
  return t;
}

/** The build plugin's handler locations, bounded as the protocol bounds them. */
function pluginSources(client: BridgeClient): Record<string, { file: string; line: number; column: number }> {
  const out: Record<string, { file: string; line: number; column: number }> = {};
  let n = 0;
  for (const [h, s] of Object.entries(client.sources?.() ?? {})) {
    if (n++ >= LIMITS.handlers) break;
    out[h.slice(0, LIMITS.name)] = { file: s.file.slice(0, 1024), line: s.line, column: s.column };
  }
  return out;
}

/** Starts the agent on `window`; returns a function that stops it. */
export function startAgent(client: BridgeClient, options: AgentOptions, first: readonly MessageEvent[] = []): () => void {
  const tickMs = options.tickMs ?? 250;
  const leaseMs = options.leaseMs ?? 12_000;
  let leaseUntil = 0;
  let timer: ReturnType<typeof setTimeout> | null = null;
  let ticking = false;
  let seen = 0;
  // Performance-panel tracks: off until a panel turns them on, for this page's lifetime.
  let tracks = false;
  // Calls drawn so far, as a position in the page's call stream (the same cursor as `seen`): ids
  // do not arrive in order, interactions close later than they start.
  let drawn = 0;
  // The agent's own main-thread time, reported so the panel can show what inspecting costs the page.
  let spentMs = 0;
  // React commits, walked only while a panel is subscribed.
  const commits = tapCommits(() => Date.now() <= leaseUntil);

  const post = (msg: PageMessage) => {
    // Same window only; opaque origins (file:, sandboxed frames) cannot be named as a target.
    const origin = window.location.origin;
    window.postMessage({ channel: CHANNEL, from: 'page', msg }, origin === 'null' ? '*' : origin);
  };

  const session = () => sessionInfo(client.status().session);

  const tick = async (): Promise<void> => {
    const snapshot = await client.aggregates();
    const recent = await client.recentCalls(seen, LIMITS.calls);
    const t0 = performance.now();
    seen = recent.total;
    if (tracks) {
      // A backfill repeats calls: each is drawn once.
      const fresh = recent.calls.slice(Math.max(0, drawn - (recent.total - recent.calls.length)));
      if (fresh.length > 0) drawTracks(fresh, options.spec);
      drawn = Math.max(drawn, recent.total);
    }
    const msg: Tick = {
      type: 'tick',
      session: session(),
      snapshot: bridgeSnapshot(snapshot),
      calls: recent.calls.map(toCallLite),
      totalCalls: recent.total,
      paused: !client.enabled(),
      tracks,
      bridgeMs: spentMs + (commits?.spentMs() ?? 0),
      commits: commits?.drain() ?? [],
      dropped: client.status().dropped,
    };
    post(fitTick(msg));
    spentMs += performance.now() - t0;
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
        return { op: 'spec', spec: options.spec, sources: pluginSources(client) };
      case 'export':
        return { op: 'export', json: await client.exportSession() };
      case 'import': {
        const s = await client.importSession(req.json);
        return { op: 'import', id: s.id, calls: s.calls };
      }
      case 'clear':
        await client.clear();
        return { op: 'done' };
      case 'tracks-on':
      case 'tracks-off':
        // From now on: what ran before is not redrawn into a trace recorded later.
        if (req.op === 'tracks-on' && !tracks) drawn = seen;
        tracks = req.op === 'tracks-on';
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
  // What the extension said while this module loaded.
  for (const event of first) onMessage(event);
  return () => {
    window.removeEventListener('message', onMessage);
    leaseUntil = 0;
    if (timer !== null) clearTimeout(timer);
  };
}
