/**
 * Tab-close rescue, the page's half. A closing tab takes its dedicated worker with it, often
 * before the worker has written what it was just sent; on a starved machine the browser may
 * even end the page before its `pagehide` handler runs. So the page writes every batch it cuts
 * to IndexedDB itself, as it cuts it (one small put; the string table when it grew), and cuts a
 * last batch when it is hidden or closed. Batches leave the journal once the worker has
 * confirmed writing them: at a hide, after its final flush; while the page stays visible, those
 * older than the longest time attribution may hold a record, after a periodic flush. If the tab
 * died first, the next start ingests what is left, skipping what the worker did write
 * (worker/rescue.ts), so every record is counted once.
 */
import type { SessionMeta } from '../core/model.ts';
import type { WireBatch } from '../core/wire.ts';
import { deleteRescue, deleteRescueBatches, openRescueDb, putRescue, type RescueBatch } from '../store/rescue-db.ts';

/** Batches waiting for the database to open (a page that records before it has). */
const MAX_WAITING = 256;
/**
 * A batch cut this long before a completed (non-final) flush of the worker is written by it:
 * attribution holds a record at most for the paint grace, the idle close and a long frame.
 */
export const CONFIRM_HORIZON_MS = 10_000;

export class PageRescue {
  private db: IDBDatabase | null = null;
  private waiting: RescueBatch[] = [];
  /** Cut times of the batches not yet confirmed, by number. */
  private readonly cutAt = new Map<number, number>();
  private next = 0;
  /** Batches below this number are confirmed written by the worker (and deleted here). */
  private confirmedBelow = 0;
  private stringsWritten = -1;
  /** Writes the page could not make (no IndexedDB, quota): the worker's own write is what is left. */
  failures = 0;

  constructor(
    private readonly meta: SessionMeta,
    private readonly strings: () => readonly string[],
  ) {
    // Opened now, not at pagehide: a closing page has no time left to wait for an open.
    openRescueDb().then(
      (db) => {
        this.db = db;
        this.write(this.waiting.splice(0));
      },
      () => void this.failures++,
    );
  }

  /** A batch was cut and is about to be handed to the transport (which transfers its buffer): journal a copy. */
  keep(batch: WireBatch): void {
    const n = this.next++;
    this.cutAt.set(n, Date.now());
    const row: RescueBatch = { sessionId: this.meta.id, n, batch: { ...batch, records: batch.records.slice(), strings: batch.strings.slice() } };
    if (this.db) this.write([row]);
    else {
      this.waiting.push(row);
      if (this.waiting.length > MAX_WAITING) this.waiting.shift();
    }
  }

  /** The number every batch cut so far is below: pass it to `confirmed` once the worker has written them. */
  mark(): number {
    return this.next;
  }

  /** The mark of the batches cut at least `CONFIRM_HORIZON_MS` ago (for a periodic, non-final flush). */
  settledMark(now = Date.now()): number {
    let mark = this.confirmedBelow;
    while (mark < this.next && (this.cutAt.get(mark) ?? Infinity) <= now - CONFIRM_HORIZON_MS) mark++;
    return mark;
  }

  /** Unconfirmed batches exist. */
  get pending(): boolean {
    return this.confirmedBelow < this.next;
  }

  /** The worker wrote every batch below `mark`: they leave the journal. */
  confirmed(mark: number): void {
    if (mark <= this.confirmedBelow) return;
    for (let n = this.confirmedBelow; n < mark; n++) this.cutAt.delete(n);
    this.confirmedBelow = mark;
    const db = this.db;
    if (!db) return;
    const done = mark >= this.next;
    // Nothing left the worker has not written: the whole journal goes (a later batch writes it again).
    (done ? deleteRescue(db, this.meta.id) : deleteRescueBatches(db, this.meta.id, mark)).catch(() => void this.failures++);
    if (done) this.stringsWritten = -1;
  }

  private write(rows: RescueBatch[]): void {
    const db = this.db;
    if (!db || rows.length === 0) return;
    const strings = this.strings();
    const grew = strings.length !== this.stringsWritten;
    try {
      void putRescue(db, grew ? { sessionId: this.meta.id, meta: { ...this.meta }, strings: strings.slice(), savedAt: Date.now() } : null, rows).catch(() => void this.failures++);
      if (grew) this.stringsWritten = strings.length;
    } catch {
      // A closed connection, a full disk: the worker's own write is what is left.
      this.failures++;
    }
  }
}
