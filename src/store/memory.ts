import type { AggregatorState } from '../core/aggregate.ts';
import type { Baseline } from './store.ts';
import type { RecordChunk, Store, StoredSession } from './store.ts';

/** The store used when IndexedDB is unavailable: same behaviour, gone with the page. */
export class MemoryStore implements Store {
  readonly kind = 'memory' as const;
  private sessions = new Map<string, StoredSession>();
  private chunks = new Map<string, Map<number, RecordChunk>>();
  private aggregates = new Map<string, AggregatorState>();
  private baselines = new Map<string, Baseline>();

  async putSession(session: StoredSession): Promise<void> {
    this.sessions.set(session.meta.id, structuredClone(session));
  }
  async getSession(id: string): Promise<StoredSession | undefined> {
    const s = this.sessions.get(id);
    return s && structuredClone(s);
  }
  async listSessions(): Promise<StoredSession[]> {
    return [...this.sessions.values()].map((s) => structuredClone(s)).sort((a, b) => b.meta.startedAt - a.meta.startedAt);
  }
  async putChunk(sessionId: string, seq: number, chunk: RecordChunk): Promise<void> {
    let m = this.chunks.get(sessionId);
    if (!m) this.chunks.set(sessionId, (m = new Map()));
    m.set(seq, structuredClone(chunk));
  }
  async readChunks(sessionId: string): Promise<Array<{ seq: number; chunk: RecordChunk }>> {
    const m = this.chunks.get(sessionId);
    if (!m) return [];
    return [...m].sort((a, b) => a[0] - b[0]).map(([seq, chunk]) => ({ seq, chunk: structuredClone(chunk) }));
  }
  async deleteChunk(sessionId: string, seq: number): Promise<void> {
    this.chunks.get(sessionId)?.delete(seq);
  }
  async putAggregate(sessionId: string, state: AggregatorState): Promise<void> {
    this.aggregates.set(sessionId, structuredClone(state));
  }
  async getAggregate(sessionId: string): Promise<AggregatorState | undefined> {
    const a = this.aggregates.get(sessionId);
    return a && structuredClone(a);
  }
  async deleteSession(id: string): Promise<void> {
    this.sessions.delete(id);
    this.chunks.delete(id);
    this.aggregates.delete(id);
  }
  async putBaseline(baseline: Baseline): Promise<void> {
    this.baselines.set(baseline.name, structuredClone(baseline));
  }
  async listBaselines(): Promise<Baseline[]> {
    return [...this.baselines.values()].map((b) => structuredClone(b));
  }
  async clearBaselines(): Promise<void> {
    this.baselines.clear();
  }
  async clear(): Promise<void> {
    this.sessions.clear();
    this.chunks.clear();
    this.aggregates.clear();
    this.baselines.clear();
  }
  close(): void {}
}
