/**
 * Codemods on what real apps write: handlers the build plugin names (found by the position the
 * plugin and the docs record, whatever the name), components in every common shape, class
 * components (refused with the class equivalent), and the progressive-list codemod with its
 * locator on a table in the shape of js-framework-benchmark.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findSites } from '../../vite/transform.ts';
import { testDir } from '../../test-support/tmp.ts';
import { progressiveListPlan, locateList } from '../list-locator.ts';
import { CodemodError } from './ast.ts';
import { deferValue } from './defer-value.ts';
import { memoizeComponent } from './memo-component.ts';
import { memoizeValue } from './memo-value.ts';
import { wrapUpdatesInPendingTransition } from './pending-transition.ts';
import { renderProgressively } from './progressive-list.ts';
import { wrapUpdatesInTransition } from './transition.ts';

/** The benchmark app's shape: a Button passing `cb` to onClick, dispatch with action types, rows in memo(). */
const MAIN = `import { memo, useReducer } from 'react';
import { reducer } from './reducer';

const Button = ({ id, cb, title }) => (
  <div className="col-sm-6">
    <button type="button" id={id} onClick={cb}>{title}</button>
  </div>
);

const Row = memo(({ item, selected, dispatch }) => (
  <tr className={selected ? 'danger' : ''}>
    <td className="col-md-1">{item.id}</td>
    <td className="col-md-4"><a onClick={() => dispatch({ type: 'SELECT', id: item.id })}>{item.label}</a></td>
  </tr>
));

const Main = () => {
  const [state, dispatch] = useReducer(reducer, { data: [], selected: 0 });
  return (
    <div className="container">
      <Button id="runlots" title="Create 10,000 rows" cb={() => dispatch({ type: 'RUN_LOTS' })} />
      <table><tbody>{state.data.map((item) => <Row key={item.id} item={item} selected={state.selected === item.id} dispatch={dispatch} />)}</tbody></table>
    </div>
  );
};

export default Main;
`;

/** Where the plugin instruments the arrow given as `cb`: found by its position, not its name. */
function arrowAt(source: string, text: string): { line: number; column: number } {
  const index = source.indexOf(text);
  const before = source.slice(0, index);
  return { line: before.split('\n').length, column: index - before.lastIndexOf('\n') };
}

describe('plugin-named handlers', () => {
  it('are found by the position the plugin records, whatever their name', async () => {
    const at = arrowAt(MAIN, "() => dispatch({ type: 'RUN_LOTS' })");
    // The plugin records a site as this position: the function's start, 1-based line and column.
    const sites = await findSites(MAIN, '/app/src/Main.jsx', '/app/src');
    expect(sites.map((s) => ({ line: s.line, column: s.column }))).toContainEqual(arrowAt(MAIN, "() => dispatch({ type: 'SELECT'"));
    const r = wrapUpdatesInTransition(MAIN, 'src/Main.jsx', { handler: 'Main.anything-the-plugin-calls-it', at });
    expect(r.after).toContain("cb={() => startTransition(() => dispatch({ type: 'RUN_LOTS' }))}");
    expect(r.after).toContain("import { memo, useReducer, startTransition } from 'react';");
    // In a component, the visible transition: useTransition, with isPending on the root element (an arrow component).
    const p = wrapUpdatesInPendingTransition(MAIN, 'src/Main.jsx', { handler: 'Main.RUN_LOTS', at });
    expect(p.after).toContain('const Main = () => {\n  const [runLotsPending, startRunLotsTransition] = useTransition();\n');
    expect(p.after).toContain("cb={() => startRunLotsTransition(() => dispatch({ type: 'RUN_LOTS' }))}");
    expect(p.after).toMatch(/<div\s+className="container"\s+aria-busy=\{runLotsPending\}\s+style=\{runLotsPending \? \{ opacity: 0\.6 \} : undefined\}>/);
  });

  it('a handler in a memo(() => …) component gets useTransition and isPending, the arrow getting a block body', () => {
    const at = arrowAt(MAIN, "() => dispatch({ type: 'SELECT', id: item.id })");
    const p = wrapUpdatesInPendingTransition(MAIN, 'src/Main.jsx', { handler: 'Row.onClick', at });
    expect(p.after).toMatch(/const Row = memo\(\(\{ item, selected, dispatch \}\) => \{\n\s+const \[onClickPending, startOnClickTransition\] = useTransition\(\);\n\s+return \(\n\s+<tr\s+className=\{selected \? 'danger' : ''\}\s+aria-busy=\{onClickPending\}/);
    expect(p.after).toContain("onClick={() => startOnClickTransition(() => dispatch({ type: 'SELECT', id: item.id }))}");
    expect(p.edits[0]).toBe('const [onClickPending, startOnClickTransition] = useTransition() in Row');
  });

  it('follows a handler given by name to its definition, and says where one defined in another module is', () => {
    const src = `import { useState } from 'react';\nimport { save } from './api';\nexport function Form() {\n  const [v, setV] = useState(0);\n  function onSave() { setV(v + 1); }\n  return <><button onClick={onSave}>a</button><button onClick={save}>b</button></>;\n}\n`;
    const r = wrapUpdatesInTransition(src, 'Form.tsx', { handler: 'Form.onSave', at: arrowAt(src, 'onSave}>a') });
    expect(r.after).toContain('function onSave() { startTransition(() => setV(v + 1)); }');
    expect(() => wrapUpdatesInTransition(src, 'Form.tsx', { handler: 'save', at: arrowAt(src, 'save}>b') })).toThrow(/is save, imported from \.\/api: run the codemod on the module that defines it/);
    expect(() => wrapUpdatesInTransition(src, 'Form.tsx', { handler: 'x', at: { line: 2, column: 1 } })).toThrow(CodemodError);
  });

  it('with only the line known (a wrapped value defined elsewhere), takes the one function on that line', () => {
    const src = `import { useState } from 'react';\nexport function C() {\n  const [n, setN] = useState(0);\n  const inc = () => setN(n + 1);\n  return <p onClick={inc}>{n}</p>;\n}\n`;
    const r = wrapUpdatesInTransition(src, 'C.tsx', { handler: 'C.inc', at: { line: 4, column: 0 } });
    expect(r.after).toContain('const inc = () => startTransition(() => setN(n + 1));');
  });
});

/** One component in many shapes; `%BODY%` is where its handler and state go. */
const SHAPES: Record<string, string> = {
  'function declaration': `export function Panel({ items }: { items: number[] }) {%BODY%}`,
  'arrow': `export const Panel = ({ items }: { items: number[] }) => {%BODY%};`,
  'function expression': `export const Panel = function ({ items }: { items: number[] }) {%BODY%};`,
  'memo()': `export const Panel = memo(({ items }: { items: number[] }) => {%BODY%});`,
  'React.memo()': `export const Panel = React.memo(function Panel({ items }: { items: number[] }) {%BODY%});`,
  'forwardRef()': `export const Panel = forwardRef<HTMLDivElement, { items: number[] }>(({ items }, ref) => {%BODY%});`,
  'memo(forwardRef())': `export const Panel = memo(forwardRef<HTMLDivElement, { items: number[] }>(function Panel({ items }, ref) {%BODY%}));`,
  'default export, named': `export default function Panel({ items }: { items: number[] }) {%BODY%}`,
  'default export, anonymous': `export default function ({ items }: { items: number[] }) {%BODY%}`,
  'default export, arrow': `export default ({ items }: { items: number[] }) => {%BODY%};`,
};

const BODY = `
  const [query, setQuery] = useState('');
  const [shown, setShown] = useState<number[]>([]);
  const total = sum(items);
  const onInput = (e: { target: { value: string } }) => {
    setQuery(e.target.value);
    setShown(items.filter((i) => String(i).includes(e.target.value)));
  };
  return (
    <div className="panel">
      <input value={query} onChange={onInput} />
      <List items={shown} total={total} />
    </div>
  );
`;

const shape = (decl: string) =>
  `import React, { forwardRef, memo, useState } from 'react';\nimport { List } from './List';\nimport { sum } from './sum';\n\n${decl.replace('%BODY%', BODY)}\n`;

describe.each(Object.entries(SHAPES))('a component written as %s', (_label, decl) => {
  const source = shape(decl);
  const at = arrowAt(source, '(e: { target');
  // Files are named after the component, as the plugin names an anonymous default export.
  const file = 'src/Panel.tsx';

  it('transition and pending-transition wrap the handler’s update (not the input’s own value)', () => {
    const r = wrapUpdatesInTransition(source, file, { handler: 'Panel.onInput', at });
    expect(r.after).toContain('    setQuery(e.target.value);\n    startTransition(() => setShown(');
    const p = wrapUpdatesInPendingTransition(source, file, { handler: 'Panel.onInput', at });
    expect(p.after).toMatch(/\{\n\s+const \[onInputPending, startOnInputTransition\] = useTransition\(\);\n\s+const \[query, setQuery\]/);
    expect(p.after).toContain('startOnInputTransition(() => setShown(');
    expect(p.after).toMatch(/<div\s+className="panel"\s+aria-busy=\{onInputPending\}/);
  });

  it('defer-value renders from the deferred state, found from the component name or the handler', () => {
    const byHandler = deferValue(source, file, { component: null, state: 'shown', handler: 'Panel.onInput', at });
    expect(byHandler.after).toContain('const deferredShown = useDeferredValue(shown);');
    expect(byHandler.after).toContain('<List items={deferredShown} total={total} />');
    // The type argument `useState<number[]>` and the handler keep what they had.
    expect(byHandler.after).toContain('setShown(items.filter(');
    expect(deferValue(source, file, { component: 'Panel', state: 'shown' }).after).toBe(byHandler.after);
  });

  it('memo-value memoises the per-render computation with the component’s bindings as deps', () => {
    const r = memoizeValue(source, file, { callee: 'sum' });
    expect(r.after).toContain('const total = useMemo(() => sum(items), [items]);');
  });

  it('memo-component wraps the component (once)', () => {
    if (/= (React\.)?memo\(/.test(decl)) {
      expect(() => memoizeComponent(source, file, { component: 'Panel' })).toThrow(/already memoised/);
      return;
    }
    const r = memoizeComponent(source, file, { component: 'Panel' });
    expect(r.after).toMatch(/memo\((function|\(|forwardRef)/);
    expect(r.edits[0]).toMatch(/wrapped in memo\(\)$/);
    expect(() => memoizeComponent(r.after, file, { component: 'Panel' })).toThrow(/already memoised/);
  });
});

describe('memo-component on declarations', () => {
  it('keeps a generic component generic for its callers, and an export default a default export', () => {
    const generic = `import { memo } from 'react';\n/** A list. */\nexport function List<T>({ items }: { items: T[] }) {\n  return <ul>{items.length}</ul>;\n}\n`;
    const r = memoizeComponent(generic, 'List.tsx', { component: 'List' });
    expect(r.after).toBe(`import { memo } from 'react';\n\n/** A list. */\nfunction ListImpl<T>({ items }: { items: T[] }) {\n  return <ul>{items.length}</ul>;\n}\n\nexport const List = memo(ListImpl) as typeof ListImpl;\n`);
    const def = `export default function Card({ n }: { n: number }) {\n  return <b>{n}</b>;\n}\n`;
    expect(memoizeComponent(def, 'Card.tsx', { component: 'Card' }).after).toBe(
      `import { memo } from 'react';\n\nconst Card = memo(function Card({ n }: { n: number }) {\n  return <b>{n}</b>;\n});\n\nexport default Card;\n`,
    );
  });

  it('refuses a component used at the top of the module before its declaration', () => {
    const src = `import { createRoot } from 'react-dom/client';\ncreateRoot(document.body).render(<App />);\nfunction App() {\n  return <p />;\n}\n`;
    expect(() => memoizeComponent(src, 'main.tsx', { component: 'App' })).toThrow(/used at the top of the module before its declaration/);
  });
});

const CLASS = `import React, { Component } from 'react';
export class Search extends Component<{ items: string[] }, { query: string; shown: string[] }> {
  state = { query: '', shown: [] as string[] };
  onInput = (e: { target: { value: string } }) => {
    this.setState({ query: e.target.value });
    this.setState({ shown: this.props.items.filter((i) => i.includes(e.target.value)) });
  };
  render() {
    const total = count(this.props.items);
    return <div><input value={this.state.query} onChange={this.onInput} /><p>{total}</p></div>;
  }
}
`;

describe('class components', () => {
  const at = arrowAt(CLASS, '(e: {');
  it('transition moves this.setState into startTransition, the input’s own value staying urgent', () => {
    const r = wrapUpdatesInTransition(CLASS, 'Search.tsx', { handler: 'Search.onInput', at });
    expect(r.after).toContain('    this.setState({ query: e.target.value });\n    startTransition(() => this.setState({ shown:');
    expect(r.after).toContain("import React, { Component, startTransition } from 'react';");
  });

  it('codemods that need hooks say the class cannot have them, and what to do instead', () => {
    expect(() => wrapUpdatesInPendingTransition(CLASS, 'Search.tsx', { handler: 'Search.onInput', at })).toThrow(
      /Search is a class component: useTransition \(a hook\) cannot be used in a class; the transition codemod moves Search\.onInput's setState into startTransition instead/,
    );
    expect(() => memoizeComponent(CLASS, 'Search.tsx', { component: 'Search' })).toThrow(/class component: React\.memo is for function components; extend PureComponent instead of Component, or implement shouldComponentUpdate/);
    expect(() => deferValue(CLASS, 'Search.tsx', { component: 'Search', state: 'shown' })).toThrow(/class component: useDeferredValue \(a hook\) cannot be used in a class/);
    expect(() => memoizeValue(CLASS, 'Search.tsx', { callee: 'count' })).toThrow(/class component: useMemo \(a hook\) cannot be used in a class/);
  });
});

describe('progressive-list', () => {
  it('locates the list a reducer’s action fills, across files, and renders it through the hook', async () => {
    const root = await testDir('homeostat-lists-');
    await mkdir(join(root, 'ui'));
    await writeFile(
      join(root, 'App.tsx'),
      `import { useReducer } from 'react';\nimport { AllRows } from './ui/Rows.tsx';\nimport { reducer } from './rows.ts';\n\nexport function App() {\n  const [state, dispatch] = useReducer(reducer, { rows: [], selected: null });\n  return <AllRows rows={state.rows} selected={state.selected} onSelect={(id: number) => dispatch({ type: 'select', id })} />;\n}\n`,
    );
    const rows = `import type { Row } from '../rows.ts';\n\nexport function AllRows({ rows, selected, onSelect }: { rows: Row[]; selected: number | null; onSelect: (id: number) => void }) {\n  const visible = rows.filter((r) => r.id > 0);\n  if (visible.length === 0) return <p>No rows</p>;\n  return (\n    <table>\n      <tbody>\n        {visible.map((r) => (\n          <tr key={r.id} className={r.id === selected ? 'danger' : undefined} onClick={() => onSelect(r.id)}>\n            <td>{r.label}</td>\n          </tr>\n        ))}\n      </tbody>\n    </table>\n  );\n}\n`;
    await writeFile(join(root, 'ui', 'Rows.tsx'), rows);
    const analysis = [
      { name: 'runLots', file: 'App.tsx', updates: [{ setter: 'dispatch', transition: false, state: 'state', stateSource: { file: 'App.tsx', line: 6 }, fields: ['rows', 'selected'] }] },
      { name: 'select', file: 'App.tsx', updates: [{ setter: 'dispatch', transition: false, state: 'state', stateSource: { file: 'App.tsx', line: 6 }, fields: ['selected'] }] },
      { name: 'none', file: 'App.tsx', updates: [] },
    ];
    const site = await locateList(root, analysis, 'runLots');
    expect(site).toEqual({ file: 'ui/Rows.tsx', component: 'AllRows', line: 9, column: 10, items: 'visible', via: ['App.state', 'AllRows.rows', 'visible'], field: true });
    const plan = await progressiveListPlan(root, analysis, 'runLots');
    expect(plan).toEqual({ codemod: 'progressive-list', file: 'ui/Rows.tsx', handler: 'runLots', component: 'AllRows', list: { line: 9, column: 10 }, items: 'visible' });
    await expect(progressiveListPlan(root, analysis, 'select')).rejects.toThrow(/select's update changes selected, not the list visible/);
    await expect(locateList(root, analysis, 'none')).rejects.toThrow(/no state update the analysis could trace/);

    const r = renderProgressively(rows, 'ui/Rows.tsx', { handler: 'runLots', component: 'AllRows', list: plan.list, items: plan.items, exists: () => false });
    // Before the early return (hooks run unconditionally), with what the row reads as deps and its key.
    expect(r.after).toContain(
      "import type { Row } from '../rows.ts';\nimport { useProgressiveList } from './useProgressiveList.ts';\n\nexport function AllRows(",
    );
    expect(r.after).toMatch(/ {2}const visible = rows\.filter\(\(r\) => r\.id > 0\);\n\n? {2}const renderedVisible = useProgressiveList\(\s*visible,\s*\(r\) => \(\n[^]*\),\s*\[selected, onSelect\],\s*\(r\) => r\.id\s*\);\n\n? {2}if \(visible\.length === 0\) return <p>No rows<\/p>;/);
    expect(r.after).toContain('        {renderedVisible}\n');
    expect(r.also).toEqual([{ file: 'ui/useProgressiveList.ts', before: null, after: expect.stringContaining('export function useProgressiveList<T>(') }]);
  });

  it('follows a reducer state destructured where it is declared (const [{ data, selected }, dispatch] = useReducer(…))', async () => {
    const root = await testDir('homeostat-lists-');
    await writeFile(
      join(root, 'Main.tsx'),
      `import { useReducer } from 'react';\nimport { reducer } from './state.ts';\n\nexport function Main() {\n  const [{ data, selected }, dispatch] = useReducer(reducer, { data: [], selected: 0 });\n  return (\n    <table>\n      <tbody>\n        {data.map((item) => <tr key={item.id} className={selected === item.id ? 'danger' : ''} onClick={() => dispatch({ type: 'SELECT', id: item.id })}><td>{item.label}</td></tr>)}\n      </tbody>\n    </table>\n  );\n}\n`,
    );
    const analysis = [{ name: 'Jumbotron.RUN_LOTS', file: 'Jumbotron.tsx', updates: [{ setter: 'dispatch', transition: false, state: '{ data, selected }', stateSource: { file: 'Main.tsx', line: 5 }, fields: ['data', 'selected'] }] }];
    expect(await progressiveListPlan(root, analysis, 'Jumbotron.RUN_LOTS')).toEqual({ codemod: 'progressive-list', file: 'Main.tsx', handler: 'Jumbotron.RUN_LOTS', component: 'Main', list: { line: 9, column: 10 }, items: 'data' });
  });

  it('puts the hook after what the list reads, refuses when an early return comes first, and names the module freely', () => {
    const src = `import { useState } from 'react';\nexport function T({ rows }) {\n  const [sel, setSel] = useState(null);\n  const label = (r) => r.name;\n  return <ul>{rows.map((r, i) => <li key={r.id} className={sel === i ? 'on' : ''} onClick={() => setSel(i)}>{label(r)}</li>)}</ul>;\n}\n`;
    const r = renderProgressively(src, 'src/T.jsx', { handler: 'h', component: 'T', list: { line: 5, column: 15 }, items: 'rows', exists: (f) => f === 'src/useProgressiveList.js' });
    expect(r.after).toContain("import { useProgressiveList } from './useProgressiveList2';");
    expect(r.after).toMatch(/ {2}const label = \(r\) => r\.name;\n\n? {2}const renderedRows = useProgressiveList\(\s*rows,\s*\(r, i\) => <li key=\{r\.id\} className=\{sel === i \? 'on' : ''\} onClick=\{\(\) => setSel\(i\)\}>\{label\(r\)\}<\/li>,\s*\[sel, setSel, label\],\s*\(r\) => r\.id\s*\);\n/);
    expect(r.after).toContain('return <ul>{renderedRows}</ul>;');
    expect(r.also![0]!.file).toBe('src/useProgressiveList2.js');
    expect(r.also![0]!.after).not.toMatch(/: readonly|<T>/);
    const early = src.replace('  const label = (r) => r.name;\n', '  if (!rows) return null;\n  const label = (r) => r.name;\n');
    expect(() => renderProgressively(early, 'src/T.jsx', { handler: 'h', component: 'T', list: { line: 6, column: 15 }, items: 'rows' })).toThrow(/returns early \(line 4\) before label exist/);
    expect(() => renderProgressively(src, 'src/T.jsx', { handler: 'h', component: 'T', list: { line: 5, column: 15 }, items: 'items' })).toThrow(/no items\.map\(…\) at 5:15/);
  });
});
