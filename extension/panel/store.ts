/**
 * The panel's live state (zustand, vanilla store + React binding). Ticks from the bridge are
 * coalesced by the connection and applied here at most once per animation frame, so 10 k
 * events/s cost the views one update per frame, not one per event.
 */
import { createStore, type StoreApi } from 'zustand/vanilla';
import { useStore } from 'zustand';
import type { AggregateSnapshot } from '../../src/core/aggregate.ts';
import type { SpecFile } from '../../src/core/spec.ts';
import type { CallLite, CommitLiteMsg, SessionInfo, Tick } from '../../src/bridge/protocol.ts';
import type { ReplayRun } from '../src/replay-message.ts';

/** Recent calls kept for charts and tables (older ones are in the aggregates only). */
export const MAX_CALLS = 5000;
/** Recent React commits kept for the Commits view. */
export const MAX_COMMITS = 1000;

export type View = 'handlers' | 'interactions' | 'commits' | 'detail' | 'sequences' | 'discrepancies' | 'replays';

export interface PanelState {
  /** The port to the service worker. */
  link: 'connecting' | 'connected';
  /** How many times the port was (re)connected: more than 1 after a service-worker restart. */
  connects: number;
  /** Whether a content script is attached to the inspected tab (null: not known yet). */
  tab: boolean | null;
  /** Whether the page runs Homeostat. */
  page: 'unknown' | 'present' | 'absent';
  session: SessionInfo | null;
  snapshot: AggregateSnapshot | null;
  calls: CallLite[];
  /** React commits the bridge agent read while the panel was open (bounded). */
  commits: CommitLiteMsg[];
  totalCalls: number;
  paused: boolean;
  /** Whether the page draws Performance-panel tracks. */
  tracks: boolean;
  dropped: number;
  /** Ticks applied, and calls per second over the last few seconds. */
  ticks: number;
  rate: number;
  /** The page agent's main-thread ms per second over the last few seconds: what the panel costs the page. */
  bridgeMsPerS: number;
  rejected: { page: number; worker: number; reason: string };
  view: View;
  selected: string | null;
  /** Docs loaded into the panel from a file; they take precedence over the page's. */
  docs: { spec: SpecFile; name: string } | null;
  /** Where the build plugin saw each handler (the page's `sources()`): links for handlers the docs do not place. */
  sources: Record<string, { file: string; line: number }>;
  /** Runs of the Recorder's "Replay with Homeostat" in this DevTools window, oldest first. */
  replays: ReplayRun[];
}

export interface PanelActions {
  applyTick(tick: Tick, calls: CallLite[]): void;
  setLink(link: PanelState['link']): void;
  setTab(connected: boolean): void;
  setPage(page: PanelState['page'], session?: SessionInfo): void;
  setRejected(r: PanelState['rejected']): void;
  select(handler: string | null): void;
  setView(view: View): void;
  /** Forgets live data (after "clear"); the next tick refills it. */
  clearData(): void;
  setDocs(docs: PanelState['docs']): void;
  setTracks(on: boolean): void;
  setSources(sources: PanelState['sources']): void;
  /** Adds or updates a replay run (by id). */
  applyReplay(run: ReplayRun): void;
}

export type PanelStore = StoreApi<PanelState & PanelActions>;

export const initialState: PanelState = {
  link: 'connecting',
  connects: 0,
  tab: null,
  page: 'unknown',
  session: null,
  snapshot: null,
  calls: [],
  commits: [],
  totalCalls: 0,
  paused: false,
  tracks: false,
  dropped: 0,
  ticks: 0,
  rate: 0,
  bridgeMsPerS: 0,
  rejected: { page: 0, worker: 0, reason: '' },
  view: 'handlers',
  selected: null,
  docs: null,
  sources: {},
  replays: [],
};

export function createPanelStore(init: Partial<PanelState> = {}): PanelStore {
  // Rate window: (time, totalCalls, agent ms) samples of the last ~3 s.
  const samples: Array<[number, number, number]> = [];
  return createStore<PanelState & PanelActions>()((set) => ({
    ...initialState,
    ...init,
    applyTick: (tick, calls) =>
      set((s) => {
        const sameSession = s.session?.id === tick.session.id;
        const kept = sameSession ? s.calls : [];
        const merged = mergeCalls(kept, calls);
        const now = Date.now();
        if (!sameSession) samples.length = 0;
        samples.push([now, tick.totalCalls, tick.bridgeMs]);
        while (samples.length > 2 && now - samples[0]![0] > 3000) samples.shift();
        const [t0, c0, b0] = samples[0]!;
        const rate = now > t0 ? ((tick.totalCalls - c0) * 1000) / (now - t0) : 0;
        const bridgeMsPerS = now > t0 ? (Math.max(0, tick.bridgeMs - b0) * 1000) / (now - t0) : 0;
        return {
          page: 'present',
          session: tick.session,
          snapshot: tick.snapshot,
          calls: merged,
          commits: mergeCommits(sameSession ? s.commits : [], tick.commits),
          totalCalls: tick.totalCalls,
          paused: tick.paused,
          tracks: tick.tracks,
          dropped: tick.dropped,
          ticks: s.ticks + 1,
          rate,
          bridgeMsPerS,
        };
      }),
    setLink: (link) => set((s) => (link === 'connected' ? { link, connects: s.connects + 1 } : { link })),
    setTab: (tab) => set(tab ? { tab } : { tab, page: 'unknown' }),
    setPage: (page, session) =>
      set((s) => {
        // A page without Homeostat replaced the one we showed: its numbers no longer apply.
        if (page === 'absent') return { page, session: null, snapshot: null, calls: [], commits: [], totalCalls: 0, rate: 0 };
        return session && s.session?.id !== session.id ? { page, session, snapshot: null, calls: [], commits: [], totalCalls: 0 } : { page };
      }),
    setRejected: (rejected) => set({ rejected }),
    select: (selected) => set(selected === null ? { selected } : { selected, view: 'detail' }),
    setView: (view) => set({ view }),
    clearData: () => set({ snapshot: null, calls: [], commits: [], totalCalls: 0, rate: 0 }),
    setDocs: (docs) => set({ docs }),
    setTracks: (tracks) => set({ tracks }),
    setSources: (sources) => set({ sources }),
    applyReplay: (run) => set((s) => ({ replays: [...s.replays.filter((r) => r.id !== run.id), run].sort((a, b) => a.startedAt - b.startedAt).slice(-50) })),
  }));
}

/**
 * Appends new calls, bounded. By id, so a backfill that repeats calls does not double them; and
 * not by "newer than the last id": calls arrive when their interaction closes, not in the order
 * they started, so an earlier id can be new (a repeated id would also break keyed lists).
 */
export function mergeCalls(kept: CallLite[], incoming: CallLite[]): CallLite[] {
  if (incoming.length === 0) return kept;
  let max = -1;
  for (const c of kept) if (c.id > max) max = c.id;
  // Several coalesced ticks (a backfill among them) can repeat a call within `incoming` too.
  let ordered = true;
  for (let i = 0; i < incoming.length && ordered; i++) ordered = incoming[i]!.id > (i === 0 ? max : incoming[i - 1]!.id);
  let fresh = incoming;
  if (!ordered) {
    const have = new Set(kept.map((c) => c.id));
    fresh = incoming.filter((c) => !have.has(c.id) && (have.add(c.id), true));
  }
  if (fresh.length === 0) return kept;
  const all = kept.concat(fresh);
  return all.length > MAX_CALLS ? all.slice(all.length - MAX_CALLS) : all;
}

/**
 * Appends commits, bounded. The agent numbers them in order and sends each once; a backfill or
 * coalesced ticks may still repeat one: only ids above the last kept are appended.
 */
export function mergeCommits(kept: CommitLiteMsg[], incoming: readonly CommitLiteMsg[]): CommitLiteMsg[] {
  const last = kept.at(-1)?.id ?? -1;
  const fresh = incoming.filter((c) => c.id > last);
  if (fresh.length === 0) return kept;
  const all = kept.concat(fresh);
  return all.length > MAX_COMMITS ? all.slice(all.length - MAX_COMMITS) : all;
}

/** React binding: subscribe to a slice of the panel store. */
export function usePanel<T>(store: PanelStore, selector: (s: PanelState & PanelActions) => T): T {
  return useStore(store, selector);
}
