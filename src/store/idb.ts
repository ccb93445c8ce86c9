/**
 * The IndexedDB store (via idb): typed schema, explicit migrations, one transaction per call.
 * Records that fail to read back are reported and skipped, never deleted.
 */
import { openDB, type DBSchema, type IDBPDatabase, type IDBPTransaction, type StoreNames } from 'idb';
import type { AggregatorState } from '../core/aggregate.ts';
import type { Baseline } from '../worker/api.ts';
import type { RecordChunk, Store, StoredSession } from './store.ts';

export const DB_NAME = 'homeostat';

interface ChunkRow {
  sessionId: string;
  seq: number;
  chunk: RecordChunk;
}

interface AggregateRow {
  sessionId: string;
  state: AggregatorState;
}

export interface HomeostatDB extends DBSchema {
  sessions: { key: string; value: StoredSession; indexes: { byStartedAt: number } };
  chunks: { key: [string, number]; value: ChunkRow };
  aggregates: { key: string; value: AggregateRow };
  baselines: { key: string; value: Baseline };
}

type UpgradeTx = IDBPTransaction<HomeostatDB, StoreNames<HomeostatDB>[], 'versionchange'>;

/**
 * Migration `i` upgrades a database at version `i` to version `i + 1`. Never edit a shipped
 * step: add a new one, so every older database walks the same path.
 */
export const MIGRATIONS: ReadonlyArray<(db: IDBPDatabase<HomeostatDB>, tx: UpgradeTx) => void> = [
  // 0 → 1: sessions, raw record chunks, aggregates.
  (db) => {
    db.createObjectStore('sessions', { keyPath: 'meta.id' });
    db.createObjectStore('chunks', { keyPath: ['sessionId', 'seq'] });
    db.createObjectStore('aggregates', { keyPath: 'sessionId' });
  },
  // 1 → 2: baselines, and sessions listed by start time without a full scan.
  (db, tx) => {
    db.createObjectStore('baselines', { keyPath: 'name' });
    tx.objectStore('sessions').createIndex('byStartedAt', 'meta.startedAt');
  },
];

export const DB_VERSION = MIGRATIONS.length;

/** Opens (creating or migrating) the database at `version`; tests use lower versions to build old databases. */
export function openHomeostatDB(name = DB_NAME, version = DB_VERSION): Promise<IDBPDatabase<HomeostatDB>> {
  return openDB<HomeostatDB>(name, version, {
    upgrade(db, oldVersion, newVersion, tx) {
      for (let v = oldVersion; v < (newVersion ?? version); v++) MIGRATIONS[v]!(db, tx);
    },
    blocking(_current, _blocked, event) {
      // A newer tab wants to upgrade: step aside rather than block it.
      (event.target as IDBDatabase | null)?.close();
    },
  });
}

export class IdbStore implements Store {
  readonly kind = 'indexeddb' as const;

  private constructor(private readonly db: IDBPDatabase<HomeostatDB>) {}

  static async open(name = DB_NAME): Promise<IdbStore> {
    if (typeof indexedDB === 'undefined') throw new Error('IndexedDB is not available in this context');
    return new IdbStore(await openHomeostatDB(name));
  }

  async putSession(session: StoredSession): Promise<void> {
    await this.db.put('sessions', session);
  }

  async getSession(id: string): Promise<StoredSession | undefined> {
    return this.db.get('sessions', id);
  }

  async listSessions(): Promise<StoredSession[]> {
    const rows = await this.db.getAllFromIndex('sessions', 'byStartedAt');
    return rows.reverse();
  }

  async putChunk(sessionId: string, seq: number, chunk: RecordChunk): Promise<void> {
    await this.db.put('chunks', { sessionId, seq, chunk });
  }

  async readChunks(sessionId: string): Promise<Array<{ seq: number; chunk: RecordChunk }>> {
    const rows = await this.db.getAll('chunks', IDBKeyRange.bound([sessionId, -Infinity], [sessionId, Infinity]));
    return rows.map((r) => ({ seq: r.seq, chunk: r.chunk }));
  }

  async deleteChunk(sessionId: string, seq: number): Promise<void> {
    await this.db.delete('chunks', [sessionId, seq]);
  }

  async putAggregate(sessionId: string, state: AggregatorState): Promise<void> {
    await this.db.put('aggregates', { sessionId, state });
  }

  async getAggregate(sessionId: string): Promise<AggregatorState | undefined> {
    return (await this.db.get('aggregates', sessionId))?.state;
  }

  async deleteSession(id: string): Promise<void> {
    const tx = this.db.transaction(['sessions', 'chunks', 'aggregates'], 'readwrite');
    await Promise.all([
      tx.objectStore('sessions').delete(id),
      tx.objectStore('chunks').delete(IDBKeyRange.bound([id, -Infinity], [id, Infinity])),
      tx.objectStore('aggregates').delete(id),
      tx.done,
    ]);
  }

  async putBaseline(baseline: Baseline): Promise<void> {
    await this.db.put('baselines', baseline);
  }

  async listBaselines(): Promise<Baseline[]> {
    return this.db.getAll('baselines');
  }

  async clear(): Promise<void> {
    const tx = this.db.transaction(['sessions', 'chunks', 'aggregates', 'baselines'], 'readwrite');
    await Promise.all([
      tx.objectStore('sessions').clear(),
      tx.objectStore('chunks').clear(),
      tx.objectStore('aggregates').clear(),
      tx.objectStore('baselines').clear(),
      tx.done,
    ]);
  }

  close(): void {
    this.db.close();
  }
}
