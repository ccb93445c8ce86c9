/**
 * The virtual-list codemod over the shapes long lists come in: a table body of memo rows, a
 * ul/li list, a map stored in a local, a map of `props.rows` in a child component in another
 * file (located from the analysis like heal does), and the shapes it must refuse with why.
 */
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse } from '@babel/parser';
import { describe, expect, it } from 'vitest';
import { testDir } from '../../test-support/tmp.ts';
import { virtualListPlan } from '../list-locator.ts';
import { at } from './corpus.ts';
import { virtualiseList } from './virtual-list.ts';

const target = (src: string, items: string, extra: { exists?: (f: string) => boolean } = {}) => ({ handler: 'runLots', component: null, list: at(src, `${items}.map`), items, ...extra });

describe('virtual-list', () => {
  it('a table body of memo rows: the rows render through <VirtualList spacer="tr">, keys and row component untouched', () => {
    const src = `import { memo, useReducer } from 'react';
import { reducer, type Item } from './state.ts';

const Row = memo(({ item, selected }: { item: Item; selected: boolean }) => (
  <tr className={selected ? 'danger' : ''}><td>{item.label}</td></tr>
));

export function Main() {
  const [{ data, selected }, dispatch] = useReducer(reducer, { data: [], selected: 0 });
  return (
    <table className="table">
      <tbody>
        {data.map((item) => (
          <Row key={item.id} item={item} selected={selected === item.id} />
        ))}
      </tbody>
    </table>
  );
}
`;
    const r = virtualiseList(src, 'src/Main.tsx', target(src, 'data'));
    expect(r.after).toContain("import { reducer, type Item } from './state.ts';\nimport { VirtualList } from './VirtualList.ts';\n");
    expect(r.after).toMatch(/<tbody>\n\s*<VirtualList\s+items=\{data\}\s+render=\{\(item\) => \(\n\s*<Row key=\{item\.id\} item=\{item\} selected=\{selected === item\.id\} \/>\n\s*\)\}\s+spacer="tr"\s*\/>\n\s*<\/tbody>/);
    // Everything else byte-identical.
    expect(r.after.split('\n').slice(0, 7).join('\n')).toBe(src.split('\n').slice(0, 6).join('\n').replace("'./state.ts';", "'./state.ts';\nimport { VirtualList } from './VirtualList.ts';"));
    expect(r.also).toEqual([{ file: 'src/VirtualList.ts', before: null, after: expect.stringContaining('export function VirtualList<T>(') }]);
    expect(r.edits[0]).toMatch(/only the rows in view and 10 either side are in the DOM, spacer <tr>s keep the scroll height/);
  });

  it('a ul of li rows in a JavaScript file: li spacers, plain module, a free module name', () => {
    const src = `export function Names({ names }) {\n  return <ul className="names">{names.length > 0 && names.map((n, i) => <li key={n}>{i + 1}. {n}</li>)}</ul>;\n}\n`;
    const r = virtualiseList(src, 'src/Names.jsx', target(src, 'names', { exists: (f) => f === 'src/VirtualList.js' }));
    expect(r.after).toContain("import { VirtualList } from './VirtualList2'\n");
    expect(r.after).toContain('{names.length > 0 && <VirtualList items={names} render={(n, i) => <li key={n}>{i + 1}. {n}</li>} spacer="li" />}');
    expect(r.also![0]!.file).toBe('src/VirtualList2.js');
    // Plain JavaScript: parses without the TypeScript syntax plugin.
    expect(() => parse(r.also![0]!.after, { sourceType: 'module', plugins: ['jsx'] })).not.toThrow();
  });

  it('a map stored in a local and rendered later: the local becomes the element, the spacer follows where it is rendered', () => {
    const src = `export function Grid({ cells }) {\n  const rows = cells.map((c) => <Cell key={c.id} cell={c} />);\n  return (\n    <table>\n      <tbody>{rows}</tbody>\n    </table>\n  );\n}\nfunction Cell({ cell }) {\n  return <tr><td>{cell.v}</td></tr>;\n}\n`;
    const r = virtualiseList(src, 'src/Grid.jsx', target(src, 'cells'));
    expect(r.after).toContain('const rows = <VirtualList items={cells} render={(c) => <Cell key={c.id} cell={c} />} spacer="tr" />;');
    expect(r.after).toContain('<tbody>{rows}</tbody>');
  });

  it('a component that returns the map: the spacer is the row’s own element', () => {
    const src = `export const Items = ({ items }) => items.map((it) => <li key={it.id}>{it.name}</li>);\n`;
    const r = virtualiseList(src, 'src/Items.jsx', target(src, 'items'));
    expect(r.after).toContain('export const Items = ({ items }) => <VirtualList items={items} render={(it) => <li key={it.id}>{it.name}</li>} spacer="li" />;');
  });

  it('refuses what it cannot render as an element, an <ol>, and rows whose element it cannot tell', () => {
    const array = `export function T({ rows }) {\n  const shown = rows.map((r) => <tr key={r}><td>{r}</td></tr>);\n  return <table><tbody>{shown}</tbody><tfoot><tr><td>{shown.length}</td></tr></tfoot></table>;\n}\n`;
    expect(() => virtualiseList(array, 'T.jsx', target(array, 'rows'))).toThrow(/shown \(rows\.map\(…\)\) is used as an array here \(`shown\.length`\)/);
    const ol = `export function T({ rows }) {\n  return <ol>{rows.map((r) => <li key={r}>{r}</li>)}</ol>;\n}\n`;
    expect(() => virtualiseList(ol, 'T.jsx', target(ol, 'rows'))).toThrow(/renders into an <ol>: its numbering would count the spacers/);
    const unknown = `export function T({ rows }) {\n  return <Panel>{rows.map((r) => <Line key={r} r={r} />)}</Panel>;\n}\n`;
    expect(() => virtualiseList(unknown, 'T.jsx', target(unknown, 'rows'))).toThrow(/cannot tell what element rows\.map\(…\)'s rows are \(they are components, rendered into <Panel>\)/);
    const prop = `export function T({ rows }) {\n  return <Table body={rows.map((r) => <tr key={r} />)} />;\n}\n`;
    expect(() => virtualiseList(prop, 'T.jsx', target(prop, 'rows'))).toThrow(/not rendered as a JSX child/);
  });

  it('plans from the analysis: the map of props.rows in a child component in another file, through a fragment', async () => {
    const root = await testDir('homeostat-virtual-');
    await mkdir(join(root, 'ui'));
    await writeFile(
      join(root, 'App.tsx'),
      `import { useState } from 'react';\nimport Rows from './ui/Rows.tsx';\n\nexport function App() {\n  const [rows, setRows] = useState<number[]>([]);\n  return <Rows rows={rows} onLoad={() => setRows(Array.from({ length: 10000 }, (_, i) => i))} />;\n}\n`,
    );
    const rows = `export default function Rows(props: { rows: number[]; onLoad: () => void }) {\n  return (\n    <table>\n      <tbody>\n        <>{props.rows.map((r) => <tr key={r}><td>{r}</td></tr>)}</>\n      </tbody>\n    </table>\n  );\n}\n`;
    await writeFile(join(root, 'ui', 'Rows.tsx'), rows);
    const analysis = [{ name: 'App.onLoad', file: 'App.tsx', updates: [{ setter: 'setRows', transition: false, state: 'rows', stateSource: { file: 'App.tsx', line: 5 } }] }];
    const plan = await virtualListPlan(root, analysis, 'App.onLoad');
    expect(plan).toEqual({ codemod: 'virtual-list', file: 'ui/Rows.tsx', handler: 'App.onLoad', component: 'Rows', list: { line: 5, column: 12 }, items: 'props.rows' });
    // An app that depends on @tanstack/react-virtual gets the module built on it.
    await writeFile(join(root, 'package.json'), JSON.stringify({ name: 'app', dependencies: { react: '^19.0.0', '@tanstack/react-virtual': '^3.0.0' } }));
    const tanstack = await virtualListPlan(root, analysis, 'App.onLoad');
    expect(tanstack).toEqual({ ...plan, library: 'tanstack' });
    const withLibrary = virtualiseList(rows, plan.file, { ...tanstack, exists: () => false });
    expect(withLibrary.also![0]!.after).toContain("import { useWindowVirtualizer } from '@tanstack/react-virtual';");
    expect(withLibrary.edits[1]).toMatch(/over @tanstack\/react-virtual's useWindowVirtualizer \(already a dependency of the app\)/);
    await writeFile(join(root, 'package.json'), '{ "name": ');
    await expect(virtualListPlan(root, analysis, 'App.onLoad')).rejects.toThrow(/package\.json: not valid JSON/);
    await rm(join(root, 'package.json'));
    const r = virtualiseList(rows, plan.file, { ...plan, exists: () => false });
    expect(r.also![0]!.after).not.toContain('@tanstack');
    expect(r.after).toContain('<><VirtualList items={props.rows} render={(r) => <tr key={r}><td>{r}</td></tr>} spacer="tr" /></>');
    // A list the codemod would refuse is skipped at planning, with its reason.
    await writeFile(join(root, 'ui', 'Rows.tsx'), rows.replace('<tbody>', '<tbody data-n={props.rows.map((r) => <i key={r} />).length}>').replace('<>{props.rows.map((r) => <tr key={r}><td>{r}</td></tr>)}</>', ''));
    await expect(virtualListPlan(root, analysis, 'App.onLoad')).rejects.toThrow(/not rendered as a JSX child/);
  });

  it('plans examples/table’s rows (a reducer state destructured where it is declared), and the codemod applies there', async () => {
    const root = join(process.cwd(), 'examples/table/app/src');
    const analysis = [{ name: 'Jumbotron.RUN_LOTS', file: 'Jumbotron.tsx', updates: [{ setter: 'dispatch', transition: false, state: '{ data, selected }', stateSource: { file: 'Main.tsx', line: 8 }, fields: ['data', 'selected'] }] }];
    const plan = await virtualListPlan(root, analysis, 'Jumbotron.RUN_LOTS');
    expect(plan).toMatchObject({ codemod: 'virtual-list', file: 'Main.tsx', component: 'Main', items: 'data' });
    // examples/table does not depend on @tanstack/react-virtual: the module is its own.
    expect(plan.library).toBeUndefined();
  });
});
