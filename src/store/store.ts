/** Where the telemetry service keeps sessions, capped raw records, aggregates and baselines. */
import type { AggregateSnapshot, AggregatorState } from '../core/aggregate.ts';
import type { CommitRecord, EventTimingRecord, FrameRecord, HandlerCall, SequenceRecord, SessionMeta, StorageKind, VitalRecord } from '../core/model.ts';

export interface RecordChunk {
  calls: HandlerCall[];
  sequences: SequenceRecord[];
  commits: CommitRecord[];
  vitals: VitalRecord[];
  /** Long Animation Frames and interaction entries; absent in chunks stored before they were kept. */
  frames?: FrameRecord[];
  events?: EventTimingRecord[];
}

export interface StoredSession {
  meta: SessionMeta;
  /** Raw records currently stored for the session. */
  stored: { calls: number; sequences: number; commits: number };
  /** Raw records removed to stay within the caps (their aggregates are kept). */
  truncated: { calls: number; sequences: number; commits: number };
  errors: number;
  /** Next chunk sequence number. */
  nextChunk: number;
}

export interface Store {
  readonly kind: StorageKind;
  putSession(session: StoredSession): Promise<void>;
  getSession(id: string): Promise<StoredSession | undefined>;
  /** Newest first. */
  listSessions(): Promise<StoredSession[]>;
  putChunk(sessionId: string, seq: number, chunk: RecordChunk): Promise<void>;
  /** Chunks of a session, oldest first. */
  readChunks(sessionId: string): Promise<Array<{ seq: number; chunk: RecordChunk }>>;
  deleteChunk(sessionId: string, seq: number): Promise<void>;
  putAggregate(sessionId: string, state: AggregatorState): Promise<void>;
  getAggregate(sessionId: string): Promise<AggregatorState | undefined>;
  deleteSession(id: string): Promise<void>;
  putBaseline(baseline: Baseline): Promise<void>;
  listBaselines(): Promise<Baseline[]>;
  clearBaselines(): Promise<void>;
  clear(): Promise<void>;
  close(): void;
}

export function emptyChunk(): RecordChunk {
  return { calls: [], sequences: [], commits: [], vitals: [], frames: [], events: [] };
}

/** A named snapshot of aggregates to compare later sessions against. */
export interface Baseline {
  name: string;
  /** Epoch ms. */
  createdAt: number;
  sessions: string[];
  snapshot: AggregateSnapshot;
}
