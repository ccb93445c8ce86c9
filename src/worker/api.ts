/** The contract between the page and the telemetry service (in a worker via comlink, or in memory). */
import type { AggregateSnapshot } from '../core/aggregate.ts';
import type { HandlerCall, SessionMeta, StorageKind } from '../core/model.ts';
import type { WireBatch } from '../core/wire.ts';
import type { CollectOptions, FieldBatch, FieldOptions } from '../core/field/recorder.ts';
import type { Baseline } from '../store/store.ts';

export type { Baseline } from '../store/store.ts';

export type { FieldBatch, FieldOptions, CollectOptions } from '../core/field/recorder.ts';

/** How the service records, beyond the session itself. */
export interface StartOptions {
  /** Keep per-session field aggregates for OTLP export (the page's `export` option). */
  field?: FieldOptions;
}

/** Which sessions a query covers: the live one, one by id, or every stored session merged. */
export type SessionSelector = 'current' | 'all' | { id: string } | { ids: string[] };

export interface StartInfo {
  storage: StorageKind;
  /** Why storage fell back to memory, if it did. */
  storageReason: string | null;
  /** Problems met while reading the store (corrupt records are skipped, never deleted). */
  warnings: string[];
}

export interface SessionSummary {
  id: string;
  startedAt: number;
  endedAt: number | null;
  url: string;
  source: SessionMeta['source'];
  app: string | null;
  build: string | null;
  calls: number;
  sequences: number;
  errors: number;
  truncated: number;
  /** True for the session this page is recording now. */
  live: boolean;
}


/** Calls recorded since a point in the stream (see `TelemetryApi.recentCalls`). */
export interface RecentCalls {
  /** Calls the service has attributed since it started (monotonic; survives `clear`). */
  total: number;
  /** The newest calls after `after`, oldest first, at most `limit`. */
  calls: HandlerCall[];
}

export interface TelemetryApi {
  /** Starts (or resumes) recording `meta`'s session. Must be called before `ingest`. */
  start(meta: SessionMeta, options?: StartOptions): Promise<StartInfo>;
  /** Records a batch from the page. Fire-and-forget: the page never waits for it. */
  ingest(batch: WireBatch): Promise<void>;
  /** Updates fields of the live session (React detection, transport, drops). */
  updateMeta(patch: Partial<SessionMeta>): Promise<void>;
  /** Attributes what can be and persists. `final` closes every open sequence (page hidden, export). */
  flush(final?: boolean): Promise<void>;
  /**
   * Whether everything ingested so far and attributed is in IndexedDB: the last write met no
   * error and nothing waits for a retry. The page drops its rescue journal only on `true`.
   */
  durable(): Promise<boolean>;
  aggregates(selector?: SessionSelector): Promise<AggregateSnapshot>;
  sessions(): Promise<SessionSummary[]>;
  /** The session as versioned JSON (the live one when no id is given). */
  exportSession(id?: string): Promise<string>;
  /** Validates and stores a session file. Throws naming the bad field; stores nothing then. */
  importSession(json: string): Promise<SessionSummary>;
  /** Deletes every stored session and baseline and restarts the live session's aggregates. */
  clear(): Promise<void>;
  saveBaseline(name: string, selector?: SessionSelector): Promise<Baseline>;
  baselines(): Promise<Baseline[]>;
  /** The live session's most recent calls after the `after`-th one (for live views such as the DevTools panel). */
  recentCalls(after?: number, limit?: number): Promise<RecentCalls>;
  /**
   * Starts keeping field aggregates after `start` (the page's `export` option arrived late). The
   * session's calls so far are replayed into them while they are all still in memory.
   */
  fieldStart(options: FieldOptions): Promise<void>;
  /** The OTLP requests for field data changed since the last acknowledged send (null: nothing, or export off). */
  fieldCollect(options: CollectOptions): Promise<FieldBatch | null>;
  /** Settles a collected batch: sent (its data is clean) or not (it is sent again next time). */
  fieldAck(id: number, ok: boolean): Promise<void>;
}
