/**
 * Applying a plan to a tree: the project's prettier config formats what the codemod wrote (and
 * only that: code it did not touch keeps its bytes, even where it is not prettier-clean), files the
 * codemod creates are written beside the one it changed, and without a config the output is
 * recast's, in the file's own style.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { applyFix, describeFix } from './apply.ts';
import { testDir } from '../test-support/tmp.ts';

const APP = `import { useState } from "react"

// Not prettier-clean, and not ours to reformat:
const   spaced = { a:1 }

export function App() {
  const [n, setN] = useState(0)
  const bump = () => {
    setN(n + spaced.a)
  }
  return <button onClick={bump}>{n}</button>
}
`;

describe('applyFix', () => {
  it('formats the changed lines with the project’s prettier config, and nothing else', async () => {
    const tree = await testDir('homeostat-prettier-');
    await writeFile(join(tree, '.prettierrc.json'), JSON.stringify({ semi: false, singleQuote: false, printWidth: 60 }));
    await writeFile(join(tree, 'App.tsx'), APP);
    const r = await applyFix(tree, '.', { codemod: 'pending-transition', file: 'App.tsx', handler: 'App.bump', component: 'App', setters: [], at: { line: 8, column: 16 } });
    const after = await readFile(join(tree, 'App.tsx'), 'utf8');
    expect(after).toBe(r.after);
    expect(after).toContain('const   spaced = { a:1 }');
    expect(after).toContain('import { useState, useTransition } from "react"\n');
    expect(after).toContain('  const [bumpPending, startBumpTransition] = useTransition()\n');
    expect(after).toContain('    startBumpTransition(() => setN(n + spaced.a))\n');
    // prettier's own layout of the element the codemod extended, at the project's width.
    expect(after).toContain('    <button\n      onClick={bump}');
    expect(after).not.toMatch(/;\n/);
  });

  it('without a config keeps recast’s output; a created file is written next to the changed one', async () => {
    const tree = await testDir('homeostat-apply-');
    await writeFile(join(tree, 'App.tsx'), APP);
    const r = await applyFix(tree, '.', { codemod: 'transition', file: 'App.tsx', handler: 'App.bump', setters: [], at: { line: 8, column: 16 } });
    expect(r.after).toBe(APP.replace('import { useState } from "react"', 'import { useState, startTransition } from "react"').replace('    setN(n + spaced.a)', '    startTransition(() => setN(n + spaced.a))'));
    await writeFile(
      join(tree, 'List.tsx'),
      `export function List({ rows }: { rows: { id: number }[] }) {\n  return <ul>{rows.map((r) => <li key={r.id}>{r.id}</li>)}</ul>;\n}\n`,
    );
    const plan = { codemod: 'progressive-list', file: 'List.tsx', handler: 'load', component: 'List', list: { line: 2, column: 15 }, items: 'rows' } as const;
    const p = await applyFix(tree, '.', plan);
    expect(p.also?.map((f) => f.file)).toEqual(['useProgressiveList.ts']);
    expect(await readFile(join(tree, 'useProgressiveList.ts'), 'utf8')).toContain('export function useProgressiveList<T>(');
    expect(describeFix(plan)).toBe('render rows progressively in List (List.tsx:2): the first screenful with load\'s update, the rest in transition-sized chunks');
    const virtual = { codemod: 'virtual-list', file: 'List.tsx', handler: 'load', component: 'List', list: { line: 2, column: 15 }, items: 'rows' } as const;
    await writeFile(join(tree, 'List.tsx'), `export function List({ rows }: { rows: { id: number }[] }) {\n  return <ul>{rows.map((r) => <li key={r.id}>{r.id}</li>)}</ul>;\n}\n`);
    const v = await applyFix(tree, '.', virtual);
    expect(await readFile(join(tree, 'List.tsx'), 'utf8')).toContain('<ul><VirtualList items={rows} render={(r) => <li key={r.id}>{r.id}</li>} spacer="li" /></ul>');
    expect(v.also?.map((f) => f.file)).toEqual(['VirtualList.ts']);
    expect(await readFile(join(tree, 'VirtualList.ts'), 'utf8')).toContain('export function VirtualList<T>(');
    expect(describeFix(virtual)).toMatch(/^virtualise rows in List \(List\.tsx:2\): only the rows in view are rendered, .*rows out of view are not in the DOM \(find-in-page and tests that count rows see only those in view\)$/);
  });
});
