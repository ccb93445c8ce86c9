/**
 * Counters the React adapter keeps up to date and the wrapper reads around each call. They
 * live in their own tiny module so the framework-agnostic wrapper never imports React.
 */
export interface UpdateSignals {
  /** React's update requests are being observed (a supported React version is loaded). */
  known: boolean;
  /** React commits are being observed (DevTools hook or Profiler), so a SyncEnd probe is useful. */
  commits: boolean;
  /** Update requests React scheduled as normal (blocking) updates, ever. */
  blocking: number;
  /** Update requests React scheduled inside a transition, ever. */
  transition: number;
  /**
   * A read of React's current transition that may still turn out to be the save half of a
   * save/restore pair rather than an update request; see `src/react/internals.ts`.
   */
  pending: boolean;
}

export const signals: UpdateSignals = { known: false, commits: false, blocking: 0, transition: 0, pending: false };

/** Counts a pending read as the blocking update request it turned out to be. */
export function foldPending(): void {
  signals.pending = false;
  signals.blocking++;
}
