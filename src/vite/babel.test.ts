import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { findSites, transformModule } from './transform.ts';
import { disambiguate, isSetterName } from './names.ts';

const ROOT = '/app';
const names = async (code: string, file = 'src/App.jsx') => (await findSites(code, `${ROOT}/${file}`, ROOT)).map((s) => s.name);

/** Transforms plain JS and evaluates it with `runtime` standing in for `homeostat/auto`; returns what `tail` returns. */
async function evaluate(code: string, runtime: Record<string, unknown>, tail: string): Promise<Record<string, unknown>> {
  const r = await transformModule(code, `${ROOT}/src/mod.js`, { root: ROOT, runtime: 'RT', setup: false });
  if (!r) throw new Error('nothing instrumented');
  const body = r.code.replace(/import \{([^}]*)\} from "RT";/, (_m, specs: string) => `const {${specs.replace(/ as /g, ': ')}} = __rt;`);
  // Modules are strict code.
  return new Function('__rt', `'use strict';\n${body}\n${tail}`)(runtime) as Record<string, unknown>;
}

/** A stand-in runtime that logs which handler each call ran as, and passes everything through. */
function fakeRuntime() {
  const calls: string[] = [];
  const runtime = {
    names: (_file: string, flat: Array<string | number>) => Object.assign(flat.filter((_, i) => i % 3 === 0), { labels: [] }),
    enter: (table: string[], i: number) => {
      calls.push(table[i]!);
      return i;
    },
    ret: (_token: number, v: unknown) => v,
    exit: () => undefined,
    threw: () => undefined,
    suspend: (_token: number, v: unknown) => v,
    enterTop: (table: string[], i: number) => void calls.push(table[i]!),
    retTop: (v: unknown) => v,
    exitTop: () => undefined,
    threwTop: () => undefined,
    wrap: (v: unknown) => v,
    mark: () => undefined,
  };
  return { calls, runtime };
}

const CREATE_VITE_APP = `import { useState } from 'react'
import reactLogo from './assets/react.svg'
import viteLogo from '/vite.svg'
import './App.css'

function App() {
  const [count, setCount] = useState(0)

  return (
    <>
      <div className="card">
        <button onClick={() => setCount((count) => count + 1)}>
          count is {count}
        </button>
      </div>
    </>
  )
}

export default App
`;

describe('naming what the plugin instruments', () => {
  it('names the create-vite template handler Component.prop, at its source location', async () => {
    const sites = await findSites(CREATE_VITE_APP, `${ROOT}/src/App.jsx`, ROOT);
    expect(sites).toEqual([expect.objectContaining({ name: 'App.onClick', kind: 'jsx', owner: 'App', prop: 'onClick', line: 12, column: 26 })]);
    expect(CREATE_VITE_APP.split('\n')[11]!.slice(25)).toMatch(/^\(\) => setCount/);
  });

  it('names functions that update state (setters, dispatch via props, this.setState) by their own name in their component or hook', async () => {
    const code = `import { useState, useReducer, useCallback, memo, Component } from 'react';
export function save(x) { setGlobal(x); }
let setGlobal = () => {};
const Row = memo(function Row({ todo, dispatch, setSelected }) {
  const toggle = () => dispatch({ type: 'toggle', id: todo.id });
  function pick() { setSelected(todo.id); }
  return <li onClick={pick}>{todo.text}</li>;
});
function useCounter() {
  const [n, bump] = useState(0);
  const inc = useCallback(() => bump((x) => x + 1), []);
  return { n, inc };
}
class Clock extends Component {
  tick() { this.setState({ now: Date.now() }); }
  onReset = () => { this.setState({ now: 0 }); };
  render() { return <button onClick={this.onReset} />; }
}
function App() {
  const format = (t) => t.toFixed(2);
  setTimeout(() => 1);
  return null;
}`;
    // `save` calls a module-level helper named like a setter: not React state, not a handler.
    expect(await names(code)).toEqual(['Row.toggle', 'Row.pick', 'useCounter.inc', 'Clock.tick', 'Clock.onReset']);
  });

  it('tells several inline handlers of one component apart by label, else by order', async () => {
    const labelled = `function Toolbar() {
  return <div>
    <button onClick={() => a()}>Save</button>
    <button aria-label="Close dialog" onClick={() => b()}>×</button>
  </div>;
}`;
    expect(await names(labelled)).toEqual(['Toolbar.onClick[Save]', 'Toolbar.onClick[Close dialog]']);
    const unlabelled = `function T() { return <div><i onClick={() => a()} /><i onClick={() => b()} /></div>; }`;
    expect(await names(unlabelled)).toEqual(['T.onClick#1', 'T.onClick#2']);
    expect(disambiguate([{ name: 'x', hint: 'a' }, { name: 'x', hint: 'a' }, { name: 'y', hint: null }])).toEqual(['x#1', 'x#2', 'y']);
  });

  it('leaves explicit useHandler/instrument, components, hooks, generators and opted-out code alone', async () => {
    const code = `import { useState } from 'react';
import { useHandler as named, instrument } from 'homeostat/react';
function handleSave() { setA(1); }
const [, setA] = useState(0);
const wrapped = instrument('handleSave', handleSave);
function App() {
  const onPick = named('pick', (id) => setA(id));
  const inline = useMemo(() => 1, []);
  function* gen() { setA(2); }
  // homeostat-ignore
  function quiet() { setA(3); }
  const loud = () => setA(4);
  return <div>
    <button onClick={onPick} />
    <button onClick={/* homeostat-ignore */ () => setA(5)} />
  </div>;
}
function Child() { setA(6); return null; }
function useThing() { setA(7); }`;
    expect(await names(code)).toEqual(['App.loud']);
    // A thin delegate to an explicit handler adds nothing: the explicit name wins.
    const delegate = `import { useHandler } from 'homeostat/react';
function F() {
  const apply = useHandler('applyFilters', (p) => setF(p));
  return <div>
    <select onChange={(e) => apply({ c: e.target.value })} />
    <input onChange={(e) => { apply({ q: 1 }); log(e); }} />
  </div>;
}`;
    expect(await names(delegate)).toEqual(['F.onChange']);
    expect(await names(`// homeostat-ignore-file\nfunction A() { return <b onClick={() => x()} />; }`)).toEqual([]);
  });

  it('wraps other values given to event props where they are passed', async () => {
    const code = `import { debounced } from './lib';
function Search({ onSearch }) {
  const throttled = useMemo(() => throttle(onSearch), [onSearch]);
  return <div>
    <input onChange={throttled} />
    <input onInput={debounced} />
    <input onKeyDown={make(1)} />
    <input onBlur={onSearch} />
  </div>;
}`;
    const sites = await findSites(code, `${ROOT}/src/S.jsx`, ROOT);
    expect(sites.map((s) => [s.name, s.kind])).toEqual([
      ['Search.throttled', 'wrap'],
      ['debounced', 'wrap'],
      ['Search.onKeyDown', 'wrap'],
    ]);
  });

  it('reads TypeScript and anonymous default-exported components', async () => {
    const code = `import type { Dispatch } from 'react';
export default function ({ dispatch }: { dispatch: Dispatch<{ type: 'x' }> }) {
  const go = (n: number): void => dispatch({ type: 'x' });
  return <button onClick={() => go(1 as number)} />;
}`;
    expect(await names(code, 'src/components/Panel.tsx')).toEqual(['Panel.go', 'Panel.onClick']);
  });

  it('counts setX and dispatch as updates, not DOM or timer setters', () => {
    expect(['setCount', 'dispatch', 'dispatchTodos', 'set_x'].every(isSetterName)).toBe(true);
    expect(['setTimeout', 'setAttribute', 'setItem', 'setUTCHours', 'settle', 'reset'].some(isSetterName)).toBe(false);
  });
});

describe('the instrumented code behaves as before', () => {
  const MODULE = `const sink = () => {};
let setV = sink; // a setter of unknown origin: a module-level \`setV = () => …\` is a helper, not state
function handle(v) {
  setV(v);
  if (v && v.shouldThrow) throw v.value;
  return [this, arguments.length, v];
}
const arrow = (v) => { setV(v); return v; };
const expr = (v) => setV(v) ?? v;
async function later(v) { setV(v); await null; if (v === 'fail') throw new Error('no'); return v; }
async function withDefault(v = missing()) { setV(v); return v; }
function point(x) { setV(x); this.x = x; this.made = new.target === point; }`;
  const TAIL = 'return { handle, arrow, expr, later, withDefault, point };';

  it('passes `this`, arguments, return values and thrown values through', async () => {
    const { calls, runtime } = fakeRuntime();
    const m = (await evaluate(MODULE, runtime, TAIL)) as unknown as {
      handle: (this: unknown, ...a: unknown[]) => unknown;
      arrow: (v: unknown) => unknown;
      expr: (v: unknown) => unknown;
    };
    fc.assert(
      fc.property(fc.anything(), fc.anything(), fc.boolean(), (self, value, shouldThrow) => {
        if (shouldThrow) {
          let caught: unknown = Symbol('none');
          try {
            m.handle.call(self, { shouldThrow, value }, 2);
          } catch (e) {
            caught = e;
          }
          expect(Object.is(caught, value)).toBe(true);
        } else {
          const [gotThis, count, gotV] = m.handle.call(self, value, 2) as [unknown, number, unknown];
          expect(Object.is(gotThis, self)).toBe(true);
          expect(count).toBe(2);
          expect(Object.is(gotV, value)).toBe(true);
        }
        expect(Object.is(m.arrow(value), value)).toBe(true);
        expect(Object.is(m.expr(value), value)).toBe(true);
      }),
    );
    expect(new Set(calls)).toEqual(new Set(['handle', 'arrow', 'expr']));
  });

  it('keeps async results and rejections, `new`, name and length', async () => {
    const { calls, runtime } = fakeRuntime();
    const m = (await evaluate(MODULE, runtime, TAIL)) as unknown as {
      later: (v: string) => Promise<string>;
      withDefault: (v?: string) => Promise<string>;
      point: { new (x: number): { x: number; made: boolean }; (x: number): void };
    };
    await expect(m.later('ok')).resolves.toBe('ok');
    await expect(m.later('fail')).rejects.toThrow('no');
    // A default that throws still rejects (the function stays async), instead of throwing.
    const rejected = m.withDefault();
    expect(rejected).toBeInstanceOf(Promise);
    await expect(rejected).rejects.toThrow(/missing/);
    await expect(m.withDefault('d')).resolves.toBe('d');
    const p = new m.point(3);
    expect(p).toBeInstanceOf(m.point);
    expect(p).toMatchObject({ x: 3, made: true });
    expect([m.later.name, m.later.length, m.point.name, m.point.length]).toEqual(['later', 1, 'point', 1]);
    // The throwing default never reaches the body: only the second call records.
    expect(calls).toEqual(['later', 'later', 'withDefault', 'point']);
  });
});

describe('setup and output', () => {
  it('imports the React adapter first in the module that imports react-dom, and starts recording with the worker URL', async () => {
    const main = `import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import App from './App.jsx'
createRoot(document.getElementById('root')).render(<StrictMode><App /></StrictMode>)`;
    const r = await transformModule(main, `${ROOT}/src/main.jsx`, { root: ROOT, setup: { workerUrlImport: 'homeostat/worker?worker&url', options: { app: 'shop' } } });
    const lines = r!.code.split('\n');
    expect(lines[0]).toMatch(/^import \{ startHomeostat as (\w+) \} from "homeostat\/react";$/);
    expect(lines[1]).toMatch(/^import (\w+) from "homeostat\/worker\?worker&url";$/);
    expect(lines.findIndex((l) => l.includes('react-dom/client'))).toBeGreaterThan(1);
    expect(r!.code).toMatch(/_hs_start\(\{\s*"app": "shop",\s*worker: _hs_worker\s*\}\)/);
    expect(r!.map).toBeTruthy();
  });

  it('never instruments twice (both the Babel and the Vite plugin configured)', async () => {
    const once = await transformModule(CREATE_VITE_APP, `${ROOT}/src/App.jsx`, { root: ROOT });
    expect(await transformModule(once!.code, `${ROOT}/src/App.jsx`, { root: ROOT })).toBeNull();
    const main = `import { createRoot } from 'react-dom/client';\ncreateRoot(document.body).render(null);`;
    const setUp = await transformModule(main, `${ROOT}/src/main.jsx`, { root: ROOT });
    expect(await transformModule(setUp!.code, `${ROOT}/src/main.jsx`, { root: ROOT })).toBeNull();
  });

  it('leaves modules with nothing to instrument untouched, and names the file and line of a syntax error', async () => {
    expect(await transformModule(`export const x = 1;`, `${ROOT}/src/x.js`, { root: ROOT })).toBeNull();
    expect(await transformModule(`function A() { return <b onClick={() => x()}>hi</b>; }`, `${ROOT}/src/a.js`, { root: ROOT, setup: false })).not.toBeNull();
    await expect(transformModule(`function A() { return <b onClick={() => x(}>; }`, `${ROOT}/src/bad.jsx`, { root: ROOT })).rejects.toThrow(/bad\.jsx.*\(1:/);
  });
});
