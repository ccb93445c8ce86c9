/**
 * Ships what the recorder wrote: every `flushIntervalMs` while records wait, it cuts the filled
 * part of the ring into a batch (with the strings interned since the last one) and hands it to
 * the sink (the transport). Loaded with the client's runtime, so pages pay for it only once the
 * client starts; the recorder itself (the hot path) stays in the entry.
 */
import { STRIDE, type Kind, type WireBatch } from '../core/wire.ts';
import type { Recorder } from './recorder.ts';

export type BatchSink = (batch: WireBatch) => void;

/**
 * After the last batch: past the 500 ms attribution grace (+ emission batching), past the 2 s idle
 * close, then past the 10 s cap on waiting (+ grace). The last one matters when the final
 * interaction still waited for a frame or a commit at 2.6 s (a starved or occluded page): without
 * it that interaction stayed unattributed until the user acted again (CI, load ~10: a DevTools
 * panel opened after the last click showed 5 of 6 handlers for 15 s).
 */
const HEARTBEAT_DELAYS_MS = [800, 1800, 8400];

export class Batcher {
  private sink: BatchSink | null = null;
  private sentStrings = 0;
  private flushTimer: ReturnType<typeof setTimeout> | null = null;
  private heartbeatTimer: ReturnType<typeof setTimeout> | null = null;
  /** Called before each batch is cut (observers hand over entries whose callback has not run yet). */
  private readonly drains: Array<() => void> = [];

  constructor(private readonly r: Recorder) {
    r.batcher = this;
  }

  /** Where batches go. Until a sink is attached, records accumulate (bounded by the ring). */
  attach(sink: BatchSink | null): void {
    // A new consumer knows none of the strings interned so far: its first batch carries them all.
    if (sink !== this.sink) this.sentStrings = 0;
    this.sink = sink;
    if (sink && this.r.head > this.r.tail) this.scheduleFlush();
  }

  private soon = false;

  /**
   * The recorder has records waiting (or a user interaction began: the recorder wakes the batcher
   * again then). Records of a discrete interaction ship as soon as its listener has returned (a
   * microtask), not at the next interval: a tab closed right after the last click has no time
   * left, and its `pagehide` may run too late or not at all on a starved machine. Continuous
   * events (scroll, wheel) and the work after an interaction keep the interval.
   */
  wake(): void {
    const type = (globalThis as { event?: Event }).event?.type;
    if (type === undefined || type === 'scroll' || type === 'wheel' || !this.r.interactions.has(type) || this.sink === null) {
      this.scheduleFlush();
      return;
    }
    this.r.woken = true;
    if (this.soon) return;
    this.soon = true;
    queueMicrotask(() => {
      this.soon = false;
      this.flush();
    });
  }

  private scheduleFlush(delay = this.r.flushIntervalMs): void {
    if (this.flushTimer !== null) return;
    if (this.sink === null) {
      // Nowhere to ship: the next record asks again.
      this.r.woken = false;
      return;
    }
    this.r.woken = true;
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
    const r = this.r;
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
    r.woken = false;
    const sink = this.sink;
    if (sink === null) return;
    const count = r.head - r.tail;
    const all = r.allStrings();
    const strings = all.slice(this.sentStrings);
    if (count === 0 && strings.length === 0) return;
    const records = new Float64Array(count * STRIDE);
    const from = r.tail & r.mask;
    const firstPart = Math.min(count, r.capacity - from);
    records.set(r.ring.subarray(from * STRIDE, (from + firstPart) * STRIDE), 0);
    if (firstPart < count) records.set(r.ring.subarray(0, (count - firstPart) * STRIDE), firstPart * STRIDE);
    const batch: WireBatch = {
      records,
      count,
      stringBase: this.sentStrings,
      strings,
      dropped: r.dropped,
      now: performance.now(),
      paintPending: r.paintPending,
    };
    r.tail = r.head;
    this.sentStrings = all.length;
    sink(batch);
    this.scheduleHeartbeats();
  }

  /**
   * The worker only moves its clock when batches arrive, so after the last interaction on an
   * idle page nothing would close its sequence. Three empty batches (past the attribution grace
   * period, the idle-close time and the waiting cap) let it finish the work, then the page goes quiet.
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
        const r = this.r;
        if (this.sink !== null && r.head === r.tail) {
          this.sink({ records: new Float64Array(0), count: 0, stringBase: this.sentStrings, strings: [], dropped: r.dropped, now: performance.now(), paintPending: r.paintPending });
        }
        beat(rest);
      }, next);
    };
    beat(HEARTBEAT_DELAYS_MS);
  }
}

/** The recorder's batcher, made on first use. */
export function batcherOf(r: Recorder): Batcher {
  return r.batcher instanceof Batcher ? r.batcher : new Batcher(r);
}

/** Writes a record of `kind` with the given fields (the runtime's observers: LoAF, long tasks, INP). */
export function writeRecord(r: Recorder, kind: Kind, ...fields: number[]): void {
  const o = r.slot();
  const ring = r.ring;
  ring[o] = kind;
  for (let i = 1; i < STRIDE; i++) ring[o + i] = i <= fields.length ? fields[i - 1]! : -1;
}

/**
 * Resolves once the paint probe in flight (if any) has landed, or after `timeoutMs`: a final
 * flush then includes the paint after the last work, instead of racing it.
 */
export function whenPainted(r: Recorder, timeoutMs: number): Promise<void> {
  if (!r.paintPending) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, timeoutMs);
    r.paintWaiters.push(() => {
      clearTimeout(timer);
      resolve();
    });
  });
}
