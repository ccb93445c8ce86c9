/**
 * The machine-readable spec: per handler and per sequence, the budget people wrote, the
 * baseline the tool observed, and how much drift is tolerated. `homeostat docs` writes it next
 * to the markdown it agrees with; `homeostat check`, replays, the DevTools panel and the
 * suggestion engine read it. Validated with zod wherever it is read.
 */
import { z } from 'zod';
import type { HandlerAggregate, SequenceAggregate, Summary } from './aggregate.ts';
import { HANDLER_METRICS, METRICS, type HandlerMetric } from './metrics.ts';
import { issueLines, jsonValue } from './session.ts';
import { baselineContextSchema, type BaselineContext } from './machine.ts';

export { HANDLER_METRICS, type HandlerMetric } from './metrics.ts';

export const SPEC_FORMAT = 'homeostat.spec';
export const SPEC_VERSION = 1;

export const STATS = ['mean', 'p50', 'p75', 'p95', 'p99'] as const;
export type Stat = (typeof STATS)[number];

/** A limit people wrote: "p95 interaction ≤ 200 ms", "p95 time to result ≤ 500 ms" (metrics: see metrics.ts). */
export interface Budget {
  metric: HandlerMetric;
  stat: Stat;
  ms: number;
}

/** Where a baseline's numbers come from: local sessions and replays, or field data from real users. */
export interface BaselineSource {
  kind: 'local' | 'field';
  /** The store they were read from (files, a database URL without credentials). */
  store?: string;
  /** Sessions merged. */
  sessions?: number;
  /** ISO dates of the oldest and newest data. */
  from?: string;
  to?: string;
  /** Worst relative error of the quantiles (field histograms); absent for exact ones. */
  relativeAccuracy?: number;
}

/** What was observed when the docs were last regenerated from telemetry. */
export interface Baseline {
  /** Observed summaries per metric (only the metrics that had samples). */
  metrics: Partial<Record<HandlerMetric, Pick<Summary, 'mean' | 'p50' | 'p75' | 'p95' | 'p99'>>>;
  n: number;
  /** ISO date of the newest session the baseline was computed from. */
  date: string;
  build: string | null;
  sessions: string[];
  errorRate: number;
  transitionShare: number | null;
  /** Absent in specs written before field data: local. */
  source?: BaselineSource;
  /** The machine the baseline was recorded on (clock step, CPU calibration, load); absent in older specs. */
  context?: BaselineContext;
}

export interface HandlerSpec {
  budget: Budget | null;
  baseline: Baseline | null;
  /** Relative drift from the baseline tolerated before it is reported (overrides the default). */
  tolerance: number | null;
  source: { file: string; line: number } | null;
  description: string | null;
  /** The baseline real users' sessions gave (`homeostat docs --field`), beside the local one. */
  field?: Baseline | null;
}

export interface SequenceSpec {
  /** The documented order of handlers. */
  handlers: string[];
  /** Budget on the sequence's own duration (input to paint); metric is always the sequence duration. */
  budget: { stat: Stat; ms: number } | null;
  baseline: { duration: Pick<Summary, 'mean' | 'p50' | 'p75' | 'p95' | 'p99'>; n: number; date: string; source?: BaselineSource } | null;
  /** The field's baseline of the sequence's duration. */
  field?: { duration: Pick<Summary, 'mean' | 'p50' | 'p75' | 'p95' | 'p99'>; n: number; date: string; source?: BaselineSource } | null;
}

export interface SpecFile {
  format: typeof SPEC_FORMAT;
  version: typeof SPEC_VERSION;
  app: string | null;
  defaults: {
    /** Relative drift tolerated (0.2 = 20%). */
    tolerance: number;
    /** Samples needed before a discrepancy is decided either way. */
    minSamples: number;
    /** Confidence level of the statistical decisions. */
    confidence: number;
  };
  handlers: Record<string, HandlerSpec>;
  sequences: Record<string, SequenceSpec>;
}

export const DEFAULT_DEFAULTS: SpecFile['defaults'] = { tolerance: 0.2, minSamples: 20, confidence: 0.95 };

const ms = z.number().finite().nonnegative();
const summary = z.object({ mean: ms, p50: ms, p75: ms, p95: ms, p99: ms }).strict();
const stat = z.enum(STATS);

const budgetSchema = z.object({ metric: z.enum(HANDLER_METRICS), stat, ms }).strict();
const sourceSchema = z
  .object({
    kind: z.enum(['local', 'field']),
    store: z.string().optional(),
    sessions: z.number().int().nonnegative().optional(),
    from: z.string().optional(),
    to: z.string().optional(),
    relativeAccuracy: z.number().nonnegative().optional(),
  })
  .strict();
const baselineSchema = z
  .object({
    metrics: z.partialRecord(z.enum(HANDLER_METRICS), summary),
    n: z.number().int().nonnegative(),
    date: z.string(),
    build: z.string().nullable(),
    sessions: z.array(z.string()),
    errorRate: z.number().min(0).max(1),
    transitionShare: z.number().min(0).max(1).nullable(),
    source: sourceSchema.optional(),
    context: baselineContextSchema.optional(),
  })
  .strict();

const handlerSpecSchema = z
  .object({
    budget: budgetSchema.nullable(),
    baseline: baselineSchema.nullable(),
    tolerance: z.number().positive().nullable(),
    source: z.object({ file: z.string(), line: z.number().int().positive() }).strict().nullable(),
    description: z.string().nullable(),
    field: baselineSchema.nullable().optional(),
  })
  .strict();

const sequenceBaselineSchema = z
  .object({ duration: summary, n: z.number().int().nonnegative(), date: z.string(), source: sourceSchema.optional() })
  .strict();

const sequenceSpecSchema = z
  .object({
    handlers: z.array(z.string()),
    budget: z.object({ stat, ms }).strict().nullable(),
    baseline: sequenceBaselineSchema.nullable(),
    field: sequenceBaselineSchema.nullable().optional(),
  })
  .strict();

export const specFileSchema = z
  .object({
    format: z.literal(SPEC_FORMAT),
    version: z.literal(SPEC_VERSION),
    app: z.string().nullable(),
    defaults: z
      .object({
        tolerance: z.number().positive(),
        minSamples: z.number().int().positive(),
        confidence: z.number().gt(0.5).lt(1),
      })
      .strict(),
    handlers: z.record(z.string(), handlerSpecSchema),
    sequences: z.record(z.string(), sequenceSpecSchema),
  })
  .strict();

export class SpecFormatError extends Error {
  constructor(
    readonly source: string,
    readonly issues: string[],
  ) {
    super(`${source}: not a valid Homeostat spec:\n  ${issues.join('\n  ')}`);
    this.name = 'SpecFormatError';
  }
}

/** Validates a spec (object or JSON text); errors name the field path and the source. */
export function parseSpecFile(input: unknown, source = 'spec'): SpecFile {
  const value = jsonValue(input, (issues) => new SpecFormatError(source, issues));
  const result = specFileSchema.safeParse(value);
  if (!result.success) throw new SpecFormatError(source, issueLines(result.error));
  return result.data as SpecFile;
}

export function emptySpec(app: string | null = null): SpecFile {
  return { format: SPEC_FORMAT, version: SPEC_VERSION, app, defaults: { ...DEFAULT_DEFAULTS }, handlers: {}, sequences: {} };
}

/** The summary of `metric` in a handler aggregate, or null when it had no samples. */
export function metricSummary(h: HandlerAggregate, metric: HandlerMetric): Summary | null {
  // Aggregates carry one field per metric id (see MetricSummaries); older snapshots may lack the newer ones.
  return h[metric] ?? null;
}

/** The observed value a budget names, from aggregates (sketch quantiles): a point estimate, not a verdict. */
export function observedFor(h: HandlerAggregate, budget: Budget): number | null {
  const s = metricSummary(h, budget.metric);
  return s === null || s.count === 0 ? null : s[budget.stat];
}

export function observedForSequence(s: SequenceAggregate, budget: { stat: Stat }): number | null {
  return s.count === 0 ? null : s.duration[budget.stat];
}

/** "p95 time to result ≤ 500 ms": how budgets read in the docs, the panel and reports. */
export function formatBudget(b: Budget): string {
  return `${b.stat} ${METRICS[b.metric].label} ≤ ${b.ms} ms`;
}
