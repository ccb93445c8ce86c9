/**
 * The charts of one verification, for the heal report: per metric the paired rounds (before and
 * after, side by side), a forest plot of every metric's ratio against its decision line, and the
 * primary metric's sequential decision (the interval round by round against the threshold).
 *
 * They are React + recharts components rendered once to static SVG: the report stays one
 * self-contained file, readable without scripts. Recharts 3 draws nothing under
 * `react-dom/server` (it lays a chart out in effects and portals, which a server render never
 * runs: recharts#5997), so the components are rendered into a detached jsdom document with
 * `flushSync` (synchronous, effects included, and unlike `act` available in production builds)
 * and its markup is taken. Fixed sizes everywhere: there is no layout to measure.
 */
import { JSDOM } from 'jsdom';
import type { ReactElement, ReactNode } from 'react';
import { flushSync } from 'react-dom';
import { createRoot } from 'react-dom/client';
import { CartesianGrid, ComposedChart, ErrorBar, Legend, Line, ReferenceLine, Scatter, XAxis, YAxis } from 'recharts';
import { formatConfidence, formatFactor, formatQuantity } from '../core/format.ts';
import { comparePaired, type RoundSample } from '../core/paired.ts';
import { effectOf, formatChange, type MetricResult } from '../core/verdict.ts';
import type { Verification } from './verify.ts';

/** Default smallest change of the primary metric that counts (verify.ts' plan default). */
export const DEFAULT_THRESHOLD = 0.1;

export interface ChartOptions {
  /** The primary's threshold the verification used: improved below 1 − threshold (default 0.1). */
  threshold?: number;
  /** The markup for a verification whose charts fail to render (default: a note saying why). */
  onError?: (error: unknown) => string;
}

const escapeHtml = (s: string) => s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);

type State = MetricResult['state'];

/** Colour by what the evidence says: green proven, red regressed, amber not yet decided. */
export const STATE_COLOR: Record<State, string> = {
  improved: '#1e8449',
  ok: '#1e8449',
  regressed: '#c0392b',
  unresolved: '#d68910',
  'no-effect': '#5d6d7e',
  'no-data': '#aab7b8',
};

/** Legend groups: a guard's `ok` and a primary's `improved` are both "proven". */
const STATE_GROUP: Record<State, { name: string; color: string }> = {
  improved: { name: 'improved / proven to hold', color: STATE_COLOR.improved },
  ok: { name: 'improved / proven to hold', color: STATE_COLOR.ok },
  regressed: { name: 'regressed', color: STATE_COLOR.regressed },
  unresolved: { name: 'undecided / not yet proven', color: STATE_COLOR.unresolved },
  'no-effect': { name: 'unchanged', color: STATE_COLOR['no-effect'] },
  'no-data': { name: 'no samples', color: STATE_COLOR['no-data'] },
};

const GROUP_ORDER: readonly State[] = ['improved', 'no-effect', 'unresolved', 'regressed'];

const BEFORE = '#566573';
const SAME = '#aab7b8';
const AFTER = '#2874a6';
const AXIS_FONT = { fontSize: 11 };
/** Ratios beyond these are drawn at the axis' edge: an interval of 10⁻⁹–10⁹ says "undecided" at any width. */
const RATIO_MIN = 0.01;
const RATIO_MAX = 100;

const unitOf = (r: MetricResult) => r.spec.unit ?? 'ms';
const finite = (x: number) => Number.isFinite(x) && x > 0;
const clampRatio = (x: number) => Math.min(RATIO_MAX, Math.max(RATIO_MIN, x));

/** Ticks at 1, 2, 5 × 10ⁿ inside [lo, hi] (also 3 when the axis spans less than ~1.5 decades): readable on a log axis. */
export function logTicks(lo: number, hi: number): number[] {
  const out: number[] = [];
  const steps = hi / lo < 30 ? [1, 2, 3, 5] : [1, 2, 5];
  for (let e = Math.floor(Math.log10(lo)); e <= Math.ceil(Math.log10(hi)); e++) {
    for (const m of steps) {
      const t = Number((m * 10 ** e).toPrecision(6));
      if (t >= lo && t <= hi) out.push(t);
    }
  }
  return out;
}

// ─── data ────────────────────────────────────────────────────────────────────────────────────

export interface RoundPoint {
  round: number;
  /** The round's statistic on each side: the geometric mean of its paired samples (mean for counts). */
  before: number;
  after: number;
  pairs: number;
}

/** One point per round: exp(mean log A) and exp(mean log B), or the raw means of a count. */
export function roundPoints(rounds: readonly RoundSample[], unit: 'ms' | 'count' = 'ms'): RoundPoint[] {
  return rounds.map((r, i) => ({
    round: i + 1,
    before: unit === 'count' ? r.rawA : Math.exp(r.a),
    after: unit === 'count' ? r.rawB : Math.exp(r.b),
    pairs: r.pairs,
  }));
}

export interface ForestRow {
  key: string;
  label: string;
  state: State;
  estimate: number;
  low: number;
  high: number;
  /** Where this metric's verdict is decided: primary improved below it, a guard holds below it; null for context. */
  decision: number | null;
  /** Whether the interval ran past the axis and is drawn cut. */
  cut: boolean;
}

/** Where a metric's verdict line lies: 1 − threshold for the primary, 1 + tolerance for a guard. */
export function decisionLine(r: MetricResult, threshold: number): number | null {
  if (r.spec.role === 'primary') return 1 - threshold;
  if (r.spec.role === 'guard') return 1 + (r.spec.tolerance ?? 0);
  return null;
}

const ROLE_ORDER = { primary: 0, guard: 1, context: 2 } as const;

/** Every metric with a comparison, primary first, its ratio interval clamped to the drawn axis. */
export function forestRows(v: Verification, threshold = DEFAULT_THRESHOLD): ForestRow[] {
  const results = (v.judgement?.results ?? []).slice().sort((a, b) => ROLE_ORDER[a.spec.role] - ROLE_ORDER[b.spec.role]);
  const rows: ForestRow[] = [];
  for (const r of results) {
    const c = r.comparison;
    if (!c || !finite(c.ratio.estimate) || !(c.ratio.low > 0) || !(c.ratio.high > 0)) continue;
    const cut = c.ratio.low < RATIO_MIN || c.ratio.high > RATIO_MAX;
    rows.push({
      key: r.spec.key,
      label: `${r.spec.role === 'primary' ? 'primary' : r.spec.role === 'guard' ? 'guard' : 'context'}: ${r.spec.label}`,
      state: r.state,
      estimate: clampRatio(c.ratio.estimate),
      low: clampRatio(c.ratio.low),
      high: clampRatio(c.ratio.high),
      decision: decisionLine(r, threshold),
      cut,
    });
  }
  return rows;
}

export interface LookPoint {
  round: number;
  estimate: number;
  low: number;
  high: number;
  /** What the interval after this many rounds says, on the primary's rule. */
  effect: ReturnType<typeof effectOf>;
}

/** The primary's interval after each round k ≥ 2, recomputed as the sequential plan saw it. */
export function sequentialPoints(rounds: readonly RoundSample[], options: { confidence: number; floor: number; threshold: number }): LookPoint[] {
  const out: LookPoint[] = [];
  for (let k = 2; k <= rounds.length; k++) {
    const c = comparePaired(rounds.slice(0, k), { confidence: options.confidence, floor: options.floor });
    if (!finite(c.ratio.estimate)) continue;
    out.push({ round: k, estimate: clampRatio(c.ratio.estimate), low: clampRatio(c.ratio.low), high: clampRatio(c.ratio.high), effect: effectOf(c, options.threshold) });
  }
  return out;
}

// ─── components ──────────────────────────────────────────────────────────────────────────────

function Figure(props: { caption: string; children: ReactNode; wide?: boolean }) {
  return (
    <figure className={props.wide ? 'chart wide' : 'chart'}>
      {props.children}
      <figcaption>{props.caption}</figcaption>
    </figure>
  );
}

// Series in the order they are declared (recharts sorts legends by name unless told not to).
const legend = <Legend verticalAlign="top" align="right" itemSorter={null} wrapperStyle={{ top: 0, fontSize: 11 }} />;
const roundTicks = (n: number) => Array.from({ length: n }, (_, i) => i + 1);
const OFFSET = 0.18;

/** Chart 1: a metric's rounds, before and after side by side, the two sides of a round joined. */
export function RoundsChart(props: { result: MetricResult; rounds: readonly RoundSample[]; width?: number; height?: number }) {
  const { result, rounds } = props;
  const unit = unitOf(result);
  const points = roundPoints(rounds, unit);
  const values = points.flatMap((p) => [p.before, p.after]).filter(finite);
  // Log scale when the rounds span more than a decade: linear would flatten all but the largest.
  const log = unit === 'ms' && values.length > 0 && Math.max(...values) / Math.min(...values) > 10;
  const lo = Math.min(...values) / 1.3;
  const hi = Math.max(...values, 0) * 1.3;
  const n = Math.max(points.length, 1);
  const statName = unit === 'count' ? 'mean count per round' : 'geometric mean per round (ms)';
  const c = result.comparison;
  const caption =
    `${result.spec.label}: each round's before (A) and after (B) ${unit === 'count' ? 'mean count' : 'geometric mean of its paired samples'}, ` +
    `joined by a line that is green where the round got faster and red where it got slower (${points.length} round${points.length === 1 ? '' : 's'}, ${points.reduce((s, p) => s + p.pairs, 0)} pairs` +
    `${c ? `; over all rounds ${formatChange(c, unit)}` : ''})${log ? ', log scale' : ''}.`;
  return (
    <Figure caption={caption}>
      <ComposedChart width={props.width ?? 440} height={props.height ?? 260} margin={{ top: 28, right: 16, bottom: 28, left: 16 }} accessibilityLayer={false}>
        <CartesianGrid stroke="#eee" />
        <XAxis type="number" dataKey="x" domain={[0.5, n + 0.5]} ticks={roundTicks(n)} allowDecimals={false} tick={AXIS_FONT} label={{ value: 'round', position: 'insideBottom', offset: -16, fontSize: 12 }} />
        <YAxis
          type="number"
          dataKey="y"
          scale={log ? 'log' : 'linear'}
          {...(log ? { domain: [lo, hi], ticks: logTicks(lo, hi) } : { domain: [0, 'auto'] })}
          allowDecimals={unit !== 'count'}
          tickFormatter={(t: number) => (t === 0 ? '0' : unit === 'count' ? String(Number(t.toFixed(1))) : formatQuantity(t))}
          tick={AXIS_FONT}
          width={62}
          label={{ value: statName, angle: -90, position: 'insideLeft', offset: -6, style: { textAnchor: 'middle' }, fontSize: 12 }}
        />
        {legend}
        {points.map((p) => (
          <ReferenceLine
            key={p.round}
            segment={[
              { x: p.round - OFFSET, y: p.before },
              { x: p.round + OFFSET, y: p.after },
            ]}
            stroke={p.after < p.before ? STATE_COLOR.improved : p.after > p.before ? STATE_COLOR.regressed : SAME}
            strokeOpacity={0.7}
            className="round-pair"
          />
        ))}
        <Scatter name="before (A)" data={points.map((p) => ({ x: p.round - OFFSET, y: p.before }))} fill={BEFORE} isAnimationActive={false} className="before" />
        <Scatter name="after (B)" data={points.map((p) => ({ x: p.round + OFFSET, y: p.after }))} fill={AFTER} isAnimationActive={false} className="after" />
      </ComposedChart>
    </Figure>
  );
}

/** A short vertical bar at a row's decision value: the forest plot's per-metric decision line. */
function DecisionMark(props: { cx?: number; cy?: number }) {
  if (props.cx === undefined || props.cy === undefined) return null;
  return <line className="decision-line" x1={props.cx} x2={props.cx} y1={props.cy - 11} y2={props.cy + 11} stroke="#222" strokeWidth={2} strokeDasharray="3 2" />;
}

/** Chart 2: every metric's ratio with its interval, against its own decision line. */
export function ForestPlot(props: { verification: Verification; threshold?: number; width?: number }) {
  const threshold = props.threshold ?? DEFAULT_THRESHOLD;
  const rows = forestRows(props.verification, threshold);
  if (rows.length === 0) return null;
  const withComparison = props.verification.judgement?.results.filter((r) => r.comparison) ?? [];
  const confidence = withComparison.find((r) => r.spec.role !== 'guard')?.comparison?.confidence ?? props.verification.looks.confidence;
  // Guards are one-sided claims: their interval is drawn at 2c − 1, whose upper bound is the one-sided bound at c.
  const guardLevel = withComparison.find((r) => r.spec.role === 'guard')?.comparison?.confidence;
  const span = rows.flatMap((r) => [r.low, r.high, r.decision ?? 1, 1]);
  const lo = Math.max(RATIO_MIN, Math.min(...span) / 1.25);
  const hi = Math.min(RATIO_MAX, Math.max(...span) * 1.25);
  // One series per state group, in a fixed order: the legend reads the same in every report.
  const groups = new Map<string, { name: string; color: string; rows: ForestRow[] }>();
  for (const state of GROUP_ORDER) groups.set(STATE_GROUP[state].name, { ...STATE_GROUP[state], rows: [] });
  for (const r of rows) groups.get(STATE_GROUP[r.state].name)!.rows.push(r);
  for (const [name, g] of groups) if (g.rows.length === 0) groups.delete(name);
  // Rows on a numeric axis (row i at y = i): series drawn from their own data then line up with
  // their labels, whatever order the state groups come in.
  const index = new Map(rows.map((r, i) => [r.key, i]));
  const withErr = (r: ForestRow) => ({ row: index.get(r.key)!, ratio: r.estimate, err: [r.estimate - r.low, r.high - r.estimate] });
  const caption =
    `Each metric's after/before ratio with its ${formatConfidence(confidence)} interval on a log axis` +
    `${guardLevel !== undefined && Math.abs(guardLevel - confidence) > 1e-9 ? ` (guards, one-sided claims: the ${formatConfidence(guardLevel)} interval, whose upper bound is the one-sided ${formatConfidence((1 + guardLevel) / 2)} bound)` : ''}` +
    `; the dashed bar on each row is where its verdict is decided ` +
    `(primary: improved below ${formatFactor(1 - threshold)}×; guards: proven to hold below 1 + their tolerance)` +
    `${rows.some((r) => r.cut) ? `, and intervals beyond ${RATIO_MIN}–${RATIO_MAX}× are cut at the axis' edge` : ''}.`;
  return (
    <Figure caption={caption} wide>
      <ComposedChart layout="vertical" width={props.width ?? 900} height={70 + rows.length * 34} margin={{ top: 28, right: 24, bottom: 28, left: 8 }} accessibilityLayer={false}>
        <CartesianGrid stroke="#eee" horizontal={false} />
        <XAxis
          type="number"
          dataKey="ratio"
          scale="log"
          domain={[lo, hi]}
          ticks={logTicks(lo, hi)}
          allowDataOverflow
          tickFormatter={(t: number) => `${formatFactor(t)}×`}
          tick={AXIS_FONT}
          label={{ value: 'after / before (×, log scale; < 1 is faster)', position: 'insideBottom', offset: -16, fontSize: 12 }}
        />
        <YAxis
          type="number"
          dataKey="row"
          domain={[-0.5, rows.length - 0.5]}
          ticks={rows.map((_, i) => i)}
          tickFormatter={(i: number) => rows[i]?.label ?? ''}
          width={300}
          tick={AXIS_FONT}
          interval={0}
        />
        {legend}
        <ReferenceLine x={1} stroke="#999" label={{ value: 'no change', position: 'top', fontSize: 10, fill: '#777' }} />
        {[...groups.values()].map((g) => (
          <Scatter key={g.name} name={g.name} data={g.rows.map(withErr)} fill={g.color} isAnimationActive={false} className={`state-${g.rows[0]!.state}`}>
            <ErrorBar dataKey="err" direction="x" stroke={g.color} width={6} strokeWidth={2} isAnimationActive={false} />
          </Scatter>
        ))}
        <Scatter
          name="decision line"
          legendType="line"
          data={rows.filter((r) => r.decision !== null).map((r) => ({ row: index.get(r.key)!, ratio: r.decision }))}
          fill="#222"
          shape={<DecisionMark />}
          isAnimationActive={false}
        />
      </ComposedChart>
    </Figure>
  );
}


/** Chart 3: the primary's interval after every round, against the lines that decide it. */
export function SequentialChart(props: { verification: Verification; threshold?: number; width?: number }) {
  const v = props.verification;
  const threshold = props.threshold ?? DEFAULT_THRESHOLD;
  const primary = v.judgement?.results.find((r) => r.spec.role === 'primary');
  if (!primary) return null;
  const confidence = v.looks.confidence > 0 && v.looks.confidence < 1 ? v.looks.confidence : (primary.comparison?.confidence ?? 0.95);
  const points = sequentialPoints(v.paired[primary.spec.key] ?? [], { confidence, floor: primary.spec.floor, threshold });
  if (points.length === 0) return null;
  const improve = 1 - threshold;
  const regress = 1 + threshold;
  const span = points.flatMap((p) => [p.low, p.high]).concat(improve, regress);
  const lo = Math.max(RATIO_MIN, Math.min(...span) / 1.25);
  const hi = Math.min(RATIO_MAX, Math.max(...span) * 1.25);
  // The verdict is taken only at the plan's looks (verify.ts); results written before looks were
  // recorded fall back to the first round whose interval cleared a line.
  const lookRounds = (v.looks.at ?? []).filter((r) => points.some((p) => p.round === r));
  const decided = v.looks.at
    ? v.stoppedBy === 'decided' && lookRounds.length > 0
      ? points.find((p) => p.round === lookRounds.at(-1))
      : undefined
    : points.find((p) => p.effect !== 'unresolved');
  const first = points[0]!.round;
  const last = points[points.length - 1]!.round;
  const data = points.map((p) => ({ ...p, improve, regress }));
  const caption =
    `${primary.spec.label}: the after/before interval (${formatConfidence(confidence)}, the sequential plan's per-look confidence) recomputed after each round; ` +
    (v.looks.at
      ? `the verdict is taken only at the plan's looks (${lookRounds.length === 0 ? 'none reached' : `round${lookRounds.length === 1 ? '' : 's'} ${lookRounds.join(' and ')}`}): ` +
        (decided
          ? `decided at the look after round ${decided.round} (${decided.effect === 'no-effect' ? 'unchanged' : decided.effect}).`
          : `undecided at ${lookRounds.length > 1 ? 'both' : 'its'} look${lookRounds.length > 1 ? 's' : ''}.`)
      : decided
        ? `the whole interval first cleared a decision line after round ${decided.round} (${decided.effect === 'no-effect' ? 'unchanged' : decided.effect}).`
        : `it never cleared a decision line in ${v.rounds} round${v.rounds === 1 ? '' : 's'}.`);
  return (
    <Figure caption={caption} wide>
      <ComposedChart width={props.width ?? 900} height={260} data={data} margin={{ top: 28, right: 24, bottom: 28, left: 16 }} accessibilityLayer={false}>
        <CartesianGrid stroke="#eee" />
        <XAxis
          type="number"
          dataKey="round"
          domain={[first, Math.max(last, first + 1)]}
          ticks={Array.from({ length: last - first + 1 }, (_, i) => first + i)}
          allowDecimals={false}
          tick={AXIS_FONT}
          label={{ value: 'rounds so far', position: 'insideBottom', offset: -16, fontSize: 12 }}
        />
        <YAxis
          type="number"
          scale="log"
          domain={[lo, hi]}
          ticks={logTicks(lo, hi)}
          allowDataOverflow
          tickFormatter={(t: number) => `${formatFactor(t)}×`}
          tick={AXIS_FONT}
          width={62}
          label={{ value: 'after / before (×, log)', angle: -90, position: 'insideLeft', offset: -6, style: { textAnchor: 'middle' }, fontSize: 12 }}
        />
        {legend}
        <ReferenceLine y={1} stroke="#bbb" />
        {lookRounds
          .filter((r) => r !== decided?.round)
          .map((r) => <ReferenceLine key={r} x={r} stroke="#999" strokeDasharray="2 3" label={{ value: `look (round ${r})`, position: r === last ? 'insideTopRight' : 'insideTopLeft', fontSize: 10 }} />)}
        {decided && <ReferenceLine x={decided.round} stroke="#222" strokeDasharray="2 3" label={{ value: `decided (round ${decided.round})`, position: decided.round === last ? 'insideTopRight' : 'insideTopLeft', fontSize: 10 }} />}
        <Line name={`improved below ${formatFactor(improve)}×`} dataKey="improve" stroke={STATE_COLOR.improved} strokeDasharray="6 3" dot={false} isAnimationActive={false} className="decision-line" />
        <Line name={`regressed above ${formatFactor(regress)}×`} dataKey="regress" stroke={STATE_COLOR.regressed} strokeDasharray="6 3" dot={false} isAnimationActive={false} className="decision-line" />
        <Line name="interval high" dataKey="high" stroke={STATE_COLOR.unresolved} strokeDasharray="2 2" isAnimationActive={false} dot={{ r: 2 }} />
        <Line name="interval low" dataKey="low" stroke={STATE_COLOR.unresolved} strokeDasharray="2 2" isAnimationActive={false} dot={{ r: 2 }} />
        <Line name="estimate" dataKey="estimate" stroke={AFTER} strokeWidth={2} isAnimationActive={false} dot={{ r: 3 }} />
      </ComposedChart>
    </Figure>
  );
}

/** Every chart of a verification: the decision (forest, sequential) first, then each metric's rounds. */
export function VerificationCharts(props: { verification: Verification; threshold?: number }) {
  const v = props.verification;
  const results = (v.judgement?.results ?? []).slice().sort((a, b) => ROLE_ORDER[a.spec.role] - ROLE_ORDER[b.spec.role]);
  const perMetric = results.filter((r) => (v.paired[r.spec.key]?.length ?? 0) > 0);
  return (
    <div className="charts">
      <ForestPlot verification={v} {...(props.threshold !== undefined ? { threshold: props.threshold } : {})} />
      <SequentialChart verification={v} {...(props.threshold !== undefined ? { threshold: props.threshold } : {})} />
      {perMetric.map((r) => (
        <RoundsChart key={r.spec.key} result={r} rounds={v.paired[r.spec.key]!} />
      ))}
    </div>
  );
}

// ─── static rendering ────────────────────────────────────────────────────────────────────────

let roots = 0;

/** Lets every task React's scheduler queued run: it queues one per commit on `setImmediate`. */
async function drainScheduler(): Promise<void> {
  for (let i = 0; i < 8; i++) await new Promise<void>((resolve) => setImmediate(resolve));
  await new Promise<void>((resolve) => setTimeout(resolve, 0));
}

/**
 * Renders each element to static markup in a throwaway jsdom document; an element that fails
 * gives `onError`'s markup instead (the others still render). react-dom reads the global
 * `window` while it schedules, and in development builds also from the tasks it queues after a
 * commit (to flush effects that `flushSync` already flushed), so `window` and `document` point at
 * that document until those tasks have run, and are then put back as they were.
 */
export async function renderStatic(elements: readonly ReactElement[], onError: (error: unknown) => string = (e) => { throw e; }): Promise<string[]> {
  if (elements.length === 0) return [];
  const dom = new JSDOM('<!doctype html><html><body></body></html>');
  const g = globalThis as { window?: unknown; document?: unknown };
  const saved = { window: g.window, document: g.document, hadWindow: 'window' in g, hadDocument: 'document' in g };
  g.window = dom.window;
  g.document = dom.window.document;
  const renderOne = (element: ReactElement): string => {
    const container = dom.window.document.createElement('div');
    dom.window.document.body.append(container);
    let failure: unknown = null;
    const root = createRoot(container, {
      // Ids (clip paths) must stay unique across the charts of one report.
      identifierPrefix: `hc${++roots}-`,
      // React 19 reports a render error instead of throwing it: the caller must know.
      onUncaughtError: (error) => {
        failure ??= error;
      },
    });
    try {
      flushSync(() => root.render(element));
      if (failure !== null) throw failure;
      return container.innerHTML;
    } finally {
      root.unmount();
      container.remove();
    }
  };
  try {
    return elements.map((element) => {
      try {
        return renderOne(element);
      } catch (e) {
        return onError(e);
      }
    });
  } finally {
    await drainScheduler();
    if (saved.hadWindow) g.window = saved.window;
    else delete g.window;
    if (saved.hadDocument) g.document = saved.document;
    else delete g.document;
    dom.window.close();
  }
}

const EMPTY = '<div class="charts"></div>';

/** The charts of each verification as static HTML (figures with inline SVG); '' where there is nothing to draw. */
export async function renderVerificationCharts(verifications: ReadonlyArray<Verification | null>, options: ChartOptions = {}): Promise<string[]> {
  // Results written before paired rounds were kept have no `paired` or `looks`: nothing to draw there.
  const drawn = verifications.map((v) => (v?.judgement ? { ...v, paired: v.paired ?? {}, looks: v.looks ?? { planned: 0, confidence: 0 } } : null));
  const html = await renderStatic(
    drawn.filter((v): v is Verification => v !== null).map((v) => <VerificationCharts verification={v} {...(options.threshold !== undefined ? { threshold: options.threshold } : {})} />),
    options.onError ?? ((e) => `<p class="note">Charts could not be drawn: ${escapeHtml(e instanceof Error ? e.message : String(e))}</p>`),
  );
  let next = 0;
  return drawn.map((v) => {
    if (!v) return '';
    const h = html[next++]!;
    return h === EMPTY ? '' : h;
  });
}
