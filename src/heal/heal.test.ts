import { readFile, writeFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { aggregateSession } from '../core/aggregate.ts';
import { rng, makeMeta } from '../core/__tests__/fixtures.ts';
import type { HandlerCall, SequenceRecord } from '../core/model.ts';
import { SESSION_FORMAT, SESSION_VERSION, type SessionFile } from '../core/session.ts';
import { emptySpec } from '../core/spec.ts';
import { applyFix } from './apply.ts';
import { childPropsOf } from './child-props.ts';
import { CodemodError } from './codemods/ast.ts';
import { diagnose, measure, type DiagnoseInput, type HandlerFacts } from './diagnose.ts';
import { appendHistory, rankByHistory, readHistory } from './history.ts';
import { healMetrics, type Attempt } from './loop.ts';
import { budgetTest } from './testgen.ts';
import { testDir } from '../test-support/tmp.ts';

interface Shape {
  /** Blocking time of renderReact's calls. */
  renderBlocking: number;
  /** Mode of renderReact's updates. */
  mode: HandlerCall['mode'];
  n: number;
}

/** A session shaped like the demo: typing → handleSearchInput → renderReact, computeFacets per render, errors, a layout-thrashing handler. */
function session(shape: Shape, seed = 1): SessionFile {
  const r = rng(seed);
  const calls: HandlerCall[] = [];
  const sequences: SequenceRecord[] = [];
  let id = 1;
  let t = 100;
  const call = (patch: Partial<HandlerCall> & Pick<HandlerCall, 'handler'>): HandlerCall => {
    const c: HandlerCall = {
      id: id++, sequence: 0, parent: null, start: t, duration: 0.2, settle: null, outcome: 'ok', error: null, mode: 'none',
      updates: { blocking: 0, transition: 0 }, commits: 0, renderMs: null, commitMs: null, blockingMs: 0.2, paintMs: null, loaf: null, ...patch,
    };
    calls.push(c);
    return c;
  };
  for (let s = 1; s <= shape.n; s++) {
    const jitter = 1 + 0.1 * (r() - 0.5);
    const input = call({ handler: 'handleSearchInput', sequence: s, mode: 'blocking', updates: { blocking: 1, transition: 0 }, commits: 1, blockingMs: (shape.renderBlocking + 5) * jitter, duration: 1.5 });
    const render = call({ handler: 'renderReact', sequence: s, parent: input.id, mode: shape.mode, updates: shape.mode === 'transition' ? { blocking: 0, transition: 1 } : { blocking: 1, transition: 0 }, commits: 1, blockingMs: shape.renderBlocking * jitter, duration: 0.3, renderMs: shape.renderBlocking * 0.9 });
    const facets = call({ handler: 'computeFacets', sequence: s, duration: 6 * jitter, blockingMs: 6 * jitter });
    const failed = s % 10 === 0;
    const parse = call({ handler: 'parseQuery', sequence: s, parent: input.id, outcome: failed ? 'threw' : 'ok', error: failed ? { name: 'SyntaxError', message: 'Invalid regular expression: /(/: Unterminated group' } : null });
    const layout = call({ handler: 'measureRows', sequence: s, duration: 30, blockingMs: 30, loaf: { blockingMs: 40, forcedStyleLayoutMs: 12, durationMs: 90, scripts: [] } as unknown as HandlerCall['loaf'] });
    sequences.push({ id: s, name: 'input:handleSearchInput', trigger: { type: 'input', timeStamp: t }, explicit: false, start: t, end: t + 50, calls: [input.id, render.id, facets.id, parse.id, layout.id], handlers: ['handleSearchInput', 'renderReact', 'computeFacets', 'parseQuery', 'measureRows'] });
    t += 500;
  }
  return {
    format: SESSION_FORMAT, version: SESSION_VERSION, session: makeMeta(`heal-${seed}`), calls, sequences,
    commits: sequences.map((s) => ({ time: s.start + 20, renderStart: null, commitStart: null, renderMs: null, sync: true, calls: [s.calls[0]!] })),
    vitals: [], truncated: { calls: 0, sequences: 0, commits: 0 },
  };
}

const facts: HandlerFacts[] = [
  { name: 'handleSearchInput', file: 'App.tsx', line: 40, kind: 'useHandler', component: 'App', updates: [{ setter: 'setQuery', transition: false }] },
  { name: 'renderReact', file: 'App.tsx', line: 35, kind: 'useHandler', component: 'App', updates: [{ setter: 'setResults', transition: false }] },
  { name: 'computeFacets', file: 'App.tsx', line: 20, kind: 'instrument', component: null, updates: [] },
  { name: 'parseQuery', file: 'App.tsx', line: 21, kind: 'instrument', component: null, updates: [] },
  { name: 'measureRows', file: 'Rows.tsx', line: 9, kind: 'instrument', component: null, updates: [] },
];

function input(file: SessionFile, budgetMs = 5): DiagnoseInput {
  const spec = emptySpec('t');
  spec.handlers['renderReact'] = { budget: { metric: 'blocking', stat: 'p95', ms: budgetMs }, baseline: null, tolerance: null, source: null, description: null };
  return { spec, aggregates: aggregateSession(file).snapshot(), analysis: facts };
}

describe('diagnose', () => {
  const blocking = session({ renderBlocking: 60, mode: 'blocking', n: 60 });

  it('diagnoses the seed example: a blocking render over budget → startTransition on its setter', () => {
    const d = diagnose(input(blocking)).find((x) => x.rule === 'blocking-update' && x.handler === 'renderReact');
    expect(d).toBeDefined();
    expect(d!.fix).toEqual({ codemod: 'transition', file: 'App.tsx', handler: 'renderReact', setters: ['setResults'] });
    expect(d!.evidence['blockingShare']).toBe(1);
    expect(Number(d!.evidence['blockingP95Ms'])).toBeGreaterThan(60);
    expect(d!.impact.predictedMs).toBeLessThan(1);
    expect(d!.severity).toBe('high');
  });

  it('without static facts (the live panel) still names the cause, as advice without a codemod', () => {
    const d = diagnose({ ...input(blocking), analysis: [] }).find((x) => x.rule === 'blocking-update' && x.handler === 'renderReact')!;
    expect(d.fix).toBeNull();
    expect(d.advice).toMatch(/startTransition/);
    expect(d.confidence).toBeLessThan(diagnose(input(blocking)).find((x) => x.id === d.id)!.confidence);
  });

  it('does not fire when the updates already run as transitions, or the handler is within budget', () => {
    const transition = session({ renderBlocking: 0.3, mode: 'transition', n: 60 });
    expect(diagnose(input(transition)).some((x) => x.rule === 'blocking-update' && x.handler === 'renderReact')).toBe(false);
    expect(diagnose(input(blocking, 500)).some((x) => x.rule === 'blocking-update' && x.handler === 'renderReact')).toBe(false);
  });

  it('sends a handler that runs directly on typing to useDeferredValue, never to a transition', () => {
    const ds = diagnose(input(blocking));
    expect(ds.some((x) => x.rule === 'blocking-update' && x.handler === 'handleSearchInput')).toBe(false);
    const d = ds.find((x) => x.rule === 'heavy-input-handler')!;
    expect(d.handler).toBe('handleSearchInput');
    expect(d.fix).toEqual({ codemod: 'defer-value', file: 'App.tsx', component: 'App', state: 'query' });
  });

  it('finds the per-render computation, the forced layout and the recurring error', () => {
    const ds = diagnose(input(blocking));
    const memo = ds.find((x) => x.rule === 'repeated-computation')!;
    expect(memo.handler).toBe('computeFacets');
    expect(memo.fix).toEqual({ codemod: 'memo-value', file: 'App.tsx', callee: 'computeFacets' });
    expect(memo.impact.metric.stat).toBe('sum');
    const layout = ds.find((x) => x.rule === 'forced-layout')!;
    expect(layout.handler).toBe('measureRows');
    expect(layout.fix).toBeNull();
    const err = ds.find((x) => x.rule === 'recurring-error')!;
    expect(err.handler).toBe('parseQuery');
    expect(err.evidence['errors']).toBe(6);
  });

  it('suggests React.memo for a child whose props do not read what the handler updated', () => {
    const childProps = [{ component: 'App', children: [{ component: 'List', file: 'List.tsx', reads: ['rows'] }, { component: 'Badge', file: 'App.tsx', reads: ['results'] }] }];
    const d = diagnose(input(blocking), { childProps }).find((x) => x.rule === 'equal-props-rerender' && x.handler === 'renderReact')!;
    expect(d.fix).toEqual({ codemod: 'memo-component', file: 'List.tsx', component: 'List' });
    expect(Number(d.evidence['renderP50Ms'])).toBeGreaterThan(50);
    const allRead = [{ component: 'App', children: [{ component: 'List', file: 'List.tsx', reads: ['results'] }] }];
    expect(diagnose(input(blocking), { childProps: allRead }).some((x) => x.rule === 'equal-props-rerender')).toBe(false);
  });

  it('measures one number per run from the calls', () => {
    const calls = session({ renderBlocking: 10, mode: 'blocking', n: 20 }).calls;
    expect(measure(calls, { handler: 'computeFacets', metric: 'duration', stat: 'sum' })).toBeGreaterThan(100);
    const p50 = measure(calls, { handler: 'renderReact', metric: 'blocking', stat: 'p50' });
    expect(p50).toBeGreaterThan(9);
    expect(p50).toBeLessThan(11);
    expect(measure(calls, { handler: 'missing', metric: 'blocking', stat: 'p50' })).toBeNaN();
  });
});

describe('history', () => {
  it('ranks rules by their track record and rejects a corrupt file without overwriting it', async () => {
    const dir = await testDir('homeostat-history-');
    const path = join(dir, 'history.json');
    const ds = diagnose(input(session({ renderBlocking: 60, mode: 'blocking', n: 60 })));
    const first = rankByHistory(ds, await readHistory(path))[0]!;
    const fails = Array.from({ length: 6 }, () => ({ date: 'd', id: first.id, rule: first.rule, handler: first.handler, verdict: 'no-effect' as const, predictedChange: -0.5, measuredChange: 0, branch: null }));
    const h = await appendHistory(path, fails);
    expect(rankByHistory(ds, h)[0]!.rule).not.toBe(first.rule);
    await writeFile(path, '{"format":"homeostat.history","version":1,"outcomes":[{"rule":"nope"}]}');
    await expect(readHistory(path)).rejects.toThrow(/history\.json: .*outcomes\[0\]/);
    expect(await readFile(path, 'utf8')).toContain('"nope"');
  });
});

describe('child props', () => {
  it('lists the children a component renders, the bindings their props read, and where they live', async () => {
    const root = await testDir('homeostat-children-');
    await mkdir(join(root, 'ui'));
    await writeFile(
      join(root, 'ui', 'App.tsx'),
      "import { List } from './List.tsx';\nimport { Icon } from 'icons';\nfunction Badge({ n }: { n: number }) { return <b>{n}</b>; }\n" +
        'export function App() {\n  const [cart, setCart] = useState(0);\n  const [query] = useState("");\n  const shown = rows.filter((r) => r.name.includes(query));\n' +
        '  return <div><List items={shown.slice(0, max)} query={query} onAdd={() => setCart(cart + 1)} /><Badge n={cart} /><Icon name="x" /></div>;\n}\n',
    );
    const facts = await childPropsOf(root, 'ui/App.tsx', 'App');
    expect(facts).toEqual({
      component: 'App',
      children: [
        // `shown` is derived from query (rows and max are module-level: they never change), so the list reads it too.
        { component: 'List', file: 'ui/List.tsx', reads: ['cart', 'query', 'setCart', 'shown'] },
        { component: 'Badge', file: 'ui/App.tsx', reads: ['cart'] },
      ],
    });
  });
});

describe('fix application', () => {
  it('an unparseable file gives an error naming file and line and is left unchanged', async () => {
    const tree = await testDir('homeostat-apply-');
    await mkdir(join(tree, 'src'));
    const broken = "import { useState } from 'react';\nexport function App() {\n  const [a, setA] = useState(0);\n  return <div onClick={() => setA(a + 1)>{a</div>;\n}\n";
    await writeFile(join(tree, 'src', 'App.tsx'), broken);
    const err = await applyFix(tree, 'src', { codemod: 'transition', file: 'App.tsx', handler: 'renderReact', setters: ['setA'] }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CodemodError);
    expect((err as CodemodError).message).toMatch(/^src\/App\.tsx:4: cannot parse/);
    expect(await readFile(join(tree, 'src', 'App.tsx'), 'utf8')).toBe(broken);
  });
});

describe('generated budget test', () => {
  it('replays the flows and asserts the documented budget, with the evidence in its header', () => {
    const d = diagnose(input(session({ renderBlocking: 60, mode: 'blocking', n: 60 }))).find((x) => x.rule === 'blocking-update')!;
    const t = budgetTest({
      diagnosis: d,
      metric: d.impact.metric,
      budget: { metric: 'blocking', stat: 'p95', ms: 5 },
      flows: ['flows/catalogue.json'],
      testDir: 'e2e/homeostat',
      evidence: { before: 250.7, after: 0.36, relative: -0.998, interval: { low: -1.07, high: -0.92 }, runs: 5 },
    });
    expect(t.path).toBe('e2e/homeostat/renderReact.budget.spec.ts');
    expect(t.content).toContain('const FLOWS = ["../../flows/catalogue.json"]');
    expect(t.content).toContain("call.handler === \"renderReact\" ? call[\"blockingMs\"]");
    expect(t.content).toContain('expect(statValue(values, "p95")).toBeLessThanOrEqual(5)');
    expect(t.content).toContain('before 250.70 ms, after 0.36 ms');
  });
});

describe('metrics', () => {
  it('computes detection, fix success and auto-applied rates from what happened', () => {
    const ds = diagnose(input(session({ renderBlocking: 60, mode: 'blocking', n: 60 })));
    const fixable = ds.filter((d) => d.fix);
    const attempt = (i: number, verdict: Attempt['verdict'], branch: string | null): Attempt => ({ diagnosis: fixable[i]!, verdict, reasons: [], diff: null, edits: [], verification: null, branch, commit: null, tests: [], docs: [], pr: null });
    const check = {
      discrepancies: [
        { kind: 'over-budget' as const, subject: { type: 'handler' as const, name: 'renderReact' }, severity: 'error' as const, message: '', evidence: {} },
        { kind: 'drift' as const, subject: { type: 'handler' as const, name: 'checkout' }, severity: 'warning' as const, message: '', evidence: {} },
      ],
      accuracy: { documented: 4, matching: 3, ratio: 0.75 },
      handlers: [],
    };
    const m = healMetrics(check, ds, [attempt(0, 'improved', 'homeostat/fix-a'), attempt(1, 'no-effect', null), attempt(2, 'not-applicable', null)]);
    expect(m.documentationAccuracy).toBe(0.75);
    expect(m.issueDetectionRate).toBe(0.5);
    expect(m.fixSuccessRate).toBe(0.5);
    expect(m.autoAppliedRate).toBeCloseTo(1 / fixable.length);
  });
});
