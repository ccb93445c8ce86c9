/**
 * The page-side recorder: a preallocated ring of numeric records, a string table, and the
 * probes (next paint, end of React's synchronous flush) the worker needs to attribute work.
 * Everything here runs on the app's main thread, so it only stores numbers; interpretation
 * happens in the worker (`core/attribution.ts`).
 */
import { Kind, STRIDE, type WireBatch } from '../core/wire.ts';
import { perf } from './clock.ts';

export interface RecorderOptions {
  /** Records kept in memory before the oldest are dropped (rounded up to a power of two). */
  capacity?: number;
  /** How often buffered records are shipped, in ms. */
  flushIntervalMs?: number;
  /** Distinct strings (handler names, error patterns) kept before new ones fold into one. */
  maxStrings?: number;
}

export type BatchSink = (batch: WireBatch) => void;

/** What strings beyond the table's limit are recorded as (handler, error or sequence name). */
export const OVERFLOW = '…';

/** After the last batch: past the 500 ms attribution grace (+ emission batching), then past the 2 s idle close. */
const HEARTBEAT_DELAYS_MS = [800, 1800];

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
  private mask: number;
  private capacity: number;
  private flushIntervalMs: number;
  private readonly maxStrings: number;
  private head = 0;
  private tail = 0;
  /** Records overwritten before they could be shipped. */
  dropped = 0;

  /** Distinct strings beyond `maxStrings`, recorded as the overflow marker instead. */
  foldedStrings = 0;
  private readonly strings: string[] = [];
  private readonly stringIds = new Map<string, number>();
  private sentStrings = 0;

  /** Set to false to make every wrapper a plain pass-through. */
  on = true;
  callSeq = 0;
  /** The instrumented call on the stack, or -1. */
  current = -1;
  /** The in-place instrumented handler an explicit wrapper is calling right now, or -1 (see `recordBody`). */
  explicitInner = -1;
  /** Serial of the DOM event being dispatched at the last call, or -1. */
  serial = -1;
  private lastEvent: Event | undefined = undefined;
  private eventSeq = 0;
  private seqTokens = 0;

  private paintPending = false;
  private paintWaiters: Array<() => void> = [];
  private readonly canPaint: boolean;
  private readonly paintChannel: MessageChannel | null;
  private flushTimer: ReturnType<typeof setTimeout> | null = null;
  private heartbeatTimer: ReturnType<typeof setTimeout> | null = null;
  private sink: BatchSink | null = null;
  /** Called before each batch is cut (observers hand over entries whose callback has not run yet). */
  private readonly drains: Array<() => void> = [];

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
        this.ring[o] = Kind.Paint;
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

  /** Where batches go. Until a sink is attached, records accumulate (bounded by the ring). */
  attach(sink: BatchSink | null): void {
    // A new consumer knows none of the strings interned so far: its first batch carries them all.
    if (sink !== this.sink) this.sentStrings = 0;
    this.sink = sink;
    if (sink && this.head > this.tail) this.scheduleFlush();
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
    if (this.flushTimer === null) this.scheduleFlush();
    return (h & this.mask) * STRIDE;
  }

  /** Notes the DOM event being dispatched, once per event. Called at each call's entry. */
  noteEvent(): void {
    const ev = W === undefined ? undefined : W.event;
    if (ev === this.lastEvent) return;
    this.lastEvent = ev;
    if (ev === undefined || !INTERACTION.has(ev.type)) {
      this.serial = -1;
      return;
    }
    this.serial = this.eventSeq++;
    const o = this.slot();
    this.ring[o] = Kind.Event;
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

  /**
   * Resolves once the paint probe in flight (if any) has landed, or after `timeoutMs`: a final
   * flush then includes the paint after the last work, instead of racing it.
   */
  whenPainted(timeoutMs: number): Promise<void> {
    if (!this.paintPending) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, timeoutMs);
      this.paintWaiters.push(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  private readonly afterFrame = (): void => {
    // rAF runs before the frame paints; a message posted from it runs after.
    this.paintChannel!.port2.postMessage(null);
  };

  /** Writes a SyncEnd record for `callId` once the current microtask queue drains. */
  probeSyncEnd(callId: number): void {
    queueMicrotask(() => {
      const o = this.slot();
      this.ring[o] = Kind.SyncEnd;
      this.ring[o + 1] = callId;
      this.ring[o + 2] = perf.now();
    });
  }

  settle(callId: number, rejected: boolean, errorId: number): void {
    const o = this.slot();
    this.ring[o] = Kind.Settle;
    this.ring[o + 1] = callId;
    this.ring[o + 2] = perf.now();
    this.ring[o + 3] = rejected ? 1 : 0;
    this.ring[o + 4] = errorId;
    this.requestPaint();
  }

  beginSequence(name: string): number {
    const token = ++this.seqTokens;
    const o = this.slot();
    this.ring[o] = Kind.SeqBegin;
    this.ring[o + 1] = token;
    this.ring[o + 2] = this.intern(name);
    this.ring[o + 3] = perf.now();
    return token;
  }

  endSequence(token: number): void {
    const o = this.slot();
    this.ring[o] = Kind.SeqEnd;
    this.ring[o + 1] = token;
    this.ring[o + 2] = perf.now();
    this.requestPaint();
  }

  /** A React root committed (DevTools hook); `transitionsLeft`: 1 / 0, or -1 when not known. */
  commit(rootId: number, transitionsLeft = -1): void {
    const o = this.slot();
    this.ring[o] = Kind.Commit;
    this.ring[o + 1] = perf.now();
    this.ring[o + 2] = rootId;
    this.ring[o + 3] = transitionsLeft;
    this.requestPaint();
  }

  /** A React Profiler reported a commit. */
  profile(actualDuration: number, startTime: number, commitTime: number): void {
    const o = this.slot();
    this.ring[o] = Kind.Profile;
    this.ring[o + 1] = perf.now();
    this.ring[o + 2] = actualDuration;
    this.ring[o + 3] = startTime;
    this.ring[o + 4] = commitTime;
  }

  /** Writes a record of `kind` with the given fields (observers: LoAF, long tasks, INP). */
  write(kind: Kind, ...fields: number[]): void {
    const o = this.slot();
    this.ring[o] = kind;
    for (let i = 1; i < STRIDE; i++) this.ring[o + i] = i <= fields.length ? fields[i - 1]! : -1;
  }

  private scheduleFlush(delay = this.flushIntervalMs): void {
    if (this.flushTimer !== null || this.sink === null) return;
    this.flushTimer = setTimeout(() => {
      this.flushTimer = null;
      this.flush();
    }, delay);
  }

  /**
   * Registers a function run before each batch is cut. PerformanceObserver callbacks can run long
   * after their entries are queued (the page busy with the next interaction); `takeRecords()`
   * here puts a long frame's entry in the same batch as the paint that ended it.
   */
  beforeFlush(drain: () => void): void {
    this.drains.push(drain);
  }

  /** Ships everything recorded so far to the sink. Cheap: one copy of the filled part of the ring. */
  flush(): void {
    for (const drain of this.drains) {
      try {
        drain();
      } catch {
        // An observer that cannot hand over entries loses them, never the app.
      }
    }
    if (this.flushTimer !== null) {
      clearTimeout(this.flushTimer);
      this.flushTimer = null;
    }
    const sink = this.sink;
    if (sink === null) return;
    const count = this.head - this.tail;
    const strings = this.strings.slice(this.sentStrings);
    if (count === 0 && strings.length === 0) return;
    const records = new Float64Array(count * STRIDE);
    const from = this.tail & this.mask;
    const firstPart = Math.min(count, this.capacity - from);
    records.set(this.ring.subarray(from * STRIDE, (from + firstPart) * STRIDE), 0);
    if (firstPart < count) records.set(this.ring.subarray(0, (count - firstPart) * STRIDE), firstPart * STRIDE);
    const batch: WireBatch = {
      records,
      count,
      stringBase: this.sentStrings,
      strings,
      dropped: this.dropped,
      now: perf.now(),
      paintPending: this.paintPending,
    };
    this.tail = this.head;
    this.sentStrings = this.strings.length;
    sink(batch);
    this.scheduleHeartbeats();
  }

  /**
   * The worker only moves its clock when batches arrive, so after the last interaction on an
   * idle page nothing would close its sequence. Two empty batches (past the attribution grace
   * period, and past the idle-close time) let it finish the work, then the page goes quiet.
   */
  private scheduleHeartbeats(): void {
    if (this.heartbeatTimer !== null) clearTimeout(this.heartbeatTimer);
    const beat = (delays: number[]) => {
      const [next, ...rest] = delays;
      if (next === undefined) {
        this.heartbeatTimer = null;
        return;
      }
      this.heartbeatTimer = setTimeout(() => {
        if (this.sink !== null && this.head === this.tail) {
          this.sink({ records: new Float64Array(0), count: 0, stringBase: this.sentStrings, strings: [], dropped: this.dropped, now: perf.now(), paintPending: this.paintPending });
        }
        beat(rest);
      }, next);
    };
    beat(HEARTBEAT_DELAYS_MS);
  }

  /** Records waiting to be shipped. */
  get buffered(): number {
    return this.head - this.tail;
  }
}
