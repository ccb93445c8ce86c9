/**
 * Which sessions are being recorded right now, in any tab: a page's session holds a Web Lock
 * named after it for as long as the page (its worker, or its in-memory service) lives, and the
 * browser releases it when the page goes. Another tab's `clear` or pruning then leaves live
 * sessions alone instead of deleting records still being written.
 */

export interface LiveSessions {
  /** Marks session `id` live for the rest of this context's life. */
  hold(id: string): void;
  /** The ids of sessions live in any context now, or null when this cannot be known. */
  live(): Promise<Set<string> | null>;
}

const PREFIX = 'homeostat-session:';

interface LockManagerLike {
  request(name: string, options: { mode: 'exclusive' }, callback: () => Promise<void>): Promise<unknown>;
  query(): Promise<{ held?: Array<{ name?: string }> }>;
}

/** Web Locks (windows and workers in every current browser); null where there are none. */
export function webLockLiveSessions(): LiveSessions | null {
  const locks = (globalThis.navigator as { locks?: LockManagerLike } | undefined)?.locks;
  if (!locks || typeof locks.request !== 'function' || typeof locks.query !== 'function') return null;
  return {
    hold(id) {
      // Never resolves: the lock lives as long as this context.
      locks.request(`${PREFIX}${id}`, { mode: 'exclusive' }, () => new Promise<void>(() => {})).catch(() => undefined);
    },
    async live() {
      try {
        const { held = [] } = await locks.query();
        return new Set(held.flatMap((l) => (l.name?.startsWith(PREFIX) ? [l.name.slice(PREFIX.length)] : [])));
      } catch {
        return null;
      }
    },
  };
}
