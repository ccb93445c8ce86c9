/**
 * Per-handler and per-sequence aggregates: counts, errors, quantiles, histograms, transition
 * share and blocking time. Mergeable across sessions and serialisable, so the worker can
 * persist them and Node tools can rebuild them from exported sessions.
 */
import { Distribution, type DistributionState, type Histogram, type Summary } from './distribution.ts';
import { HANDLER_METRICS, METRICS, type HandlerMetric } from './metrics.ts';
import { TRANSITION_MODES, type HandlerCall, type SequenceRecord, type TransitionMode } from './model.ts';
import type { SessionFile } from './session.ts';

export type { Summary, Histogram } from './distribution.ts';

export interface ErrorPattern {
  name: string;
  message: string;
  count: number;
  /** Epoch ms. */
  firstSeen: number;
  lastSeen: number;
}

/** One summary per metric (see `metrics.ts`), `null` when no call had a value for it. */
export type MetricSummaries = { [M in HandlerMetric]: Summary | null };

export interface HandlerAggregate extends MetricSummaries {
  handler: string;
  count: number;
  errors: number;
  errorRate: number;
  /** Calls that returned a promise. */
  asyncCount: number;
  /** Interaction latency of the inputs that ran the handler (Event Timing, INP-style). */
  interaction: Summary | null;
  /** Blocking of the Long Animation Frames its work occupied, style and layout included. */
  frameBlocking: Summary | null;
  /** The longest frame its work occupied. */
  longestFrame: Summary | null;
  /** Input to the paint after its last work, transitions included. */
  result: Summary | null;
  /** Synchronous duration of the call itself. */
  duration: Summary;
  /** Entry to settle, for calls that returned a promise. */
  settle: Summary | null;
  /** Longest script span the call caused (call + synchronous React flush): the handler's own cost, not what the user felt. */
  blocking: Summary;
  blockingTotalMs: number;
  /** Call end to its last commit, for calls whose updates committed. */
  commit: Summary | null;
  /** React render time of those commits, where the build reports it. */
  render: Summary | null;
  /** Style and layout in the long frames its work occupied (calls that occupied one): what no transition can slice. */
  styleLayout: Summary | null;
  /** Call start to the next paint. */
  paint: Summary | null;
  histograms: { duration: Histogram; blocking: Histogram };
  modes: Record<TransitionMode, number>;
  /**
   * Share of the calls that updated React whose updates included a transition (`transition` or
   * `mixed`); `null` when none updated React. `modes` has the split.
   */
  transitionShare: number | null;
  /** Calls whose frame was a Long Animation Frame, and their forced style/layout time. */
  longFrames: number;
  forcedStyleLayoutMs: number;
  errorPatterns: ErrorPattern[];
  /** Epoch ms. */
  firstSeen: number;
  lastSeen: number;
}

export interface SequenceStep {
  handler: string;
  /** From the sequence start to the call's start. */
  offset: Summary;
  duration: Summary;
  blocking: Summary;
}

export interface SequenceVariant {
  handlers: string[];
  count: number;
  steps: SequenceStep[];
}

export interface SequenceAggregate {
  name: string;
  count: number;
  /** Trigger (or input event) to the paint after its last work, or to its last activity when no paint was seen. */
  duration: Summary;
  /** Interaction latency of the input that started it. */
  interaction: Summary | null;
  /** Time to result: input to the paint after its last work (sequences that ended at a paint). */
  result: Summary | null;
  /** Blocking of the Long Animation Frames between its start and end. */
  frameBlocking: Summary | null;
  /** The longest frame between its start and end. */
  longestFrame: Summary | null;
  triggers: Record<string, number>;
  variants: SequenceVariant[];
  /** Epoch ms. */
  firstSeen: number;
  lastSeen: number;
}

export interface AggregateSnapshot {
  handlers: HandlerAggregate[];
  sequences: SequenceAggregate[];
  totals: { calls: number; sequences: number; errors: number; commits: number; unattributedCommits: number };
}

interface HandlerAcc {
  count: number;
  errors: number;
  asyncCount: number;
  metrics: Record<HandlerMetric, Distribution>;
  /** The same distributions in HANDLER_METRICS order (the hot path indexes them). */
  dists: Distribution[];
  render: Distribution;
  styleLayout: Distribution;
  modes: Record<TransitionMode, number>;
  longFrames: number;
  forcedStyleLayoutMs: number;
  errors_: Map<string, ErrorPattern>;
  firstSeen: number;
  lastSeen: number;
}

interface StepAcc {
  handler: string;
  offset: Distribution;
  duration: Distribution;
  blocking: Distribution;
}

interface VariantAcc {
  handlers: string[];
  count: number;
  steps: StepAcc[];
}

/** Per-sequence metrics, besides its duration. */
const SEQUENCE_METRICS = ['interaction', 'result', 'frameBlocking', 'longestFrame'] as const;
type SequenceMetric = (typeof SEQUENCE_METRICS)[number];

function sequenceValue(s: SequenceRecord, m: SequenceMetric): number | null {
  switch (m) {
    case 'interaction':
      return s.interactionMs ?? null;
    case 'result':
      return s.resultMs ?? null;
    case 'frameBlocking':
      return s.frames?.blockingMs ?? null;
    case 'longestFrame':
      return s.frames?.longestMs ?? null;
  }
}

interface SequenceAcc {
  count: number;
  duration: Distribution;
  metrics: Record<SequenceMetric, Distribution>;
  triggers: Record<string, number>;
  variants: Map<string, VariantAcc>;
  firstSeen: number;
  lastSeen: number;
}

/**
 * Serialisable aggregator state, for IndexedDB and baselines. Version 2 keys distributions by
 * metric id (`metrics`); version 1 states (stored before the user-felt metrics) had one field per
 * metric and are still read.
 */
export interface AggregatorState {
  version: 1 | 2;
  handlers: Array<{
    handler: string;
    count: number;
    errors: number;
    asyncCount: number;
    metrics?: Partial<Record<HandlerMetric, DistributionState>>;
    /** Version 1 fields. */
    duration?: DistributionState;
    settle?: DistributionState;
    blocking?: DistributionState;
    commit?: DistributionState;
    paint?: DistributionState;
    render: DistributionState;
    styleLayout?: DistributionState;
    modes: Record<TransitionMode, number>;
    longFrames: number;
    forcedStyleLayoutMs: number;
    errorPatterns: ErrorPattern[];
    firstSeen: number;
    lastSeen: number;
  }>;
  sequences: Array<{
    name: string;
    count: number;
    duration: DistributionState;
    metrics?: Partial<Record<SequenceMetric, DistributionState>>;
    triggers: Record<string, number>;
    variants: Array<{
      handlers: string[];
      count: number;
      steps: Array<{ handler: string; offset: DistributionState; duration: DistributionState; blocking: DistributionState }>;
    }>;
    firstSeen: number;
    lastSeen: number;
  }>;
  commits: number;
  unattributedCommits: number;
}

/** Distinct error patterns and variants kept per handler / sequence; the rest are folded into "other". */
const MAX_PATTERNS = 50;
const MAX_VARIANTS = 20;
const OTHER_VARIANT = '…other';
const OTHER_PATTERN = 'Other: ';

function emptyModes(): Record<TransitionMode, number> {
  return { unknown: 0, none: 0, blocking: 0, transition: 0, mixed: 0 };
}

function distributions<K extends string>(keys: readonly K[]): Record<K, Distribution> {
  const out = {} as Record<K, Distribution>;
  for (const k of keys) out[k] = new Distribution();
  return out;
}

/** Each metric's accessor, in HANDLER_METRICS order. */
const ACCESSORS = HANDLER_METRICS.map((m) => METRICS[m].of);

function newHandler(): HandlerAcc {
  const metrics = distributions(HANDLER_METRICS);
  return {
    count: 0,
    errors: 0,
    asyncCount: 0,
    metrics,
    dists: HANDLER_METRICS.map((m) => metrics[m]),
    render: new Distribution(),
    styleLayout: new Distribution(),
    modes: emptyModes(),
    longFrames: 0,
    forcedStyleLayoutMs: 0,
    errors_: new Map(),
    firstSeen: Infinity,
    lastSeen: -Infinity,
  };
}

function newSequence(): SequenceAcc {
  return { count: 0, duration: new Distribution(), metrics: distributions(SEQUENCE_METRICS), triggers: {}, variants: new Map(), firstSeen: Infinity, lastSeen: -Infinity };
}

function orNull(d: Distribution): Summary | null {
  return d.count === 0 ? null : d.summary();
}

export class Aggregator {
  private handlers = new Map<string, HandlerAcc>();
  private sequences = new Map<string, SequenceAcc>();
  private commits = 0;
  private unattributedCommits = 0;

  /** `timeOrigin` converts the call's page-relative times to epoch ms. */
  addCall(call: HandlerCall, timeOrigin: number): void {
    let h = this.handlers.get(call.handler);
    if (!h) this.handlers.set(call.handler, (h = newHandler()));
    h.count++;
    // Hot path (once per call in the worker): accessors and distributions by index, no lookups.
    const dists = h.dists;
    for (let i = 0; i < ACCESSORS.length; i++) {
      const v = ACCESSORS[i]!(call);
      // Distribution.add ignores non-finite and negative values.
      if (v !== null && v !== undefined) dists[i]!.add(v);
    }
    if (call.settle !== null) h.asyncCount++;
    if (call.renderMs !== null) h.render.add(call.renderMs);
    if (call.frames && call.frames.count > 0) h.styleLayout.add(call.frames.styleLayoutMs);
    h.modes[call.mode]++;
    if (call.loaf) {
      h.longFrames++;
      h.forcedStyleLayoutMs += call.loaf.forcedStyleLayoutMs;
    }
    const at = timeOrigin + call.start;
    h.firstSeen = Math.min(h.firstSeen, at);
    h.lastSeen = Math.max(h.lastSeen, at);
    if (call.error) {
      h.errors++;
      const key = `${call.error.name}: ${call.error.message}`;
      let p = h.errors_.get(key);
      if (!p) {
        const overflow = h.errors_.size >= MAX_PATTERNS;
        const k = overflow ? OTHER_PATTERN : key;
        p = h.errors_.get(k);
        if (!p) {
          const e = overflow ? { name: 'Other', message: '' } : call.error;
          p = { name: e.name, message: e.message, count: 0, firstSeen: at, lastSeen: at };
          h.errors_.set(k, p);
        }
      }
      p.count++;
      p.firstSeen = Math.min(p.firstSeen, at);
      p.lastSeen = Math.max(p.lastSeen, at);
    }
  }

  /** `calls` are the sequence's calls (any order); steps are matched by id. */
  addSequence(seq: SequenceRecord, calls: readonly HandlerCall[], timeOrigin: number): void {
    let s = this.sequences.get(seq.name);
    if (!s) this.sequences.set(seq.name, (s = newSequence()));
    s.count++;
    s.duration.add(seq.end - seq.start);
    for (const m of SEQUENCE_METRICS) {
      const v = sequenceValue(seq, m);
      if (v !== null) s.metrics[m].add(v);
    }
    const trigger = seq.trigger?.type ?? (seq.explicit ? 'explicit' : 'none');
    s.triggers[trigger] = (s.triggers[trigger] ?? 0) + 1;
    const at = timeOrigin + seq.start;
    s.firstSeen = Math.min(s.firstSeen, at);
    s.lastSeen = Math.max(s.lastSeen, at);

    let key = seq.handlers.join('\u0000');
    if (!s.variants.has(key) && s.variants.size >= MAX_VARIANTS) key = OTHER_VARIANT;
    let v = s.variants.get(key);
    if (!v) {
      const handlers = key === OTHER_VARIANT ? [OTHER_VARIANT] : seq.handlers.slice();
      v = { handlers, count: 0, steps: [] };
      s.variants.set(key, v);
    }
    v.count++;
    if (key === OTHER_VARIANT) return;
    // Sequences hold a handful of calls: a scan beats building a Map for each one.
    seq.calls.forEach((id, i) => {
      let c: HandlerCall | undefined;
      for (let j = 0; j < calls.length; j++) if (calls[j]!.id === id) c = calls[j];
      if (!c) return;
      let step = v.steps[i];
      if (!step) {
        step = { handler: c.handler, offset: new Distribution(), duration: new Distribution(), blocking: new Distribution() };
        v.steps[i] = step;
      }
      step.offset.add(Math.max(0, c.start - seq.start));
      step.duration.add(c.duration);
      step.blocking.add(c.blockingMs);
    });
  }

  addCommit(attributed: boolean): void {
    this.commits++;
    if (!attributed) this.unattributedCommits++;
  }

  snapshot(): AggregateSnapshot {
    const handlers: HandlerAggregate[] = [];
    let calls = 0;
    let errors = 0;
    for (const [handler, h] of this.handlers) {
      calls += h.count;
      errors += h.errors;
      const updated = h.modes.blocking + h.modes.transition + h.modes.mixed;
      const m = h.metrics;
      handlers.push({
        handler,
        count: h.count,
        errors: h.errors,
        errorRate: h.count === 0 ? 0 : h.errors / h.count,
        asyncCount: h.asyncCount,
        interaction: orNull(m.interaction),
        frameBlocking: orNull(m.frameBlocking),
        longestFrame: orNull(m.longestFrame),
        result: orNull(m.result),
        duration: m.duration.summary(),
        settle: orNull(m.settle),
        blocking: m.blocking.summary(),
        blockingTotalMs: m.blocking.sum,
        commit: orNull(m.commit),
        render: orNull(h.render),
        styleLayout: orNull(h.styleLayout),
        paint: orNull(m.paint),
        histograms: { duration: m.duration.histogram(), blocking: m.blocking.histogram() },
        modes: { ...h.modes },
        transitionShare: updated === 0 ? null : (h.modes.transition + h.modes.mixed) / updated,
        longFrames: h.longFrames,
        forcedStyleLayoutMs: h.forcedStyleLayoutMs,
        errorPatterns: [...h.errors_.values()].sort((a, b) => b.count - a.count || a.message.localeCompare(b.message)),
        firstSeen: h.firstSeen,
        lastSeen: h.lastSeen,
      });
    }
    handlers.sort((a, b) => a.handler.localeCompare(b.handler));
    const sequences: SequenceAggregate[] = [];
    let seqCount = 0;
    for (const [name, s] of this.sequences) {
      seqCount += s.count;
      sequences.push({
        name,
        count: s.count,
        duration: s.duration.summary(),
        interaction: orNull(s.metrics.interaction),
        result: orNull(s.metrics.result),
        frameBlocking: orNull(s.metrics.frameBlocking),
        longestFrame: orNull(s.metrics.longestFrame),
        triggers: { ...s.triggers },
        variants: [...s.variants.values()]
          .map((v) => ({
            handlers: v.handlers.slice(),
            count: v.count,
            steps: v.steps.map((st) => ({
              handler: st.handler,
              offset: st.offset.summary(),
              duration: st.duration.summary(),
              blocking: st.blocking.summary(),
            })),
          }))
          .sort((a, b) => b.count - a.count),
        firstSeen: s.firstSeen,
        lastSeen: s.lastSeen,
      });
    }
    sequences.sort((a, b) => a.name.localeCompare(b.name));
    return {
      handlers,
      sequences,
      totals: { calls, sequences: seqCount, errors, commits: this.commits, unattributedCommits: this.unattributedCommits },
    };
  }

  /** Adds everything `other` has seen to this aggregator. */
  merge(other: Aggregator): void {
    this.mergeState(other.state());
  }

  state(): AggregatorState {
    return {
      version: 2,
      handlers: [...this.handlers].map(([handler, h]) => ({
        handler,
        count: h.count,
        errors: h.errors,
        asyncCount: h.asyncCount,
        metrics: states(h.metrics),
        render: h.render.state(),
        styleLayout: h.styleLayout.state(),
        modes: { ...h.modes },
        longFrames: h.longFrames,
        forcedStyleLayoutMs: h.forcedStyleLayoutMs,
        errorPatterns: [...h.errors_.values()].map((p) => ({ ...p })),
        firstSeen: h.firstSeen,
        lastSeen: h.lastSeen,
      })),
      sequences: [...this.sequences].map(([name, s]) => ({
        name,
        count: s.count,
        duration: s.duration.state(),
        metrics: states(s.metrics),
        triggers: { ...s.triggers },
        variants: [...s.variants.values()].map((v) => ({
          handlers: v.handlers.slice(),
          count: v.count,
          steps: v.steps.map((st) => ({
            handler: st.handler,
            offset: st.offset.state(),
            duration: st.duration.state(),
            blocking: st.blocking.state(),
          })),
        })),
        firstSeen: s.firstSeen,
        lastSeen: s.lastSeen,
      })),
      commits: this.commits,
      unattributedCommits: this.unattributedCommits,
    };
  }

  static fromState(state: AggregatorState): Aggregator {
    const a = new Aggregator();
    a.mergeState(state);
    return a;
  }

  private mergeState(state: AggregatorState): void {
    this.commits += state.commits;
    this.unattributedCommits += state.unattributedCommits;
    for (const hs of state.handlers) {
      let h = this.handlers.get(hs.handler);
      if (!h) this.handlers.set(hs.handler, (h = newHandler()));
      h.count += hs.count;
      h.errors += hs.errors;
      h.asyncCount += hs.asyncCount;
      // Version 1 kept one field per (then existing) metric.
      const stored = hs.metrics ?? { duration: hs.duration, settle: hs.settle, blocking: hs.blocking, commit: hs.commit, paint: hs.paint };
      mergeStates(h.metrics, stored);
      h.render.merge(Distribution.fromState(hs.render));
      if (hs.styleLayout) h.styleLayout.merge(Distribution.fromState(hs.styleLayout));
      for (const m of TRANSITION_MODES) h.modes[m] += hs.modes[m] ?? 0;
      h.longFrames += hs.longFrames;
      h.forcedStyleLayoutMs += hs.forcedStyleLayoutMs;
      for (const p of hs.errorPatterns) {
        const key = `${p.name}: ${p.message}`;
        const mine = h.errors_.get(key);
        if (mine) {
          mine.count += p.count;
          mine.firstSeen = Math.min(mine.firstSeen, p.firstSeen);
          mine.lastSeen = Math.max(mine.lastSeen, p.lastSeen);
        } else h.errors_.set(key, { ...p });
      }
      h.firstSeen = Math.min(h.firstSeen, hs.firstSeen);
      h.lastSeen = Math.max(h.lastSeen, hs.lastSeen);
    }
    for (const ss of state.sequences) {
      let s = this.sequences.get(ss.name);
      if (!s) this.sequences.set(ss.name, (s = newSequence()));
      s.count += ss.count;
      s.duration.merge(Distribution.fromState(ss.duration));
      if (ss.metrics) mergeStates(s.metrics, ss.metrics);
      for (const [k, n] of Object.entries(ss.triggers)) s.triggers[k] = (s.triggers[k] ?? 0) + n;
      for (const vs of ss.variants) {
        const key = vs.handlers.join('\u0000');
        let v = s.variants.get(key);
        if (!v) s.variants.set(key, (v = { handlers: vs.handlers.slice(), count: 0, steps: [] }));
        v.count += vs.count;
        vs.steps.forEach((st, i) => {
          let step = v.steps[i];
          if (!step) {
            step = { handler: st.handler, offset: new Distribution(), duration: new Distribution(), blocking: new Distribution() };
            v.steps[i] = step;
          }
          step.offset.merge(Distribution.fromState(st.offset));
          step.duration.merge(Distribution.fromState(st.duration));
          step.blocking.merge(Distribution.fromState(st.blocking));
        });
      }
      s.firstSeen = Math.min(s.firstSeen, ss.firstSeen);
      s.lastSeen = Math.max(s.lastSeen, ss.lastSeen);
    }
  }
}

function states<K extends string>(d: Record<K, Distribution>): Partial<Record<K, DistributionState>> {
  const out: Partial<Record<K, DistributionState>> = {};
  for (const k of Object.keys(d) as K[]) if (d[k].count > 0) out[k] = d[k].state();
  return out;
}

function mergeStates<K extends string>(into: Record<K, Distribution>, from: Partial<Record<K, DistributionState | undefined>>): void {
  for (const k of Object.keys(into) as K[]) {
    const st = from[k];
    if (st) into[k].merge(Distribution.fromState(st));
  }
}

/** Rebuilds the aggregates of a recorded session from its raw records. */
export function aggregateSession(file: SessionFile, into = new Aggregator()): Aggregator {
  const origin = file.session.timeOrigin;
  const byId = new Map(file.calls.map((c) => [c.id, c]));
  for (const c of file.calls) into.addCall(c, origin);
  for (const s of file.sequences) {
    const calls: HandlerCall[] = [];
    for (const id of s.calls) {
      const c = byId.get(id);
      if (c) calls.push(c);
    }
    into.addSequence(s, calls, origin);
  }
  for (const c of file.commits) into.addCommit(c.calls.length > 0);
  return into;
}
