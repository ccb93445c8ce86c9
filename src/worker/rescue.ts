/**
 * Tab-close rescue, the service's half: at start, every journal a page saved when it was hidden
 * or closed (page/rescue.ts) whose session is no longer live anywhere is attributed again from
 * its own batches and written into that session, then deleted. A journal holds batches the
 * worker may have written too (it often has time for part of the work), so what is written is
 * only what the store does not hold yet: calls by their page-assigned id, the other records by
 * what identifies them. Deleting the row comes last; a start interrupted in between redoes the
 * same comparison, so each record lands exactly once.
 */
import { Aggregator, aggregateSession } from '../core/aggregate.ts';
import { Attributor } from '../core/attribution.ts';
import type { CommitRecord, EventTimingRecord, FrameRecord, HandlerCall, SequenceRecord, VitalRecord } from '../core/model.ts';
import { SESSION_FORMAT, SESSION_VERSION, type SessionFile } from '../core/session.ts';
import { deleteRescue, openRescueDb, readRescues, type RescueRow } from '../store/rescue-db.ts';
import { emptyChunk, type RecordChunk, type Store, type StoredSession } from '../store/store.ts';

export interface RescueResult {
  /** Sessions whose journal was ingested (and deleted). */
  sessions: string[];
  /** Records written that the store did not hold. */
  records: number;
  /** Journals left for a later start: their session is still live in another tab. */
  waiting: number;
}

/** A journal whose liveness cannot be known (no Web Locks) is taken once it is this old. */
const STALE_MS = 30_000;

/** Ingests every journal of a session that is not `current` nor live elsewhere. */
export async function rescueJournals(
  store: Store,
  current: string,
  live: () => Promise<Set<string> | null>,
  open: () => Promise<IDBDatabase> = openRescueDb,
): Promise<RescueResult> {
  // Two tabs starting at once would both find a journal missing from the store and both write
  // it: one rescue at a time per origin.
  const locks = (globalThis.navigator as { locks?: { request<T>(name: string, cb: () => Promise<T>): Promise<T> } } | undefined)?.locks;
  const run = () => rescueUnlocked(store, current, live, open);
  return locks && typeof locks.request === 'function' ? locks.request('homeostat-rescue', run) : run();
}

async function rescueUnlocked(store: Store, current: string, live: () => Promise<Set<string> | null>, open: () => Promise<IDBDatabase>): Promise<RescueResult> {
  const result: RescueResult = { sessions: [], records: 0, waiting: 0 };
  if (store.kind === 'memory') return result;
  let db: IDBDatabase;
  try {
    db = await open();
  } catch {
    return result;
  }
  try {
    const rows = await readRescues(db);
    if (rows.length === 0) return result;
    const liveNow = await live();
    for (const row of rows) {
      if (row.sessionId === current) continue;
      if (liveNow ? liveNow.has(row.sessionId) : Date.now() - row.savedAt < STALE_MS) {
        result.waiting++;
        continue;
      }
      result.records += await ingestJournal(store, row);
      await deleteRescue(db, row.sessionId);
      result.sessions.push(row.sessionId);
    }
    return result;
  } finally {
    db.close();
  }
}

/** Attributes a journal's batches and writes what the store lacks; returns how many records that was. */
export async function ingestJournal(store: Store, row: RescueRow): Promise<number> {
  const fresh = attribute(row);
  const stored = await store.readChunks(row.sessionId);
  const have = {
    calls: new Set<number>(),
    sequences: new Set<string>(),
    commits: new Set<string>(),
    vitals: new Set<string>(),
    frames: new Set<string>(),
    events: new Set<string>(),
  };
  let maxSequenceId = -1;
  for (const { chunk } of stored) {
    for (const c of chunk.calls) have.calls.add(c.id);
    for (const s of chunk.sequences) {
      have.sequences.add(sequenceKey(s));
      maxSequenceId = Math.max(maxSequenceId, s.id);
    }
    for (const c of chunk.commits) have.commits.add(commitKey(c));
    for (const v of chunk.vitals) have.vitals.add(vitalKey(v));
    for (const f of chunk.frames ?? []) have.frames.add(frameKey(f));
    for (const e of chunk.events ?? []) have.events.add(eventKey(e));
  }
  const chunk: RecordChunk = {
    calls: fresh.calls.filter((c) => !have.calls.has(c.id)),
    // Ids are the attributor's own count: renumbered after the stored ones so none repeats.
    sequences: fresh.sequences.filter((s) => !have.sequences.has(sequenceKey(s))).map((s) => ({ ...s, id: ++maxSequenceId })),
    commits: fresh.commits.filter((c) => !have.commits.has(commitKey(c))),
    vitals: fresh.vitals.filter((v) => !have.vitals.has(vitalKey(v))),
    frames: fresh.frames.filter((f) => !have.frames.has(frameKey(f))),
    events: fresh.events.filter((e) => !have.events.has(eventKey(e))),
  };
  const n = chunk.calls.length + chunk.sequences.length + chunk.commits.length + chunk.vitals.length + chunk.frames!.length + chunk.events!.length;
  if (n === 0) return 0;
  const session: StoredSession = (await store.getSession(row.sessionId)) ?? {
    meta: row.meta,
    stored: { calls: 0, sequences: 0, commits: 0 },
    truncated: { calls: 0, sequences: 0, commits: 0 },
    errors: 0,
    nextChunk: stored.length > 0 ? stored[stored.length - 1]!.seq + 1 : 0,
  };
  await store.putChunk(row.sessionId, session.nextChunk, chunk);
  session.nextChunk++;
  session.stored.calls += chunk.calls.length;
  session.stored.sequences += chunk.sequences.length;
  session.stored.commits += chunk.commits.length;
  session.errors += chunk.calls.filter((c) => c.error !== null).length;
  session.meta = { ...session.meta, endedAt: Math.max(session.meta.endedAt ?? 0, row.meta.timeOrigin + fresh.lastNow) };
  // The aggregates the worker wrote, plus the rescued records (none of which it counted).
  const previous = await store.getAggregate(row.sessionId);
  const aggregator = previous ? Aggregator.fromState(previous) : new Aggregator();
  const file: SessionFile = {
    format: SESSION_FORMAT,
    version: SESSION_VERSION,
    session: session.meta,
    calls: chunk.calls,
    sequences: chunk.sequences,
    commits: chunk.commits,
    vitals: chunk.vitals,
    frames: chunk.frames!,
    events: chunk.events!,
    truncated: { calls: 0, sequences: 0, commits: 0 },
  };
  aggregateSession(file, aggregator);
  await store.putAggregate(row.sessionId, aggregator.state());
  await store.putSession(session);
  return n;
}

interface Attributed {
  calls: HandlerCall[];
  sequences: SequenceRecord[];
  commits: CommitRecord[];
  vitals: VitalRecord[];
  frames: FrameRecord[];
  events: EventTimingRecord[];
  lastNow: number;
}

function attribute(row: RescueRow): Attributed {
  const out = emptyChunk() as Required<RecordChunk>;
  const strings = row.strings;
  const a = new Attributor(
    {
      call: (c) => out.calls.push(c),
      sequence: (s) => out.sequences.push(s),
      commit: (c) => out.commits.push(c),
      vital: (v) => out.vitals.push(v),
      frame: (f) => out.frames.push(f),
      event: (e) => out.events.push(e),
    },
    (id) => strings[id] ?? '?',
    { hookCommits: row.meta.react.commits === 'hook' },
  );
  let lastNow = 0;
  for (const b of row.batches) {
    a.push(b.records, b.count);
    lastNow = Math.max(lastNow, b.now);
    a.advance(b.now, b.paintPending === true);
  }
  // The page is gone: what is still waiting for a paint is attributed with what is known.
  a.flush();
  return { ...out, lastNow };
}

const sequenceKey = (s: SequenceRecord) => (s.calls.length > 0 ? `calls:${s.calls.join(',')}` : `${s.name}@${s.start}`);
const commitKey = (c: CommitRecord) => `${c.time}`;
const vitalKey = (v: VitalRecord) => `${v.name}@${v.time}`;
const frameKey = (f: FrameRecord) => `${f.start}:${f.durationMs}`;
const eventKey = (e: EventTimingRecord) => `${e.type}@${e.start}:${e.interaction}`;
