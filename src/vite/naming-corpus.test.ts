/**
 * The naming pass over the shapes real apps have (no component here is shaped like our demo):
 * callbacks through props in one file and across files and packages, memo/forwardRef wrappers,
 * default exports, class components with lifecycle methods, pure helpers named like setters,
 * several same-named handlers. Names are what the build records, docs document and heal patches.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { moduleFilter } from './index.ts';
import { ForwardingProject } from './project.ts';
import { findSites } from './transform.ts';

const TABLE = fileURLToPath(new URL('../../examples/table', import.meta.url));

async function namesIn(file: string, code: string, root: string): Promise<string[]> {
  return (await findSites(code, file, root, new ForwardingProject())).map((s) => s.name);
}

describe('callbacks through props', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'homeostat-naming-'));
    const files: Record<string, string> = {
      'src/ui/Button.tsx': `export function Button({ id, cb, label = 'Go' }: { id: string; cb: () => void; label?: string }) {
  return <button id={id} onClick={cb}>{label}</button>;
}`,
      'src/ui/IconButton.tsx': `import { forwardRef, memo } from 'react';
export const IconButton = memo(forwardRef<HTMLButtonElement, { onPress: () => void; title: string }>(function IconButton(props, ref) {
  return <button ref={ref} title={props.title} onClick={() => props.onPress()} />;
}));`,
      'src/ui/Toolbar.tsx': `import { Button } from './Button';
// Passes its own prop on: 'action' reaches onClick two components down.
export default function Toolbar({ action }: { action: () => void }) {
  return <div><Button id="tb" cb={action} /></div>;
}`,
      'src/ui/index.ts': `export { Button } from './Button';\nexport * from './IconButton';\nexport { default as Toolbar } from './Toolbar';`,
      'src/ui/Passive.tsx': `export function Passive({ render }: { render: () => string }) { return <p>{render()}</p>; }`,
      'src/App.tsx': `import { useReducer, useState } from 'react';
import { Button, IconButton, Toolbar } from './ui';
import { Passive } from './ui/Passive';
import * as ui from './ui';
function Local({ go }: { go: () => void }) { return <a href="#" onClick={(e) => { e.preventDefault(); go(); }}>go</a>; }
export function App() {
  const [state, dispatch] = useReducer((s: number) => s + 1, 0);
  const [, setOpen] = useState(false);
  return (
    <main>
      <Button id="run" cb={() => dispatch({ type: 'RUN' })} />
      <Button id="clear" cb={() => dispatch({ type: 'CLEAR' })} />
      <IconButton title="Open" onPress={() => setOpen(true)} />
      <Toolbar action={() => dispatch({ type: 'TOOL' })} />
      <ui.Button id="ns" cb={() => setOpen(false)} />
      <Local go={() => setOpen(true)} />
      <Passive render={() => String(state)} />
    </main>
  );
}`,
    };
    for (const [f, code] of Object.entries(files)) {
      await mkdir(dirname(join(dir, f)), { recursive: true });
      await writeFile(join(dir, f), code);
    }
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('instruments each callback where it is created, named by its owner, prop and element', async () => {
    const { readFile } = await import('node:fs/promises');
    const file = join(dir, 'src/App.tsx');
    const names = await namesIn(file, await readFile(file, 'utf8'), dir);
    expect(names).toEqual(['Local.onClick', 'App.cb[run]', 'App.cb[clear]', 'App.onPress', 'App.action', 'App.cb[ns]', 'App.go']);
    // `render` never reaches an event: a render prop is not a handler.
    expect(names.some((n) => n.includes('render'))).toBe(false);
  });

  it('leaves a prop that reaches the DOM unwrapped where it arrives (the caller instruments it; identity and own properties kept)', async () => {
    const { readFile } = await import('node:fs/promises');
    const file = join(dir, 'src/ui/Button.tsx');
    expect(await namesIn(file, await readFile(file, 'utf8'), dir)).toEqual([]);
  });
});

describe('what is a handler', () => {
  it('lifecycle methods and render are not; a class field used by an event is; pure helpers named like setters are not', async () => {
    const code = `import { Component } from 'react';
let cache = 0;
function setCache(v) { cache = v; }
export function compute(x) { setCache(x * 2); return cache; }
export class Panel extends Component {
  state = { open: false };
  componentDidMount() { this.setState({ open: true }); }
  componentDidUpdate() { if (!this.state.open) this.setState({ open: true }); }
  render() { return <button onClick={this.toggle}>t</button>; }
  toggle = () => { this.setState((s) => ({ open: !s.open })); };
  reset() { this.setState({ open: false }); }
}`;
    expect(await namesIn('/app/src/Panel.jsx', code, '/app')).toEqual(['Panel.toggle', 'Panel.reset']);
  });

  it('a function with its own name keeps it when an inline handler shares the base name', async () => {
    const code = `import { useState } from 'react';
export function Form() {
  const [v, setV] = useState('');
  function onChange(e) { setV(e.target.value); }
  return <><input onChange={onChange} /><input aria-label="other" onChange={(e) => setV(e.target.value)} /></>;
}`;
    expect(await namesIn('/app/src/Form.jsx', code, '/app')).toEqual(['Form.onChange', 'Form.onChange[other]']);
  });

  it('a value given to a component is never wrapped; at a DOM element it is', async () => {
    const code = `import { useMemo, useState } from 'react';
import debounce from 'lodash.debounce';
import { Search } from './Search';
export function Page() {
  const [q, setQ] = useState('');
  const debounced = useMemo(() => debounce(setQ, 100), []);
  return <><Search onChange={debounced} /><input onChange={debounced} /></>;
}`;
    const sites = await findSites(code, '/app/src/Page.jsx', '/app', new ForwardingProject());
    expect(sites.map((s) => `${s.kind} ${s.name} ${s.line}:${s.column}`)).toEqual(['wrap Page.debounced 7:60']);
  });
});

describe('examples/table (a monorepo: the app and a workspace package outside the Vite root)', () => {
  it('names every handler of the fixture, at its place', async () => {
    const { readFile } = await import('node:fs/promises');
    const root = join(TABLE, 'app');
    const out: string[] = [];
    for (const f of ['app/src/Jumbotron.tsx', 'app/src/Row.tsx', 'app/src/Summary.tsx', 'app/src/Main.tsx', 'packages/ui/src/Button.tsx', 'packages/ui/src/LabelCell.tsx']) {
      const file = join(TABLE, f);
      for (const s of await findSites(await readFile(file, 'utf8'), file, root, new ForwardingProject())) out.push(`${f}:${s.line} ${s.name}`);
    }
    expect(out).toEqual([
      'app/src/Jumbotron.tsx:11 Jumbotron.cb[run]',
      'app/src/Jumbotron.tsx:12 Jumbotron.cb[runlots]',
      'app/src/Jumbotron.tsx:13 Jumbotron.cb[add]',
      'app/src/Jumbotron.tsx:14 Jumbotron.cb[update]',
      'app/src/Jumbotron.tsx:15 Jumbotron.cb[clear]',
      'app/src/Jumbotron.tsx:16 Jumbotron.cb[swaprows]',
      'app/src/Row.tsx:17 Row.onSelect',
      'app/src/Row.tsx:20 Row.onClick',
      'app/src/Summary.tsx:24 Summary.toggleDetails',
      'packages/ui/src/LabelCell.tsx:12 LabelCell.onClick',
    ]);
  });

  it('include globs that leave the Vite root name the workspace package; tests and node_modules stay out', () => {
    const f = moduleFilter('/r/app', { include: ['src/**', '../packages/ui/src/**'] });
    expect(f('/r/app/src/A.tsx')).toBe(true);
    expect(f('/r/packages/ui/src/Button.tsx')).toBe(true);
    expect(f('/r/packages/ui/src/Button.test.tsx')).toBe(false);
    expect(f('/r/packages/other/src/x.ts')).toBe(false);
    expect(f('/r/app/node_modules/x/a.js')).toBe(false);
    // Without include: only the root, as before.
    expect(moduleFilter('/r/app', {})('/r/packages/ui/src/Button.tsx')).toBe(false);
  });
});
