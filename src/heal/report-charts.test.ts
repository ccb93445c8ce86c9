/**
 * The report's charts, rendered from a synthetic verification as the report renders them: the
 * markup must carry what a reader needs (labelled axes, a point per round, the decision lines,
 * colours that say the state) and must never throw on the thin evidence real runs produce
 * (no comparison, no rounds, no judgement).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { CONFIDENCE, round, specs, synthetic } from './__tests__/verification.ts';
import { decisionLine, forestRows, logTicks, renderVerificationCharts, sequentialPoints, STATE_COLOR } from './report-charts.tsx';
import type { Verification } from './verify.ts';

/** Every `<tag …>` opening of an element with `class` containing `cls`. */
const elements = (html: string, tag: string, cls: string) => [...html.matchAll(new RegExp(`<${tag}\\b[^>]*class="[^"]*\\b${cls}\\b[^"]*"[^>]*>`, 'g'))].map((m) => m[0]);
/** The text of every axis (and reference line) label. */
const labels = (html: string) => [...html.matchAll(/<text[^>]*recharts-label[^>]*>(.*?)<\/text>/g)].map((m) => m[1]!.replace(/<[^>]+>/g, ''));
/** The value of `attr` on each opening tag. */
const attr = (tags: string[], name: string) => tags.map((t) => new RegExp(`\\b${name}="([^"]*)"`).exec(t)?.[1]);
/** The markup of one figure, by a phrase of its caption. */
const figure = (html: string, phrase: string) => {
  const found = html.split('<figure').find((f) => f.includes(phrase));
  if (!found) throw new Error(`no figure with "${phrase}"`);
  return found;
};

/** The charts of one verification, as the report renders them. */
const chartsOf = async (v: Verification) => (await renderVerificationCharts([v]))[0]!;

describe('report charts', () => {
  const v = synthetic();
  let html = '';
  // Rendering is slow on a loaded 2-core machine (about a second per chart at a load of 20).
  beforeAll(async () => {
    html = await chartsOf(v);
  }, 60_000);

  it('states every metric the verdict used in the synthetic fixture', () => {
    expect(v.judgement!.results.map((r) => r.state)).toEqual(['improved', 'regressed', 'unresolved', 'ok']);
  });

  it('renders SVG with labelled axes, a legend and a caption per chart', () => {
    expect(html).toContain('<svg');
    const texts = labels(html);
    for (const label of ['round', 'geometric mean per round (ms)', 'mean count per round', 'after / before (×, log scale; &lt; 1 is faster)', 'rounds so far', 'after / before (×, log)']) {
      expect(texts, label).toContain(label);
    }
    // One chart per metric with rounds, plus the forest plot and the sequential decision.
    expect(html.match(/<figure/g)).toHaveLength(specs.length + 2);
    expect(html.match(/<figcaption>/g)).toHaveLength(specs.length + 2);
    expect(elements(html, 'ul', 'recharts-default-legend')).toHaveLength(specs.length + 2);
    expect(html).toContain('before (A)');
    expect(html).toContain('after (B)');
  });

  it('draws one before and one after point per round, joined by one line per round', () => {
    const primary = figure(html, 'renderReact interaction, per call: each round');
    expect(elements(primary, 'g', 'before')).toHaveLength(1);
    const dots = (cls: string) => primary.split(`class="recharts-layer recharts-scatter ${cls}"`)[1]!.split('recharts-scatter ')[0]!.match(/<path[^>]*recharts-symbols/g) ?? [];
    expect(dots('before')).toHaveLength(v.rounds);
    expect(dots('after')).toHaveLength(v.rounds);
    // Each round's pair is joined, green when the round got faster.
    const joins = elements(primary, 'g', 'round-pair');
    expect(joins).toHaveLength(v.rounds);
    expect(primary.match(new RegExp(`class="recharts-reference-line-line"[^>]*stroke="${STATE_COLOR.improved}"|stroke="${STATE_COLOR.improved}"[^>]*class="recharts-reference-line-line"`, 'g'))).toHaveLength(v.rounds);
  });

  it('switches the rounds chart to a log axis only when the values span more than a decade', async () => {
    const wide = synthetic();
    // Only the primary's rounds are drawn (each chart costs a render).
    wide.paired = { 'h:interaction': [round(20, 1), round(900, 1), round(60, 1)] };
    const markup = figure(await chartsOf(wide), 'renderReact interaction, per call: each round');
    expect(markup).toContain('log scale');
    expect(figure(html, 'renderReact interaction, per call: each round')).not.toContain('log scale');
  }, 60_000);

  it('plots every metric on the forest plot with its decision line, coloured by state', () => {
    const forest = figure(html, 'dashed bar on each row');
    expect(forest).toContain(`fill="${STATE_COLOR.improved}"`);
    expect(forest).toContain(`fill="${STATE_COLOR.regressed}"`);
    expect(forest).toContain(`fill="${STATE_COLOR.unresolved}"`);
    // A decision mark for each primary and guard row, at 1 − threshold and 1 + tolerance.
    expect(forest.match(/class="decision-line"/g)).toHaveLength(specs.length);
    const rows = forestRows(v);
    expect(rows.map((r) => r.decision)).toEqual([0.9, 1.2, 1.2, 1]);
    expect(rows.map((r) => r.label)).toEqual(specs.map((s) => `${s.role}: ${s.label}`));
    // The state's colour is the interval's too, row by row (primary improved, guards regressed, undecided, proven).
    const bars = elements(forest, 'g', 'recharts-errorBar');
    expect(bars).toHaveLength(specs.length);
    expect(attr(bars, 'stroke').sort()).toEqual([STATE_COLOR.improved, STATE_COLOR.ok, STATE_COLOR.regressed, STATE_COLOR.unresolved].sort());
    // Points sit on their own row: the regressed (red) point at the height of its label's tick.
    const tickY = (label: string) => Number(new RegExp(`y="([\\d.]+)"[^>]*class="recharts-text recharts-cartesian-axis-tick-value"[^>]*><tspan[^>]*>${label}<`).exec(forest)?.[1]);
    const red = elements(forest, 'path', 'recharts-symbols').filter((p) => p.includes(`fill="${STATE_COLOR.regressed}"`) && p.includes('data-recharts-item-id'));
    expect(red).toHaveLength(1);
    expect(Number(attr(red, 'cy')[0])).toBeCloseTo(tickY('guard: renderReact result, per call'), 6);
    expect(tickY('primary: renderReact interaction, per call')).toBeLessThan(tickY('guard: renderReact result, per call'));
    // The legend names the states in a fixed order, whatever order the metrics come in.
    const legendItems = [...forest.matchAll(/recharts-legend-item-text[^>]*>([^<]*)</g)].map((m) => m[1]);
    expect(legendItems).toEqual(['improved / proven to hold', 'undecided / not yet proven', 'regressed', 'decision line']);
  });

  it('draws the sequential decision from round 2 with the threshold line and where it was crossed', () => {
    const seq = figure(html, 'recomputed after each round');
    const points = sequentialPoints(v.paired['h:interaction']!, { confidence: CONFIDENCE, floor: 16, threshold: 0.1 });
    expect(points.map((p) => p.round)).toEqual([2, 3, 4, 5, 6]);
    // The recomputed interval after all rounds is the verdict's own.
    const last = points.at(-1)!;
    expect(last.high).toBeCloseTo(v.judgement!.results[0]!.comparison!.ratio.high, 9);
    expect(seq).toContain('improved below 0.90×');
    expect(seq.match(/class="recharts-curve recharts-line-curve decision-line"|class="[^"]*decision-line[^"]*"/g)?.length).toBeGreaterThanOrEqual(2);
    const estimate = seq.split('name="estimate"')[1] ?? '';
    expect(estimate).toBeTruthy();
    // Decisions are taken only at the looks (4 and 6): the chart marks both and decides at the last.
    expect(seq).toContain('look (round 4)');
    expect(seq).toContain('decided (round 6)');
    expect(seq).toContain("the verdict is taken only at the plan's looks (rounds 4 and 6): decided at the look after round 6");
    // Guards are drawn at their one-sided level, and the caption says so.
    expect(figure(html, 'on a log axis')).toContain('guards, one-sided claims: the 95% interval, whose upper bound is the one-sided 97.5% bound');
  });

  it('never throws on thin evidence: null comparisons, no rounds, no judgement', async () => {
    const thin = synthetic();
    thin.judgement = { ...thin.judgement!, results: thin.judgement!.results.map((r) => ({ ...r, comparison: null, state: 'no-data' as const })) };
    thin.paired = {};
    thin.rounds = 0;
    expect(await chartsOf(thin)).toBe('');

    const one = synthetic(1);
    one.paired = { 'h:interaction': one.paired['h:interaction']! };
    const oneRound = await chartsOf(one);
    expect(oneRound).not.toContain('recomputed after each round');
    expect(oneRound).toContain('each round');

    const empty = synthetic();
    for (const k of Object.keys(empty.paired)) empty.paired[k] = [];
    expect(await chartsOf(empty)).not.toContain('each round');

    const none = { ...synthetic(), judgement: null };
    const [a, b, c] = await renderVerificationCharts([none, null, empty]);
    expect([a, b]).toEqual(['', '']);
    expect(c!.match(/<figure/g)).toHaveLength(1);

    const infinite = synthetic();
    infinite.paired = {};
    infinite.judgement!.results[1] = { ...infinite.judgement!.results[1]!, comparison: { ...infinite.judgement!.results[1]!.comparison!, ratio: { estimate: 1.1, low: 1e-9, high: 1e9 } } };
    const cut = await chartsOf(infinite);
    expect(cut).toContain("cut at the axis' edge");
  }, 60_000);

  it('says why where one verification cannot be drawn, and draws the others', async () => {
    const broken = synthetic();
    broken.paired = {};
    // A comparison without its ratio (a malformed result file): the forest plot cannot place it.
    broken.judgement!.results[0] = { ...broken.judgement!.results[0]!, comparison: {} as never };
    const good = synthetic();
    good.paired = {};
    const [bad, fine] = await renderVerificationCharts([broken, good]);
    expect(bad).toMatch(/^<p class="note">Charts could not be drawn: /);
    expect(fine).toContain('<svg');
    expect('window' in globalThis).toBe(false);
  }, 60_000);

  it('leaves no window or document behind', () => {
    expect(html).toContain('<svg');
    expect('window' in globalThis).toBe(false);
    expect('document' in globalThis).toBe(false);
  });

  it('puts log ticks at 1, 2, 5 per decade and the decision line where the verdict is decided', () => {
    expect(logTicks(0.08, 3)).toEqual([0.1, 0.2, 0.5, 1, 2]);
    expect(decisionLine(v.judgement!.results[0]!, 0.25)).toBe(0.75);
    expect(decisionLine({ ...v.judgement!.results[0]!, spec: { ...specs[0]!, role: 'context' } }, 0.1)).toBeNull();
  });
});
