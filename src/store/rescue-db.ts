/**
 * The tab-close rescue store: every batch a page cuts is also written here by the page itself,
 * as it is cut, until the worker has confirmed writing it, because a closing tab takes its
 * dedicated worker with it (and, on a starved machine, may not even run its `pagehide`
 * handler). The next start of the service ingests the batches of every session that is no
 * longer live, once (see worker/rescue.ts). Its own database, so it never takes part in the
 * main database's version upgrades; the raw IndexedDB API, so the page pays no library for it.
 */
import type { SessionMeta } from '../core/model.ts';
import type { WireBatch } from '../core/wire.ts';

export const RESCUE_DB = 'homeostat-rescue';
const SESSIONS = 'sessions';
const BATCHES = 'batches';

/** What a page's batches need to be attributed again from nothing. */
export interface RescueSession {
  sessionId: string;
  meta: SessionMeta;
  /** Every string the page interned so far (the batches' ids refer to them). */
  strings: string[];
  /** Epoch ms of the last write. */
  savedAt: number;
}

/** One batch as the page cut it (`n`: its number in the session, from 0). */
export interface RescueBatch {
  sessionId: string;
  n: number;
  batch: WireBatch;
}

/** A session's journal as the service reads it. */
export interface RescueRow extends RescueSession {
  batches: WireBatch[];
}

/** Opens (creating) the rescue database; rejects where IndexedDB is unavailable. */
export function openRescueDb(name = RESCUE_DB, version?: number): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    if (typeof indexedDB === 'undefined') return reject(new Error('IndexedDB is not available here'));
    const req = version === undefined ? indexedDB.open(name) : indexedDB.open(name, version);
    req.onupgradeneeded = () => {
      const db = req.result;
      if (!db.objectStoreNames.contains(SESSIONS)) db.createObjectStore(SESSIONS, { keyPath: 'sessionId' });
      if (!db.objectStoreNames.contains(BATCHES)) db.createObjectStore(BATCHES, { keyPath: ['sessionId', 'n'] });
    };
    req.onsuccess = () => {
      const db = req.result;
      // A database someone created without our stores (a reader that opened it first): add them in a new version.
      if (!db.objectStoreNames.contains(SESSIONS) || !db.objectStoreNames.contains(BATCHES)) {
        const next = db.version + 1;
        db.close();
        if (version !== undefined && version >= next) return reject(new Error(`${name} lacks its stores`));
        return openRescueDb(name, next).then(resolve, reject);
      }
      // Another context deleting or upgrading the database: step aside.
      db.onversionchange = () => db.close();
      resolve(db);
    };
    req.onerror = () => reject(req.error);
    req.onblocked = () => reject(new Error(`${name} is blocked by another connection`));
  });
}

function done(tx: IDBTransaction): Promise<void> {
  return new Promise((resolve, reject) => {
    tx.oncomplete = () => resolve();
    tx.onerror = () => reject(tx.error);
    tx.onabort = () => reject(tx.error ?? new Error('transaction aborted'));
  });
}

const range = (sessionId: string, from: number, to: number) => IDBKeyRange.bound([sessionId, from], [sessionId, to]);

/**
 * Writes batches (and, when given, the session row with the strings) in one transaction. The
 * requests are issued synchronously, so a page that is closing has handed them to the browser
 * before its handler returns; `commit()` asks for the write without waiting for the page's next
 * task, which a closing page may never get.
 */
export function putRescue(db: IDBDatabase, session: RescueSession | null, batches: readonly RescueBatch[]): Promise<void> {
  const tx = db.transaction([SESSIONS, BATCHES], 'readwrite');
  if (session) tx.objectStore(SESSIONS).put(session);
  const store = tx.objectStore(BATCHES);
  for (const b of batches) store.put(b);
  const written = done(tx);
  (tx as IDBTransaction & { commit?: () => void }).commit?.();
  return written;
}

/** Deletes batches `0 .. below - 1` of a session (the worker wrote them). */
export function deleteRescueBatches(db: IDBDatabase, sessionId: string, below: number): Promise<void> {
  const tx = db.transaction(BATCHES, 'readwrite');
  if (below > 0) tx.objectStore(BATCHES).delete(range(sessionId, 0, below - 1));
  return done(tx);
}

/** Deletes a session's journal: its row and every batch. */
export function deleteRescue(db: IDBDatabase, sessionId: string): Promise<void> {
  const tx = db.transaction([SESSIONS, BATCHES], 'readwrite');
  tx.objectStore(SESSIONS).delete(sessionId);
  tx.objectStore(BATCHES).delete(range(sessionId, 0, Infinity));
  return done(tx);
}

function all<T>(req: IDBRequest): Promise<T[]> {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result as T[]);
    req.onerror = () => reject(req.error);
  });
}

/** Every journal, its batches in the order they were cut. A session without batches has an empty list. */
export async function readRescues(db: IDBDatabase): Promise<RescueRow[]> {
  const tx = db.transaction([SESSIONS, BATCHES], 'readonly');
  const [sessions, batches] = await Promise.all([all<RescueSession>(tx.objectStore(SESSIONS).getAll()), all<RescueBatch>(tx.objectStore(BATCHES).getAll())]);
  const bySession = new Map<string, RescueBatch[]>();
  for (const b of batches) {
    let list = bySession.get(b.sessionId);
    if (!list) bySession.set(b.sessionId, (list = []));
    list.push(b);
  }
  return sessions.map((s) => ({ ...s, batches: (bySession.get(s.sessionId) ?? []).sort((a, b) => a.n - b.n).map((b) => b.batch) }));
}
