import { describe, expect, it } from 'vitest';
import { demoFacts, demoInput, demoSession } from './__tests__/demo-shape.ts';
import { describePrediction, diagnose } from './diagnose.ts';

const find = (ds: ReturnType<typeof diagnose>, id: string) => ds.find((x) => x.id === id);

describe('diagnose', () => {
  const blocking = demoSession({ renderMs: 300, mode: 'blocking', n: 60 });

  it('a blocking render the user waits for → startTransition, verified on interaction latency, with what it will not change', () => {
    const d = find(diagnose(demoInput(blocking)), 'blocking-update:renderReact')!;
    expect(d.fix).toEqual({ codemod: 'transition', file: 'App.tsx', handler: 'renderReact', setters: ['setResults'] });
    expect(d.impact.metric).toEqual({ kind: 'handler', handler: 'renderReact', metric: 'interaction', stat: 'p95' });
    expect(d.impact.currentMs).toBeGreaterThan(300);
    // The synchronous render leaves the interaction...
    expect(d.impact.predictedMs).toBeLessThan(40);
    const byMetric = Object.fromEntries(d.impact.predictions.map((p) => [p.metric.kind === 'handler' ? p.metric.metric : p.metric.metric, p]));
    // ...but the result does not come sooner, and the frame keeps its style and layout.
    expect(byMetric['result']!.predicted).toBe(byMetric['result']!.current);
    expect(byMetric['longestFrame']!.predicted).toBeLessThan(byMetric['longestFrame']!.current);
    expect(describePrediction(byMetric['result']!)).toMatch(/^renderReact p95 time to result: \d+ ms → \d+ ms \(the same render still happens/);
    expect(d.rootCause).toMatch(/the user waited \d+ ms at p95 interaction against a budget of p95 interaction ≤ 100 ms/);
    expect(d.severity).toBe('high');
  });

  it('when the frame stays frozen after a transition, says so with the numbers, suggests less work per frame and an isPending indicator', () => {
    const heavyLayout = demoSession({ renderMs: 400, styleLayoutMs: 1300, mode: 'blocking', n: 60 });
    const d = find(diagnose(demoInput(heavyLayout)), 'blocking-update:renderReact')!;
    expect(d.fix).toEqual({ codemod: 'pending-transition', file: 'App.tsx', handler: 'renderReact', component: 'App', setters: ['setResults'] });
    expect(d.rootCause).toMatch(/A transition alone will not unfreeze the page: even with React's \d+ ms render moved out, the frame keeps about 1\.\d+ s of commit, style and layout \(1\.\d+ s of style and layout reported\)/);
    expect(d.rootCause).toMatch(/virtualise the long list/);
    expect(d.advice).toMatch(/useTransition and show isPending/);
  });

  it('without static facts (the live panel) still names the cause, as advice without a codemod', () => {
    const d = find(diagnose({ ...demoInput(blocking), analysis: [] }), 'blocking-update:renderReact')!;
    expect(d.fix).toBeNull();
    expect(d.advice).toMatch(/startTransition/);
    expect(d.confidence).toBeLessThan(find(diagnose(demoInput(blocking)), d.id)!.confidence);
  });

  it('does not fire when the updates already run as transitions, or the user does not wait long', () => {
    const transition = demoSession({ renderMs: 300, mode: 'transition', n: 60 });
    expect(find(diagnose(demoInput(transition)), 'blocking-update:renderReact')).toBeUndefined();
    const quick = demoSession({ renderMs: 20, mode: 'blocking', n: 60 });
    expect(find(diagnose(demoInput(quick, { metric: 'interaction', stat: 'p95', ms: 500 })), 'blocking-update:renderReact')).toBeUndefined();
  });

  it('a transition that still leaves a long frame gets the long-frame advice: less work per frame', () => {
    const frozen = demoSession({ renderMs: 600, styleLayoutMs: 900, mode: 'transition', n: 60 });
    const d = find(diagnose(demoInput(frozen)), 'long-frame:renderReact')!;
    expect(d.fix).toBeNull();
    expect(d.rootCause).toMatch(/already run in a transition, but the frames its work occupied lasted 1\.\d+ s at p95 \(9\d\d ms of style and layout reported\)/);
    expect(d.advice).toMatch(/virtualise/);
  });

  it('a blocking update whose commit, style and layout alone stay frozen also gets less work per frame; one a transition would unfreeze does not', () => {
    const frozen = demoSession({ renderMs: 300, styleLayoutMs: 900, mode: 'blocking', n: 60 });
    const d = find(diagnose(demoInput(frozen)), 'long-frame:renderReact')!;
    expect(d.rootCause).toMatch(/is not React's render .*which a transition cannot slice/);
    expect(d.impact.metric).toEqual({ kind: 'handler', handler: 'renderReact', metric: 'longestFrame', stat: 'p95' });
    expect(Number(d.evidence['unsliceableP95Ms'])).toBeGreaterThanOrEqual(200);
  });

  it('a blocking render that is a long frame on its own, with a result to wait for, gets less work per frame judged on what the user felt; a light one keeps its transition alone', () => {
    // A transition would unfreeze this page, but the same 300 ms render still stands before the result.
    const heavy = diagnose(demoInput(demoSession({ renderMs: 300, mode: 'blocking', n: 60 })));
    const d = find(heavy, 'long-frame:renderReact')!;
    expect(d.title).toMatch(/renders 3\d\d ms of React work before its result shows/);
    expect(d.rootCause).toMatch(/the same render still runs before the result shows/);
    expect(d.fix).toBeNull(); // heal's list locator gives it its codemods
    // The docs' budget is on interaction and it is over: that is the primary, and the prediction says why.
    expect(d.impact.metric).toEqual({ kind: 'handler', handler: 'renderReact', metric: 'interaction', stat: 'p95' });
    expect(d.impact.predictedMs).toBeLessThan(d.impact.currentMs / 2);
    expect(d.impact.predictions.map((p) => p.metric.kind === 'handler' && p.metric.metric)).toEqual(['interaction', 'result', 'longestFrame']);
    // The transition is still diagnosed (tried when no list is found).
    expect(find(heavy, 'blocking-update:renderReact')!.fix).not.toBeNull();
    const light = diagnose(demoInput(demoSession({ renderMs: 30, mode: 'blocking', n: 60 })));
    expect(find(light, 'long-frame:renderReact')).toBeUndefined();
    // Already a transition: the render is out of the interaction; only a frozen frame would bring rule 5 in.
    expect(find(diagnose(demoInput(demoSession({ renderMs: 300, mode: 'transition', n: 60 }))), 'long-frame:renderReact')).toBeUndefined();
  });

  it('sends a handler that runs directly on typing to useDeferredValue, verified on interaction, never to a transition', () => {
    const ds = diagnose(demoInput(blocking));
    expect(find(ds, 'blocking-update:handleSearchInput')).toBeUndefined();
    const d = find(ds, 'heavy-input-handler:handleSearchInput')!;
    expect(d.fix).toEqual({ codemod: 'defer-value', file: 'App.tsx', component: 'App', state: 'query' });
    expect(d.impact.metric).toMatchObject({ metric: 'interaction', stat: 'p95' });
  });

  it('finds the per-render computation (verified on the work it removes), the forced layout and the recurring error', () => {
    const ds = diagnose(demoInput(blocking));
    const memo = find(ds, 'repeated-computation:computeFacets')!;
    expect(memo.fix).toEqual({ codemod: 'memo-value', file: 'App.tsx', callee: 'computeFacets' });
    expect(memo.impact.metric).toEqual({ kind: 'handler', handler: 'computeFacets', metric: 'duration', stat: 'sum' });
    expect(memo.rootCause).toMatch(/below what a user notices/);
    const layout = ds.find((x) => x.rule === 'forced-layout')!;
    expect(layout.handler).toBe('measureRows');
    expect(layout.fix).toBeNull();
    const err = ds.find((x) => x.rule === 'recurring-error')!;
    expect(err.handler).toBe('parseQuery');
    expect(err.evidence['errors']).toBe(6);
  });

  it('suggests React.memo for a child whose props do not read what the handler updated', () => {
    const childProps = [{ component: 'App', children: [{ component: 'List', file: 'List.tsx', reads: ['rows'] }, { component: 'Badge', file: 'App.tsx', reads: ['results'] }] }];
    const d = diagnose(demoInput(blocking), { childProps }).find((x) => x.rule === 'equal-props-rerender' && x.handler === 'renderReact')!;
    expect(d.fix).toEqual({ codemod: 'memo-component', file: 'List.tsx', component: 'List' });
    expect(d.impact.metric).toMatchObject({ metric: 'interaction' });
    expect(d.impact.predictedMs).toBeLessThan(d.impact.currentMs);
    const allRead = [{ component: 'App', children: [{ component: 'List', file: 'List.tsx', reads: ['results'] }] }];
    expect(diagnose(demoInput(blocking), { childProps: allRead }).some((x) => x.rule === 'equal-props-rerender')).toBe(false);
    // Already memoised: React.memo is what it has; the next unaffected child carries the suggestion, or none does.
    const memoised = [{ component: 'App', children: [{ component: 'List', file: 'List.tsx', reads: ['rows'], memoised: true }, { component: 'Footer', file: 'App.tsx', reads: [] }] }];
    expect(diagnose(demoInput(blocking), { childProps: memoised }).find((x) => x.rule === 'equal-props-rerender')?.fix).toEqual({ codemod: 'memo-component', file: 'App.tsx', component: 'Footer' });
    const onlyMemoised = [{ component: 'App', children: [{ component: 'List', file: 'List.tsx', reads: ['rows'], memoised: true }] }];
    expect(diagnose(demoInput(blocking), { childProps: onlyMemoised }).some((x) => x.rule === 'equal-props-rerender')).toBe(false);
  });

  it('ranks by severity, then by predicted change', () => {
    const ds = diagnose(demoInput(blocking));
    const sev = { high: 0, medium: 1, low: 2 };
    for (let i = 1; i < ds.length; i++) expect(sev[ds[i - 1]!.severity]).toBeLessThanOrEqual(sev[ds[i]!.severity]);
    expect(demoFacts.length).toBe(5);
  });
});
