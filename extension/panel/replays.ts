/**
 * The panel's side of "Replay with Homeostat": runs reported by this DevTools window's page
 * (extension/src/replay-host.ts), validated and filtered to the inspected tab, and what the page's
 * Homeostat measured while a run's steps ran.
 */
import type { CallLite } from '../../src/bridge/protocol.ts';
import { REPLAYS_REQUEST, replayMessageSchema, replaysAnswerSchema, type ReplayRun } from '../src/replay-message.ts';
import type { PanelStore } from './store.ts';

/** The part of `chrome.runtime` the panel uses for replays. */
export interface ReplayRuntime {
  onMessage: { addListener(fn: (msg: unknown) => void): void };
  sendMessage(msg: unknown): Promise<unknown>;
}

/** Listens for replay runs of `tabId` and asks for the ones that ran before the panel opened. */
export function listenForReplays(tabId: number, store: PanelStore, runtime: ReplayRuntime): void {
  runtime.onMessage.addListener((msg) => {
    const m = replayMessageSchema.safeParse(msg);
    if (m.success && m.data.tabId === tabId) store.getState().applyReplay(m.data.run);
  });
  runtime.sendMessage({ kind: REPLAYS_REQUEST, tabId }).then(
    (answer) => {
      const a = replaysAnswerSchema.safeParse(answer);
      if (a.success) for (const run of a.data.runs) store.getState().applyReplay(run);
    },
    // No DevTools page answered (the panel opened as a tab): no replays to show.
    () => undefined,
  );
}

export interface ReplayHandler {
  handler: string;
  calls: number;
  /** Sum of the calls' synchronous durations, and the worst blocking. */
  durationMs: number;
  maxBlockingMs: number;
  commits: number;
}

/**
 * The calls the page recorded while the run's steps ran (its session, from the first step in the
 * last document to the end), per handler, most time first; null when the run has no window in
 * the session the panel shows.
 */
export function replayHandlers(run: ReplayRun, sessionId: string | null, calls: readonly CallLite[]): ReplayHandler[] | null {
  if (run.session === null || run.session !== sessionId || run.windowStart === null || run.windowEnd === null) return null;
  const by = new Map<string, ReplayHandler>();
  for (const c of calls) {
    if (c.start < run.windowStart || c.start > run.windowEnd) continue;
    let h = by.get(c.handler);
    if (!h) by.set(c.handler, (h = { handler: c.handler, calls: 0, durationMs: 0, maxBlockingMs: 0, commits: 0 }));
    h.calls++;
    h.durationMs += c.duration;
    h.maxBlockingMs = Math.max(h.maxBlockingMs, c.blockingMs);
    h.commits += c.commits;
  }
  return [...by.values()].sort((a, b) => b.durationMs - a.durationMs || a.handler.localeCompare(b.handler));
}
