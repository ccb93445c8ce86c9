/**
 * The telemetry service: attributes the page's record stream, aggregates it and persists
 * sessions. It runs in the dedicated worker, or on the main thread as the in-memory fallback
 * when no worker can be started; it never touches the DOM.
 */
import { Aggregator, aggregateSession, type AggregateSnapshot, type AggregatorState } from '../core/aggregate.ts';
import { Attributor } from '../core/attribution.ts';
import type { CommitRecord, HandlerCall, SequenceRecord, SessionMeta, VitalRecord } from '../core/model.ts';
import { parseSessionFile, SESSION_FORMAT, SESSION_VERSION, type SessionFile } from '../core/session.ts';
import type { WireBatch } from '../core/wire.ts';
import { MemoryStore } from '../store/memory.ts';
import { openRescueDb, RESCUE_DB } from '../store/rescue-db.ts';
import { webLockLiveSessions, type LiveSessions } from '../store/live.ts';
import { emptyChunk, type RecordChunk, type Store, type StoredSession } from '../store/store.ts';
import { FieldRecorder, type CollectOptions, type FieldBatch, type FieldOptions } from '../core/field/recorder.ts';
import type { Baseline, RecentCalls, SessionSelector, SessionSummary, StartInfo, StartOptions, TelemetryApi } from './api.ts';

/** Delays before the rescue looks again at journals of sessions still live (a tab just closed). */
const RESCUE_RETRIES = [250, 500, 1000, 2000, 4000, 8000, 15_000, 30_000];

/** Recent calls kept in memory for live views. */
const RECENT_CALLS = 2000;

export interface ServiceOptions {
  /** Raw calls kept per session; older chunks are dropped beyond this (aggregates keep everything). */
  maxCallsPerSession?: number;
  /** Sessions kept; the oldest are deleted beyond this. */
  maxSessions?: number;
  /** How long new records wait before they are written. */
  persistDelayMs?: number;
  /** Calls per stored chunk. */
  chunkSize?: number;
  /** How sessions live in other tabs are recognised (default: Web Locks where available). */
  liveSessions?: LiveSessions | null;
  /** The tab-close rescue database (default `homeostat-rescue`; null: no rescue). */
  rescueDb?: string | null;
}

type StoreFactory = () => Promise<Store>;

export class TelemetryService implements TelemetryApi {
  private store: Store = new MemoryStore();
  private meta: SessionMeta | null = null;
  private session: StoredSession | null = null;
  private aggregator = new Aggregator();
  private attributor: Attributor | null = null;
  private strings: string[] = [];
  private chunk: RecordChunk = emptyChunk();
  /** Full chunks waiting for the next write; bounded so a burst never holds more than the cap. */
  private sealed: RecordChunk[] = [];
  private sealedCalls = 0;
  /** Chunks whose write failed (quota, a closed connection): retried on the next write, kept in exports meanwhile. */
  private unwritten: RecordChunk[] = [];
  private seqCalls: HandlerCall[] = [];
  private recent: HandlerCall[] = [];
  private callsSeen = 0;
  private lastNow = 0;
  private persistTimer: ReturnType<typeof setTimeout> | null = null;
  private writing: Promise<void> = Promise.resolve();
  private started: Promise<StartInfo> | null = null;
  /** Field aggregates for OTLP export; only when the page asked for export. */
  private field: FieldRecorder | null = null;
  private readonly warnings: string[] = [];
  private warnCount = 0;
  private lastWriteClean = false;
  /** The tab-close rescue of this start (see rescue.ts); tests await it. */
  rescued: Promise<void> = Promise.resolve();
  private readonly maxCalls: number;
  private readonly maxSessions: number;
  private readonly persistDelayMs: number;
  private readonly chunkSize: number;
  private readonly live: LiveSessions | null;
  private readonly rescueDb: string | null;

  constructor(
    private readonly openStore: StoreFactory,
    options: ServiceOptions = {},
  ) {
    this.maxCalls = options.maxCallsPerSession ?? 20_000;
    this.maxSessions = options.maxSessions ?? 50;
    this.persistDelayMs = options.persistDelayMs ?? 1000;
    this.chunkSize = options.chunkSize ?? 500;
    this.live = options.liveSessions === undefined ? webLockLiveSessions() : options.liveSessions;
    this.rescueDb = options.rescueDb === undefined ? RESCUE_DB : options.rescueDb;
  }

  start(meta: SessionMeta, options: StartOptions = {}): Promise<StartInfo> {
    this.started ??= this.doStart(meta, options);
    return this.started;
  }

  private async doStart(meta: SessionMeta, options: StartOptions): Promise<StartInfo> {
    let storageReason: string | null = null;
    try {
      this.store = await this.openStore();
    } catch (e) {
      storageReason = `IndexedDB unavailable (${describe(e)}); keeping this session in memory`;
      this.store = new MemoryStore();
    }
    this.meta = { ...meta, storage: this.store.kind, fallbackReason: joinReasons(meta.fallbackReason, storageReason) };
    this.live?.hold(meta.id);
    this.session = {
      meta: this.meta,
      stored: { calls: 0, sequences: 0, commits: 0 },
      truncated: { calls: 0, sequences: 0, commits: 0 },
      errors: 0,
      nextChunk: 0,
    };
    if (options.field) this.field = new FieldRecorder(this.meta, options.field);
    this.attributor = new Attributor(
      {
        call: (c) => this.onCall(c),
        sequence: (s) => this.onSequence(s),
        commit: (c) => this.onCommit(c),
        vital: (v) => this.onVital(v),
        frame: (f) => this.chunk.frames!.push(f),
        event: (e) => this.chunk.events!.push(e),
      },
      (id) => this.strings[id] ?? '?',
      { hookCommits: meta.react.commits === 'hook' },
    );
    await this.guard('save the session', () => this.store.putSession(this.session!));
    await this.guard('prune old sessions', () => this.prune());
    // What closed tabs saved from their pages: off the start-up path, after this session's own rows.
    this.rescued = this.rescueLater(0);
    return { storage: this.store.kind, storageReason, warnings: this.warnings.slice() };
  }

  async ingest(batch: WireBatch): Promise<void> {
    await this.ready();
    for (let i = 0; i < batch.strings.length; i++) this.strings[batch.stringBase + i] = batch.strings[i]!;
    this.attributor!.push(batch.records, batch.count);
    this.lastNow = Math.max(this.lastNow, batch.now);
    this.attributor!.advance(batch.now, batch.paintPending === true);
    if (batch.dropped !== this.meta!.dropped) this.meta!.dropped = batch.dropped;
    this.schedulePersist();
  }

  async updateMeta(patch: Partial<SessionMeta>): Promise<void> {
    await this.ready();
    const { id: _id, ...rest } = patch;
    Object.assign(this.meta!, rest);
    if (patch.react) this.attributor!.setHookCommits(patch.react.commits === 'hook');
    this.schedulePersist();
  }

  async flush(final = false): Promise<void> {
    await this.ready();
    if (final) {
      this.attributor!.flush();
      this.meta!.endedAt = this.meta!.timeOrigin + this.lastNow;
    } else this.attributor!.advance(this.lastNow);
    await this.persist();
  }

  async durable(): Promise<boolean> {
    await this.ready();
    await this.writing;
    return this.store.kind === 'indexeddb' && this.lastWriteClean && this.unwritten.length === 0;
  }

  async aggregates(selector: SessionSelector = 'current'): Promise<AggregateSnapshot> {
    return (await this.aggregatorFor(selector)).snapshot();
  }

  async sessions(): Promise<SessionSummary[]> {
    await this.ready();
    const rows = await this.store.listSessions();
    const liveId = this.meta!.id;
    const out = rows.map((s) => summarise(s, s.meta.id === liveId));
    if (!out.some((s) => s.live)) out.unshift(summarise(this.session!, true));
    const live = out.find((s) => s.live)!;
    const totals = this.aggregator.snapshot().totals;
    live.calls = totals.calls;
    live.errors = totals.errors;
    live.sequences = totals.sequences;
    return out;
  }

  async exportSession(id?: string): Promise<string> {
    await this.ready();
    const sessionId = id ?? this.meta!.id;
    const live = sessionId === this.meta!.id;
    if (live) await this.flush(true);
    // The live session as this service knows it, even when the store refused the last writes.
    const stored = live ? structuredClone({ ...this.session!, meta: this.meta! }) : await this.store.getSession(sessionId);
    if (!stored) throw new Error(`No session with id "${sessionId}"`);
    const file: SessionFile = {
      format: SESSION_FORMAT,
      version: SESSION_VERSION,
      session: stored.meta,
      calls: [],
      sequences: [],
      commits: [],
      vitals: [],
      frames: [],
      events: [],
      truncated: { ...stored.truncated },
    };
    const add = (chunk: RecordChunk) => {
      file.calls.push(...chunk.calls);
      file.sequences.push(...chunk.sequences);
      file.commits.push(...chunk.commits);
      file.vitals.push(...chunk.vitals);
      file.frames.push(...(chunk.frames ?? []));
      file.events.push(...(chunk.events ?? []));
    };
    let chunks: RecordChunk[] = [];
    try {
      chunks = (await this.store.readChunks(sessionId)).map((c) => c.chunk);
    } catch (e) {
      if (!live) throw e;
      this.warn(`could not read the stored records of the live session: ${describe(e)}`);
    }
    for (const chunk of chunks) add(chunk);
    if (live) {
      // Records the store should hold but does not (another tab cleared them, the browser
      // evicted them, a read failed) are counted as truncated, never silently missing.
      const missing = {
        calls: stored.stored.calls - file.calls.length,
        sequences: stored.stored.sequences - file.sequences.length,
        commits: stored.stored.commits - file.commits.length,
      };
      if (missing.calls > 0 || missing.sequences > 0 || missing.commits > 0) {
        const s = this.session!;
        for (const k of ['calls', 'sequences', 'commits'] as const) {
          const n = Math.max(0, missing[k]);
          file.truncated[k] += n;
          s.truncated[k] += n;
          s.stored[k] -= n;
        }
        this.warn(`${missing.calls} calls, ${missing.sequences} sequences and ${missing.commits} commits of the live session were missing from IndexedDB; counted as truncated`);
      }
      // …and those not written yet are still here.
      for (const chunk of this.unwritten) add(chunk);
    }
    // What we hand out must be readable back: a corrupted store shows up here, named.
    parseSessionFile(file, `stored session ${sessionId}`);
    return JSON.stringify(file);
  }

  async importSession(json: string): Promise<SessionSummary> {
    await this.ready();
    const file = parseSessionFile(json, 'imported session');
    let id = file.session.id;
    for (let n = 2; (await this.store.getSession(id)) || id === this.meta!.id; n++) id = `${file.session.id}~${n}`;
    const meta: SessionMeta = { ...file.session, id, source: file.session.source === 'page' ? 'import' : file.session.source };
    const session: StoredSession = {
      meta,
      stored: { calls: file.calls.length, sequences: file.sequences.length, commits: file.commits.length },
      truncated: { ...file.truncated },
      errors: file.calls.filter((c) => c.error !== null).length,
      nextChunk: 0,
    };
    // Calls are split into chunks; the (far fewer) sequences, commits, vitals, frames and events ride in the first.
    for (let i = 0; i < Math.max(1, file.calls.length); i += this.chunkSize) {
      const first = i === 0;
      await this.store.putChunk(id, session.nextChunk++, {
        calls: file.calls.slice(i, i + this.chunkSize),
        sequences: first ? file.sequences : [],
        commits: first ? file.commits : [],
        vitals: first ? file.vitals : [],
        frames: first ? file.frames : [],
        events: first ? file.events : [],
      });
    }
    await this.store.putAggregate(id, aggregateSession(file).state());
    await this.store.putSession(session);
    return summarise(session, false);
  }

  async clear(): Promise<void> {
    await this.ready();
    await this.writing;
    // Sessions being recorded in other tabs are theirs: clearing here must not delete their records.
    const others = await this.liveElsewhere();
    if (others.size === 0) await this.store.clear();
    else {
      for (const s of await this.store.listSessions()) if (!others.has(s.meta.id)) await this.store.deleteSession(s.meta.id);
      await this.store.clearBaselines();
    }
    this.aggregator = new Aggregator();
    this.recent = [];
    this.chunk = emptyChunk();
    this.sealed = [];
    this.sealedCalls = 0;
    this.unwritten = [];
    this.session = { ...this.session!, stored: { calls: 0, sequences: 0, commits: 0 }, truncated: { calls: 0, sequences: 0, commits: 0 }, errors: 0 };
    await this.store.putSession(this.session);
  }

  async saveBaseline(name: string, selector: SessionSelector = 'current'): Promise<Baseline> {
    const snapshot = await this.aggregates(selector);
    const sessions = await this.sessionIds(selector);
    const baseline: Baseline = { name, createdAt: Date.now(), sessions, snapshot };
    await this.store.putBaseline(baseline);
    return baseline;
  }

  async baselines(): Promise<Baseline[]> {
    await this.ready();
    return this.store.listBaselines();
  }

  async recentCalls(after = 0, limit = 500): Promise<RecentCalls> {
    const fresh = Math.min(this.recent.length, Math.max(0, this.callsSeen - after), Math.max(0, limit));
    return { total: this.callsSeen, calls: this.recent.slice(this.recent.length - fresh) };
  }

  async fieldStart(options: FieldOptions): Promise<void> {
    await this.ready();
    if (this.field) return;
    const field = new FieldRecorder(this.meta!, options);
    // Catch up from memory: every call so far while none has been trimmed; the sequences and
    // commits of chunks not yet written. Export is normally on from the first record; this
    // covers an app whose provider renders after the first instrumented call.
    if (this.callsSeen <= this.recent.length) for (const c of this.recent) field.addCall(c);
    if (this.session!.stored.sequences === 0 && this.session!.truncated.sequences === 0) {
      const chunks = [...this.sealed, this.chunk];
      const calls = chunks.flatMap((ch) => ch.calls);
      for (const s of chunks.flatMap((ch) => ch.sequences)) field.addSequence(s, calls.filter((c) => s.calls.includes(c.id)));
      for (const c of chunks.flatMap((ch) => ch.commits)) field.addCommit(c.calls.length > 0);
    }
    this.field = field;
  }

  async fieldCollect(options: CollectOptions): Promise<FieldBatch | null> {
    await this.ready();
    if (!this.field) return null;
    // What the page shipped so far is attributed before it is reported.
    this.attributor!.advance(this.lastNow);
    return this.field.collect(options);
  }

  async fieldAck(id: number, ok: boolean): Promise<void> {
    this.field?.ack(id, ok);
  }

  /** Warnings met so far (corrupt records skipped, failed writes). */
  problems(): string[] {
    return this.warnings.slice();
  }

  // --- internals -------------------------------------------------------------------------

  /**
   * Ingests closed tabs' journals; a journal whose tab is still live (its worker's lock not yet
   * released just after a close) is tried again a few times, then left for a later start.
   */
  private async rescueLater(attempt: number): Promise<void> {
    const name = this.rescueDb;
    if (name === null) return;
    let waiting = 0;
    await this.guard('rescue what closed tabs saved', async () => {
      const { rescueJournals } = await import('./rescue.ts');
      const r = await rescueJournals(this.store, this.meta!.id, async () => (await this.live?.live()) ?? null, () => openRescueDb(name));
      waiting = r.waiting;
    });
    if (waiting > 0 && attempt < RESCUE_RETRIES.length) {
      await new Promise((resolve) => setTimeout(resolve, RESCUE_RETRIES[attempt]));
      return this.rescueLater(attempt + 1);
    }
  }

  private async ready(): Promise<void> {
    if (!this.started) throw new Error('Telemetry service used before start()');
    await this.started;
  }

  private onCall(c: HandlerCall): void {
    this.aggregator.addCall(c, this.meta!.timeOrigin);
    this.field?.addCall(c);
    this.callsSeen++;
    this.recent.push(c);
    // Trim in blocks, not per call: one splice per RECENT_CALLS/2 calls.
    if (this.recent.length > RECENT_CALLS * 1.5) this.recent.splice(0, this.recent.length - RECENT_CALLS);
    this.seqCalls.push(c);
    this.chunk.calls.push(c);
    if (c.error) this.session!.errors++;
    if (this.chunk.calls.length >= this.chunkSize) this.seal();
  }

  /**
   * Closes the current chunk. Under a burst (thousands of calls per persist interval) raw calls
   * beyond the per-session cap are dropped here, before they are ever cloned into the store:
   * the aggregates already hold them, and writing them only to truncate them made ingestion
   * an order of magnitude slower.
   */
  private seal(): void {
    this.sealed.push(this.chunk);
    this.sealedCalls += this.chunk.calls.length;
    this.chunk = emptyChunk();
    while (this.sealed.length > 1 && this.sealedCalls - this.sealed[0]!.calls.length >= this.maxCalls) {
      const old = this.sealed.shift()!;
      this.sealedCalls -= old.calls.length;
      this.dropChunk(old, this.sealed[0]!);
    }
  }

  private onSequence(s: SequenceRecord): void {
    this.aggregator.addSequence(s, this.seqCalls, this.meta!.timeOrigin);
    this.field?.addSequence(s, this.seqCalls);
    this.seqCalls = [];
    this.chunk.sequences.push(s);
  }

  private onCommit(c: CommitRecord): void {
    this.aggregator.addCommit(c.calls.length > 0);
    this.field?.addCommit(c.calls.length > 0);
    this.chunk.commits.push(c);
  }

  private onVital(v: VitalRecord): void {
    this.chunk.vitals.push(v);
  }

  private schedulePersist(): void {
    if (this.persistTimer !== null) return;
    this.persistTimer = setTimeout(() => {
      this.persistTimer = null;
      void this.persist();
    }, this.persistDelayMs);
  }

  /** Writes pending records, the aggregates and the session row; writes never overlap. */
  private persist(): Promise<void> {
    if (this.persistTimer !== null) {
      clearTimeout(this.persistTimer);
      this.persistTimer = null;
    }
    const chunks = [...this.sealed, this.chunk];
    this.sealed = [];
    this.sealedCalls = 0;
    this.chunk = emptyChunk();
    const state = this.aggregator.state();
    this.writing = this.writing.then(async () => {
      const warned = this.warnCount;
      await this.guard('persist the session', () => this.write(chunks, state));
      // Any warning during the write (a refused chunk, aggregate or session row) makes it not durable.
      this.lastWriteClean = this.warnCount === warned && this.unwritten.length === 0;
    });
    return this.writing;
  }

  private async write(chunks: RecordChunk[], state: AggregatorState): Promise<void> {
    const s = this.session!;
    s.meta = this.meta!;
    const pending = [...this.unwritten, ...chunks].filter(
      (c) => c.calls.length + c.sequences.length + c.commits.length + c.vitals.length + (c.frames?.length ?? 0) + (c.events?.length ?? 0) > 0,
    );
    this.unwritten = [];
    for (let i = 0; i < pending.length; i++) {
      const chunk = pending[i]!;
      try {
        await this.store.putChunk(s.meta.id, s.nextChunk, chunk);
      } catch (e) {
        // Quota exceeded, or a connection another tab closed: keep this chunk and the ones after
        // it (in order) for the next write; the cap below bounds what waits.
        this.unwritten = pending.slice(i);
        this.warn(`could not write records to ${this.store.kind} (${describe(e)}); keeping ${this.unwritten.length} chunk(s) to retry`);
        break;
      }
      // Only a chunk that was written takes a sequence number and counts as stored.
      s.nextChunk++;
      s.stored.calls += chunk.calls.length;
      s.stored.sequences += chunk.sequences.length;
      s.stored.commits += chunk.commits.length;
    }
    this.capUnwritten();
    // Stored and waiting records together stay within the cap: the oldest stored ones go first
    // (deleting also frees quota for the waiting ones).
    const waiting = this.unwritten.reduce((n, c) => n + c.calls.length, 0);
    if (s.stored.calls + waiting > this.maxCalls) await this.guard('truncate the session', () => this.truncate(s, Math.max(0, this.maxCalls - waiting)));
    await this.guard('save the aggregates', () => this.store.putAggregate(s.meta.id, state));
    await this.guard('save the session', () => this.store.putSession(s));
  }

  /** Unwritten chunks beyond the raw-call cap are dropped, oldest first, and counted as truncated. */
  private capUnwritten(): void {
    let calls = this.unwritten.reduce((n, c) => n + c.calls.length, 0);
    while (this.unwritten.length > 1 && calls - this.unwritten[0]!.calls.length >= this.maxCalls) {
      const old = this.unwritten.shift()!;
      calls -= old.calls.length;
      this.dropChunk(old, this.unwritten[0]!);
    }
  }

  /**
   * Counts a chunk's records as truncated; its vitals, long frames and interaction entries (a few
   * per interaction, what the flow's user-felt numbers come from) move on to `next` rather than vanish.
   */
  private dropChunk(old: RecordChunk, next: RecordChunk): void {
    const t = this.session!.truncated;
    t.calls += old.calls.length;
    t.sequences += old.sequences.length;
    t.commits += old.commits.length;
    if (old.vitals.length > 0) next.vitals.unshift(...old.vitals);
    if (old.frames?.length) (next.frames ??= []).unshift(...old.frames);
    if (old.events?.length) (next.events ??= []).unshift(...old.events);
  }

  /** Drops the oldest chunks of a session until its raw calls fit `cap`. */
  private async truncate(s: StoredSession, cap = this.maxCalls): Promise<void> {
    for (const { seq, chunk } of await this.store.readChunks(s.meta.id)) {
      if (s.stored.calls <= cap) break;
      await this.store.deleteChunk(s.meta.id, seq);
      s.stored.calls -= chunk.calls.length;
      s.stored.sequences -= chunk.sequences.length;
      s.stored.commits -= chunk.commits.length;
      s.truncated.calls += chunk.calls.length;
      s.truncated.sequences += chunk.sequences.length;
      s.truncated.commits += chunk.commits.length;
    }
  }

  private async prune(): Promise<void> {
    const sessions = await this.store.listSessions();
    const old = sessions.slice(this.maxSessions);
    if (old.length === 0) return;
    const others = await this.liveElsewhere();
    for (const s of old) {
      if (s.meta.id !== this.meta!.id && !others.has(s.meta.id)) await this.store.deleteSession(s.meta.id);
    }
  }

  /** Sessions other contexts are recording now (empty when that cannot be known). */
  private async liveElsewhere(): Promise<Set<string>> {
    const live = (await this.live?.live()) ?? new Set<string>();
    live.delete(this.meta!.id);
    return live;
  }

  private async aggregatorFor(selector: SessionSelector): Promise<Aggregator> {
    await this.ready();
    const ids = await this.sessionIds(selector);
    const merged = new Aggregator();
    for (const id of ids) {
      if (id === this.meta!.id) {
        merged.merge(this.aggregator);
        continue;
      }
      const state = await this.store.getAggregate(id);
      if (!state) {
        if (typeof selector === 'object') throw new Error(`No session with id "${id}"`);
        continue;
      }
      try {
        merged.merge(Aggregator.fromState(state));
      } catch (e) {
        this.warn(`IndexedDB aggregates["${id}"] could not be read (${describe(e)}); skipped, not deleted`);
      }
    }
    return merged;
  }

  private async sessionIds(selector: SessionSelector): Promise<string[]> {
    if (selector === 'current') return [this.meta!.id];
    if (selector === 'all') {
      const ids = (await this.store.listSessions()).map((s) => s.meta.id);
      return ids.includes(this.meta!.id) ? ids : [this.meta!.id, ...ids];
    }
    return 'id' in selector ? [selector.id] : selector.ids.slice();
  }

  private async guard(what: string, fn: () => Promise<void>): Promise<void> {
    try {
      await fn();
    } catch (e) {
      this.warn(`could not ${what}: ${describe(e)}`);
    }
  }

  private warn(message: string): void {
    this.warnCount++;
    if (this.warnings.length < 100) this.warnings.push(message);
  }
}

function summarise(s: StoredSession, live: boolean): SessionSummary {
  return {
    id: s.meta.id,
    startedAt: s.meta.startedAt,
    endedAt: s.meta.endedAt,
    url: s.meta.url,
    source: s.meta.source,
    app: s.meta.app,
    build: s.meta.build,
    calls: s.stored.calls + s.truncated.calls,
    sequences: s.stored.sequences + s.truncated.sequences,
    errors: s.errors,
    truncated: s.truncated.calls,
    live,
  };
}

function describe(e: unknown): string {
  return e instanceof Error ? `${e.name}: ${e.message}` : String(e);
}

function joinReasons(a: string | null, b: string | null): string | null {
  return a && b ? `${a}; ${b}` : (a ?? b);
}
