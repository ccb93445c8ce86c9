/**
 * `instrument` and `sequence`: the wrappers apps put around their handlers. The contract is
 * that the app cannot tell: arguments, `this`, `new`, return values (including the very same
 * promise object), thrown values and rejections all pass through untouched.
 */
import { errorKey, describeThrown } from '../core/errors.ts';
import { CallFlag, Kind } from '../core/wire.ts';
import { perf } from './clock.ts';
import { Recorder } from './recorder.ts';
import { foldPending, signals } from './signals.ts';

/** Any function, without committing to its parameter or return types. */
export type AnyFunction = (...args: never[]) => unknown;

export interface InstrumentOptions {
  /** Instrument even if `fn` is already an instrumented function (default: reuse it). */
  rewrap?: boolean;
}

const ORIGINAL = Symbol.for('homeostat.original');
const NAME = Symbol.for('homeostat.name');
const promiseThen = Promise.prototype.then;

const recorder = new Recorder();

/** The recorder every wrapper writes to (one per page, so interned ids stay valid). */
export function getRecorder(): Recorder {
  return recorder;
}

let firstInstrument: (() => void) | null = null;

/** Runs `start` (once, in a later task) the first time anything is instrumented. */
export function onFirstInstrument(start: () => void): void {
  firstInstrument = start;
}

function errorId(r: Recorder, thrown: unknown): number {
  try {
    return r.intern(errorKey(describeThrown(thrown)));
  } catch {
    return r.intern('Error');
  }
}

function isNativePromise(value: unknown): value is Promise<unknown> {
  if (value === null || typeof value !== 'object') return false;
  try {
    return Object.getPrototypeOf(value) === Promise.prototype;
  } catch {
    return false;
  }
}

function writeCall(
  r: Recorder,
  handlerId: number,
  id: number,
  start: number,
  end: number,
  flags: number,
  b0: number,
  t0: number,
  err: number,
  parent: number,
  serial: number,
): void {
  if (signals.pending) foldPending();
  const db = signals.blocking - b0;
  const dt = signals.transition - t0;
  if (signals.known) {
    flags |= CallFlag.UpdatesKnown;
    if (db > 0) flags |= CallFlag.SyncProbe;
  } else if (signals.commits) flags |= CallFlag.SyncProbe;
  const o = r.slot();
  const ring = r.ring;
  ring[o] = Kind.Call;
  ring[o + 1] = handlerId;
  ring[o + 2] = id;
  ring[o + 3] = start;
  ring[o + 4] = end;
  ring[o + 5] = flags;
  ring[o + 6] = db;
  ring[o + 7] = dt;
  ring[o + 8] = err;
  ring[o + 9] = parent;
  ring[o + 10] = serial;
  if ((flags & CallFlag.SyncProbe) !== 0) r.probeSyncEnd(id);
}

/**
 * Wraps `fn` so each call is timed and attributed to `name`: its synchronous duration, the time
 * its promise takes to settle, the error it throws (name and a normalised message; never its
 * arguments), the React work it causes and the interaction it belongs to.
 *
 * The wrapper keeps `fn`'s `name` and `length`. Wrapping an already instrumented function
 * returns it unchanged unless `rewrap` is set.
 *
 * Caveat: to time a returned promise the wrapper attaches a handler to it, so a rejection the
 * app never handles no longer raises `unhandledrejection`; Homeostat records it as an error of
 * the handler instead.
 */
export function instrument<F extends AnyFunction>(name: string, fn: F, options: InstrumentOptions = {}): F {
  if (typeof fn !== 'function') return fn;
  let label: string;
  let handlerId: number;
  try {
    const marked = fn as F & { [NAME]?: string };
    if (!options.rewrap && marked[NAME] !== undefined) return fn;
    label = nameOf(name);
    handlerId = recorder.intern(label);
  } catch {
    // Whatever went wrong is ours: the app keeps its own function.
    return fn;
  }
  if (firstInstrument !== null) {
    const start = firstInstrument;
    firstInstrument = null;
    setTimeout(start, 0);
  }
  const target = fn as unknown as (...args: unknown[]) => unknown;

  const wrapped = function (this: unknown): unknown {
    const r = recorder;
    if (!r.on) return new.target ? Reflect.construct(target, arguments, new.target) : target.apply(this, arguments as unknown as unknown[]);
    let b0: number, t0: number, id: number, parent: number, serial: number;
    try {
      r.noteEvent();
      r.requestPaint();
      if (signals.pending) foldPending();
      b0 = signals.blocking;
      t0 = signals.transition;
      id = r.callSeq + 1;
      parent = r.current;
      serial = r.serial;
    } catch {
      // The wrapper's own failure must never reach the app: this call goes unrecorded.
      return new.target ? Reflect.construct(target, arguments, new.target) : target.apply(this, arguments as unknown as unknown[]);
    }
    r.callSeq = id;
    r.current = id;
    const start = perf.now();
    let result: unknown;
    try {
      result = new.target ? Reflect.construct(target, arguments, new.target) : target.apply(this, arguments as unknown as unknown[]);
    } catch (thrown) {
      const end = perf.now();
      r.current = parent;
      try {
        writeCall(r, handlerId, id, start, end, CallFlag.Threw, b0, t0, errorId(r, thrown), parent, serial);
      } catch {
        // Unrecorded; the app gets its own error below, never ours.
      }
      throw thrown;
    }
    const end = perf.now();
    r.current = parent;
    try {
      let flags = 0;
      if (isNativePromise(result)) {
        flags = CallFlag.Async;
        promiseThen.call(
          result,
          () => r.settle(id, false, -1),
          (reason: unknown) => r.settle(id, true, errorId(r, reason)),
        );
      }
      writeCall(r, handlerId, id, start, end, flags, b0, t0, -1, parent, serial);
    } catch {
      // Unrecorded; the app still gets its result.
    }
    return result;
  };

  try {
    Object.defineProperty(wrapped, 'name', { value: fn.name, configurable: true });
    Object.defineProperty(wrapped, 'length', { value: fn.length, configurable: true });
    Object.defineProperty(wrapped, ORIGINAL, { value: fn });
    Object.defineProperty(wrapped, NAME, { value: label });
    if (fn.prototype !== undefined) wrapped.prototype = fn.prototype;
  } catch {
    // A frozen or exotic function: the wrapper still works, it just looks less like the original.
  }
  return wrapped as unknown as F;
}

/** The function `instrument` wrapped, or `fn` itself. */
export function unwrap<F extends AnyFunction>(fn: F): F {
  return ((fn as F & { [ORIGINAL]?: F })[ORIGINAL] ?? fn) as F;
}

/** The handler name an instrumented function records under, if it is one. */
export function instrumentedName(fn: AnyFunction): string | undefined {
  return (fn as AnyFunction & { [NAME]?: string })[NAME];
}

/**
 * Runs `fn` as one named sequence: every instrumented call it makes (synchronously, and, if it
 * returns a promise, until that settles) is grouped under `name`, whatever event triggered it.
 * Returns what `fn` returns and rethrows what it throws.
 */
export function sequence<T>(name: string, fn: () => T): T {
  const r = recorder;
  if (!r.on) return fn();
  let token: number;
  try {
    token = r.beginSequence(nameOf(name));
  } catch {
    return fn();
  }
  let result: T;
  try {
    result = fn();
  } catch (thrown) {
    endQuietly(r, token);
    throw thrown;
  }
  try {
    if (isNativePromise(result)) {
      const end = () => endQuietly(r, token);
      promiseThen.call(result, end, end);
    } else {
      r.endSequence(token);
    }
  } catch {
    // The sequence stays open until the worker's idle close; the app gets its result.
  }
  return result;
}

function endQuietly(r: Recorder, token: number): void {
  try {
    r.endSequence(token);
  } catch {
    // Unrecorded.
  }
}

/** Longest name kept (the session format's limit); longer ones are cut, with an ellipsis. */
export const MAX_NAME = 200;

/**
 * The name a handler or sequence records under: any value the app passed, as a string of 1 to
 * MAX_NAME characters (a Symbol or an object whose `toString` throws must not break the app).
 */
export function nameOf(name: unknown): string {
  let s: string;
  try {
    s = typeof name === 'string' ? name : String(name);
  } catch {
    s = '';
  }
  if (s.length === 0) return '(anonymous)';
  if (s.length <= MAX_NAME) return s;
  // Cut on a code point boundary.
  const cut = s.charCodeAt(MAX_NAME - 2) >= 0xd800 && s.charCodeAt(MAX_NAME - 2) <= 0xdbff ? MAX_NAME - 2 : MAX_NAME - 1;
  return `${s.slice(0, cut)}…`;
}
