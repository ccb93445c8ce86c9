/**
 * The page → worker wire format. The page writes fixed-width numeric records into a
 * preallocated `Float64Array` ring and ships slices of it; strings travel once in a table.
 * Keeping the hot path to a handful of typed-array stores is what lets a call cost well
 * under a microsecond; all interpretation happens off the main thread (see `attribution.ts`).
 */

/** Numbers per record. Field 0 is the kind. */
export const STRIDE = 12;

/** Record kinds, with their fields after the kind. */
export const Kind = {
  /** handlerId, callId, start, end, flags, updBlocking, updTransition, errorId, parentCallId, eventSerial, _ */
  Call: 1,
  /** callId, time, rejected (0|1), errorId */
  Settle: 2,
  /**
   * React committed a root, seen by the DevTools hook: time, rootId, transitionsLeft (1: the root
   * still has transition work pending after this commit, 0: none, -1: unknown React version)
   */
  Commit: 3,
  /** The frame after some calls was painted: time */
  Paint: 4,
  /** A DOM event was being dispatched when a call started: eventSerial, typeId, timeStamp */
  Event: 5,
  /** `sequence(name, fn)` began: token, nameId, time */
  SeqBegin: 6,
  /** ...and ended (synchronously or when its promise settled): token, time */
  SeqEnd: 7,
  /**
   * Long Animation Frame: start, duration, blocking, forcedStyleLayout, longestScript, invokerId,
   * sourceFunctionId, renderStart, styleAndLayoutStart (the last two 0 or -1 when the frame had no rendering update)
   */
  Loaf: 8,
  /** Long task, where LoAF is not supported: start, duration */
  LongTask: 9,
  /** React Profiler onRender: time, actualDuration, startTime, commitTime */
  Profile: 10,
  /** The microtask after a call that updated React ran, so React's synchronous flush is over: callId, time */
  SyncEnd: 11,
  /** web-vitals INP: time, value, ratingId, targetId, inputDelay, processingDuration, presentationDelay */
  Inp: 12,
  /** Event Timing entry of an interaction: start (the event's timeStamp), duration, processingStart, processingEnd, interactionId, typeId */
  EventTiming: 13,
  /** What the page observes, written once when its observers start: longFrames (0|1), eventTiming (0|1) */
  Observing: 14,
} as const;
export type Kind = (typeof Kind)[keyof typeof Kind];

/** Flags of a Call record. */
export const CallFlag = {
  /** It returned a native promise; a Settle record follows. */
  Async: 1,
  Threw: 2,
  /** React update detection was active during the call. */
  UpdatesKnown: 4,
  /** It returned a thenable that is not a native promise; its settling is not observed. */
  Thenable: 8,
  /** The page queued a SyncEnd microtask for this call. */
  SyncProbe: 16,
} as const;

/** A batch shipped from the page to the worker. */
export interface WireBatch {
  /** `count * STRIDE` numbers. */
  records: Float64Array;
  count: number;
  /** Strings first seen since the previous batch: ids `stringBase .. stringBase + strings.length - 1`. */
  stringBase: number;
  strings: string[];
  /** Total records dropped by the page so far (buffer full). */
  dropped: number;
  /** The page's `performance.now()` when the batch was cut, so the worker knows how far time has moved. */
  now: number;
  /**
   * A paint probe was still waiting for its frame when the batch was cut: the page is rendering
   * (a long frame, style and layout of a big commit), not idle, so no sequence is closed for want of a paint.
   */
  paintPending?: boolean;
}
