/**
 * Gets batches from the page to the telemetry service: a dedicated worker through comlink when
 * one can start, else the same service in memory on the main thread, fed in idle time. The
 * page never waits on either.
 */
import * as Comlink from 'comlink';
import type { SessionMeta, TransportKind } from '../core/model.ts';
import type { WireBatch } from '../core/wire.ts';
import type { StartOptions, TelemetryApi } from '../worker/api.ts';

export type WorkerFactory = () => Worker;

export interface TransportStatus {
  kind: TransportKind | 'connecting';
  reason: string | null;
  /** Batches dropped while the transport was starting or overloaded, or lost with a crashed worker. */
  droppedBatches: number;
  /** The records in those batches (counted in the session's `dropped`). */
  droppedRecords: number;
}

/** Batches kept while the worker starts; the oldest go first beyond this. */
const MAX_QUEUED = 256;
/** Batches in flight to the worker before new ones wait. */
const MAX_IN_FLIGHT = 32;
const START_TIMEOUT_MS = 5000;

type IdleCallback = (deadline: { timeRemaining(): number }) => void;
const requestIdle: (cb: IdleCallback) => void =
  typeof requestIdleCallback === 'function'
    ? (cb) => requestIdleCallback(cb, { timeout: 500 })
    : (cb) => setTimeout(() => cb({ timeRemaining: () => 8 }), 16);

export class Transport {
  private state: 'connecting' | 'worker' | 'memory' = 'connecting';
  private reason: string | null = null;
  private queue: WireBatch[] = [];
  private inFlight = 0;
  /** Batches posted to the worker and not yet acknowledged (lost, and counted, if it dies). */
  private readonly unacked = new Set<WireBatch>();
  private droppedBatches = 0;
  private droppedRecords = 0;
  /** What the latest batch said about the recorder's own drops, and the drop total the service last heard. */
  private recorderDropped = 0;
  private reported = 0;
  private lastNow = 0;
  private worker: Worker | null = null;
  private remote: Comlink.Remote<TelemetryApi> | null = null;
  private memory: TelemetryApi | null = null;
  private memoryQueue: WireBatch[] = [];
  private memoryDrain: Promise<void> | null = null;
  private readonly api: Promise<TelemetryApi>;
  private readonly listeners = new Set<(status: TransportStatus) => void>();

  constructor(
    private readonly meta: SessionMeta,
    createWorker: WorkerFactory | null,
    private readonly fullStrings: () => readonly string[],
    private readonly startOptions: StartOptions = {},
  ) {
    this.api = this.connect(createWorker);
  }

  /** The service queries go to, once it has started (the memory one if the worker died). */
  async service(): Promise<TelemetryApi> {
    const api = await this.api;
    return this.memory ?? api;
  }

  status(): TransportStatus {
    return { kind: this.state, reason: this.reason, droppedBatches: this.droppedBatches, droppedRecords: this.droppedRecords };
  }

  onStatus(listener: (status: TransportStatus) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Hands a batch over. Never throws, never blocks. */
  send(batch: WireBatch): void {
    this.recorderDropped = Math.max(this.recorderDropped, batch.dropped);
    this.lastNow = Math.max(this.lastNow, batch.now);
    if (this.state === 'memory') {
      this.memoryQueue.push(batch);
      // The in-memory service works in idle time: bounded like the start-up queue.
      if (this.memoryQueue.length > MAX_QUEUED) this.dropOldest(this.memoryQueue);
      this.drainMemory();
      return;
    }
    if (this.state === 'worker' && this.inFlight < MAX_IN_FLIGHT && this.queue.length === 0) {
      this.post(batch);
      return;
    }
    this.queue.push(batch);
    if (this.queue.length > MAX_QUEUED) this.dropOldest(this.queue);
  }

  /**
   * Drops the oldest queued batch: its records are counted, and the strings it introduced move
   * to the next batch, so every later record still resolves its names.
   */
  private dropOldest(queue: WireBatch[]): void {
    const old = queue.shift()!;
    this.droppedBatches++;
    this.droppedRecords += old.count;
    const next = queue[0];
    if (next && old.strings.length > 0) {
      next.strings = [...old.strings, ...next.strings];
      next.stringBase = old.stringBase;
    }
  }

  /** The session's drop count as of now: the recorder's (ring overwrites) plus the transport's. */
  private stamp(batch: WireBatch): WireBatch {
    const dropped = Math.max(batch.dropped, this.recorderDropped) + this.droppedRecords;
    this.reported = dropped;
    return dropped === batch.dropped ? batch : { ...batch, dropped };
  }

  /** Waits until every batch handed over so far has been ingested, and the service knows every drop. */
  async settled(): Promise<void> {
    await this.api;
    while (this.state === 'worker' && (this.queue.length > 0 || this.inFlight > 0)) {
      this.pump();
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    // Drops the last batch could not carry (a batch lost after it was sent) reach the service in an empty one.
    if (this.reported !== this.recorderDropped + this.droppedRecords) {
      this.send({ records: new Float64Array(0), count: 0, stringBase: 0, strings: [], dropped: this.recorderDropped, now: this.lastNow });
      if (this.state === 'worker') return this.settled();
    }
    if (this.state === 'memory') {
      while (this.memoryQueue.length > 0 || this.memoryDrain) await (this.memoryDrain ?? this.drainMemory());
    }
  }

  private async connect(createWorker: WorkerFactory | null): Promise<TelemetryApi> {
    if (createWorker === null) return this.fallBack('disabled by configuration');
    let worker: Worker;
    try {
      worker = createWorker();
    } catch (e) {
      return this.fallBack(`worker could not start (${describe(e)})`);
    }
    this.worker = worker;
    const remote = Comlink.wrap<TelemetryApi>(worker);
    let onError: (e: Event) => void = () => {};
    const failed = new Promise<never>((_, reject) => {
      onError = (e: Event) => reject(new Error((e as ErrorEvent).message || 'worker failed to load'));
      worker.addEventListener('error', onError);
    });
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer within ${START_TIMEOUT_MS} ms`)), START_TIMEOUT_MS);
    });
    try {
      await Promise.race([remote.start(this.meta, this.startOptions), failed, timeout]);
    } catch (e) {
      worker.terminate();
      this.worker = null;
      return this.fallBack(`worker unavailable (${describe(e)})`);
    } finally {
      clearTimeout(timer);
      worker.removeEventListener('error', onError);
    }
    worker.addEventListener('error', () => {
      // It started, then died: keep recording in memory from here on. What it had not
      // acknowledged is lost with it, and counted.
      worker.terminate();
      for (const b of this.unacked) {
        this.droppedBatches++;
        this.droppedRecords += b.count;
      }
      this.unacked.clear();
      this.inFlight = 0;
      void this.fallBack('worker crashed after start');
    });
    this.remote = remote;
    this.setState('worker', null);
    this.pump();
    return remote as unknown as TelemetryApi;
  }

  private post(batch: WireBatch): void {
    const stamped = this.stamp(batch);
    const count = stamped.count;
    this.inFlight++;
    this.unacked.add(stamped);
    this.remote!.ingest(Comlink.transfer(stamped, [stamped.records.buffer]))
      .catch(() => {
        // The service refused it: its records are lost, and counted (unless a crash counted them already).
        if (!this.unacked.has(stamped)) return;
        this.droppedBatches++;
        this.droppedRecords += count;
      })
      .finally(() => {
        // A batch already counted as lost with a crashed worker is not counted again.
        if (!this.unacked.delete(stamped)) return;
        this.inFlight--;
        this.pump();
      });
  }

  private pump(): void {
    if (this.state === 'memory') {
      this.memoryQueue.push(...this.queue.splice(0));
      this.drainMemory();
      return;
    }
    while (this.state === 'worker' && this.queue.length > 0 && this.inFlight < MAX_IN_FLIGHT) this.post(this.queue.shift()!);
  }

  private async fallBack(reason: string): Promise<TelemetryApi> {
    if (this.memory) return this.memory;
    const [{ TelemetryService }, { MemoryStore }] = await Promise.all([
      import('../worker/service.ts'),
      import('../store/memory.ts'),
    ]);
    const meta: SessionMeta = { ...this.meta, transport: 'memory', storage: 'memory', fallbackReason: reason };
    const service = new TelemetryService(async () => new MemoryStore());
    await service.start(meta, this.startOptions);
    this.memory = service;
    // A service that joins late needs every string interned so far.
    this.memoryQueue.unshift({
      records: new Float64Array(0),
      count: 0,
      stringBase: 0,
      strings: this.fullStrings().slice(),
      dropped: 0,
      now: 0,
    });
    this.setState('memory', reason);
    this.pump();
    return service;
  }

  private drainMemory(): Promise<void> {
    if (this.memoryDrain) return this.memoryDrain;
    const service = this.memory;
    if (!service) return Promise.resolve();
    this.memoryDrain = new Promise<void>((resolve) => {
      const step: IdleCallback = (deadline) => {
        void (async () => {
          // Work in idle time, a few batches at a time, so the fallback never janks the app.
          do {
            const batch = this.memoryQueue.shift();
            if (!batch) break;
            const stamped = this.stamp(batch);
            await service.ingest(stamped).catch(() => {
              this.droppedBatches++;
              this.droppedRecords += stamped.count;
            });
          } while (deadline.timeRemaining() > 2);
          if (this.memoryQueue.length > 0) requestIdle(step);
          else {
            this.memoryDrain = null;
            resolve();
          }
        })();
      };
      requestIdle(step);
    });
    return this.memoryDrain;
  }

  private setState(state: 'worker' | 'memory', reason: string | null): void {
    this.state = state;
    this.reason = reason;
    const status = this.status();
    for (const l of this.listeners) l(status);
  }
}

function describe(e: unknown): string {
  if (e instanceof Error) return `${e.name}: ${e.message}`;
  if (typeof Event !== 'undefined' && e instanceof Event) return `${e.type} event`;
  return String(e);
}
