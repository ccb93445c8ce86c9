/**
 * Diagnosis: rules that read telemetry (aggregates), the docs (budgets) and static
 * analysis (where a handler lives, which state updates it makes, whether they are in a
 * transition) and name a root cause with its evidence. A rule only fires on evidence; every
 * number in a diagnosis comes from the sessions it was given.
 *
 * Pure: no Node or DOM APIs, so the panel can run the same rules on live data.
 */
import type { AggregateSnapshot, HandlerAggregate } from '../core/aggregate.ts';
import { statValue } from '../core/check/interval.ts';
import { metricValue } from '../core/check/samples.ts';
import type { HandlerCall } from '../core/model.ts';
import type { Budget, HandlerMetric, SpecFile, Stat } from '../core/spec.ts';

export const RULES = [
  'blocking-update',
  'repeated-computation',
  'equal-props-rerender',
  'heavy-input-handler',
  'forced-layout',
  'recurring-error',
] as const;
export type RuleId = (typeof RULES)[number];

/** What static analysis says about a handler (structurally compatible with src/docs' HandlerSource). */
export interface HandlerFacts {
  name: string;
  file: string;
  line: number;
  kind: string;
  component: string | null;
  updates: ReadonlyArray<{ setter: string; transition: boolean }>;
}

/** A code change a codemod can make; `file` is relative to the app's source root. */
export type FixPlan =
  | { codemod: 'transition'; file: string; handler: string; setters: string[] }
  | { codemod: 'memo-value'; file: string; callee: string }
  | { codemod: 'memo-component'; file: string; component: string }
  | { codemod: 'defer-value'; file: string; component: string; state: string };

/** What a fix is verified on: one number per replay run, lower is better. */
export interface VerifyMetric {
  handler: string;
  metric: HandlerMetric;
  /** A quantile of the run's calls, or the run's total (for work that should happen less often). */
  stat: Stat | 'sum';
}

export interface Diagnosis {
  /** `rule:handler`, stable across runs (history and the panel key on it). */
  id: string;
  rule: RuleId;
  handler: string;
  title: string;
  rootCause: string;
  /** Numbers the diagnosis rests on, with units in the key (`blockingP95Ms`). */
  evidence: Record<string, number | string | null>;
  impact: { metric: VerifyMetric; currentMs: number; predictedMs: number; predictedChange: number };
  severity: 'high' | 'medium' | 'low';
  /** 0..1: how sure the rule is of the cause (sample size, how clear the signal). */
  confidence: number;
  /** The change to try, or null when the rule can only advise. */
  fix: FixPlan | null;
  advice: string;
}

export interface DiagnoseInput {
  spec: SpecFile | null;
  aggregates: AggregateSnapshot;
  analysis: readonly HandlerFacts[];
}

/** Triggers that mean "the user is typing". */
const INPUT_TRIGGERS = new Set(['input', 'beforeinput', 'keydown', 'keyup', 'keypress', 'compositionend']);
/** A main-thread task longer than this is a long task (RAIL / Long Tasks API). */
const LONG_TASK_MS = 50;
/** A frame's budget at 60 Hz. */
const FRAME_MS = 16;

/** One number for a set of calls (one replay run): the stat the verification metric names. */
export function measure(calls: readonly HandlerCall[], m: VerifyMetric): number {
  const values: number[] = [];
  for (const c of calls) {
    if (c.handler !== m.handler) continue;
    const v = metricValue(c, m.metric);
    if (v !== null) values.push(v);
  }
  if (m.stat === 'sum') return values.reduce((a, b) => a + b, 0);
  return statValue(values, m.stat);
}

function budgetOf(spec: SpecFile | null, handler: string): Budget | null {
  return spec?.handlers[handler]?.budget ?? null;
}

/** More samples → more confidence, saturating at the spec's minimum sample size ×2. */
function sampleConfidence(n: number, spec: SpecFile | null): number {
  const min = spec?.defaults.minSamples ?? 20;
  return Math.min(1, n / (2 * min));
}

const round = (x: number, digits = 2) => Number.isFinite(x) ? Number(x.toFixed(digits)) : x;

/**
 * Calls per handler that were the first step of an input-triggered sequence: the handler the
 * browser ran for the keystroke, as opposed to the ones it called. Read from the sequence
 * aggregates, so the live panel (which has no raw sequences) decides the same way.
 */
function directInputShare(snapshot: AggregateSnapshot): Map<string, number> {
  const out = new Map<string, number>();
  for (const s of snapshot.sequences) {
    const total = Object.values(s.triggers).reduce((a, b) => a + b, 0);
    if (total === 0) continue;
    const typing = Object.entries(s.triggers).reduce((a, [t, c]) => a + (INPUT_TRIGGERS.has(t) ? c : 0), 0) / total;
    if (typing === 0) continue;
    for (const v of s.variants) {
      const first = v.handlers[0];
      if (first) out.set(first, (out.get(first) ?? 0) + v.count * typing);
    }
  }
  return out;
}

/** Rule 1: a handler's React updates render synchronously and block the main thread. */
function blockingUpdate(h: HandlerAggregate, input: DiagnoseInput, facts: HandlerFacts | undefined, direct: boolean): Diagnosis | null {
  const updated = h.modes.blocking + h.modes.mixed + h.modes.transition;
  if (updated === 0) return null;
  const blockingShare = (h.modes.blocking + h.modes.mixed) / updated;
  if (blockingShare < 0.5) return null;
  const budget = budgetOf(input.spec, h.handler);
  const limit = budget && budget.metric === 'blocking' ? budget.ms : LONG_TASK_MS;
  const stat: Stat = budget && budget.metric === 'blocking' ? budget.stat : 'p95';
  const current = h.blocking[stat];
  if (!(current > limit)) return null;
  // Typing into a controlled input must stay synchronous: that is rule 4's case, not a transition.
  if (direct) return null;
  // Without static facts (the live panel) the cause is still evidenced, but there is no codemod target.
  const setters = facts ? facts.updates.filter((u) => !u.transition).map((u) => u.setter) : [];
  if (facts && setters.length === 0) return null;
  const updates = setters.length ? setters.map((s) => `${s}()`).join(', ') : 'its state updates';
  const ownWork = h.duration[stat];
  const predicted = Math.max(ownWork, 0);
  return {
    id: `blocking-update:${h.handler}`,
    rule: 'blocking-update',
    handler: h.handler,
    title: `${h.handler} renders its updates as blocking work`,
    rootCause:
      `${h.handler} makes ${updates} outside a transition, so React renders the result ` +
      `synchronously: ${Math.round(blockingShare * 100)}% of its ${updated} updating calls were blocking, and the main thread ` +
      `stayed blocked ${round(current, 1)} ms at ${stat} against ${budget ? `a ${budget.ms} ms budget` : `the ${LONG_TASK_MS} ms long-task line`}.`,
    evidence: {
      calls: h.count,
      updatingCalls: updated,
      blockingShare: round(blockingShare, 3),
      [`blocking${stat.toUpperCase()}Ms`]: round(current),
      [`duration${stat.toUpperCase()}Ms`]: round(ownWork),
      commitP50Ms: h.commit ? round(h.commit.p50) : null,
      budgetMs: budget?.ms ?? null,
      transitionShare: h.transitionShare,
      source: facts ? `${facts.file}:${facts.line}` : null,
    },
    impact: {
      metric: { handler: h.handler, metric: 'blocking', stat },
      currentMs: round(current),
      predictedMs: round(predicted),
      predictedChange: round(predicted / current - 1, 3),
    },
    severity: current > 2 * limit ? 'high' : 'medium',
    confidence: round(sampleConfidence(h.count, input.spec) * blockingShare * (facts ? 1 : 0.7), 3),
    fix: facts ? { codemod: 'transition', file: facts.file, handler: h.handler, setters } : null,
    advice: `Wrap ${setters.length ? setters.join(', ') : 'the state updates'} in startTransition (or useTransition inside the component) so React can render interruptibly.`,
  };
}

/** Rule 2: a pure computation runs on (nearly) every render of its component with the same inputs. */
function repeatedComputation(h: HandlerAggregate, input: DiagnoseInput, facts: HandlerFacts | undefined): Diagnosis | null {
  if (!facts || facts.kind !== 'instrument' || facts.updates.length > 0) return null;
  const updated = h.modes.blocking + h.modes.mixed + h.modes.transition;
  if (updated > 0) return null;
  const commits = input.aggregates.totals.commits;
  if (commits === 0 || h.count < 5) return null;
  const perCommit = h.count / commits;
  const total = h.duration.mean * h.count;
  if (perCommit < 0.5 || h.duration.p50 < 0.5) return null;
  return {
    id: `repeated-computation:${h.handler}`,
    rule: 'repeated-computation',
    handler: h.handler,
    title: `${h.handler} is recomputed on every render`,
    rootCause:
      `${h.handler} ran ${h.count} times for ${commits} React commits (${round(perCommit, 2)} per commit), ` +
      `${round(h.duration.p50)} ms each at p50, ${round(total, 1)} ms in all, and makes no state updates: a pure value recomputed per render.`,
    evidence: { calls: h.count, commits, perCommit: round(perCommit, 3), durationP50Ms: round(h.duration.p50), totalMs: round(total, 1), source: `${facts.file}:${facts.line}` },
    impact: {
      metric: { handler: h.handler, metric: 'duration', stat: 'sum' },
      currentMs: round(total, 1),
      // Memoised, it runs when its inputs change: at mount, for module-level inputs.
      predictedMs: round(h.duration.p50, 2),
      predictedChange: round(h.duration.p50 / total - 1, 3),
    },
    severity: total > 100 ? 'high' : total > 20 ? 'medium' : 'low',
    confidence: round(sampleConfidence(h.count, input.spec) * Math.min(1, perCommit), 3),
    fix: { codemod: 'memo-value', file: facts.file, callee: h.handler },
    advice: `Memoise the value with useMemo over the inputs it reads, so it is computed only when they change.`,
  };
}

/** Rule 4: a handler that runs directly on typing causes long synchronous work. */
function heavyInputHandler(h: HandlerAggregate, input: DiagnoseInput, facts: HandlerFacts | undefined, inputShare: number): Diagnosis | null {
  if (!facts || facts.component === null || inputShare < 0.5) return null;
  const current = h.blocking.p95;
  if (!(current > FRAME_MS * 3)) return null;
  const state = facts.updates.find((u) => !u.transition)?.setter;
  if (!state) return null;
  const stateName = state.replace(/^set/, '').replace(/^./, (c) => c.toLowerCase());
  return {
    id: `heavy-input-handler:${h.handler}`,
    rule: 'heavy-input-handler',
    handler: h.handler,
    title: `Typing into ${h.handler} blocks for ${round(current, 0)} ms`,
    rootCause:
      `${h.handler} runs on ${Math.round(inputShare * 100)}% input events and blocks the main thread ${round(current, 1)} ms at p95 ` +
      `(${round(current / FRAME_MS, 1)} frames): everything rendered from "${stateName}" re-renders synchronously while the user types.`,
    evidence: { calls: h.count, inputShare: round(inputShare, 3), blockingP95Ms: round(current), durationP95Ms: round(h.duration.p95), source: `${facts.file}:${facts.line}` },
    impact: {
      metric: { handler: h.handler, metric: 'blocking', stat: 'p95' },
      currentMs: round(current),
      predictedMs: round(h.duration.p95),
      predictedChange: round(h.duration.p95 / current - 1, 3),
    },
    severity: current > LONG_TASK_MS * 2 ? 'high' : 'medium',
    confidence: round(0.6 * sampleConfidence(h.count, input.spec), 3),
    fix: { codemod: 'defer-value', file: facts.file, component: facts.component, state: stateName },
    advice: `Keep the input controlled by "${stateName}" but render the expensive part from useDeferredValue(${stateName}).`,
  };
}

/** Rule 3: a handler's commits are expensive although its update feeds no prop of the heavy child. */
function equalPropsRerender(h: HandlerAggregate, input: DiagnoseInput, facts: HandlerFacts | undefined, childProps: ChildProps | undefined): Diagnosis | null {
  // React's own render time where the build reports it (profiling builds), else the commit time after the call.
  const cost = h.render && h.render.count >= 5 ? h.render : h.commit;
  if (!facts || !childProps || !cost || cost.count < 5) return null;
  const updatedState = facts.updates.map((u) => u.setter.replace(/^set/, '').replace(/^./, (c) => c.toLowerCase()));
  if (updatedState.length === 0) return null;
  const unaffected = childProps.children.filter((c) => !updatedState.some((s) => c.reads.includes(s)));
  if (unaffected.length === 0 || cost.p50 < 8) return null;
  const child = unaffected[0]!;
  return {
    id: `equal-props-rerender:${h.handler}`,
    rule: 'equal-props-rerender',
    handler: h.handler,
    title: `${h.handler} re-renders ${child.component} although none of its props read what changed`,
    rootCause:
      `${h.handler} updates ${updatedState.join(', ')}; ${child.component}'s props read only ${child.reads.join(', ') || 'constants'}, ` +
      `yet its commits take ${round(cost.p50, 1)} ms at p50: the child re-renders because its parent did.`,
    evidence: { calls: h.count, [h.render && h.render.count >= 5 ? 'renderP50Ms' : 'commitP50Ms']: round(cost.p50), blockingP50Ms: round(h.blocking.p50), child: child.component, childReads: child.reads.join(', '), source: `${facts.file}:${facts.line}` },
    impact: {
      metric: { handler: h.handler, metric: 'blocking', stat: 'p50' },
      currentMs: round(h.blocking.p50),
      predictedMs: round(Math.max(h.duration.p50, h.blocking.p50 - cost.p50)),
      predictedChange: round(Math.max(h.duration.p50, h.blocking.p50 - cost.p50) / h.blocking.p50 - 1, 3),
    },
    severity: 'medium',
    // Props that are recomputed per render (new arrays, inline callbacks) defeat memo: the replay decides.
    confidence: round(0.4 * sampleConfidence(h.count, input.spec), 3),
    fix: { codemod: 'memo-component', file: child.file, component: child.component },
    advice: `Wrap ${child.component} in React.memo, and keep the props it receives referentially stable.`,
  };
}

/** Rule 5: Long Animation Frames attribute forced style/layout to the handler's script. */
function forcedLayout(h: HandlerAggregate, facts: HandlerFacts | undefined): Diagnosis | null {
  if (h.longFrames === 0 || h.forcedStyleLayoutMs < 5) return null;
  const perFrame = h.forcedStyleLayoutMs / h.longFrames;
  return {
    id: `forced-layout:${h.handler}`,
    rule: 'forced-layout',
    handler: h.handler,
    title: `${h.handler} forces style and layout`,
    rootCause: `In ${h.longFrames} long animation frames, scripts run by ${h.handler} forced ${round(h.forcedStyleLayoutMs, 1)} ms of synchronous style/layout (${round(perFrame, 1)} ms per frame): it reads layout after writing to the DOM.`,
    evidence: { longFrames: h.longFrames, forcedStyleLayoutMs: round(h.forcedStyleLayoutMs, 1), perFrameMs: round(perFrame, 1), source: facts ? `${facts.file}:${facts.line}` : null },
    impact: { metric: { handler: h.handler, metric: 'blocking', stat: 'p95' }, currentMs: round(h.blocking.p95), predictedMs: round(Math.max(0, h.blocking.p95 - perFrame)), predictedChange: round(-perFrame / h.blocking.p95, 3) },
    severity: perFrame > FRAME_MS ? 'high' : 'low',
    confidence: round(Math.min(1, h.longFrames / 10), 3),
    fix: null,
    advice: 'Batch DOM reads before writes (or read in requestAnimationFrame / ResizeObserver callbacks); avoid offsetWidth/getBoundingClientRect right after style changes.',
  };
}

/** Rule 6: the same normalised error keeps recurring in a handler. */
function recurringErrors(h: HandlerAggregate, facts: HandlerFacts | undefined): Diagnosis[] {
  return h.errorPatterns
    .filter((p) => p.count >= 2)
    .map((p) => ({
      id: `recurring-error:${h.handler}:${p.name}: ${p.message}`,
      rule: 'recurring-error' as const,
      handler: h.handler,
      title: `${h.handler} throws "${p.name}: ${p.message}" repeatedly`,
      rootCause: `${p.count} of ${h.count} calls of ${h.handler} failed with the same normalised error; it recurs rather than being a one-off.`,
      evidence: { errors: p.count, calls: h.count, errorRate: round(h.errorRate, 3), pattern: `${p.name}: ${p.message}`, source: facts ? `${facts.file}:${facts.line}` : null },
      impact: { metric: { handler: h.handler, metric: 'duration' as const, stat: 'p50' as const }, currentMs: 0, predictedMs: 0, predictedChange: 0 },
      severity: h.errorRate > 0.05 ? ('high' as const) : ('medium' as const),
      confidence: round(Math.min(1, p.count / 5), 3),
      fix: null,
      advice: `Handle the input that makes ${h.handler} throw; a regression test reproducing the pattern is generated and the pattern documented in ERRORS.md.`,
    }));
}

/** Static facts about which child components' props read which component state (from src/docs or a codemod parse). */
export interface ChildProps {
  component: string;
  children: Array<{ component: string; file: string; reads: string[] }>;
}

/**
 * Runs every rule over the evidence. Handlers without static facts only get the rules that
 * need none (forced layout, errors). Results are ordered by severity, then predicted impact.
 */
export function diagnose(input: DiagnoseInput, options: { childProps?: readonly ChildProps[] } = {}): Diagnosis[] {
  const facts = new Map(input.analysis.map((f) => [f.name, f]));
  const inputShare = directInputShare(input.aggregates);
  const out: Diagnosis[] = [];
  for (const h of input.aggregates.handlers) {
    const f = facts.get(h.handler);
    const share = h.count > 0 ? Math.min(1, (inputShare.get(h.handler) ?? 0) / h.count) : 0;
    const isDirectInput = share >= 0.5;
    const found = [
      blockingUpdate(h, input, f, isDirectInput),
      repeatedComputation(h, input, f),
      isDirectInput ? heavyInputHandler(h, input, f, share) : null,
      equalPropsRerender(h, input, f, options.childProps?.find((c) => c.component === f?.component)),
      forcedLayout(h, f),
      ...recurringErrors(h, f),
    ];
    for (const d of found) if (d) out.push(d);
  }
  // One memo suggestion per child: the handler whose commits cost most carries it.
  const byChild = new Map<string, Diagnosis>();
  for (const d of out.filter((x) => x.rule === 'equal-props-rerender')) {
    const key = String(d.evidence['child']);
    const prev = byChild.get(key);
    if (!prev || d.impact.currentMs > prev.impact.currentMs) byChild.set(key, d);
  }
  const kept = out.filter((x) => x.rule !== 'equal-props-rerender' || byChild.get(String(x.evidence['child'])) === x);
  out.length = 0;
  out.push(...kept);
  const sev = { high: 0, medium: 1, low: 2 } as const;
  return out.sort((a, b) => sev[a.severity] - sev[b.severity] || a.impact.predictedChange - b.impact.predictedChange || a.id.localeCompare(b.id));
}
