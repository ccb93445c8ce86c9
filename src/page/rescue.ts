/**
 * Tab-close rescue, the page's half. A closing tab takes its dedicated worker with it, often
 * before the worker has written what it was just sent; the page outlives it by the length of
 * its `pagehide` handler. So the page keeps its own copy of every batch since the last moment
 * the worker confirmed a complete write, and when it is hidden or closed it puts that copy
 * (with the string table) into IndexedDB itself, in a request issued before the handler
 * returns. When the worker then confirms the write the copy is dropped and the row deleted; if
 * the tab died first, the next start ingests the row, skipping what the worker did write
 * (worker/rescue.ts), so every record is counted once.
 */
import type { SessionMeta } from '../core/model.ts';
import type { WireBatch } from '../core/wire.ts';
import { deleteRescue, openRescueDb, putRescue } from '../store/rescue-db.ts';

/**
 * Records kept between confirmed writes (~1.9 MB). Only a page visible for long without being
 * hidden reaches it; the oldest copies go first, long since written by the worker's own timer.
 */
const MAX_KEPT_RECORDS = 20_000;

export class PageRescue {
  private db: IDBDatabase | null = null;
  private kept: WireBatch[] = [];
  private keptRecords = 0;
  /** Batches cut since the page started: `kept[0]` is batch number `keptFrom`. */
  private keptFrom = 0;
  private cut = 0;
  /** A row is in the database for this session (written at a hide, not yet confirmed). */
  private saved = false;
  /** Times the page could not write its row (no IndexedDB, quota): counted in status. */
  failures = 0;

  constructor(
    private readonly meta: SessionMeta,
    private readonly strings: () => readonly string[],
  ) {
    // Opened now, not at pagehide: a closing page has no time left to wait for an open.
    openRescueDb().then(
      (db) => (this.db = db),
      () => (this.failures++, undefined),
    );
  }

  /** A batch is about to be handed to the transport (which transfers its buffer): keep a copy. */
  keep(batch: WireBatch): void {
    this.kept.push({ ...batch, records: batch.records.slice(), strings: batch.strings.slice() });
    this.keptRecords += batch.count;
    this.cut++;
    while (this.keptRecords > MAX_KEPT_RECORDS && this.kept.length > 1) {
      const old = this.kept.shift()!;
      this.keptRecords -= old.count;
      this.keptFrom++;
    }
  }

  /**
   * The page is being hidden or closed: writes every kept batch now. Returns the mark to pass to
   * `confirmed` once the worker has written everything it was sent up to here.
   */
  save(): number {
    const mark = this.cut;
    const db = this.db;
    if (!db || this.kept.length === 0) return mark;
    try {
      void putRescue(db, {
        sessionId: this.meta.id,
        meta: { ...this.meta },
        strings: this.strings().slice(),
        batches: this.kept.slice(),
        savedAt: Date.now(),
      }).catch(() => void this.failures++);
      this.saved = true;
    } catch {
      // A closed connection, a full disk: the worker's own write is what is left.
      this.failures++;
    }
    return mark;
  }

  /** The worker wrote (attributed and persisted) every batch cut before `mark`: their copies go. */
  confirmed(mark: number): void {
    const drop = Math.min(this.kept.length, Math.max(0, mark - this.keptFrom));
    for (const b of this.kept.splice(0, drop)) this.keptRecords -= b.count;
    this.keptFrom += drop;
    if (this.saved && this.kept.length === 0 && this.db) {
      this.saved = false;
      // Nothing left that the worker has not written: the row would only be skipped later.
      deleteRescue(this.db, this.meta.id).catch(() => undefined);
    }
  }
}
