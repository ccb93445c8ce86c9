/**
 * Diagnosis: rules that read telemetry (aggregates), the docs (budgets) and static analysis
 * (where a handler lives, which state updates it makes, whether they are in a transition) and
 * name a root cause with its evidence. A rule only fires on evidence; every number in a
 * diagnosis comes from the aggregates it was given.
 *
 * Each diagnosis says which user-felt metric its fix should improve (the one heal verifies it
 * on), and predicts what happens to the others: a transition moves the render out of the
 * interaction but does not make the result come sooner, and cannot slice a commit or the style
 * and layout that follows it. Where that leaves a frozen frame, the diagnosis says so with the
 * numbers, and that the real fix is less work per frame.
 *
 * Pure: no Node or DOM APIs, so the DevTools panel runs the same rules on live data.
 */
import { formatMs } from './format.ts';
import type { AggregateSnapshot, HandlerAggregate, Summary } from './aggregate.ts';
import { FRAME_MS, FROZEN_FRAME_MS as DEFAULT_FROZEN_MS, LONG_FRAME_MS, METRICS, type HandlerMetric } from './metrics.ts';
import { describeRunMetric, type RunMetric } from './run-metrics.ts';
import type { Budget, SpecFile, Stat } from './spec.ts';

export const RULES = [
  'blocking-update',
  'repeated-computation',
  'equal-props-rerender',
  'heavy-input-handler',
  'long-frame',
  'forced-layout',
  'recurring-error',
] as const;
export type RuleId = (typeof RULES)[number];

/** What static analysis says about a handler (structurally compatible with src/docs' HandlerSource). */
export interface HandlerFacts {
  name: string;
  file: string;
  line: number;
  /** 1-based column of the handler's function (or of the value the build plugin wraps), as the plugin and the docs record it. */
  column?: number;
  kind: string;
  component: string | null;
  updates: ReadonlyArray<{ setter: string; transition: boolean }>;
  /** Where the handler's function is defined when not where it is named (`instrument('x', x)`, a wrapped value). */
  definition?: { file: string; line: number } | null;
}

/** A position in a source file: 1-based line and column (0 when only the line is known). */
export interface SourceAt {
  line: number;
  column: number;
}

/**
 * A code change a codemod can make; `file` is relative to the app's source root. Handler plans
 * carry `at`, where the analysis saw the handler's function: plugin-named handlers (no
 * `useHandler('name', …)` in the code) are found by it, whatever their name.
 */
export type FixPlan =
  | { codemod: 'transition'; file: string; handler: string; setters: string[]; at?: SourceAt | null }
  /**
   * `useTransition` in the handler's component, its updates in that transition, and `isPending`
   * shown on the component's root element. `component` names it for the report; the codemod
   * finds it from the handler (null: the analysis could not name it, e.g. `memo(() => …)`).
   */
  | { codemod: 'pending-transition'; file: string; handler: string; component: string | null; setters: string[]; at?: SourceAt | null }
  | { codemod: 'memo-value'; file: string; callee: string }
  | { codemod: 'memo-component'; file: string; component: string }
  /** `component` null: the component of the handler named by `handler`/`at`. */
  | { codemod: 'defer-value'; file: string; component: string | null; state: string; handler?: string; at?: SourceAt | null }
  | ProgressiveListPlan
  | VirtualListPlan;

/**
 * Less work per frame for a long list a handler's update renders: the first screenful commits
 * with the update, the rest follows in transition-sized chunks (every row is in the DOM at the
 * end). `file`/`component`/`list` locate the JSX `.map` that renders the rows, which may be in
 * another file than the handler (a `Rows` component); src/heal's `progressiveListPlan` finds it
 * from the analysis.
 */
export interface ProgressiveListPlan {
  codemod: 'progressive-list';
  /** The file whose JSX renders the list (relative to the source root). */
  file: string;
  /** The handler whose update fills the list (for the report). */
  handler: string;
  /** The component that renders the list (null: an anonymous one, found by `list`). */
  component: string | null;
  /** The `items.map(…)` call that renders the rows: where it starts (1-based line and column). */
  list: SourceAt;
  /** The mapped array as written (`rows`, `state.rows`): the codemod checks the call there still maps it. */
  items: string;
  /** Rows in the first, urgent commit (default: a screenful, 60). */
  first?: number;
  /** Rows in the first later chunk (default 200; the next ones are sized from what each costs, see progressive-hook.ts). */
  chunk?: number;
}

/**
 * Less work per frame by rendering only the rows in view: the located `items.map(…)` renders
 * through a `VirtualList` component the codemod adds (rows in view plus an overscan, spacers for
 * the others so the scroll height stays right). Found like the progressive list; what changes for
 * the user: rows out of view are not in the DOM (find-in-page, tests counting rows).
 */
export interface VirtualListPlan {
  codemod: 'virtual-list';
  /** The file whose JSX renders the list (relative to the source root). */
  file: string;
  /** The handler whose update fills the list (for the report). */
  handler: string;
  /** The component that renders the list (null: an anonymous one, found by `list`). */
  component: string | null;
  /** The `items.map(…)` call that renders the rows: where it starts (1-based line and column). */
  list: SourceAt;
  /** The mapped array as written: the codemod checks the call there still maps it. */
  items: string;
  /** Rows rendered beyond each edge of the view (default 10). */
  overscan?: number;
  /** `tanstack`: the app already depends on `@tanstack/react-virtual`, and the component builds on it. */
  library?: 'tanstack';
}

/** Where a plan finds a handler: the analysis' position of its function (in the file it is defined in). */
export function handlerLocation(facts: HandlerFacts): { file: string; at?: SourceAt } {
  if (facts.kind === 'auto' && facts.definition && facts.definition.file !== facts.file) {
    // A value the plugin wraps where it is passed, defined in another module: the codemod edits the definition.
    return { file: facts.definition.file, at: { line: facts.definition.line, column: 0 } };
  }
  return typeof facts.column === 'number' ? { file: facts.file, at: { line: facts.line, column: facts.column } } : { file: facts.file };
}

/** A predicted effect of the fix on one metric. */
export interface Prediction {
  metric: RunMetric;
  current: number;
  predicted: number;
  /** Why, in a few words ("the render leaves the interaction"). */
  because: string;
}

export interface Diagnosis {
  /** `rule:handler`, stable across runs (history and the panel key on it). */
  id: string;
  rule: RuleId;
  handler: string;
  title: string;
  rootCause: string;
  /** Numbers the diagnosis rests on, with units in the key (`interactionP95Ms`). */
  evidence: Record<string, number | string | null>;
  impact: {
    /** The metric the fix is verified on: user-felt, unless the rule only claims less work. */
    metric: RunMetric;
    currentMs: number;
    predictedMs: number;
    /** predicted / current − 1. */
    predictedChange: number;
    /** What the rule expects of the other user-felt metrics (heal records them against what was measured). */
    predictions: Prediction[];
  };
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

/** Static facts about which child components' props read which component state (from src/docs or a codemod parse). */
export interface ChildProps {
  component: string;
  /** `memoised`: already wrapped in React.memo (a re-render then comes from a prop's identity, not the parent alone). */
  children: Array<{ component: string; file: string; reads: string[]; memoised?: boolean }>;
}

/** Triggers that mean "the user is typing". */
const INPUT_TRIGGERS = new Set(['input', 'beforeinput', 'keydown', 'keyup', 'keypress', 'compositionend']);
/** Web Vitals' line for a good interaction (INP ≤ 200 ms); above 500 ms it is poor. */
const GOOD_INTERACTION_MS = 200;
const POOR_INTERACTION_MS = 500;

const round = (x: number, digits = 2) => (Number.isFinite(x) ? Number(x.toFixed(digits)) : x);
const ms = (x: number) => formatMs(x, { seconds: true });
const handlerMetric = (handler: string, metric: HandlerMetric, stat: Stat | 'sum' | 'max'): RunMetric => ({ kind: 'handler', handler, metric, stat });

/**
 * The statistic a fix is verified on when its evidence names none (a budget on the same metric
 * does): p95, one number per replay run. What users feel is the tail: the first keystroke that
 * renders 1,500 rows, not the median one that renders five.
 */
export const VERIFY_STAT: Stat = 'p95';

function budgetOf(spec: SpecFile | null, handler: string): Budget | null {
  return spec?.handlers[handler]?.budget ?? null;
}

/** More samples → more confidence, saturating at the spec's minimum sample size ×2. */
function sampleConfidence(n: number, spec: SpecFile | null): number {
  const min = spec?.defaults.minSamples ?? 20;
  return Math.min(1, n / (2 * min));
}

/** A summary with enough samples to talk about, else null. */
function usable(s: Summary | null | undefined, min = 3): Summary | null {
  return s && s.count >= min ? s : null;
}

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

/**
 * The user-felt metric a fix of `h` is judged on: the interaction when inputs run the handler,
 * otherwise the longest frame its work occupies (an update outside an event freezes a frame, it
 * does not delay an input).
 */
function feltPrimary(h: HandlerAggregate): { metric: 'interaction' | 'longestFrame' | 'result'; summary: Summary } | null {
  const interaction = usable(h.interaction);
  if (interaction && interaction.count >= h.count / 2) return { metric: 'interaction', summary: interaction };
  const frame = usable(h.longestFrame);
  if (frame) return { metric: 'longestFrame', summary: frame };
  const result = usable(h.result);
  return result ? { metric: 'result', summary: result } : null;
}

/** The handler's documented budget, when it is over: the observed value and the limit. */
function overBudget(h: HandlerAggregate, budget: Budget | null): { observed: number; budget: Budget } | null {
  if (!budget) return null;
  const s = h[budget.metric];
  if (!s || s.count === 0) return null;
  const observed = s[budget.stat];
  return observed > budget.ms ? { observed, budget } : null;
}

/** Rule 1: a handler's React updates render as blocking work, and the user feels it. */
function blockingUpdate(h: HandlerAggregate, input: DiagnoseInput, facts: HandlerFacts | undefined, direct: boolean): Diagnosis | null {
  const updated = h.modes.blocking + h.modes.mixed + h.modes.transition;
  if (updated === 0) return null;
  const blockingShare = (h.modes.blocking + h.modes.mixed) / updated;
  if (blockingShare < 0.5) return null;
  // Typing into a controlled input must stay synchronous: that is rule 4's case, never a transition.
  if (direct) return null;
  const felt = feltPrimary(h);
  if (!felt) return null;
  const budget = budgetOf(input.spec, h.handler);
  const over = overBudget(h, budget);
  const line = felt.metric === 'interaction' ? (budget?.metric === 'interaction' ? budget.ms : GOOD_INTERACTION_MS) : felt.metric === 'longestFrame' ? LONG_FRAME_MS : GOOD_INTERACTION_MS;
  const stat: Stat = budget?.metric === felt.metric ? budget.stat : 'p95';
  const current = felt.summary[stat];
  if (!(current > line) && !over) return null;
  // Without static facts (the live panel) the cause is still evidenced, but there is no codemod target.
  const setters = facts ? facts.updates.filter((u) => !u.transition).map((u) => u.setter) : [];
  if (facts && setters.length === 0) return null;
  const updates = setters.length ? setters.map((s) => `${s}()`).join(', ') : 'its state updates';

  // What a transition can and cannot move: the synchronous render + commit leaves the
  // interaction; the same work still renders before the result shows; React slices the render,
  // not the commit and the style and layout that follow it.
  const v = stat;
  const syncWork = Math.max(0, h.blocking[v] - h.duration[v]);
  const interaction = usable(h.interaction);
  const result = usable(h.result);
  const frame = usable(h.longestFrame);
  const styleLayout = usable(h.styleLayout, 1);
  // What stays in one frame even if React's whole synchronous render left it: the style and layout
  // the browser reported, or, when a script forced them early (a test driver, a layout read), the
  // rest of the frame beyond React's work.
  const unsliceable = frame ? Math.max(styleLayout?.[v] ?? 0, frame[v] - syncWork) : (styleLayout?.[v] ?? 0);
  const predictions: Prediction[] = [];
  if (interaction) {
    predictions.push({
      metric: handlerMetric(h.handler, 'interaction', v),
      current: interaction[v],
      // The render, its commit and their style and layout all leave the interaction: the input
      // paints after the handler's own work, in the next frame.
      predicted: Math.min(interaction[v], h.duration[v] + FRAME_MS),
      because: `the render (${ms(syncWork)} of script) and the style and layout after it leave the interaction; the input paints after the handler's own work`,
    });
  }
  if (result) predictions.push({ metric: handlerMetric(h.handler, 'result', v), current: result[v], predicted: result[v], because: 'the same render still happens before the result shows' });
  let stillFrozen: number | null = null;
  if (frame) {
    const predictedFrame = Math.min(frame[v], Math.max(LONG_FRAME_MS, unsliceable));
    predictions.push({
      metric: handlerMetric(h.handler, 'longestFrame', v),
      current: frame[v],
      predicted: predictedFrame,
      because: `React can slice its ${ms(syncWork)} render, not the commit nor the style and layout of what it commits`,
    });
    if (predictedFrame >= DEFAULT_FROZEN_MS) stillFrozen = predictedFrame;
  }
  const primary = predictions.find((p) => p.metric.kind === 'handler' && p.metric.metric === felt.metric) ?? {
    metric: handlerMetric(h.handler, felt.metric, v),
    current: felt.summary[v],
    predicted: felt.metric === 'longestFrame' ? Math.max(LONG_FRAME_MS, unsliceable) : felt.summary[v],
    because: '',
  };
  const frozenNote =
    stillFrozen !== null
      ? ` A transition alone will not unfreeze the page: even with React's ${ms(syncWork)} render moved out, the frame keeps about ${ms(stillFrozen)} of commit, style and layout${styleLayout ? ` (${ms(styleLayout[v])} of style and layout reported)` : ''}, so the real fix is less work per frame: virtualise the long list (render only the rows in view) or split the update.`
      : '';
  const component = facts?.component ?? null;
  // A frozen frame that stays: show the user that something is happening while it renders.
  // The codemod finds the component from the handler, so an unnamed one (`memo(() => …)`) still gets useTransition.
  const fix: FixPlan | null = !facts
    ? null
    : stillFrozen !== null
      ? { codemod: 'pending-transition', ...handlerLocation(facts), handler: h.handler, component, setters }
      : { codemod: 'transition', ...handlerLocation(facts), handler: h.handler, setters };
  const feltLabel = METRICS[felt.metric].label;
  return {
    id: `blocking-update:${h.handler}`,
    rule: 'blocking-update',
    handler: h.handler,
    title: `${h.handler} renders its updates as blocking work`,
    rootCause:
      `${h.handler} makes ${updates} outside a transition, so React renders the result synchronously: ` +
      `${Math.round(blockingShare * 100)}% of its ${updated} updating calls were blocking, and the user waited ${ms(current)} at ${stat} ${feltLabel}` +
      (over ? ` against a budget of ${over.budget.stat} ${METRICS[over.budget.metric].label} ≤ ${over.budget.ms} ms` : ` (over ${felt.metric === 'interaction' ? `the ${GOOD_INTERACTION_MS} ms of a good interaction` : `the ${line} ms line`})`) +
      (frame ? `; its work occupied frames of up to ${ms(frame.p95)} at p95.` : '.') +
      frozenNote,
    evidence: {
      calls: h.count,
      updatingCalls: updated,
      blockingShare: round(blockingShare, 3),
      [`${felt.metric}${stat.toUpperCase()}Ms`]: round(current),
      interactionP95Ms: interaction ? round(interaction.p95) : null,
      resultP95Ms: result ? round(result.p95) : null,
      longestFrameP95Ms: frame ? round(frame.p95) : null,
      styleLayoutP95Ms: styleLayout ? round(styleLayout.p95) : null,
      [`blocking${stat.toUpperCase()}Ms`]: round(h.blocking[stat]),
      budget: budget ? `${budget.stat} ${METRICS[budget.metric].label} ≤ ${budget.ms} ms` : null,
      transitionShare: h.transitionShare,
      source: facts ? `${facts.file}:${facts.line}` : null,
    },
    impact: {
      metric: primary.metric,
      currentMs: round(primary.current),
      predictedMs: round(primary.predicted),
      predictedChange: round(primary.predicted / primary.current - 1, 3),
      predictions,
    },
    severity: current > POOR_INTERACTION_MS || (frame && frame.p95 >= DEFAULT_FROZEN_MS) ? 'high' : 'medium',
    confidence: round(sampleConfidence(h.count, input.spec) * blockingShare * (facts ? 1 : 0.7), 3),
    fix,
    advice:
      fix?.codemod === 'pending-transition'
        ? `Render ${setters.join(', ')} in a transition with useTransition and show isPending while it renders; then render fewer elements per frame (virtualise the list, e.g. @tanstack/react-virtual or react-window) to remove the ${ms(stillFrozen!)} frame.`
        : `Wrap ${setters.length ? setters.join(', ') : 'the state updates'} in startTransition (or useTransition inside the component) so React renders them without holding up the interaction.` +
          (stillFrozen !== null ? ` Then render fewer elements per frame: the ${ms(stillFrozen)} frame stays otherwise.` : ''),
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
      `${ms(h.duration.p50)} each at p50, ${ms(total)} in all, and makes no state updates: a pure value recomputed per render. ` +
      `Each render that runs it waits ${ms(h.duration.p50)} longer; that alone is below what a user notices, so the fix is verified on the work removed, with every user-felt metric guarded.`,
    evidence: { calls: h.count, commits, perCommit: round(perCommit, 3), durationP50Ms: round(h.duration.p50), totalMs: round(total, 1), source: `${facts.file}:${facts.line}` },
    impact: {
      metric: handlerMetric(h.handler, 'duration', 'sum'),
      currentMs: round(total, 1),
      // Memoised, it runs when its inputs change: at mount, for module-level inputs.
      predictedMs: round(h.duration.p50, 2),
      predictedChange: round(h.duration.p50 / total - 1, 3),
      predictions: [],
    },
    severity: total > 100 ? 'high' : total > 20 ? 'medium' : 'low',
    confidence: round(sampleConfidence(h.count, input.spec) * Math.min(1, perCommit), 3),
    fix: { codemod: 'memo-value', file: facts.file, callee: h.handler },
    advice: `Memoise the value with useMemo over the inputs it reads, so it is computed only when they change.`,
  };
}

/** Rule 4: a handler that runs directly on typing holds up the keystroke's paint. */
function heavyInputHandler(h: HandlerAggregate, input: DiagnoseInput, facts: HandlerFacts | undefined, inputShare: number): Diagnosis | null {
  if (!facts || facts.component === null || inputShare < 0.5) return null;
  const interaction = usable(h.interaction);
  if (!interaction) return null;
  const current = interaction.p95;
  if (!(current > GOOD_INTERACTION_MS)) return null;
  const state = facts.updates.find((u) => !u.transition)?.setter;
  if (!state) return null;
  const stateName = state.replace(/^set/, '').replace(/^./, (c) => c.toLowerCase());
  const v = VERIFY_STAT;
  const result = usable(h.result);
  // The deferred render happens after the keystroke's paint: the input paints after the handler's own work.
  const predicted = Math.min(interaction[v], h.duration[v] + FRAME_MS);
  return {
    id: `heavy-input-handler:${h.handler}`,
    rule: 'heavy-input-handler',
    handler: h.handler,
    title: `Typing into ${h.handler} waits ${ms(current)} for the next paint`,
    rootCause:
      `${h.handler} runs on ${Math.round(inputShare * 100)}% input events and the keystroke's paint waited ${ms(current)} at p95 ` +
      `(${round(current / FRAME_MS, 1)} frames): everything rendered from "${stateName}" re-renders synchronously while the user types.`,
    evidence: {
      calls: h.count,
      inputShare: round(inputShare, 3),
      interactionP95Ms: round(current),
      resultP95Ms: result ? round(result.p95) : null,
      blockingP95Ms: round(h.blocking.p95),
      durationP95Ms: round(h.duration.p95),
      source: `${facts.file}:${facts.line}`,
    },
    impact: {
      metric: handlerMetric(h.handler, 'interaction', v),
      currentMs: round(interaction[v]),
      predictedMs: round(predicted),
      predictedChange: round(predicted / interaction[v] - 1, 3),
      predictions: [
        { metric: handlerMetric(h.handler, 'interaction', v), current: interaction[v], predicted, because: 'the input paints before the deferred render' },
        ...(result ? [{ metric: handlerMetric(h.handler, 'result', v), current: result[v], predicted: result[v], because: 'the deferred render still has to happen' }] : []),
      ],
    },
    severity: current > POOR_INTERACTION_MS ? 'high' : 'medium',
    confidence: round(0.6 * sampleConfidence(h.count, input.spec), 3),
    fix: { codemod: 'defer-value', file: facts.file, component: facts.component, state: stateName, ...(typeof facts.column === 'number' ? { handler: h.handler, at: { line: facts.line, column: facts.column } } : {}) },
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
  // An already memoised child is no candidate: React.memo is what it has (heal would find nothing to apply).
  const unaffected = childProps.children.filter((c) => !c.memoised && !updatedState.some((s) => c.reads.includes(s)));
  if (unaffected.length === 0 || cost.p50 < 8) return null;
  const child = unaffected[0]!;
  const felt = feltPrimary(h);
  if (!felt) return null;
  const current = felt.summary.p50;
  const predicted = Math.max(felt.metric === 'longestFrame' ? LONG_FRAME_MS : FRAME_MS, current - cost.p50);
  return {
    id: `equal-props-rerender:${h.handler}`,
    rule: 'equal-props-rerender',
    handler: h.handler,
    title: `${h.handler} re-renders ${child.component} although none of its props read what changed`,
    rootCause:
      `${h.handler} updates ${updatedState.join(', ')}; ${child.component}'s props read only ${child.reads.join(', ') || 'constants'}, ` +
      `yet its commits take ${ms(cost.p50)} at p50: the child re-renders because its parent did, and the user waits ${ms(current)} at p50 ${METRICS[felt.metric].label}.`,
    evidence: {
      calls: h.count,
      [h.render && h.render.count >= 5 ? 'renderP50Ms' : 'commitP50Ms']: round(cost.p50),
      [`${felt.metric}P50Ms`]: round(current),
      child: child.component,
      childReads: child.reads.join(', '),
      source: `${facts.file}:${facts.line}`,
    },
    impact: {
      metric: handlerMetric(h.handler, felt.metric, VERIFY_STAT),
      currentMs: round(current),
      predictedMs: round(predicted),
      predictedChange: round(predicted / current - 1, 3),
      predictions: [{ metric: handlerMetric(h.handler, felt.metric, VERIFY_STAT), current, predicted, because: `${child.component} no longer re-renders` }],
    },
    severity: 'medium',
    // Props that are recomputed per render (new arrays, inline callbacks) defeat memo: the replay decides.
    confidence: round(0.4 * sampleConfidence(h.count, input.spec), 3),
    fix: { codemod: 'memo-component', file: child.file, component: child.component },
    advice: `Wrap ${child.component} in React.memo, and keep the props it receives referentially stable.`,
  };
}

/**
 * Rule 5, less work per frame: the handler's work occupies a frozen frame (≥ 200 ms at p95) that a
 * transition cannot shorten, because its updates already render in one, or because the commit,
 * style and layout of what it commits stay over 200 ms even once React's render is moved out of
 * the frame. React can slice rendering, not a commit of that size nor the browser's work on it:
 * only rendering fewer elements per frame helps (render what is in view, or in chunks).
 *
 * It also fires, below a frozen frame, when the React render a blocking update causes is itself a
 * long frame (≥ 50 ms at p95) and the user waits on its result: a transition takes that render out
 * of the interaction but not out of the way of the result (the same render still runs before the
 * result shows, in slices, and a later input restarts it: measured 1.4–2.6× later on the demo), so
 * the fix that shortens what the user waits for is rendering fewer elements.
 *
 * Pure, so the panel runs it too: the fix needs the list's place in the source, which heal finds
 * (src/heal/list-fixes.ts turns this diagnosis into virtual-list / progressive-list candidates;
 * where no list is found the blocking update keeps its transition).
 */
function longFrame(h: HandlerAggregate, facts: HandlerFacts | undefined, input: DiagnoseInput, direct: boolean): Diagnosis | null {
  const updated = h.modes.blocking + h.modes.mixed + h.modes.transition;
  if (updated === 0) return null;
  const frame = usable(h.longestFrame);
  if (!frame) return null;
  const v = VERIFY_STAT;
  const transitionShare = h.modes.transition / updated;
  const styleLayout = usable(h.styleLayout, 1);
  // The same arithmetic as blocking-update: what of the frame is not React's synchronous render.
  const syncWork = Math.max(0, h.blocking[v] - h.duration[v]);
  const unsliceable = Math.max(styleLayout?.[v] ?? 0, frame[v] - syncWork);
  const inTransition = transitionShare >= 0.5;
  const result = usable(h.result);
  const interaction = usable(h.interaction);
  const frozen = frame.p95 >= DEFAULT_FROZEN_MS && (inTransition || unsliceable >= DEFAULT_FROZEN_MS);
  // A heavy render the user waits on: blocking, a long frame of React work on its own, a result to wait for,
  // and not the keystroke's own synchronous update (rule 4's case).
  const heavy = !frozen && !inTransition && !direct && result !== null && syncWork >= LONG_FRAME_MS && frame[v] >= LONG_FRAME_MS;
  if (!frozen && !heavy) return null;
  if (heavy) return heavyRender(h, input, facts, { frame, result, interaction, syncWork, styleLayout });
  const why = inTransition
    ? `${Math.round(transitionShare * 100)}% of ${h.handler}'s updates already run in a transition, but the frames its work occupied lasted ${ms(frame[v])} at ${v}`
    : `${h.handler}'s work occupies frames of ${ms(frame[v])} at ${v}, and ${ms(unsliceable)} of that is not React's render (${ms(syncWork)}): the commit, style and layout of what it renders, which a transition cannot slice`;
  return {
    id: `long-frame:${h.handler}`,
    rule: 'long-frame',
    handler: h.handler,
    title: `${h.handler} freezes the page for ${ms(frame[v])}: less work per frame is the fix`,
    rootCause:
      why +
      (styleLayout ? ` (${ms(styleLayout[v])} of style and layout reported)` : '') +
      `. React can interrupt rendering, not a commit of that size. Render fewer elements per frame: only what is in view (virtualise the list), or the first screenful at once and the rest in chunks.`,
    evidence: {
      calls: h.count,
      longestFrameP95Ms: round(frame.p95),
      unsliceableP95Ms: round(unsliceable),
      renderScriptP95Ms: round(syncWork),
      styleLayoutP95Ms: styleLayout ? round(styleLayout.p95) : null,
      resultP95Ms: result ? round(result.p95) : null,
      transitionShare: h.transitionShare,
      source: facts ? `${facts.file}:${facts.line}` : null,
    },
    impact: {
      metric: handlerMetric(h.handler, 'longestFrame', v),
      currentMs: round(frame[v]),
      predictedMs: LONG_FRAME_MS,
      predictedChange: round(LONG_FRAME_MS / frame[v] - 1, 3),
      predictions: [
        { metric: handlerMetric(h.handler, 'longestFrame', v), current: frame[v], predicted: LONG_FRAME_MS, because: 'each frame renders a screenful or a chunk, not the whole list' },
      ],
    },
    severity: frame.p95 >= POOR_INTERACTION_MS ? 'high' : 'medium',
    confidence: round(Math.min(1, frame.count / 10) * (facts ? 1 : 0.7), 3),
    fix: null,
    advice: 'Render only what is in view (virtualise: @tanstack/react-virtual or react-window), or the first screenful at once and the rest in chunks; paginate, or split the update into smaller commits.',
  };
}

/**
 * Rule 5's second case: a blocking render that is a long frame on its own, with a result the user
 * waits for. Judged on what the user felt: the docs' budget metric when it is over, else the
 * result (which a transition cannot shorten); interaction and result are both guarded.
 */
function heavyRender(
  h: HandlerAggregate,
  input: DiagnoseInput,
  facts: HandlerFacts | undefined,
  m: { frame: Summary; result: Summary; interaction: Summary | null; syncWork: number; styleLayout: Summary | null },
): Diagnosis {
  const v = VERIFY_STAT;
  const budget = budgetOf(input.spec, h.handler);
  const over = overBudget(h, budget);
  const felt: 'interaction' | 'result' = over?.budget.metric === 'interaction' && m.interaction ? 'interaction' : 'result';
  const current = felt === 'interaction' ? m.interaction![v] : m.result[v];
  // Rendering a screenful instead of the whole list leaves the handler's own work, a frame, and
  // what style and layout the browser reported; React's render shrinks to what is in view.
  const rest = h.duration[v] + FRAME_MS + (m.styleLayout?.[v] ?? 0);
  const predicted = Math.min(current, Math.max(FRAME_MS, rest));
  const because = `React's ${ms(m.syncWork)} render shrinks to the rows in view or in the first chunk`;
  const predictions: Prediction[] = [
    { metric: handlerMetric(h.handler, 'result', v), current: m.result[v], predicted: Math.min(m.result[v], Math.max(FRAME_MS, rest)), because },
  ];
  if (m.interaction) predictions.unshift({ metric: handlerMetric(h.handler, 'interaction', v), current: m.interaction[v], predicted: Math.min(m.interaction[v], Math.max(FRAME_MS, rest)), because });
  predictions.push({ metric: handlerMetric(h.handler, 'longestFrame', v), current: m.frame[v], predicted: Math.min(m.frame[v], Math.max(LONG_FRAME_MS, rest)), because });
  return {
    id: `long-frame:${h.handler}`,
    rule: 'long-frame',
    handler: h.handler,
    title: `${h.handler} renders ${ms(m.syncWork)} of React work before its result shows: less work per frame is the fix`,
    rootCause:
      `${h.handler}'s blocking update makes React render for ${ms(m.syncWork)} at ${v} (its frames last ${ms(m.frame[v])}), and the user waits on that render for the result (${ms(m.result[v])} at ${v}). ` +
      'A transition would take the render out of the interaction, but the same render still runs before the result shows (in slices, restarted by the next input), so the result comes no sooner. Rendering fewer elements shortens both: only what is in view (virtualise the list), or the first screenful at once and the rest in chunks.',
    evidence: {
      calls: h.count,
      longestFrameP95Ms: round(m.frame.p95),
      renderScriptP95Ms: round(m.syncWork),
      styleLayoutP95Ms: m.styleLayout ? round(m.styleLayout.p95) : null,
      resultP95Ms: round(m.result.p95),
      interactionP95Ms: m.interaction ? round(m.interaction.p95) : null,
      transitionShare: h.transitionShare,
      source: facts ? `${facts.file}:${facts.line}` : null,
    },
    impact: {
      metric: handlerMetric(h.handler, felt, v),
      currentMs: round(current),
      predictedMs: round(predicted),
      predictedChange: round(predicted / current - 1, 3),
      predictions,
    },
    severity: over || current >= POOR_INTERACTION_MS ? 'high' : 'medium',
    confidence: round(Math.min(1, m.frame.count / 10) * (facts ? 1 : 0.7), 3),
    fix: null,
    advice: 'Render only what is in view (virtualise: @tanstack/react-virtual or react-window), or the first screenful at once and the rest in chunks; a transition alone keeps the result as late.',
  };
}

/** Rule 6: Long Animation Frames attribute forced style/layout to the handler's script. */
function forcedLayout(h: HandlerAggregate, facts: HandlerFacts | undefined): Diagnosis | null {
  if (h.longFrames === 0 || h.forcedStyleLayoutMs < 5) return null;
  const perFrame = h.forcedStyleLayoutMs / h.longFrames;
  const frame = usable(h.frameBlocking) ?? h.blocking;
  const metric = usable(h.frameBlocking) ? 'frameBlocking' : 'blocking';
  return {
    id: `forced-layout:${h.handler}`,
    rule: 'forced-layout',
    handler: h.handler,
    title: `${h.handler} forces style and layout`,
    rootCause: `In ${h.longFrames} long animation frames, scripts run by ${h.handler} forced ${ms(h.forcedStyleLayoutMs)} of synchronous style/layout (${ms(perFrame)} per frame): it reads layout after writing to the DOM.`,
    evidence: { longFrames: h.longFrames, forcedStyleLayoutMs: round(h.forcedStyleLayoutMs, 1), perFrameMs: round(perFrame, 1), source: facts ? `${facts.file}:${facts.line}` : null },
    impact: {
      metric: handlerMetric(h.handler, metric, VERIFY_STAT),
      currentMs: round(frame.p50),
      predictedMs: round(Math.max(0, frame.p50 - perFrame)),
      predictedChange: round(-perFrame / Math.max(frame.p50, 1e-9), 3),
      predictions: [],
    },
    severity: perFrame > FRAME_MS ? 'high' : 'low',
    confidence: round(Math.min(1, h.longFrames / 10), 3),
    fix: null,
    advice: 'Batch DOM reads before writes (or read in requestAnimationFrame / ResizeObserver callbacks); avoid offsetWidth/getBoundingClientRect right after style changes.',
  };
}

/** Rule 7: the same normalised error keeps recurring in a handler. */
function recurringErrors(h: HandlerAggregate, facts: HandlerFacts | undefined): Diagnosis[] {
  // The live panel gets error names only (messages never cross the bridge).
  const pattern = (p: { name: string; message: string }) => (p.message ? `${p.name}: ${p.message}` : p.name);
  return h.errorPatterns
    .filter((p) => p.count >= 2)
    .map((p) => ({
      id: `recurring-error:${h.handler}:${pattern(p)}`,
      rule: 'recurring-error' as const,
      handler: h.handler,
      title: `${h.handler} throws "${pattern(p)}" repeatedly`,
      rootCause: `${p.count} of ${h.count} calls of ${h.handler} failed with the same normalised error; it recurs rather than being a one-off.`,
      evidence: { errors: p.count, calls: h.count, errorRate: round(h.errorRate, 3), pattern: pattern(p), source: facts ? `${facts.file}:${facts.line}` : null },
      impact: { metric: { kind: 'flow', metric: 'errors' } as RunMetric, currentMs: p.count, predictedMs: 0, predictedChange: -1, predictions: [] },
      severity: h.errorRate > 0.05 ? ('high' as const) : ('medium' as const),
      confidence: round(Math.min(1, p.count / 5), 3),
      fix: null,
      advice: `Handle the input that makes ${h.handler} throw; a regression test reproducing the pattern is generated and the pattern documented in ERRORS.md.`,
    }));
}

/** "renderReact p95 interaction: 840 → 60 ms" — predictions as they read in reports. */
export function describePrediction(p: Prediction): string {
  return `${describeRunMetric(p.metric)}: ${ms(p.current)} → ${ms(p.predicted)} (${p.because})`;
}

/**
 * Runs every rule over the evidence. Handlers without static facts only get the rules that
 * need none (forced layout, long frames, errors). Results are ordered by severity, then predicted impact.
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
      longFrame(h, f, input, isDirectInput),
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
  const sev = { high: 0, medium: 1, low: 2 } as const;
  return kept.sort((a, b) => sev[a.severity] - sev[b.severity] || a.impact.predictedChange - b.impact.predictedChange || a.id.localeCompare(b.id));
}
