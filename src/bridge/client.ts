/**
 * What the bridge needs of the page's client, declared here so the bridge depends on nothing
 * above it: the page's `HomeostatClient` satisfies it.
 */
import type { AggregateSnapshot } from '../core/aggregate.ts';
import type { SessionMeta } from '../core/model.ts';
import type { RecentCalls, SessionSummary } from '../worker/api.ts';
import type { SessionInfo } from './protocol.ts';

export interface BridgeClient {
  status(): { session: SessionMeta; dropped: number };
  aggregates(): Promise<AggregateSnapshot>;
  recentCalls(after?: number, limit?: number): Promise<RecentCalls>;
  exportSession(): Promise<string>;
  importSession(json: string): Promise<Pick<SessionSummary, 'id' | 'calls'>>;
  clear(): Promise<void>;
  setEnabled(on: boolean): void;
  enabled(): boolean;
  /** Where the build plugin saw each handler it instrumented (file relative to the project, 1-based line). */
  sources?(): Record<string, { file: string; line: number; column: number }>;
}

/** The session as the panel sees it: no user agent, the URL cut to the protocol's limit. */
export function sessionInfo(s: SessionMeta): SessionInfo {
  return {
    id: s.id,
    app: s.app,
    build: s.build,
    url: s.url.slice(0, 2048),
    timeOrigin: s.timeOrigin,
    react: s.react.version,
    transport: s.transport,
    storage: s.storage,
    crossOriginIsolated: s.crossOriginIsolated,
  };
}
