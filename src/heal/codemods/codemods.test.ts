import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CodemodError } from './ast.ts';
import { deferValue } from './defer-value.ts';
import { memoizeComponent } from './memo-component.ts';
import { memoizeValue } from './memo-value.ts';
import { unifiedDiff } from './result.ts';
import { wrapUpdatesInPendingTransition } from './pending-transition.ts';
import { urgentState, wrapUpdatesInTransition } from './transition.ts';

const APP = `import { useState } from 'react';
import { instrument, useHandler } from 'homeostat/react';
import { heavy } from './heavy';

const facetsOf = instrument('computeFacets', heavy);

export function App({ items }: { items: number[] }) {
  const [query, setQuery] = useState('');
  const [results, setResults] = useState<number[]>([]);
  // Recomputed every render.
  const facets = facetsOf(items, 3);

  /** Pushes results. */
  const renderReact = useHandler('renderReact', (next: number[]) => {
    // keep this comment
    setResults(next);
  });
  const onInput = useHandler('onInput', (e: { target: { value: string } }) => {
    setQuery(e.target.value);
    renderReact(items.filter((i) => String(i).includes(e.target.value)));
  });
  return (
    <div>
      <input value={query} onChange={onInput} />
      <List items={results} query={query} facets={facets} />
    </div>
  );
}
`;

describe('wrapUpdatesInTransition', () => {
  it('wraps the handler’s state update, adds the import, touches nothing else', () => {
    const r = wrapUpdatesInTransition(APP, 'src/App.tsx', { handler: 'renderReact' });
    expect(r.after).toBe(
      APP.replace("import { useState } from 'react';", "import { useState, startTransition } from 'react';").replace(
        '    setResults(next);',
        '    startTransition(() => setResults(next));',
      ),
    );
    expect(r.edits).toEqual(['line 16: setResults(…) now runs in startTransition']);
  });

  it('only wraps the setters it is told to', () => {
    const two = APP.replace('    setQuery(e.target.value);\n', '    setQuery(e.target.value);\n    setResults([]);\n');
    const r = wrapUpdatesInTransition(two, 'src/App.tsx', { handler: 'onInput', setters: ['setResults'] });
    expect(r.after).toContain('    setQuery(e.target.value);\n    startTransition(() => setResults([]));\n');
    // A setter the handler does not call: nothing to do, and nothing changed.
    expect(() => wrapUpdatesInTransition(APP, 'src/App.tsx', { handler: 'onInput', setters: ['setResults'] })).toThrow(/makes no state update/);
  });

  it('never moves an input’s own value into a transition: the keystroke would lag', () => {
    expect([...urgentState(null).setters]).toEqual([]);
    expect(() => wrapUpdatesInTransition(APP, 'src/App.tsx', { handler: 'onInput', setters: ['setQuery'] })).toThrow(
      /^src\/App\.tsx:\d+: handler "onInput" only updates setQuery, the value of an input it renders: that update must stay urgent/,
    );
    // Asked for every setter, it wraps the others and leaves setQuery urgent.
    const two = APP.replace('    setQuery(e.target.value);\n', '    setQuery(e.target.value);\n    setResults([]);\n');
    const r = wrapUpdatesInTransition(two, 'src/App.tsx', { handler: 'onInput' });
    expect(r.after).toContain('    setQuery(e.target.value);\n    startTransition(() => setResults([]));');
    // A checkbox's `checked` is its value too.
    const box = `import { useState } from 'react';\nimport { useHandler } from 'homeostat/react';\nfunction F() {\n  const [on, setOn] = useState(false);\n  const toggle = useHandler('toggle', () => setOn((x) => !x));\n  return <input type="checkbox" checked={on} onChange={toggle} />;\n}\n`;
    expect(() => wrapUpdatesInTransition(box, 'F.tsx', { handler: 'toggle' })).toThrow(/must stay urgent/);
  });

  it('does not wrap twice', () => {
    const once = wrapUpdatesInTransition(APP, 'src/App.tsx', { handler: 'renderReact' }).after;
    expect(() => wrapUpdatesInTransition(once, 'src/App.tsx', { handler: 'renderReact' })).toThrow(/no state update outside a transition/);
  });

  it('fixes the demo’s renderReact exactly as a person would', () => {
    const source = readFileSync('src/demo/src/App.tsx', 'utf8');
    const r = wrapUpdatesInTransition(source, 'src/demo/src/App.tsx', { handler: 'renderReact' });
    const diff = unifiedDiff(r);
    expect(diff).toContain('-    setResults({ items, query: forQuery });\n+    startTransition(() => setResults({ items, query: forQuery }));');
    // startTransition was already imported from react: no import change.
    expect(diff.match(/^[-+][^-+]/gm)).toHaveLength(2);
    expect(diff.startsWith('diff --git a/src/demo/src/App.tsx b/src/demo/src/App.tsx\n--- a/src/demo/src/App.tsx\n+++ b/src/demo/src/App.tsx\n@@')).toBe(true);
  });

  it('reports a file it cannot parse with its line, and a missing handler', () => {
    expect(() => wrapUpdatesInTransition('const x = (;\n', 'broken.tsx', { handler: 'h' })).toThrow(CodemodError);
    expect(() => wrapUpdatesInTransition('const x = (;\n', 'broken.tsx', { handler: 'h' })).toThrow(/^broken\.tsx:1: cannot parse/);
    expect(() => wrapUpdatesInTransition(APP, 'src/App.tsx', { handler: 'nope' })).toThrow(/no instrumented handler named "nope"/);
  });
});

const LOTS = `import { useReducer } from 'react';
import { useHandler } from 'homeostat/react';
import { buildRows, reducer } from './rows';

export function Table() {
  const [rows, dispatch] = useReducer(reducer, []);
  const runLots = useHandler('runLots', () => {
    dispatch({ type: 'run', rows: buildRows(10000) });
  });
  return (
    <div className="table">
      <button onClick={runLots}>Create 10,000 rows</button>
      <table><tbody>{rows.map((r) => <tr key={r.id}><td>{r.label}</td></tr>)}</tbody></table>
    </div>
  );
}
`;

describe('wrapUpdatesInPendingTransition', () => {
  it('adds useTransition, runs the updates in it, and shows isPending on the component’s root element', () => {
    const r = wrapUpdatesInPendingTransition(LOTS, 'src/Table.tsx', { handler: 'runLots', component: 'Table' });
    expect(r.after).toContain("import { useReducer, useTransition } from 'react';");
    expect(r.after).toContain('export function Table() {\n  const [runLotsPending, startRunLotsTransition] = useTransition();\n  const [rows, dispatch]');
    expect(r.after).toContain("    startRunLotsTransition(() => dispatch({ type: 'run', rows: buildRows(10000) }));");
    expect(r.after).toMatch(/<div\s+className="table"\s+aria-busy=\{runLotsPending\}\s+style=\{runLotsPending \? \{\s*opacity: 0\.6\s*\} : undefined\}>/);
    expect(r.edits).toEqual([
      'const [runLotsPending, startRunLotsTransition] = useTransition() in Table',
      'line 8: dispatch(…) now runs in startRunLotsTransition',
      '<div> (line 11) shows runLotsPending while the transition renders (aria-busy, dimmed)',
    ]);
  });

  it('keeps an element’s own style and busy state, never shadows a name, and refuses a handler outside a component', () => {
    const styled = LOTS.replace('<div className="table">', '<div className="table" style={{ padding: 4 }} aria-busy={false}>').replace("import { useReducer } from 'react';", "import { useReducer } from 'react';\nconst runLotsPending = 1;");
    const r = wrapUpdatesInPendingTransition(styled, 'src/Table.tsx', { handler: 'runLots' });
    expect(r.after).toContain('const [runLotsPending2, startRunLotsTransition] = useTransition();');
    expect(r.after).toContain('<div className="table" style={{ padding: 4 }} aria-busy={false}>');
    expect(r.edits.at(-1)).toMatch(/no DOM element is returned at the top of Table|show runLotsPending2 where it fits/);
    const moduleLevel = `import { instrument } from 'homeostat';\nlet rows = [];\nexport const run = instrument('run', function () { rows = []; });\n`;
    expect(() => wrapUpdatesInPendingTransition(moduleLevel, 'm.ts', { handler: 'run' })).toThrow(/not defined in a function component/);
  });
});

describe('memoizeValue', () => {
  it('memoises the per-render computation with its component-scope deps', () => {
    const r = memoizeValue(APP, 'src/App.tsx', { callee: 'computeFacets' });
    expect(r.after).toContain('  // Recomputed every render.\n  const facets = useMemo(() => facetsOf(items, 3), [items]);');
    expect(r.after).toContain("import { useState, useMemo } from 'react';");
  });

  it('leaves module-level values out of the deps', () => {
    const demo = readFileSync('src/demo/src/App.tsx', 'utf8');
    const r = memoizeValue(demo, 'src/demo/src/App.tsx', { callee: 'computeFacets' });
    expect(r.after).toContain('const facets = useMemo(() => facetsOf(ALL), []);');
    expect(r.edits).toEqual([expect.stringMatching(/facetsOf\(…\) memoised with useMemo, deps \[\]$/)]);
  });

  it('refuses a call that is not at the top of a component body', () => {
    const src = `import { useMemo } from 'react';\nfunction C({ a }) {\n  if (a) {\n    const v = f(a);\n  }\n  return null;\n}\n`;
    expect(() => memoizeValue(src, 'c.tsx', { callee: 'f' })).toThrow(/at the top of a component body/);
  });
});

describe('memoizeComponent', () => {
  it('wraps an exported function component and keeps its doc comment', () => {
    const src = `import type { Props } from './types';\n\n/** The cart. */\nexport function CartPanel({ cart }: Props) {\n  return <aside>{cart.size}</aside>;\n}\n`;
    const r = memoizeComponent(src, 'Cart.tsx', { component: 'CartPanel' });
    expect(r.after).toBe(
      `import type { Props } from './types';\nimport { memo } from 'react';\n\n/** The cart. */\nexport const CartPanel = memo(function CartPanel({ cart }: Props) {\n  return <aside>{cart.size}</aside>;\n});\n`,
    );
  });

  it('wraps an arrow component and refuses to wrap twice', () => {
    const src = `import { memo } from 'react';\nconst Row = ({ n }: { n: number }) => <li>{n}</li>;\n`;
    const once = memoizeComponent(src, 'Row.tsx', { component: 'Row' }).after;
    expect(once).toContain('const Row = memo(({ n }: { n: number }) => <li>{n}</li>);');
    expect(() => memoizeComponent(once, 'Row.tsx', { component: 'Row' })).toThrow(/already memoised/);
  });
});

describe('deferValue', () => {
  it('renders from a deferred copy, keeping the input controlled by the live value', () => {
    const r = deferValue(APP, 'src/App.tsx', { component: 'App', state: 'results' });
    expect(r.after).toContain('  const [results, setResults] = useState<number[]>([]);\n  const deferredResults = useDeferredValue(results);');
    expect(r.after).toContain('<List items={deferredResults} query={query} facets={facets} />');
    const q = deferValue(APP, 'src/App.tsx', { component: 'App', state: 'query' });
    expect(q.after).toContain('<input value={query} onChange={onInput} />');
    expect(q.after).toContain('<List items={results} query={deferredQuery} facets={facets} />');
    // Handlers keep reading the live value.
    expect(q.after).toContain('String(i).includes(e.target.value)');
  });
});
