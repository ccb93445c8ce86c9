/** Sessions and calls for field tests. */
import type { HandlerCall, SequenceRecord, SessionMeta } from '../model.ts';

export function meta(id: string, partial: Partial<SessionMeta> = {}): SessionMeta {
  return {
    id,
    startedAt: 1_767_000_000_000,
    timeOrigin: 1_767_000_000_000,
    endedAt: null,
    url: 'http://localhost/',
    userAgent: 'test',
    crossOriginIsolated: true,
    clockResolutionMs: 0.005,
    react: { version: '19.0.0', lanes: true, commits: 'hook' },
    app: 'shop',
    build: 'abc123',
    transport: 'worker',
    storage: 'indexeddb',
    fallbackReason: null,
    dropped: 0,
    source: 'page',
    ...partial,
  };
}

let nextId = 1;
export function call(handler: string, blockingMs: number, partial: Partial<HandlerCall> = {}): HandlerCall {
  return {
    id: nextId++,
    handler,
    sequence: 1,
    parent: null,
    start: 10,
    duration: blockingMs / 2,
    settle: null,
    outcome: 'ok',
    error: null,
    mode: 'blocking',
    updates: { blocking: 1, transition: 0 },
    commits: 1,
    renderMs: null,
    commitMs: 1,
    blockingMs,
    paintMs: blockingMs + 4,
    loaf: null,
    interactionMs: null,
    resultMs: null,
    frames: null,
    ...partial,
  };
}


/** A sequence record; the user-felt fields default to none. */
export function seq(partial: Omit<SequenceRecord, 'interactionMs' | 'resultMs' | 'frames'> & Partial<SequenceRecord>): SequenceRecord {
  return { interactionMs: null, resultMs: null, frames: null, ...partial };
}
