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
  const marked = fn as F & { [NAME]?: string };
  if (!options.rewrap && marked[NAME] !== undefined) return fn;
  const handlerId = recorder.intern(String(name));
  if (firstInstrument !== null) {
    const start = firstInstrument;
    firstInstrument = null;
    setTimeout(start, 0);
  }
  const target = fn as unknown as (...args: unknown[]) => unknown;

  const wrapped = function (this: unknown): unknown {
    const r = recorder;
    if (!r.on) return new.target ? Reflect.construct(target, arguments, new.target) : target.apply(this, arguments as unknown as unknown[]);
    r.noteEvent();
    r.requestPaint();
    if (signals.pending) foldPending();
    const b0 = signals.blocking;
    const t0 = signals.transition;
    const id = ++r.callSeq;
    const parent = r.current;
    const serial = r.serial;
    r.current = id;
    const start = perf.now();
    let result: unknown;
    try {
      result = new.target ? Reflect.construct(target, arguments, new.target) : target.apply(this, arguments as unknown as unknown[]);
    } catch (thrown) {
      const end = perf.now();
      r.current = parent;
      writeCall(r, handlerId, id, start, end, CallFlag.Threw, b0, t0, errorId(r, thrown), parent, serial);
      throw thrown;
    }
    const end = perf.now();
    r.current = parent;
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
    return result;
  };

  try {
    Object.defineProperty(wrapped, 'name', { value: fn.name, configurable: true });
    Object.defineProperty(wrapped, 'length', { value: fn.length, configurable: true });
    Object.defineProperty(wrapped, ORIGINAL, { value: fn });
    Object.defineProperty(wrapped, NAME, { value: String(name) });
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
  const token = r.beginSequence(String(name));
  let result: T;
  try {
    result = fn();
  } catch (thrown) {
    r.endSequence(token);
    throw thrown;
  }
  if (isNativePromise(result)) {
    const end = () => r.endSequence(token);
    promiseThen.call(result, end, end);
  } else {
    r.endSequence(token);
  }
  return result;
}
