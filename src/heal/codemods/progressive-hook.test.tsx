// @vitest-environment jsdom
/**
 * The hook the progressive-list codemod adds, run as the app would run it (both the typed and
 * the plain variant, written to files and imported): the first screenful at once, the rest in
 * chunks until every row is there; updates of the same list never re-chunked or dropped;
 * clearing and a new list start over; rows already rendered are not rendered again.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { useState, type Key, type ReactNode } from 'react';
import { flushSync } from 'react-dom';
import { createRoot } from 'react-dom/client';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { ts } from 'ts-morph';
import { progressiveHookSource } from './progressive-hook.ts';

type Hook = <T>(items: readonly T[], render: (item: T, index: number) => ReactNode, deps: readonly unknown[], keyOf?: (item: T, index: number) => Key, first?: number) => ReactNode[];

// Inside node_modules so that the module's `import … from 'react'` resolves like the app's.
const DIR = join(process.cwd(), 'node_modules', '.cache', 'homeostat-progressive-hook');

async function load(variant: 'ts' | 'js'): Promise<Hook> {
  mkdirSync(DIR, { recursive: true });
  const file = join(DIR, `useProgressiveList.${variant}`);
  writeFileSync(file, progressiveHookSource(variant === 'ts', 60, 200));
  const mod = (await import(/* @vite-ignore */ `${file}?v=${Date.now()}`)) as { useProgressiveList: Hook };
  return mod.useProgressiveList;
}

interface Row {
  id: number;
  label: string;
}
const rows = (from: number, n: number): Row[] => Array.from({ length: n }, (_, i) => ({ id: from + i, label: `row ${from + i}` }));

/** Commits synchronously, as a click's update would. */
const now = (f: () => void) => flushSync(f);

afterAll(() => rmSync(DIR, { recursive: true, force: true }));

let cleanup: (() => void) | null = null;
afterEach(() => {
  cleanup?.();
  cleanup = null;
});

/** Mounts a table rendering `list` through the hook; returns a setter and what was rendered. */
function mount(useProgressiveList: Hook, initial: Row[]) {
  const host = document.createElement('div');
  document.body.append(host);
  const root = createRoot(host);
  let set: (rows: Row[], selected?: number | null) => void = () => undefined;
  const renders = { count: 0 };
  function Table() {
    const [state, setState] = useState<{ rows: Row[]; selected: number | null }>({ rows: initial, selected: null });
    set = (r, selected = null) => setState({ rows: r, selected });
    const { selected } = state;
    const shown = useProgressiveList(
      state.rows,
      (r) => {
        renders.count++;
        return (
          <tr key={r.id} className={r.id === selected ? 'danger' : undefined}>
            <td>{r.label}</td>
          </tr>
        );
      },
      [selected],
      (r) => r.id,
    );
    return (
      <table>
        <tbody>{shown}</tbody>
      </table>
    );
  }
  now(() => root.render(<Table />));
  cleanup = () => {
    now(() => root.unmount());
    host.remove();
  };
  const trs = () => [...host.querySelectorAll('tr')];
  return { set: (r: Row[], selected?: number | null) => now(() => set(r, selected)), trs, renders };
}

/** Waits (without a fixed sleep) until `cond` holds, recording the row counts seen on the way. */
async function until(cond: () => boolean, seen: number[], count: () => number, timeoutMs = 20_000): Promise<void> {
  const start = Date.now();
  while (!cond()) {
    if (Date.now() - start > timeoutMs) throw new Error(`timed out; counts seen: ${seen.join(', ')}`);
    await new Promise((r) => requestAnimationFrame(() => r(null)));
    seen.push(count());
  }
}

describe.each(['ts', 'js'] as const)('useProgressiveList (%s)', (variant) => {
  it('commits the first screenful with the update, then every row in growing steps, rendering each row once', async () => {
    const hook = await load(variant);
    const t = mount(hook, []);
    t.set(rows(1, 3_000));
    // The commit of the update itself holds the first screenful only.
    expect(t.trs()).toHaveLength(60);
    const seen: number[] = [];
    await until(() => t.trs().length === 3_000, seen, () => t.trs().length);
    expect(seen.length).toBeGreaterThan(2);
    for (let i = 1; i < seen.length; i++) expect(seen[i]).toBeGreaterThanOrEqual(seen[i - 1]!);
    expect(t.trs().map((tr) => tr.textContent)).toEqual(rows(1, 3_000).map((r) => r.label));
    // Rows already rendered were kept while the rest was added.
    expect(t.renders.count).toBe(3_000);
  });

  it('renders updates of the same list in full at once: select, swap, remove, add; clearing and a new list start over', async () => {
    const hook = await load(variant);
    const list = rows(1, 3_000);
    const t = mount(hook, []);
    t.set(list);
    await until(() => t.trs().length === 3_000, [], () => t.trs().length);
    // Select a row: every row re-renders (what it reads changed), none is dropped.
    t.set(list, 5);
    expect(t.trs()).toHaveLength(3_000);
    expect(t.trs()[4]!.className).toBe('danger');
    // Swap two rows (a new array, the same rows).
    const swapped = [...list];
    [swapped[1], swapped[998]] = [swapped[998]!, swapped[1]!];
    t.set(swapped, 5);
    expect(t.trs()).toHaveLength(3_000);
    expect(t.trs()[1]!.textContent).toBe('row 999');
    expect(t.trs()[998]!.textContent).toBe('row 2');
    // Remove one.
    const removed = swapped.filter((r) => r.id !== 500);
    t.set(removed, 5);
    expect(t.trs()).toHaveLength(2_999);
    expect(t.trs().some((tr) => tr.textContent === 'row 500')).toBe(false);
    // Add one at the front: the same list, nothing dropped.
    t.set([{ id: 0, label: 'row 0' }, ...removed], 5);
    expect(t.trs()).toHaveLength(3_000);
    // Clear: empty at once; then a new list is chunked again from the first screenful.
    t.set([]);
    expect(t.trs()).toHaveLength(0);
    t.set(rows(20_001, 1_500));
    expect(t.trs()).toHaveLength(60);
    await until(() => t.trs().length === 1_500, [], () => t.trs().length);
    // A list replaced by one with none of its rows is a new list too.
    t.set(rows(40_001, 1_500));
    expect(t.trs()).toHaveLength(60);
    expect(t.trs()[0]!.textContent).toBe('row 40001');
    await until(() => t.trs().length === 1_500, [], () => t.trs().length);
  });

  it('takes a list computed anew on every render (rows.filter(…)) as the same list, without re-rendering in a loop', async () => {
    const hook = await load(variant);
    const host = document.createElement('div');
    document.body.append(host);
    const root = createRoot(host);
    let tick: () => void = () => undefined;
    function Filtered({ all }: { all: Row[] }) {
      const [n, setN] = useState(0);
      tick = () => setN((x) => x + 1);
      const shown = hook(all.filter((r) => r.id % 2 === 0), (r) => <li key={r.id}>{r.label}</li>, [], (r) => r.id);
      return <ul data-n={n}>{shown}</ul>;
    }
    now(() => root.render(<Filtered all={rows(1, 2_000)} />));
    cleanup = () => {
      now(() => root.unmount());
      host.remove();
    };
    await until(() => host.querySelectorAll('li').length === 1_000, [], () => host.querySelectorAll('li').length);
    now(() => tick());
    expect(host.querySelectorAll('li')).toHaveLength(1_000);
    expect(host.querySelector('ul')!.dataset['n']).toBe('1');
  });
});

describe('the two variants', () => {
  it('are the same code: the typed one with its types erased equals the plain one', () => {
    const strip = (code: string, name: string) =>
      ts
        .transpileModule(code, { fileName: name, compilerOptions: { target: ts.ScriptTarget.ESNext, module: ts.ModuleKind.ESNext, removeComments: true, verbatimModuleSyntax: false } })
        .outputText.replace(/\s+/g, ' ')
        .trim();
    expect(strip(progressiveHookSource(true), 'h.ts')).toBe(strip(progressiveHookSource(false), 'h.js'));
  });
});
