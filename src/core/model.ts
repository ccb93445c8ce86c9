/**
 * The event and session model every layer shares. Times are milliseconds on the page's
 * `performance.now()` timeline unless a field says otherwise (`*At` fields are epoch ms).
 */

/** How the React updates a handler call requested were scheduled, as React itself decided. */
export type TransitionMode =
  /** React internals were not observable (no React, or an unsupported version). */
  | 'unknown'
  /** The call requested no React update. */
  | 'none'
  /** Every update it requested was a normal (blocking) update. */
  | 'blocking'
  /** Every update it requested ran inside `startTransition` / `useTransition`. */
  | 'transition'
  /** Both kinds. */
  | 'mixed';

export const TRANSITION_MODES = ['unknown', 'none', 'blocking', 'transition', 'mixed'] as const satisfies readonly TransitionMode[];

/** An error as recorded: its constructor name and a normalised message that carries no user data. */
export interface ErrorInfo {
  name: string;
  message: string;
}

export type Outcome = 'ok' | 'threw' | 'rejected' | 'pending';

/** One finished call of an instrumented handler, with what it caused. */
export interface HandlerCall {
  /** Call id, unique within a session. */
  id: number;
  handler: string;
  /** The sequence (interaction) the call belongs to. */
  sequence: number;
  /** The instrumented call this one ran inside, if any. */
  parent: number | null;
  start: number;
  /** Synchronous duration: from entry until the function returned or threw. */
  duration: number;
  /** For calls that returned a promise: from entry until it settled; `null` for synchronous calls. */
  settle: number | null;
  outcome: Outcome;
  error: ErrorInfo | null;
  mode: TransitionMode;
  /** React update requests seen while the call ran, split by the lane React chose. */
  updates: { blocking: number; transition: number };
  /** React commits attributed to the call's updates. */
  commits: number;
  /** React render work of those commits (Profiler `actualDuration`); `null` where the build does not report it. */
  renderMs: number | null;
  /** From the end of the call (or render start when known) to the end of the last attributed commit. */
  commitMs: number | null;
  /** The longest uninterrupted main-thread span the call's work caused (its task, including a synchronous React flush). */
  blockingMs: number;
  /** From the start of the call to the next paint after its task. `null` if no paint was observed (hidden tab). */
  paintMs: number | null;
  /** Long Animation Frame evidence, when the frame containing the call was long enough to be reported. */
  loaf: LoafEvidence | null;
  /**
   * Interaction latency (Event Timing duration, INP-style) of the input whose dispatch ran this
   * call; `null` for calls not run by an input (timers, promise continuations) or without evidence.
   */
  interactionMs: number | null;
  /**
   * Time to result: from the start of the call's sequence (the input event's timestamp) to the
   * paint after the call's last work (its commits, transitions included, and its settle). `null`
   * when no paint followed (hidden tab).
   */
  resultMs: number | null;
  /**
   * The Long Animation Frames the call's work occupied, from its start to its result's paint;
   * `null` where the browser does not report them.
   */
  frames: FrameEvidence | null;
}

/** Long Animation Frames over a span of work: what froze the page, and for how long. */
export interface FrameEvidence {
  /** Long frames (≥ 50 ms) that overlapped the span; 0 when none did. */
  count: number;
  /** Sum of their blocking durations (long tasks beyond 50 ms, style and layout included). */
  blockingMs: number;
  /** Sum of their durations. */
  totalMs: number;
  /** The longest of them; 0 when none. */
  longestMs: number;
  /** Style and layout at the end of those frames (the rendering update). */
  styleLayoutMs: number;
  /** Style and layout forced synchronously by scripts in those frames. */
  forcedStyleLayoutMs: number;
}

/** One Long Animation Frame as the browser reported it. */
export interface FrameRecord {
  start: number;
  durationMs: number;
  blockingMs: number;
  /** Start of the rendering update (rAF callbacks, then style and layout); `null` if the frame had none. */
  renderStart: number | null;
  /** Style and layout of the rendering update. */
  styleLayoutMs: number;
  forcedStyleLayoutMs: number;
  /** The longest script's invoker and function name, as the browser reports them. */
  invoker: string | null;
  sourceFunction: string | null;
}

/** One Event Timing entry of an interaction (the browser reports those of 16 ms or more). */
export interface EventTimingRecord {
  type: string;
  /** The event's timestamp. */
  start: number;
  /** To the next paint after its handlers ran (8 ms granularity). */
  durationMs: number;
  inputDelayMs: number;
  processingMs: number;
  /** `interactionId`: entries of one interaction share it; 0 for events that are not one. */
  interaction: number;
}

export interface LoafEvidence {
  durationMs: number;
  blockingMs: number;
  /** Time spent in forced (synchronous) style and layout by scripts in the frame. */
  forcedStyleLayoutMs: number;
  /** The longest script's invoker and function name, as the browser reports them. */
  invoker: string | null;
  sourceFunction: string | null;
}

/** A sequence: the ordered handler calls one interaction (or one explicit `sequence()`) triggered. */
export interface SequenceRecord {
  id: number;
  name: string;
  /** The DOM event that started it, if one was being dispatched. */
  trigger: { type: string; timeStamp: number } | null;
  explicit: boolean;
  start: number;
  /** The paint after its last call's work, or the last activity when no paint was seen. */
  end: number;
  /** Call ids in call order. */
  calls: number[];
  /** Handler names in call order (the variant). */
  handlers: string[];
  /** Interaction latency of the input that started it (Event Timing, INP-style); `null` without one. */
  interactionMs: number | null;
  /** Time to result: `end - start` when it ended at a paint; `null` when no paint was seen. */
  resultMs: number | null;
  /** Long Animation Frames between its start and end; `null` where the browser does not report them. */
  frames: FrameEvidence | null;
}

/** A React commit as observed, with the calls it was attributed to. */
export interface CommitRecord {
  time: number;
  renderStart: number | null;
  commitStart: number | null;
  renderMs: number | null;
  /** True when it flushed synchronously in the same task as the calls that caused it. */
  sync: boolean;
  calls: number[];
}

export interface VitalRecord {
  name: 'INP';
  value: number;
  rating: string;
  time: number;
  target: string | null;
  inputDelay: number | null;
  processingDuration: number | null;
  presentationDelay: number | null;
}

export type TransportKind = 'worker' | 'memory';
export type StorageKind = 'indexeddb' | 'memory';

/** What a session knows about where and how it was recorded. */
export interface SessionMeta {
  id: string;
  /** Epoch ms. */
  startedAt: number;
  /** `performance.timeOrigin` of the page: epoch ms of its time 0, to place call times on the calendar. */
  timeOrigin: number;
  endedAt: number | null;
  /** Page origin and path; query and hash are dropped so no user data leaks in. */
  url: string;
  userAgent: string;
  crossOriginIsolated: boolean;
  /** The smallest step `performance.now()` was seen to take on this page. */
  clockResolutionMs: number;
  react: { version: string | null; lanes: boolean; commits: 'profiler' | 'hook' | 'none' };
  app: string | null;
  build: string | null;
  transport: TransportKind;
  storage: StorageKind;
  /** Why a fallback was taken (worker blocked, IndexedDB unavailable, ...), `null` when none. */
  fallbackReason: string | null;
  /** Records dropped before the telemetry service got them (page-side buffer or transport queue full, a crashed worker). */
  dropped: number;
  source: 'page' | 'replay' | 'import';
}
