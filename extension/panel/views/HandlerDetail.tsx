/**
 * One handler: what the user felt (interaction, time to result, the longest frame) and the
 * handler's own work, over time (downsampled recent calls) with the budget line and baseline
 * band, the blocking-time histogram, and recent calls with how React ran their updates.
 */
import { memo, useMemo } from 'react';
import { Bar, BarChart, CartesianGrid, Line, LineChart, ReferenceArea, ReferenceLine, Tooltip, XAxis, YAxis } from 'recharts';
import { METRICS, type HandlerMetric } from '../../../src/core/metrics.ts';
import type { SpecFile } from '../../../src/core/spec.ts';
import { useLive } from '../context.tsx';
import { downsample, type Point, type Series } from '../downsample.ts';
import { int, ms, pct } from '../format.ts';
import { standing, VERDICT_LABEL } from '../status.ts';
import { useThrottled } from '../throttle.ts';
import { SourceLink } from './SourceLink.tsx';
import { useJudged } from '../judged.ts';

const CHART_W = 560;
const CHART_H = 180;

export function HandlerDetail({ spec }: { spec: SpecFile | null }) {
  const name = useLive((s) => s.selected);
  const live = useLive((s) => s.snapshot?.handlers.find((x) => x.handler === s.selected));
  const slow = useThrottled(live, 1000);
  // Another handler picked: show it at once, not after the throttle.
  const h = slow?.handler === name ? slow : live;
  // Charts are the costly part of a frame: at most one chart update per second under load.
  const calls = useThrottled(useLive((s) => s.calls), 1000);
  const select = useLive((s) => s.select);
  const judged = useJudged(spec);
  const mine = useMemo(() => calls.filter((c) => c.handler === name), [calls, name]);
  const points = useMemo(() => downsample(mine), [mine]);
  const bars = useMemo(() => {
    const hist = h?.histograms.blocking;
    if (!hist) return [];
    const first = hist.counts.findIndex((c) => c > 0);
    let last = hist.counts.length - 1;
    while (last > first && hist.counts[last] === 0) last--;
    if (first < 0) return [];
    return hist.counts.slice(first, last + 1).map((count, i) => ({ edge: hist.edges[first + i]!, count }));
  }, [h]);

  if (!name) return <p className="empty">Pick a handler in the Handlers table.</p>;
  if (!h) return <p className="empty">No calls of {name} in this session yet.</p>;
  const s = standing(h, spec, judged?.get(h.handler));
  const metricKey = SERIES[s.metric] ?? 'blocking';
  const felt = (label: string, sum: { p50: number; p95: number } | null) => (
    <>
      <dt>{label}</dt>
      <dd>{sum ? `${ms(sum.p50)} / ${ms(sum.p95)}` : '—'}</dd>
    </>
  );
  const band = s.baselineMs === null ? null : [s.baselineMs * (1 - s.tolerance), s.baselineMs * (1 + s.tolerance)];

  return (
    <section aria-label={`Handler ${name}`}>
      <div className="toolbar">
        <button type="button" onClick={() => select(null)}>
          ← Handlers
        </button>
        <h2>{name}</h2>
        <span className={`badge ${s.verdict}`}>{VERDICT_LABEL[s.verdict]}</span>
        <SourceLink handler={name} spec={spec} />
      </div>
      <dl className="facts">
        <dt>n</dt>
        <dd>{int(h.count)}</dd>
        {felt('interaction p50 / p95', h.interaction)}
        {felt('time to result p50 / p95', h.result)}
        {felt('longest frame p50 / p95', h.longestFrame)}
        <dt>own duration p50 / p95</dt>
        <dd>
          {ms(h.duration.p50)} / {ms(h.duration.p95)}
        </dd>
        <dt>blocking p95</dt>
        <dd>{ms(h.blocking.p95)}</dd>
        <dt>transitions</dt>
        <dd>
          {pct(h.transitionShare)} ({h.modes.transition} transition, {h.modes.mixed} mixed, {h.modes.blocking} blocking)
        </dd>
        <dt>errors</dt>
        <dd>{int(h.errors)}</dd>
        <dt>budget</dt>
        <dd>{s.budgetMs === null ? '—' : `${s.stat} ${METRICS[s.metric].label} ≤ ${ms(s.budgetMs)}`}</dd>
        <dt>baseline</dt>
        <dd>{s.baselineMs === null ? '—' : `${ms(s.baselineMs)} ± ${pct(s.tolerance)}`}</dd>
      </dl>
      <div className="charts">
        <TimingChart
          points={points}
          metric={metricKey}
          budgetMs={s.budgetMs}
          bandLow={band ? band[0]! : null}
          bandHigh={band ? band[1]! : null}
        />
        <Histogram bars={bars} />
      </div>
      <h3>Recent calls</h3>
      <table className="grid" aria-label="Recent calls">
        <thead>
          <tr>
            <th>#</th>
            <th>at</th>
            <th title={METRICS.interaction.description}>interaction</th>
            <th title={METRICS.result.description}>result</th>
            <th title={METRICS.longestFrame.description}>longest frame</th>
            <th>own duration</th>
            <th>blocking</th>
            <th>React ran it as</th>
            <th>outcome</th>
          </tr>
        </thead>
        <tbody>
          {mine
            .slice(-30)
            .reverse()
            .map((c) => (
              <tr key={c.id} data-call={c.id}>
                <td>{c.id}</td>
                <td>{(c.start / 1000).toFixed(3)} s</td>
                <td>{c.interactionMs === null ? '—' : ms(c.interactionMs)}</td>
                <td>{c.resultMs === null ? '—' : ms(c.resultMs)}</td>
                <td>{c.longestFrameMs === null ? '—' : ms(c.longestFrameMs)}</td>
                <td>{ms(c.duration)}</td>
                <td>{ms(c.blockingMs)}</td>
                <td className={c.mode === 'transition' ? 'good' : c.mode === 'blocking' ? 'warn' : ''}>{c.mode}</td>
                <td className={c.error ? 'bad' : ''}>{c.error ? `${c.outcome} (${c.error})` : c.outcome}</td>
              </tr>
            ))}
        </tbody>
      </table>
    </section>
  );
}

const MARGIN = { top: 8, right: 12, bottom: 4, left: 0 };

/** Which recent-call series charts a metric (a budget's, else the first felt one). */
const SERIES: Partial<Record<HandlerMetric, Series>> = { interaction: 'interaction', result: 'result', longestFrame: 'frame', duration: 'duration', blocking: 'blocking' };
const SERIES_LABEL: Record<Series, string> = { interaction: 'Interaction latency', result: 'Time to result', frame: 'Longest frame', duration: 'Own duration', blocking: 'Blocking' };
const secs = (t: number) => `${t.toFixed(1)}s`;
const edge = (v: number) => (v < 10 ? String(Number(v.toPrecision(2))) : v.toFixed(0));

interface TimingChartProps {
  points: Point[];
  metric: Series;
  budgetMs: number | null;
  bandLow: number | null;
  bandHigh: number | null;
}

/** Memoised with primitive props: the charts re-render only when their (throttled) data changes. */
const TimingChart = memo(function TimingChart({ points, metric, budgetMs, bandLow, bandHigh }: TimingChartProps) {
  return (
    <figure>
      <figcaption>{SERIES_LABEL[metric]} of recent calls over time (ms, slowest per bucket)</figcaption>
      <LineChart width={CHART_W} height={CHART_H} data={points} margin={MARGIN}>
        <CartesianGrid stroke="#8886" strokeDasharray="2 4" />
        <XAxis dataKey="t" type="number" domain={['dataMin', 'dataMax']} tickFormatter={secs} stroke="#999" />
        <YAxis stroke="#999" width={44} />
        <Tooltip />
        {bandLow !== null && bandHigh !== null && <ReferenceArea y1={bandLow} y2={bandHigh} ifOverflow="extendDomain" fill="#4a90d9" fillOpacity={0.15} label="baseline" />}
        {budgetMs !== null && <ReferenceLine y={budgetMs} ifOverflow="extendDomain" stroke="#e5534b" strokeDasharray="4 2" label="budget" />}
        <Line type="linear" dataKey={metric} stroke="#f0b429" dot={points.length < 60} isAnimationActive={false} />
      </LineChart>
    </figure>
  );
});

const Histogram = memo(function Histogram({ bars }: { bars: Array<{ edge: number; count: number }> }) {
  return (
    <figure>
      <figcaption>Blocking time histogram (all calls, ms bucket start)</figcaption>
      <BarChart width={CHART_W} height={CHART_H} data={bars} margin={MARGIN}>
        <CartesianGrid stroke="#8886" strokeDasharray="2 4" />
        <XAxis dataKey="edge" tickFormatter={edge} stroke="#999" />
        <YAxis stroke="#999" width={44} allowDecimals={false} />
        <Tooltip />
        <Bar dataKey="count" fill="#57a6ff" isAnimationActive={false} />
      </BarChart>
    </figure>
  );
});
