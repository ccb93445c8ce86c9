/**
 * Who cost what in one interaction. Every handler that ran in an interaction reports the same
 * interaction latency and the same longest frame: those are shared, so they cannot say which
 * handler to fix. What differs is each call's own work and the React work its updates forced
 * into the same task. This module splits a recent interaction's calls into those parts and ranks
 * them, culprit first; the view only renders the result.
 *
 * Per call (all from what the bridge already carries, see `CallLite`):
 * - own: its synchronous duration minus the calls nested in it (exclusive time), so a wrapper
 *   that only calls others is not charged their work twice;
 * - React: the synchronous render + commit its blocking updates caused, i.e. the part of its
 *   blocking span after the outermost call it ran in returned (before that the span is other
 *   handlers' code). Calls whose updates React flushed in the same commit share that time: the
 *   row says with whom;
 * - caused = own + React: the rank. An instrumented function a component called while React
 *   rendered is charged its own time only, and that time is taken out of the React time of the
 *   calls whose commit ran it, so nothing is counted twice.
 * - shared: the interaction latency and the longest frame, once per interaction.
 */
import type { CallLite } from '../../src/bridge/protocol.ts';

export interface CallCost {
  id: number;
  handler: string;
  ownMs: number;
  /** Synchronous React render + commit after the call's task returned that its updates caused. */
  reactMs: number;
  /** React's own render time of its commits, where the build reports it (development, profiling). */
  renderMs: number | null;
  commits: number;
  causedMs: number;
  /** Share of the interaction's caused time (0..1). */
  share: number;
  /** Other handlers whose updates were flushed in the same synchronous React work. */
  sharedWith: string[];
  mode: CallLite['mode'];
  outcome: CallLite['outcome'];
}

export interface InteractionCost {
  sequence: number;
  /** The first top-level call: what the user's input started. */
  trigger: string;
  start: number;
  /** Shared by every call in it: the input's latency and the longest frame it occupied. */
  interactionMs: number | null;
  resultMs: number | null;
  longestFrameMs: number | null;
  styleLayoutMs: number | null;
  /** Ranked: most caused first. */
  calls: CallCost[];
  totalCausedMs: number;
}

const max = (xs: Array<number | null>): number | null => xs.reduce<number | null>((m, x) => (x === null ? m : m === null ? x : Math.max(m, x)), null);

/** The cost split of one interaction's calls (in any order). */
export function interactionCost(calls: readonly CallLite[]): InteractionCost | null {
  if (calls.length === 0) return null;
  const ordered = [...calls].sort((a, b) => a.start - b.start || a.id - b.id);
  const byId = new Map(ordered.map((c) => [c.id, c]));
  const children = new Map<number, number>();
  for (const c of ordered) {
    if (c.parent !== null && byId.has(c.parent)) children.set(c.parent, (children.get(c.parent) ?? 0) + c.duration);
  }
  const root = (c: CallLite): CallLite => {
    let r = c;
    for (let guard = 0; r.parent !== null && byId.has(r.parent) && guard < 64; guard++) r = byId.get(r.parent)!;
    return r;
  };
  // Calls whose blocking spans end together were flushed by the same synchronous React work.
  const flushEnd = new Map<number, number>();
  const rows = ordered.map((c) => {
    const ownMs = Math.max(0, c.duration - (children.get(c.id) ?? 0));
    const r = root(c);
    const rootEnd = r.start + r.duration;
    const blockEnd = c.start + c.blockingMs;
    const flushStart = Math.max(c.start + c.duration, rootEnd);
    let reactMs = c.commits > 0 ? Math.max(0, blockEnd - flushStart) : 0;
    if (reactMs > 0) {
      flushEnd.set(c.id, blockEnd);
      // Instrumented calls React ran while rendering (a component calling one) have their own row.
      for (const o of ordered) if (o.parent === null && o.id !== c.id && o.start >= flushStart && o.start < blockEnd) reactMs -= o.duration;
      reactMs = Math.max(0, reactMs);
    }
    return { c, ownMs, reactMs };
  });
  const total = rows.reduce((s, r) => s + r.ownMs + r.reactMs, 0);
  const costs: CallCost[] = rows.map(({ c, ownMs, reactMs }) => {
    const end = flushEnd.get(c.id);
    const sharedWith =
      end === undefined ? [] : [...new Set(rows.filter((o) => o.c.id !== c.id && flushEnd.has(o.c.id) && Math.abs(flushEnd.get(o.c.id)! - end) < 0.5).map((o) => o.c.handler))];
    const causedMs = ownMs + reactMs;
    return {
      id: c.id,
      handler: c.handler,
      ownMs,
      reactMs,
      renderMs: c.renderMs,
      commits: c.commits,
      causedMs,
      share: total > 0 ? causedMs / total : 0,
      sharedWith,
      mode: c.mode,
      outcome: c.outcome,
    };
  });
  costs.sort((a, b) => b.causedMs - a.causedMs || a.id - b.id);
  const first = ordered.find((c) => c.parent === null) ?? ordered[0]!;
  return {
    sequence: first.sequence,
    trigger: first.handler,
    start: ordered[0]!.start,
    interactionMs: max(ordered.map((c) => c.interactionMs)),
    resultMs: max(ordered.map((c) => c.resultMs)),
    longestFrameMs: max(ordered.map((c) => c.longestFrameMs)),
    styleLayoutMs: max(ordered.map((c) => c.styleLayoutMs)),
    calls: costs,
    totalCausedMs: total,
  };
}

/** The most recent interactions (newest first), each ranked. */
export function recentInteractions(calls: readonly CallLite[], limit = 20): InteractionCost[] {
  const bySeq = new Map<number, CallLite[]>();
  for (let i = calls.length - 1; i >= 0; i--) {
    const c = calls[i]!;
    // From a page whose Homeostat predates interactions on the bridge: nothing to group by.
    if (c.sequence < 0) continue;
    let group = bySeq.get(c.sequence);
    if (!group) {
      // Only the newest `limit` interactions are needed: stop collecting once past them.
      if (bySeq.size >= limit) continue;
      group = [];
      bySeq.set(c.sequence, group);
    }
    group.push(c);
  }
  const out: InteractionCost[] = [];
  for (const group of bySeq.values()) {
    const cost = interactionCost(group);
    if (cost) out.push(cost);
  }
  return out.sort((a, b) => b.start - a.start);
}
