/**
 * The IndexedDB store (via idb): typed schema, explicit migrations, one transaction per call.
 * Records that fail to read back are reported and skipped, never deleted.
 */
import { openDB, type DBSchema, type IDBPDatabase, type IDBPTransaction, type StoreNames } from 'idb';
import type { AggregatorState } from '../core/aggregate.ts';
import type { Baseline } from './store.ts';
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

/** Object stores this version of Homeostat reads and writes. */
const STORES = ['sessions', 'chunks', 'aggregates', 'baselines'] as const;

/**
 * Opens the database, whatever version another tab left it at: ours (creating or migrating it),
 * or a newer one written by a later Homeostat in another tab, used as is when it still has the
 * stores we need (migrations only ever add).
 */
async function openAnyVersion(name: string, onLost: () => void): Promise<IDBPDatabase<HomeostatDB>> {
  const callbacks = {
    blocking(_current: number, _blocked: number | null, event: IDBVersionChangeEvent) {
      // A newer tab wants to upgrade: step aside (we reopen at its version on the next use).
      (event.target as IDBDatabase | null)?.close();
      onLost();
    },
    terminated: onLost,
  };
  try {
    return await openDB<HomeostatDB>(name, DB_VERSION, {
      upgrade(db, oldVersion, newVersion, tx) {
        for (let v = oldVersion; v < (newVersion ?? DB_VERSION); v++) MIGRATIONS[v]!(db, tx);
      },
      ...callbacks,
    });
  } catch (e) {
    if (!(e instanceof DOMException && e.name === 'VersionError')) throw e;
  }
  const db = await openDB<HomeostatDB>(name, undefined, callbacks);
  const missing = STORES.filter((s) => !db.objectStoreNames.contains(s));
  if (missing.length > 0) {
    db.close();
    throw new Error(`IndexedDB "${name}" is at version ${db.version}, newer than this page's ${DB_VERSION}, and lacks ${missing.join(', ')}`);
  }
  return db;
}

export class IdbStore implements Store {
  readonly kind = 'indexeddb' as const;
  private db: IDBPDatabase<HomeostatDB> | null;
  private opening: Promise<IDBPDatabase<HomeostatDB>> | null = null;
  /** Times the connection was lost (another tab upgraded, or the browser closed it) and reopened. */
  reopened = 0;

  private constructor(
    db: IDBPDatabase<HomeostatDB>,
    private readonly name: string,
  ) {
    this.db = db;
  }

  static async open(name = DB_NAME): Promise<IdbStore> {
    if (typeof indexedDB === 'undefined') throw new Error('IndexedDB is not available in this context');
    let store: IdbStore | null = null;
    const db = await openAnyVersion(name, () => store?.lost());
    store = new IdbStore(db, name);
    return store;
  }

  private lost(): void {
    this.db = null;
  }

  /** The open connection, reopened after it was lost. */
  private conn(): Promise<IDBPDatabase<HomeostatDB>> {
    if (this.db) return Promise.resolve(this.db);
    this.opening ??= openAnyVersion(this.name, () => this.lost()).then(
      (db) => {
        this.db = db;
        this.opening = null;
        this.reopened++;
        return db;
      },
      (e: unknown) => {
        this.opening = null;
        throw e;
      },
    );
    return this.opening;
  }

  /** Runs `op` on the connection; once more on a fresh one if the connection closed under it. */
  private async run<T>(op: (db: IDBPDatabase<HomeostatDB>) => Promise<T>): Promise<T> {
    const db = await this.conn();
    try {
      return await op(db);
    } catch (e) {
      if (!(e instanceof DOMException && e.name === 'InvalidStateError')) throw e;
      if (this.db === db) this.db = null;
      return op(await this.conn());
    }
  }

  /**
   * One write in its own transaction, committed as soon as the request is sent rather than when
   * its success event has come back: the commit reaches the database one round trip earlier,
   * which is what a worker gets killed in when its page closes.
   */
  private put<S extends 'sessions' | 'chunks' | 'aggregates' | 'baselines'>(store: S, value: HomeostatDB[S]['value']): Promise<void> {
    return this.run(async (db) => {
      const tx = db.transaction(store, 'readwrite');
      const request = tx.store.put(value);
      tx.commit();
      await request;
      await tx.done;
    });
  }

  async putSession(session: StoredSession): Promise<void> {
    await this.put('sessions', session);
  }

  async getSession(id: string): Promise<StoredSession | undefined> {
    return this.run((db) => db.get('sessions', id));
  }

  async listSessions(): Promise<StoredSession[]> {
    const rows = await this.run((db) => db.getAllFromIndex('sessions', 'byStartedAt'));
    return rows.reverse();
  }

  async putChunk(sessionId: string, seq: number, chunk: RecordChunk): Promise<void> {
    await this.put('chunks', { sessionId, seq, chunk });
  }

  async readChunks(sessionId: string): Promise<Array<{ seq: number; chunk: RecordChunk }>> {
    const rows = await this.run((db) => db.getAll('chunks', IDBKeyRange.bound([sessionId, -Infinity], [sessionId, Infinity])));
    return rows.map((r) => ({ seq: r.seq, chunk: r.chunk }));
  }

  async deleteChunk(sessionId: string, seq: number): Promise<void> {
    await this.run((db) => db.delete('chunks', [sessionId, seq]));
  }

  async putAggregate(sessionId: string, state: AggregatorState): Promise<void> {
    await this.put('aggregates', { sessionId, state });
  }

  async getAggregate(sessionId: string): Promise<AggregatorState | undefined> {
    return (await this.run((db) => db.get('aggregates', sessionId)))?.state;
  }

  async deleteSession(id: string): Promise<void> {
    await this.run(async (db) => {
      const tx = db.transaction(['sessions', 'chunks', 'aggregates'], 'readwrite');
      await Promise.all([
        tx.objectStore('sessions').delete(id),
        tx.objectStore('chunks').delete(IDBKeyRange.bound([id, -Infinity], [id, Infinity])),
        tx.objectStore('aggregates').delete(id),
        tx.done,
      ]);
    });
  }

  async putBaseline(baseline: Baseline): Promise<void> {
    await this.put('baselines', baseline);
  }

  async listBaselines(): Promise<Baseline[]> {
    return this.run((db) => db.getAll('baselines'));
  }

  async clearBaselines(): Promise<void> {
    await this.run((db) => db.clear('baselines'));
  }

  async clear(): Promise<void> {
    await this.run(async (db) => {
      const tx = db.transaction(['sessions', 'chunks', 'aggregates', 'baselines'], 'readwrite');
      await Promise.all([
        tx.objectStore('sessions').clear(),
        tx.objectStore('chunks').clear(),
        tx.objectStore('aggregates').clear(),
        tx.objectStore('baselines').clear(),
        tx.done,
      ]);
    });
  }

  close(): void {
    this.db?.close();
    this.db = null;
  }
}
