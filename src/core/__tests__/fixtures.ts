/** Seeded synthetic sessions for tests: valid session files with known shapes. */
import type { HandlerCall, SequenceRecord, SessionMeta } from '../model.ts';
import { SESSION_FORMAT, SESSION_VERSION, type SessionFile } from '../session.ts';
import { seededRandom } from '../check/prng.ts';

/** mulberry32, the same generator the checker's bootstrap uses. */
export const rng = seededRandom;

export function makeMeta(id = 'test-session', patch: Partial<SessionMeta> = {}): SessionMeta {
  return {
    id,
    startedAt: 1_700_000_000_000,
    timeOrigin: 1_700_000_000_000,
    endedAt: null,
    url: 'http://127.0.0.1/',
    userAgent: 'test',
    crossOriginIsolated: true,
    clockResolutionMs: 0.005,
    react: { version: '19.3.1', lanes: true, commits: 'hook' },
    app: 'test',
    build: 'b1',
    transport: 'worker',
    storage: 'indexeddb',
    fallbackReason: null,
    dropped: 0,
    source: 'page',
    ...patch,
  };
}

/** One handler call with neutral values, patched as a test needs. */
export function makeCall(patch: Partial<HandlerCall> & Pick<HandlerCall, 'id' | 'handler' | 'start'>): HandlerCall {
  return {
    sequence: patch.id, parent: null, duration: 1, settle: null, outcome: 'ok', error: null, mode: 'blocking',
    updates: { blocking: 1, transition: 0 }, commits: 1, renderMs: null, commitMs: 1, blockingMs: 1, paintMs: 10, loaf: null,
    interactionMs: 100, resultMs: 100, frames: null, ...patch,
  };
}

/** `n` sequences of search → render, some with errors, as a session file. */
export function makeSessionFile(n: number, seed: number, id = `synthetic-${seed}`): SessionFile {
  const r = rng(seed);
  const calls: HandlerCall[] = [];
  const sequences: SequenceRecord[] = [];
  let t = 100;
  let callId = 1;
  for (let s = 1; s <= n; s++) {
    const search: HandlerCall = {
      id: callId++, handler: 'search', sequence: s, parent: null, start: t + 1, duration: 0.5 + r(), settle: null,
      outcome: 'ok', error: null, mode: 'blocking', updates: { blocking: 1, transition: 0 }, commits: 1, renderMs: null,
      commitMs: 5 + 10 * r(), blockingMs: 8 + 10 * r(), paintMs: 20 + 5 * r(), loaf: null, interactionMs: 24 + 8 * r(), resultMs: 30, frames: null,
    };
    const failed = r() < 0.1;
    const render: HandlerCall = {
      ...search, id: callId++, handler: 'renderReact', parent: search.id, start: t + 1.2, duration: 0.1,
      outcome: failed ? 'threw' : 'ok', error: failed ? { name: 'TypeError', message: 'x is undefined' } : null,
    };
    calls.push(search, render);
    sequences.push({ id: s, name: 'input:search', trigger: { type: 'input', timeStamp: t }, explicit: false, start: t, end: t + 30, calls: [search.id, render.id], handlers: ['search', 'renderReact'], interactionMs: 24, resultMs: 30, frames: null });
    t += 100;
  }
  return {
    format: SESSION_FORMAT, version: SESSION_VERSION, session: makeMeta(id), calls, sequences,
    commits: sequences.map((s) => ({ time: s.start + 20, renderStart: null, commitStart: null, renderMs: null, sync: true, calls: [s.calls[0]!] })),
    vitals: [], frames: [], events: [], truncated: { calls: 0, sequences: 0, commits: 0 },
  };
}
