/**
 * `instrument` and `sequence`: the wrappers apps put around their handlers. The contract is
 * that the app cannot tell: arguments, `this`, `new`, return values (including the very same
 * promise object), thrown values and rejections all pass through untouched.
 */
import { rawThrown } from '../core/thrown.ts';
import type { CallFlag } from '../core/wire.ts';
import { perf } from './clock.ts';
import { KIND_CALL, Recorder } from './recorder.ts';

// Call flags, checked against core/wire.ts by the compiler (local: see recorder.ts).
const ASYNC: typeof CallFlag.Async = 1;
const THREW: typeof CallFlag.Threw = 2;
const UPDATES_KNOWN: typeof CallFlag.UpdatesKnown = 4;
const SYNC_PROBE: typeof CallFlag.SyncProbe = 16;
import { foldPending, signals } from './signals.ts';

/** Any function, without committing to its parameter or return types. */
export type AnyFunction = (...args: never[]) => unknown;

export interface InstrumentOptions {
  /** Instrument even if `fn` is already an instrumented function (default: reuse it). */
  rewrap?: boolean;
}

const ORIGINAL = Symbol.for('homeostat.original');
const NAME = Symbol.for('homeostat.name');
/** On a wrapped function: the wrapper made for it last, so wrapping it again returns the same one. */
const WRAPPER = Symbol.for('homeostat.wrapper');
/** On a function the build plugin instrumented in place: its handler id. */
const AUTO = Symbol.for('homeostat.auto');
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

let lastName = '';
let lastId = -1;

/** Interns a handler name, and starts the client (in a later task) the first time. */
export function handlerId(name: string): number {
  // A list renders the same handler name row after row: skip the map lookup then.
  if (name === lastName && lastId >= 0) return lastId;
  if (firstInstrument !== null) {
    const start = firstInstrument;
    firstInstrument = null;
    setTimeout(start, 0);
  }
  lastName = name;
  return (lastId = recorder.intern(name));
}

function errorId(r: Recorder, thrown: unknown): number {
  try {
    return r.internError(rawThrown(thrown));
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
    flags |= UPDATES_KNOWN;
    if (db > 0) flags |= SYNC_PROBE;
  } else if (signals.commits) flags |= SYNC_PROBE;
  const o = r.slot();
  const ring = r.ring;
  ring[o] = KIND_CALL;
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
  if ((flags & SYNC_PROBE) !== 0) r.probeSyncEnd(id);
}

type Target = (...args: unknown[]) => unknown;

/**
 * The state of each recorded call on the stack (calls nest synchronously): callId, parent,
 * event serial, blocking and transition counters at entry, start time, and for calls recorded
 * in place (`enterBody`) the handler id and whether the function is async. Kept in a typed array
 * so entering and leaving a call allocates nothing, and each wrapper keeps `target.apply(this,
 * arguments)` in its own body, where V8 passes the arguments without materialising them.
 */
const FRAME = 8;
let frames = new Float64Array(FRAME * 64);
let depth = 0;

/**
 * Starts recording a call; returns its frame offset for `leave`/`leaveThrown`, or -1 when our
 * bookkeeping failed (the call then runs unrecorded: never an error of ours in the app).
 */
function enter(r: Recorder, inner: number): number {
  try {
    r.noteEvent();
    r.requestPaint();
    if (signals.pending) foldPending();
    const o = depth * FRAME;
    if (o + FRAME > frames.length) grow();
    const start = perf.now();
    // Nothing below can throw: a frame is pushed entirely or not at all (calls instrumented
    // without a token pop one frame each, so a half-pushed one would shift every later pop).
    const id = r.callSeq + 1;
    frames[o] = id;
    frames[o + 1] = r.current;
    frames[o + 2] = r.serial;
    frames[o + 3] = signals.blocking;
    frames[o + 4] = signals.transition;
    frames[o + 5] = start;
    r.callSeq = id;
    r.current = id;
    r.explicitInner = inner;
    depth++;
    return o;
  } catch {
    return -1;
  }
}

function grow(): void {
  const grown = new Float64Array(frames.length * 2);
  grown.set(frames);
  frames = grown;
}

let sweepQueued = false;

/**
 * Calls nest synchronously, so at a microtask checkpoint (the JS stack empty) no frame should be
 * left: any that is was abandoned (a helper of ours hit a stack overflow before it could pop).
 * Its call is unrecorded and counted as dropped, and later calls are not nested under it. Asked
 * for by every call without a token (the flag makes it one microtask per checkpoint).
 */
function sweepLater(): void {
  if (sweepQueued) return;
  sweepQueued = true;
  queueMicrotask(() => {
    sweepQueued = false;
    for (let d = 0; d < depth; d++) if (frames[d * FRAME]! >= 0) recorder.dropped++;
    depth = 0;
    recorder.current = recorder.explicitInner = -1;
  });
}

/** Ends the call of frame `o` that returned `result` (timing its promise), and returns `result`. */
function leave(r: Recorder, o: number, hid: number, result: unknown): unknown {
  if (o < 0) return result;
  const end = perf.now();
  depth--;
  const id = frames[o]!;
  const parent = frames[o + 1]!;
  r.current = parent;
  r.explicitInner = -1;
  try {
    let flags = 0;
    if (isNativePromise(result)) {
      flags = ASYNC;
      promiseThen.call(
        result,
        () => r.settle(id, false, -1),
        (reason: unknown) => r.settle(id, true, errorId(r, reason)),
      );
    }
    writeCall(r, hid, id, frames[o + 5]!, end, flags, frames[o + 3]!, frames[o + 4]!, -1, parent, frames[o + 2]!);
  } catch {
    // Unrecorded; the app still gets its result.
  }
  return result;
}

/** Ends the call of frame `o` that threw `thrown` (the caller rethrows it). */
function leaveThrown(r: Recorder, o: number, hid: number, thrown: unknown): void {
  if (o < 0) return;
  const end = perf.now();
  depth--;
  const parent = frames[o + 1]!;
  r.current = parent;
  r.explicitInner = -1;
  try {
    writeCall(r, hid, frames[o]!, frames[o + 5]!, end, THREW, frames[o + 3]!, frames[o + 4]!, errorId(r, thrown), parent, frames[o + 2]!);
  } catch {
    // Unrecorded; the app gets its own error, never ours.
  }
}

/**
 * In-place recording (what the build plugin emits since it stopped moving bodies into an inner
 * arrow): the function keeps its own body, scope and frame, and calls
 * `enterBody` first, `returnBody` on each `return`, `threwBody` from a catch, `exitBody` at its
 * end and, in an async function, `suspendBody` before each `await`. Each is a leaf call,
 * so recursion costs no extra stack frame, and nothing is added to a promise's ticks.
 *
 * A token is the call's id (or -1: not recorded). The frame is found by id, never by position,
 * so a token used twice (a `return` in a `try`, then another in its `finally`) or after its frame
 * is gone does nothing.
 */

/** Async calls whose synchronous part is written and whose settling is still to come. */
const openAsync = new Set<number>();
/** How far below the top a frame is looked for (frames above it were abandoned by an error of ours). */
const FRAME_SEARCH = 16;

/** Starts recording a call of handler `hid` from inside its own body; returns its token. */
export function enterBody(hid: number, async: boolean): number {
  const r = recorder;
  if (r.explicitInner === hid) {
    // Called directly by an explicit `instrument`/`useHandler` wrapper: that one records it.
    r.explicitInner = -1;
    return -1;
  }
  if (!r.on) return -1;
  const o = enter(r, -1);
  if (o < 0) return -1;
  frames[o + 6] = hid;
  frames[o + 7] = async ? 1 : 0;
  return frames[o]!;
}

/** The frame offset of `token` if it is on the stack (dropping abandoned frames above it), else -1. */
function frameOf(token: number): number {
  if (token < 0) return -1;
  for (let d = depth - 1, n = 0; d >= 0 && n < FRAME_SEARCH; d--, n++) {
    if (frames[d * FRAME] === token) {
      depth = d + 1;
      return d * FRAME;
    }
  }
  return -1;
}

/** Writes the synchronous part of the async call of frame `o`; its settling comes later. */
function leaveAsyncPart(r: Recorder, o: number): void {
  const end = perf.now();
  depth--;
  const id = frames[o]!;
  const parent = frames[o + 1]!;
  r.current = parent;
  r.explicitInner = -1;
  openAsync.add(id);
  writeCall(r, frames[o + 6]!, id, frames[o + 5]!, end, ASYNC, frames[o + 3]!, frames[o + 4]!, -1, parent, frames[o + 2]!);
}

function settleOpen(r: Recorder, token: number, rejected: boolean, thrown: unknown): void {
  if (!openAsync.delete(token)) return;
  r.settle(token, rejected, rejected ? errorId(r, thrown) : -1);
}

/** `return value` in an instrumented body: records the call's end, and returns `value`. */
export function returnBody<V>(token: number, value: V): V {
  if (token < 0) return value;
  const r = recorder;
  try {
    const o = frameOf(token);
    if (o >= 0 && frames[o + 7] === 0) return leave(r, o, frames[o + 6]!, value) as V;
    if (o >= 0) leaveAsyncPart(r, o);
    if (!openAsync.has(token)) return value;
    // An async function's promise settles with what it returns: a promise it returns, when that does.
    if (isNativePromise(value)) {
      openAsync.delete(token);
      promiseThen.call(
        value,
        () => r.settle(token, false, -1),
        (reason: unknown) => r.settle(token, true, errorId(r, reason)),
      );
    } else settleOpen(r, token, false, undefined);
  } catch {
    // Unrecorded; the app gets its value.
  }
  return value;
}

/** The end of an instrumented body, fallen off: a call that returned nothing (a no-op after `returnBody`). */
export function exitBody(token: number): void {
  if (token < 0) return;
  const r = recorder;
  try {
    const o = frameOf(token);
    if (o >= 0 && frames[o + 7] === 0) {
      leave(r, o, frames[o + 6]!, undefined);
      return;
    }
    if (o >= 0) leaveAsyncPart(r, o);
    settleOpen(r, token, false, undefined);
  } catch {
    // Unrecorded.
  }
}

/** An instrumented body threw `thrown` (the body rethrows it): a throw, or an async call's rejection. */
export function threwBody(token: number, thrown: unknown): void {
  if (token < 0) return;
  const r = recorder;
  try {
    const o = frameOf(token);
    if (o >= 0 && frames[o + 7] === 0) {
      leaveThrown(r, o, frames[o + 6]!, thrown);
      return;
    }
    if (o >= 0) leaveAsyncPart(r, o);
    settleOpen(r, token, true, thrown);
  } catch {
    // Unrecorded; the app gets its own error.
  }
}

/** Before an `await` in an instrumented async body: the first one ends the call's synchronous part. */
export function suspendBody<V>(token: number, value: V): V {
  if (token < 0) return value;
  try {
    const r = recorder;
    const top = depth - 1;
    if (top >= 0 && frames[top * FRAME] === token) leaveAsyncPart(r, top * FRAME);
  } catch {
    // Unrecorded.
  }
  return value;
}

/**
 * Without a token (what the plugin emits for a synchronous function with no `finally`, `for…of`
 * or `using` of its own, whose every way out runs exactly one of `returnTop`, `exitTop`,
 * `threwTop`): the call is the frame on top of the stack. The function then keeps no token in
 * its frame: one register less per interpreter frame, more reachable recursion. A call that
 * is not recorded pushes a placeholder (id -1), so every exit pops exactly one frame.
 */
export function enterTop(table: readonly number[] | undefined, index: number): void {
  sweepLater();
  if (table !== undefined && enterBody(table[index]!, false) >= 0) return;
  const o = depth * FRAME;
  if (o + FRAME > frames.length) grow();
  frames[o] = -1;
  depth++;
}

/** The token of the frame on top (a placeholder is popped here, and gives -1). */
function topToken(): number {
  if (depth === 0) return -1;
  const token = frames[(depth - 1) * FRAME]!;
  if (token < 0) depth--;
  return token;
}

/** `return value` in a body entered by `enterTop`. */
export function returnTop<V>(value: V): V {
  return returnBody(topToken(), value);
}

/** The end of a body entered by `enterTop`, fallen off. */
export function exitTop(): void {
  exitBody(topToken());
}

/** A body entered by `enterTop` threw `thrown` (it rethrows). */
export function threwTop(thrown: unknown): void {
  threwBody(topToken(), thrown);
}

/** Marks `fn` as instrumented in place under `hid` (module-level functions the plugin instrumented). */
export function markInstrumented<F>(fn: F, hid: number): F {
  try {
    (fn as { [AUTO]?: number })[AUTO] = hid;
  } catch {
    // A frozen function: an explicit wrapper around it then records a nested call too.
  }
  return fn;
}

interface Marked {
  [NAME]?: string;
  [ORIGINAL]?: unknown;
  [WRAPPER]?: Marked;
  [AUTO]?: number;
}

/**
 * A wrapper of the right arity: `length` comes from the function literal, so no
 * `Object.defineProperty` (about half a microsecond each) is needed in the common cases. The
 * bodies are the same; each keeps `target.apply(this, arguments)` inline (see `enter`).
 */
function makeWrapper(hid: number, target: Target, inner: number, arity: number): Target {
  switch (arity) {
    case 0:
      return function (this: unknown) {
        const r = recorder;
        if (!r.on) return new.target !== undefined ? Reflect.construct(target, arguments, new.target) : target.apply(this, arguments as unknown as unknown[]);
        const o = enter(r, inner);
        let result: unknown;
        try {
          result = new.target !== undefined ? Reflect.construct(target, arguments, new.target) : target.apply(this, arguments as unknown as unknown[]);
        } catch (thrown) {
          leaveThrown(r, o, hid, thrown);
          throw thrown;
        }
        return leave(r, o, hid, result);
      };
    case 1:
      return function (this: unknown, _a: unknown) {
        const r = recorder;
        if (!r.on) return new.target !== undefined ? Reflect.construct(target, arguments, new.target) : target.apply(this, arguments as unknown as unknown[]);
        const o = enter(r, inner);
        let result: unknown;
        try {
          result = new.target !== undefined ? Reflect.construct(target, arguments, new.target) : target.apply(this, arguments as unknown as unknown[]);
        } catch (thrown) {
          leaveThrown(r, o, hid, thrown);
          throw thrown;
        }
        return leave(r, o, hid, result);
      };
    case 2:
      return function (this: unknown, _a: unknown, _b: unknown) {
        const r = recorder;
        if (!r.on) return new.target !== undefined ? Reflect.construct(target, arguments, new.target) : target.apply(this, arguments as unknown as unknown[]);
        const o = enter(r, inner);
        let result: unknown;
        try {
          result = new.target !== undefined ? Reflect.construct(target, arguments, new.target) : target.apply(this, arguments as unknown as unknown[]);
        } catch (thrown) {
          leaveThrown(r, o, hid, thrown);
          throw thrown;
        }
        return leave(r, o, hid, result);
      };
    case 3:
      return function (this: unknown, _a: unknown, _b: unknown, _c: unknown) {
        const r = recorder;
        if (!r.on) return new.target !== undefined ? Reflect.construct(target, arguments, new.target) : target.apply(this, arguments as unknown as unknown[]);
        const o = enter(r, inner);
        let result: unknown;
        try {
          result = new.target !== undefined ? Reflect.construct(target, arguments, new.target) : target.apply(this, arguments as unknown as unknown[]);
        } catch (thrown) {
          leaveThrown(r, o, hid, thrown);
          throw thrown;
        }
        return leave(r, o, hid, result);
      };
    default: {
      const w = function (this: unknown) {
        const r = recorder;
        if (!r.on) return new.target !== undefined ? Reflect.construct(target, arguments, new.target) : target.apply(this, arguments as unknown as unknown[]);
        const o = enter(r, inner);
        let result: unknown;
        try {
          result = new.target !== undefined ? Reflect.construct(target, arguments, new.target) : target.apply(this, arguments as unknown as unknown[]);
        } catch (thrown) {
          leaveThrown(r, o, hid, thrown);
          throw thrown;
        }
        return leave(r, o, hid, result);
      };
      try {
        Object.defineProperty(w, 'length', { value: arity, configurable: true });
      } catch {
        // Keeps working, with another length.
      }
      return w;
    }
  }
}

/**
 * Wraps `fn` so each call is timed and attributed to `name`: its synchronous duration, the time
 * its promise takes to settle, the error it throws (name and a normalised message; never its
 * arguments), the React work it causes and the interaction it belongs to.
 *
 * The wrapper keeps `fn`'s `name` and `length`. Wrapping an already instrumented function
 * returns it unchanged unless `rewrap` is set; wrapping the same function under the same name
 * again returns the same wrapper, so its identity changes exactly when `fn`'s does.
 *
 * Caveat: to time a returned promise the wrapper attaches a handler to it, so a rejection the
 * app never handles no longer raises `unhandledrejection`; Homeostat records it as an error of
 * the handler instead.
 */
export function instrument<T, A extends unknown[], R>(name: string, fn: (this: T, ...args: A) => R, options?: InstrumentOptions): (this: T, ...args: A) => R;
export function instrument<F extends AnyFunction>(name: string, fn: F, options?: InstrumentOptions): F;
export function instrument(name: string, fn: AnyFunction, options?: InstrumentOptions): AnyFunction {
  return wrapNamed(name, fn, options !== undefined && options.rewrap === true, true);
}

/**
 * `instrument` for handlers made on every render (`useHandler`): the same recording, caching and
 * pass-through, minus copying `fn`'s `name`, `length` and `prototype`, whose reads cost more than
 * the rest of the wrapper on a fresh closure (the wrapper's `length` is 0, its `name` empty).
 */
export function instrumentHandler(name: string, fn: AnyFunction): AnyFunction {
  return wrapNamed(name, fn, false, false);
}

function wrapNamed(name: string, fn: AnyFunction, rewrap: boolean, lookAlike: boolean): AnyFunction {
  if (typeof fn !== 'function') return fn;
  const marked = fn as AnyFunction & Marked;
  let label: string;
  let hid: number;
  let inner: number | undefined;
  try {
    label = nameOf(name);
    if (!rewrap) {
      if (marked[NAME] !== undefined) return fn;
      const cached = marked[WRAPPER];
      if (cached !== undefined && cached[NAME] === label) return cached as unknown as AnyFunction;
    }
    hid = handlerId(label);
    inner = marked[AUTO];
  } catch {
    // Whatever went wrong is ours: the app keeps its own function.
    return fn;
  }
  let arity = 0;
  if (lookAlike) {
    try {
      arity = fn.length;
    } catch {
      // An exotic function: a wrapper of length 0.
    }
  }
  const wrapped = makeWrapper(hid, fn as unknown as Target, inner === undefined ? -1 : inner, arity) as Target & Marked;
  if (lookAlike) {
    try {
      // Anonymous functions (inline arrows, the usual per-row handler) skip this costly step.
      const fnName = fn.name;
      if (fnName !== '') Object.defineProperty(wrapped, 'name', { value: fnName, configurable: true });
      if (fn.prototype !== undefined) wrapped.prototype = fn.prototype;
    } catch {
      // A frozen or exotic function: the wrapper still works, it just looks less like the original.
    }
  }
  wrapped[ORIGINAL] = fn;
  wrapped[NAME] = label;
  try {
    marked[WRAPPER] = wrapped;
  } catch {
    // Not extensible: the next wrap makes a new wrapper, as before.
  }
  return wrapped as unknown as AnyFunction;
}

/** Transparent wrappers made by `instrumentTransparent`, per function and name. */
const transparent = new WeakMap<object, Map<string, unknown>>();

/**
 * `instrument` for values the build plugin wraps where they are passed (`onChange={debounced}`):
 * a Proxy, so everything but identity is the function's own: its own properties (a debounced
 * function's `cancel`, an `id`), keys, `name`, `length`, `prototype`, and what is set on it later.
 * Kept in a WeakMap (nothing is added to the app's function); the same function under the same
 * name gets the same proxy.
 */
export function instrumentTransparent<F>(name: string, fn: F): F {
  if (typeof fn !== 'function') return fn;
  let label: string;
  let hid: number;
  let inner: number;
  try {
    if ((fn as unknown as Marked)[NAME] !== undefined) return fn;
    label = nameOf(name);
    const cached = transparent.get(fn)?.get(label);
    if (cached !== undefined) return cached as F;
    hid = handlerId(label);
    inner = (fn as unknown as Marked)[AUTO] ?? -1;
  } catch {
    return fn;
  }
  const target = fn as unknown as Target;
  const proxy = new Proxy(target, {
    apply(t, self, args) {
      const r = recorder;
      if (!r.on) return Reflect.apply(t, self, args);
      const o = enter(r, inner);
      let result: unknown;
      try {
        result = Reflect.apply(t, self, args);
      } catch (thrown) {
        leaveThrown(r, o, hid, thrown);
        throw thrown;
      }
      return leave(r, o, hid, result);
    },
    get(t, key, receiver) {
      // What explicit wrappers and tools ask of an instrumented function; all else is the function's.
      if (key === NAME) return label;
      if (key === ORIGINAL) return t;
      return Reflect.get(t, key, receiver === proxy ? t : receiver);
    },
  });
  try {
    let byName = transparent.get(fn);
    if (!byName) transparent.set(fn, (byName = new Map()));
    byName.set(label, proxy);
  } catch {
    // Uncached: a new proxy next time.
  }
  return proxy as unknown as F;
}

/** The function `instrument` wrapped, or `fn` itself. */
export function unwrap<F extends AnyFunction>(fn: F): F {
  return ((fn as F & Marked)[ORIGINAL] ?? fn) as F;
}

/** The handler name an instrumented function records under, if it is one. */
export function instrumentedName(fn: AnyFunction): string | undefined {
  return (fn as AnyFunction & Marked)[NAME];
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
