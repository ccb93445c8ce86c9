/**
 * The new spec from the previous one, the code analysis and the telemetry: baselines are
 * re-observed, while budgets, tolerances and defaults (what people decided) are carried over.
 */
import { join } from 'node:path';
import type { AggregateSnapshot, HandlerAggregate, SequenceAggregate, Summary } from '../core/aggregate.ts';
import type { FieldHandler, FieldSequence, FieldSnapshot } from '../core/field/merge.ts';
import type { SessionFile } from '../core/session.ts';
import { HANDLER_METRICS, SPEC_FORMAT, SPEC_VERSION, metricSummary, type Baseline, type BaselineSource, type HandlerSpec, type SequenceSpec, type SpecFile } from '../core/spec.ts';
import type { HandlerSource, ProjectAnalysis } from './analyze.ts';
import { isoDate, relPath, round3 } from './format.ts';
import { contextOf } from '../core/machine.ts';

export interface BuildInput {
  previous: SpecFile;
  snapshot: AggregateSnapshot;
  sessions: readonly SessionFile[];
  analysis: ProjectAnalysis | undefined;
  app: string | null | undefined;
  docsDir: string;
  root: string;
  now: Date;
  /** Field data (`--field`): becomes each handler's and sequence's field baseline. */
  field?: FieldSnapshot;
}

type Quantiles = Pick<Summary, 'mean' | 'p50' | 'p75' | 'p95' | 'p99'>;

function quantiles(s: Summary): Quantiles {
  return { mean: round3(s.mean), p50: round3(s.p50), p75: round3(s.p75), p95: round3(s.p95), p99: round3(s.p99) };
}

/** The first analysed source per handler name (a name instrumented twice is documented at its first site). */
export function sourcesByName(analysis: ProjectAnalysis | undefined): Map<string, HandlerSource> {
  const out = new Map<string, HandlerSource>();
  for (const h of analysis?.handlers ?? []) if (!out.has(h.name)) out.set(h.name, h);
  return out;
}

interface SessionInfo {
  ids: string[];
  builds: Set<string>;
  newest: number;
}

/** Which sessions each handler / sequence appeared in, and their builds and newest time. */
function seenIn(sessions: readonly SessionFile[], kind: 'handler' | 'sequence'): Map<string, SessionInfo> {
  const out = new Map<string, SessionInfo>();
  for (const f of sessions) {
    const names = new Set(kind === 'handler' ? f.calls.map((c) => c.handler) : f.sequences.map((s) => s.name));
    const time = f.session.endedAt ?? f.session.startedAt;
    for (const name of names) {
      let info = out.get(name);
      if (!info) out.set(name, (info = { ids: [], builds: new Set(), newest: -Infinity }));
      info.ids.push(f.session.id);
      if (f.session.build !== null) info.builds.add(f.session.build);
      info.newest = Math.max(info.newest, time);
    }
  }
  for (const info of out.values()) info.ids.sort();
  return out;
}

function handlerBaseline(h: HandlerAggregate, info: SessionInfo | undefined, now: Date, sessions: readonly SessionFile[]): Baseline {
  const ids = new Set(info?.ids ?? []);
  const context = contextOf(sessions.filter((f) => ids.has(f.session.id)));
  const metrics: Baseline['metrics'] = {};
  for (const m of HANDLER_METRICS) {
    const s = metricSummary(h, m);
    if (s && s.count > 0) metrics[m] = quantiles(s);
  }
  return {
    metrics,
    n: h.count,
    date: isoDate(info && Number.isFinite(info.newest) ? info.newest : now.getTime()),
    build: info && info.builds.size > 0 ? [...info.builds].sort().join(', ') : null,
    sessions: info?.ids ?? [],
    errorRate: Math.round(h.errorRate * 10_000) / 10_000,
    transitionShare: h.transitionShare === null ? null : Math.round(h.transitionShare * 10_000) / 10_000,
    ...(context ? { context } : {}),
  };
}

function sequenceBaseline(s: SequenceAggregate, info: SessionInfo | undefined, now: Date): NonNullable<SequenceSpec['baseline']> {
  return { duration: quantiles(s.duration), n: s.count, date: isoDate(info && Number.isFinite(info.newest) ? info.newest : now.getTime()) };
}

function fieldSource(f: FieldSnapshot, accuracy: number): BaselineSource {
  return {
    kind: 'field',
    store: f.source,
    sessions: f.sessions,
    ...(Number.isFinite(f.from) ? { from: isoDate(f.from), to: isoDate(f.to) } : {}),
    relativeAccuracy: Math.round(accuracy * 10_000) / 10_000,
  };
}

function worstAccuracy(metrics: FieldHandler['metrics']): number {
  let worst = 0;
  for (const d of Object.values(metrics)) if (d.count > 0) worst = Math.max(worst, d.relativeAccuracy);
  return worst;
}

/** A handler's field baseline: merged histograms' quantiles (within `source.relativeAccuracy`). */
function fieldBaseline(h: FieldHandler, f: FieldSnapshot, now: Date): Baseline {
  const metrics: Baseline['metrics'] = {};
  for (const m of HANDLER_METRICS) {
    const d = h.metrics[m];
    if (d && d.count > 0) metrics[m] = quantiles(d.summary());
  }
  const updating = h.modes.blocking + h.modes.transition + h.modes.mixed;
  return {
    metrics,
    n: h.calls,
    date: isoDate(Number.isFinite(f.to) ? f.to : now.getTime()),
    build: f.builds.length > 0 ? f.builds.join(', ') : null,
    // Field sessions are too many to list: the source says how many.
    sessions: [],
    errorRate: h.calls === 0 ? 0 : Math.round((h.errors / h.calls) * 10_000) / 10_000,
    transitionShare: updating === 0 ? null : Math.round(((h.modes.transition + h.modes.mixed) / updating) * 10_000) / 10_000,
    source: fieldSource(f, worstAccuracy(h.metrics)),
  };
}

function fieldSequenceBaseline(s: FieldSequence, f: FieldSnapshot, now: Date): NonNullable<SequenceSpec['field']> | null {
  const d = s.metrics['duration'];
  if (!d || d.count === 0) return null;
  return { duration: quantiles(d.summary()), n: s.runs, date: isoDate(Number.isFinite(f.to) ? f.to : now.getTime()), source: fieldSource(f, d.relativeAccuracy) };
}

/** Builds the regenerated spec. Keys are sorted, so the JSON is stable across runs. */
export function buildSpec(input: BuildInput): SpecFile {
  const { previous, snapshot, analysis, docsDir, root, now } = input;
  const sources = sourcesByName(analysis);
  const observed = new Map(snapshot.handlers.map((h) => [h.handler, h]));
  const handlerSessions = seenIn(input.sessions, 'handler');
  // Without an analysis we cannot tell a removed handler from an unexercised one: keep them all.
  const keep = (name: string, h: HandlerSpec) => !analysis || h.budget !== null || h.tolerance !== null || sources.has(name);
  const fieldHandlers = input.field?.handlers ?? new Map<string, FieldHandler>();
  const names = new Set<string>([...sources.keys(), ...observed.keys(), ...[...fieldHandlers.values()].filter((h) => h.calls > 0).map((h) => h.name)]);
  for (const [name, h] of Object.entries(previous.handlers)) if (keep(name, h)) names.add(name);

  const handlers: Record<string, HandlerSpec> = {};
  for (const name of [...names].sort()) {
    const prev = previous.handlers[name];
    const src = sources.get(name);
    const agg = observed.get(name);
    const fh = fieldHandlers.get(name);
    // Absent unless the field ever spoke, so specs without field data stay byte for byte as before.
    const field = fh && fh.calls > 0 && input.field ? fieldBaseline(fh, input.field, now) : (prev?.field ?? null);
    handlers[name] = {
      // Fixed key order, wherever the budget came from, keeps the JSON byte-stable.
      budget: prev?.budget ? { metric: prev.budget.metric, stat: prev.budget.stat, ms: prev.budget.ms } : null,
      baseline: agg ? handlerBaseline(agg, handlerSessions.get(name), now, input.sessions) : (prev?.baseline ?? null),
      tolerance: prev?.tolerance ?? null,
      source: src ? { file: relPath(docsDir, join(root, src.file)), line: src.line } : (prev?.source ?? null),
      description: src?.description ?? prev?.description ?? null,
      ...(field ? { field } : {}),
    };
  }

  const seqObserved = new Map(snapshot.sequences.map((s) => [s.name, s]));
  const seqSessions = seenIn(input.sessions, 'sequence');
  const fieldSequences = input.field?.sequences ?? new Map<string, FieldSequence>();
  const seqNames = new Set<string>([...seqObserved.keys(), ...[...fieldSequences.values()].filter((x) => x.runs > 0).map((x) => x.name)]);
  for (const [name, s] of Object.entries(previous.sequences)) if (input.sessions.length === 0 || s.budget !== null) seqNames.add(name);
  const sequences: Record<string, SequenceSpec> = {};
  for (const name of [...seqNames].sort()) {
    const prev = previous.sequences[name];
    const agg = seqObserved.get(name);
    const top = agg?.variants.find((v) => v.handlers[0] !== '…other');
    const fs = fieldSequences.get(name);
    const fieldTop = fs?.variants.find((v) => v.handlers[0] !== '…other');
    const field = (fs && input.field ? fieldSequenceBaseline(fs, input.field, now) : null) ?? prev?.field ?? null;
    sequences[name] = {
      handlers: top ? top.handlers.slice() : fieldTop && !prev ? fieldTop.handlers.slice() : (prev?.handlers ?? []),
      budget: prev?.budget ? { stat: prev.budget.stat, ms: prev.budget.ms } : null,
      baseline: agg ? sequenceBaseline(agg, seqSessions.get(name), now) : (prev?.baseline ?? null),
      ...(field ? { field } : {}),
    };
  }

  const app = input.app ?? previous.app ?? input.sessions.find((s) => s.session.app !== null)?.session.app ?? null;
  return { format: SPEC_FORMAT, version: SPEC_VERSION, app, defaults: { ...previous.defaults }, handlers, sequences };
}
