/**
 * The page-side recorder: a preallocated ring of numeric records, a string table, and the
 * probes (next paint, end of React's synchronous flush) the worker needs to attribute work.
 * Everything here runs on the app's main thread, so it only stores numbers; interpretation
 * happens in the worker (`core/attribution.ts`).
 */
import type { ErrorInfo } from '../core/model.ts';
import type { Kind, STRIDE as Stride, WireBatch } from '../core/wire.ts';
import { perf } from './clock.ts';

// The wire's numbers, checked against core/wire.ts by the compiler. Local, so the page's entry
// shares no module with the lazily loaded code (which would split it into more files).
const STRIDE: typeof Stride = 12;
const CALL: typeof Kind.Call = 1;
const SETTLE: typeof Kind.Settle = 2;
const COMMIT: typeof Kind.Commit = 3;
const PAINT: typeof Kind.Paint = 4;
const EVENT: typeof Kind.Event = 5;
const SEQ_BEGIN: typeof Kind.SeqBegin = 6;
const SEQ_END: typeof Kind.SeqEnd = 7;
const PROFILE: typeof Kind.Profile = 10;
const SYNC_END: typeof Kind.SyncEnd = 11;
export { CALL as KIND_CALL };

export interface RecorderOptions {
  /** Records kept in memory before the oldest are dropped (rounded up to a power of two). */
  capacity?: number;
  /** How often buffered records are shipped, in ms. */
  flushIntervalMs?: number;
  /** Distinct strings (handler names, error patterns) kept before new ones fold into one. */
  maxStrings?: number;
}

/** What strings beyond the table's limit are recorded as (handler, error or sequence name). */
export const OVERFLOW = '…';

const W: (Window & typeof globalThis) | undefined = typeof window === 'undefined' ? undefined : window;

/**
 * DOM events that are user interactions. Others seen as `window.event` (a `message` from
 * React's scheduler, `load`, animation events) are not triggers: work done in them joins the
 * interaction that caused it.
 */
export const INTERACTION: ReadonlySet<string> = new Set([
  'click', 'dblclick', 'auxclick', 'contextmenu', 'mousedown', 'mouseup', 'pointerdown', 'pointerup',
  'touchstart', 'touchend', 'keydown', 'keyup', 'keypress', 'input', 'beforeinput', 'change', 'submit',
  'reset', 'focusin', 'focusout', 'focus', 'blur', 'wheel', 'scroll', 'dragstart', 'drop', 'paste', 'cut',
  'copy', 'compositionend', 'select', 'toggle', 'invalid',
]);

export class Recorder {
  ring: Float64Array;
  /** @internal Ring geometry and positions, read by the batcher that ships them (`batcher.ts`). */
  mask: number;
  /** @internal */
  capacity: number;
  /** How often buffered records are shipped, in ms (the batcher reads it). */
  flushIntervalMs: number;
  private readonly maxStrings: number;
  /** @internal Records written so far, and shipped so far (their difference is what waits). */
  head = 0;
  /** @internal */
  tail = 0;
  /** Records overwritten before they could be shipped. */
  dropped = 0;

  /** Distinct strings beyond `maxStrings`, recorded as the overflow marker instead. */
  foldedStrings = 0;
  private readonly strings: string[] = [];
  private readonly stringIds = new Map<string, number>();
  /** Turns a raw error into its interned key; loaded with the runtime (its rules are most of the page's weight). */
  private normaliseError: ((raw: ErrorInfo) => string) | null = null;
  /** Errors met before that: their ids, with an empty string in the table until normalised (never shipped raw). */
  private readonly rawErrors = new Map<string, [id: number, raw: ErrorInfo]>();

  /** Set to false to make every wrapper a plain pass-through. */
  on = true;
  callSeq = 0;
  /** The instrumented call on the stack, or -1. */
  current = -1;
  /** The in-place instrumented handler an explicit wrapper is calling right now, or -1 (see `enterBody`). */
  explicitInner = -1;
  /** Serial of the DOM event being dispatched at the last call, or -1. */
  serial = -1;
  private lastEvent: Event | undefined = undefined;
  private eventSeq = 0;
  private seqTokens = 0;

  /** The DOM event types that are user interactions (`INTERACTION`). */
  readonly interactions = INTERACTION;
  /** A paint probe is waiting for its frame. */
  paintPending = false;
  /** Called once the paint probe in flight lands (`whenPainted`). */
  paintWaiters: Array<() => void> = [];
  private readonly canPaint: boolean;
  private readonly paintChannel: MessageChannel | null;
  /**
   * What ships the records (`batcher.ts`, loaded with the client's runtime: until then records
   * wait in the ring). Told once when records start waiting, again after it has shipped them.
   */
  batcher: { wake(): void } | null = null;
  /** @internal The batcher has been told about waiting records. */
  woken = false;

  constructor(options: RecorderOptions = {}) {
    const cap = Math.max(64, options.capacity ?? 8192);
    this.capacity = 2 ** Math.ceil(Math.log2(cap));
    this.mask = this.capacity - 1;
    this.ring = new Float64Array(this.capacity * STRIDE);
    this.flushIntervalMs = options.flushIntervalMs ?? 250;
    this.maxStrings = options.maxStrings ?? 2000;
    this.canPaint = W !== undefined && typeof W.requestAnimationFrame === 'function' && typeof MessageChannel === 'function';
    this.paintChannel = this.canPaint ? new MessageChannel() : null;
    if (this.paintChannel) {
      this.paintChannel.port1.onmessage = () => {
        this.paintPending = false;
        const waiters = this.paintWaiters;
        this.paintWaiters = [];
        for (const w of waiters) w();
        // The event is long dispatched by now; don't keep it (and its target) alive.
        this.lastEvent = undefined;
        const o = this.slot();
        this.ring[o] = PAINT;
        this.ring[o + 1] = perf.now();
      };
    }
  }

  /** Applies options; the buffer is only resized while it holds nothing. */
  configure(options: RecorderOptions): void {
    if (options.flushIntervalMs !== undefined) this.flushIntervalMs = options.flushIntervalMs;
    if (options.capacity !== undefined && this.head === this.tail) {
      this.capacity = 2 ** Math.ceil(Math.log2(Math.max(64, options.capacity)));
      this.mask = this.capacity - 1;
      this.ring = new Float64Array(this.capacity * STRIDE);
      this.head = this.tail = 0;
    }
  }

  /**
   * Interns a string; the id is stable for the page's lifetime. Beyond `maxStrings` distinct
   * strings, new ones share the id of one overflow marker (counted in `foldedStrings`), so the
   * table, and what the page ships, stays bounded.
   */
  intern(s: string): number {
    const id = this.stringIds.get(s);
    if (id !== undefined) return id;
    if (this.strings.length >= this.maxStrings) {
      this.foldedStrings++;
      return this.add(OVERFLOW);
    }
    return this.add(s);
  }

  private add(s: string): number {
    let id = this.stringIds.get(s);
    if (id === undefined) {
      id = this.strings.length;
      this.strings.push(s);
      this.stringIds.set(s, id);
    }
    return id;
  }

  /**
   * Interns an error as its normalised key. Before the normaliser has loaded, the error gets its
   * id now and its text when `normaliseErrorsWith` runs: until then the table holds an empty
   * string for it, so nothing raw can leave the page.
   */
  internError(raw: ErrorInfo): number {
    if (this.normaliseError !== null) return this.intern(this.normaliseError(raw));
    const key = `${raw.name}\u0000${raw.message}`;
    const held = this.rawErrors.get(key);
    if (held !== undefined) return held[0];
    if (this.strings.length >= this.maxStrings) {
      this.foldedStrings++;
      return this.add(OVERFLOW);
    }
    const id = this.strings.length;
    this.strings.push('');
    this.rawErrors.set(key, [id, raw]);
    return id;
  }

  /** Installs the error normaliser, and gives the errors recorded before it their normalised text. */
  normaliseErrorsWith(normalise: (raw: ErrorInfo) => string): void {
    this.normaliseError = normalise;
    for (const [id, raw] of this.rawErrors.values()) {
      const key = normalise(raw);
      this.strings[id] = key;
      if (!this.stringIds.has(key)) this.stringIds.set(key, id);
    }
    this.rawErrors.clear();
  }

  /** All strings interned so far, for a consumer that joins late (the in-memory fallback). */
  allStrings(): readonly string[] {
    return this.strings;
  }

  /** Reserves the next record and returns its offset into `ring`, dropping the oldest when full. */
  slot(): number {
    const h = this.head;
    if (h - this.tail >= this.capacity) {
      this.tail++;
      this.dropped++;
    }
    this.head = h + 1;
    if (!this.woken && this.batcher !== null) {
      this.woken = true;
      this.batcher.wake();
    }
    return (h & this.mask) * STRIDE;
  }

  /** Notes the DOM event being dispatched, once per event. Called at each call's entry. */
  noteEvent(): void {
    const ev = W === undefined ? undefined : W.event;
    if (ev === this.lastEvent) return;
    this.lastEvent = ev;
    if (ev === undefined || !this.interactions.has(ev.type)) {
      this.serial = -1;
      return;
    }
    this.serial = this.eventSeq++;
    // An interaction's records ship soon after it (batcher.ts): tell the batcher even if it is waiting already.
    this.woken = false;
    const o = this.slot();
    this.ring[o] = EVENT;
    this.ring[o + 1] = this.serial;
    this.ring[o + 2] = this.intern(ev.type);
    this.ring[o + 3] = ev.timeStamp;
  }

  /** Asks for a Paint record after the next frame is presented. */
  requestPaint(): void {
    if (this.paintPending || !this.canPaint) return;
    this.paintPending = true;
    W!.requestAnimationFrame(this.afterFrame);
  }

  private readonly afterFrame = (): void => {
    // rAF runs before the frame paints; a message posted from it runs after.
    this.paintChannel!.port2.postMessage(null);
  };

  /** Writes a SyncEnd record for `callId` once the current microtask queue drains. */
  probeSyncEnd(callId: number): void {
    queueMicrotask(() => {
      const o = this.slot();
      this.ring[o] = SYNC_END;
      this.ring[o + 1] = callId;
      this.ring[o + 2] = perf.now();
    });
  }

  settle(callId: number, rejected: boolean, errorId: number): void {
    const o = this.slot();
    this.ring[o] = SETTLE;
    this.ring[o + 1] = callId;
    this.ring[o + 2] = perf.now();
    this.ring[o + 3] = rejected ? 1 : 0;
    this.ring[o + 4] = errorId;
    this.requestPaint();
  }

  beginSequence(name: string): number {
    const token = ++this.seqTokens;
    const o = this.slot();
    this.ring[o] = SEQ_BEGIN;
    this.ring[o + 1] = token;
    this.ring[o + 2] = this.intern(name);
    this.ring[o + 3] = perf.now();
    return token;
  }

  endSequence(token: number): void {
    const o = this.slot();
    this.ring[o] = SEQ_END;
    this.ring[o + 1] = token;
    this.ring[o + 2] = perf.now();
    this.requestPaint();
  }

  /** A React root committed (DevTools hook); `transitionsLeft`: 1 / 0, or -1 when not known. */
  commit(rootId: number, transitionsLeft = -1): void {
    const o = this.slot();
    this.ring[o] = COMMIT;
    this.ring[o + 1] = perf.now();
    this.ring[o + 2] = rootId;
    this.ring[o + 3] = transitionsLeft;
    this.requestPaint();
  }

  /** A React Profiler reported a commit. */
  profile(actualDuration: number, startTime: number, commitTime: number): void {
    const o = this.slot();
    this.ring[o] = PROFILE;
    this.ring[o + 1] = perf.now();
    this.ring[o + 2] = actualDuration;
    this.ring[o + 3] = startTime;
    this.ring[o + 4] = commitTime;
  }

  /** Records waiting to be shipped. */
  get buffered(): number {
    return this.head - this.tail;
  }
}
