/**
 * The tab-close rescue store: what a page holds when it is hidden or closed (records still in
 * its buffer, batches posted to its worker and not yet known to be written) is put here by the
 * page itself, because a closing tab takes its dedicated worker with it before that worker can
 * write. The next start of the service ingests every row of a session that is no longer live,
 * once (see worker/rescue.ts). Its own database, so it never takes part in the main database's
 * version upgrades; the raw IndexedDB API, so the page pays no library for it.
 */
import type { SessionMeta } from '../core/model.ts';
import type { WireBatch } from '../core/wire.ts';

export const RESCUE_DB = 'homeostat-rescue';
const STORE = 'pending';

/** One page's journal: everything needed to attribute its batches again from nothing. */
export interface RescueRow {
  sessionId: string;
  meta: SessionMeta;
  /** Every string the page interned (the batches' ids refer to them). */
  strings: string[];
  /** Batches in the order they were cut, `records` as their own copies. */
  batches: WireBatch[];
  /** Epoch ms of the write. */
  savedAt: number;
}

/** Opens (creating) the rescue database; rejects where IndexedDB is unavailable. */
export function openRescueDb(name = RESCUE_DB): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    if (typeof indexedDB === 'undefined') return reject(new Error('IndexedDB is not available here'));
    const req = indexedDB.open(name, 1);
    req.onupgradeneeded = () => {
      if (!req.result.objectStoreNames.contains(STORE)) req.result.createObjectStore(STORE, { keyPath: 'sessionId' });
    };
    req.onsuccess = () => {
      const db = req.result;
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

/**
 * Puts (replaces) a page's journal. The request is issued synchronously, so a page that is
 * closing has handed it to the browser before its handler returns; `commit()` asks for it to be
 * written without waiting for the page's next task (which a closing page may never get).
 */
export function putRescue(db: IDBDatabase, row: RescueRow): Promise<void> {
  const tx = db.transaction(STORE, 'readwrite', { durability: 'strict' } as IDBTransactionOptions);
  tx.objectStore(STORE).put(row);
  const written = done(tx);
  (tx as IDBTransaction & { commit?: () => void }).commit?.();
  return written;
}

export function deleteRescue(db: IDBDatabase, sessionId: string): Promise<void> {
  const tx = db.transaction(STORE, 'readwrite');
  tx.objectStore(STORE).delete(sessionId);
  return done(tx);
}

export function readRescues(db: IDBDatabase): Promise<RescueRow[]> {
  const tx = db.transaction(STORE, 'readonly');
  const req = tx.objectStore(STORE).getAll();
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result as RescueRow[]);
    req.onerror = () => reject(req.error);
  });
}
