import { readFile, writeFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { demoInput, demoSession } from '../core/__tests__/demo-shape.ts';
import { diagnose } from '../core/diagnose.ts';
import { applyFix } from './apply.ts';
import { childPropsOf } from './child-props.ts';
import { CodemodError } from './codemods/ast.ts';
import { appendHistory, predictionCalibration, rankByHistory, readHistory, type Outcome } from './history.ts';
import { healMetrics, type Attempt } from './loop.ts';
import { testDir } from '../test-support/tmp.ts';

const findings = () => diagnose(demoInput(demoSession({ renderMs: 300, mode: 'blocking', n: 60 })));

describe('history', () => {
  it('ranks rules by their track record and rejects a corrupt file without overwriting it', async () => {
    const dir = await testDir('homeostat-history-');
    const path = join(dir, 'history.json');
    const ds = findings();
    const first = rankByHistory(ds, await readHistory(path))[0]!;
    const fails: Outcome[] = Array.from({ length: 6 }, () => ({ date: 'd', id: first.id, rule: first.rule, handler: first.handler, verdict: 'no-effect' as const, predictedChange: -0.5, measuredChange: 0, metrics: [], branch: null }));
    const h = await appendHistory(path, fails);
    expect(rankByHistory(ds, h)[0]!.rule).not.toBe(first.rule);
    // Version 1 files (no per-metric outcomes) are still read.
    await writeFile(path, JSON.stringify({ format: 'homeostat.history', version: 1, outcomes: [{ date: 'd', id: 'x', rule: 'blocking-update', handler: 'h', verdict: 'improved', predictedChange: -0.9, measuredChange: -0.8, branch: null }] }));
    expect((await readHistory(path)).outcomes[0]!.metrics).toEqual([]);
    await writeFile(path, '{"format":"homeostat.history","version":1,"outcomes":[{"rule":"nope"}]}');
    await expect(readHistory(path)).rejects.toThrow(/history\.json: .*outcomes\[0\]/);
    expect(await readFile(path, 'utf8')).toContain('"nope"');
  });

  it('learns how well a rule predicts: a rule that promised 10× and delivered 1.25× has its promises discounted', async () => {
    const dir = await testDir('homeostat-history-');
    const path = join(dir, 'history.json');
    const ds = findings();
    const memo = ds.find((d) => d.rule === 'repeated-computation')!;
    const transition = ds.find((d) => d.rule === 'blocking-update')!;
    const overPromised = (d: typeof memo, predicted: number, measured: number): Outcome => ({
      date: 'd', id: d.id, rule: d.rule, handler: d.handler, verdict: 'improved', predictedChange: predicted - 1, measuredChange: measured - 1,
      metrics: [{ key: 'k', label: 'l', role: 'primary', predicted, measured, low: measured * 0.9, high: measured * 1.1 }], branch: 'b',
    });
    const h = await appendHistory(path, [overPromised(memo, 0.1, 0.8), overPromised(memo, 0.1, 0.8), overPromised(transition, 0.1, 0.1)]);
    const memoK = predictionCalibration(h, 'repeated-computation');
    expect(memoK.samples).toBe(2);
    expect(memoK.k).toBeLessThan(0.4);
    expect(predictionCalibration(h, 'blocking-update').k).toBeCloseTo(1, 5);
    const ranked = rankByHistory(ds, h).map((d) => d.id);
    expect(ranked.indexOf(transition.id)).toBeLessThan(ranked.indexOf(memo.id));
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
    await writeFile(join(root, 'ui', 'List.tsx'), "import { memo } from 'react';\nexport const List = memo(function List({ items }: { items: string[] }) { return <ul>{items.map((i) => <li key={i}>{i}</li>)}</ul>; });\n");
    const facts = await childPropsOf(root, 'ui/App.tsx', 'App');
    expect(facts).toEqual({
      component: 'App',
      children: [
        // `shown` is derived from query (rows and max are module-level: they never change), so the list reads it too.
        // Already wrapped in React.memo (read from its own file): no memo candidate.
        { component: 'List', file: 'ui/List.tsx', reads: ['cart', 'query', 'setCart', 'shown'], memoised: true },
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

describe('metrics', () => {
  it('computes detection, fix success and auto-applied rates from what happened', () => {
    const ds = findings();
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
    // A recurring error's regression-test branch is not an applied fix.
    const error = ds.find((d) => d.rule === 'recurring-error')!;
    const withTest = healMetrics(check, ds, [attempt(0, 'improved', 'homeostat/fix-a'), { ...attempt(0, 'not-applicable', 'homeostat/test-parseQuery-errors'), diagnosis: error }]);
    expect(withTest.autoAppliedRate).toBeCloseTo(1 / fixable.length);
  });
});
