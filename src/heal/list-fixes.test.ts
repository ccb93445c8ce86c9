import { describe, expect, it } from 'vitest';
import { demoInput, demoSession } from '../core/__tests__/demo-shape.ts';
import { diagnose, type FixPlan } from '../core/diagnose.ts';
import { CodemodError } from './codemods/ast.ts';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { testDir } from '../test-support/tmp.ts';
import { LIST_PLANNERS, locateListFixes, type ListPlanner } from './list-fixes.ts';
import { keepBestPerHandler, type Attempt } from './loop.ts';
import { signalCandidates } from './testgen.ts';

const plan = (kind: string): FixPlan => ({ codemod: 'progressive-list', file: `${kind}.tsx`, handler: 'renderReact', component: 'App', list: { line: 1, column: 1 }, items: 'rows' });
const planner = (kind: string, ok: boolean): ListPlanner => ({
  kind,
  label: `render it ${kind}`,
  plan: async () => {
    if (!ok) throw new CodemodError('App.tsx', 3, 'no list here');
    return plan(kind);
  },
});

describe('less work per frame as candidates', () => {
  // A blocking update whose commit, style and layout alone stay frozen: both rules fire.
  const findings = () => diagnose(demoInput(demoSession({ renderMs: 300, styleLayoutMs: 900, mode: 'blocking', n: 60 })));

  it('turns a long-frame finding into one candidate per list fix that applies, and no longer tries the transition', async () => {
    const before = findings();
    expect(before.find((d) => d.id === 'blocking-update:renderReact')!.fix).not.toBeNull();
    const { diagnoses, skipped } = await locateListFixes(before, '/src', [], [planner('virtual', true), planner('progressive', true), planner('paged', false)]);
    const ids = diagnoses.filter((d) => d.handler === 'renderReact').map((d) => [d.id, d.fix?.codemod ?? null]);
    expect(ids).toEqual(expect.arrayContaining([
      ['long-frame:virtual:renderReact', 'progressive-list'],
      ['long-frame:progressive:renderReact', 'progressive-list'],
      ['blocking-update:renderReact', null],
    ]));
    expect(diagnoses.find((d) => d.id === 'long-frame:renderReact')).toBeUndefined();
    expect(diagnoses.find((d) => d.id === 'blocking-update:renderReact')!.advice).toMatch(/frame would stay frozen/);
    expect(skipped).toContain('renderReact: render it paged does not apply: App.tsx:3: no list here');
  });

  it('with heal’s planners: a virtualised and a progressive candidate for the list the handler fills, virtual first', async () => {
    const root = await testDir('homeostat-list-fixes-');
    await writeFile(
      join(root, 'App.tsx'),
      `import { useState } from 'react';\n\nexport function App() {\n  const [rows, setRows] = useState<number[]>([]);\n  return (\n    <table>\n      <tbody>\n        {rows.map((r) => <tr key={r}><td>{r}</td></tr>)}\n      </tbody>\n    </table>\n  );\n}\n`,
    );
    const analysis = [{ name: 'renderReact', file: 'App.tsx', updates: [{ setter: 'setRows', transition: false, state: 'rows', stateSource: { file: 'App.tsx', line: 4 } }] }];
    const { diagnoses, skipped } = await locateListFixes(findings(), root, analysis, LIST_PLANNERS);
    const lists = diagnoses.filter((d) => d.rule === 'long-frame' && d.handler === 'renderReact');
    expect(lists.map((d) => [d.id, d.fix?.codemod])).toEqual([
      ['long-frame:virtual:renderReact', 'virtual-list'],
      ['long-frame:progressive:renderReact', 'progressive-list'],
    ]);
    expect(lists[0]!.title).toMatch(/virtualise the list: only the rows in view are in the DOM/);
    // Its generated test is aimed at the handler's longest frame, like the progressive list's.
    // (as the median of the replay's calls: one spike at proof time does not move it)
    for (const d of lists) expect(signalCandidates(d)[0]).toEqual({ kind: 'metric', metric: { kind: 'handler', handler: 'renderReact', metric: 'longestFrame', stat: 'p50' } });
    expect(skipped.filter((s) => s.startsWith('renderReact'))).toEqual([]);
  });

  it('keeps the finding as advice, and the transition as the fix to try, when no list fix applies', async () => {
    const { diagnoses } = await locateListFixes(findings(), '/src', [], [planner('virtual', false)]);
    expect(diagnoses.find((d) => d.id === 'long-frame:renderReact')!.fix).toBeNull();
    expect(diagnoses.find((d) => d.id === 'blocking-update:renderReact')!.fix).not.toBeNull();
  });

  it('delivers only the fix of a handler that improved it most', () => {
    const attempt = (id: string, verdict: Attempt['verdict'], estimate: number): Attempt => ({
      diagnosis: { ...findings()[0]!, id, handler: 'renderReact' },
      verdict,
      reasons: [],
      diff: null,
      edits: [],
      verification: { judgement: { results: [{ spec: { role: 'primary' }, comparison: { ratio: { estimate } } }] } } as unknown as Attempt['verification'],
      branch: null,
      commit: null,
      tests: [],
      docs: [],
      pr: null,
    });
    const out = keepBestPerHandler({ log: () => {} }, [attempt('long-frame:virtual:renderReact', 'improved', 0.05), attempt('long-frame:progressive:renderReact', 'improved', 0.3), attempt('x', 'regressed', 0.01)]);
    expect(out.map((a) => a.supersededBy ?? null)).toEqual([null, 'long-frame:virtual:renderReact', null]);
    expect(out[1]!.reasons[0]).toMatch(/improved, but long-frame:virtual:renderReact improved renderReact more/);
  });
});
