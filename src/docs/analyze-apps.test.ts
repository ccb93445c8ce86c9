/**
 * The analysis on real app shapes: the e2e fixtures (a create-vite .jsx app, and a .tsx app
 * with useReducer, dispatch through props and context, and a custom hook), both using
 * @homeostat/tools/vite and nothing else.
 */
import { readFileSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { command as docs } from '../cli/commands/docs.ts';
import { analyzeProject, usesPlugin, type HandlerSource } from './analyze.ts';

const fixture = (p: string) => fileURLToPath(new URL(`../../e2e/fixtures/${p}`, import.meta.url));
const lineOf = (file: string, text: string) => readFileSync(file, 'utf8').split('\n').findIndex((l) => l.includes(text)) + 1;

describe('a create-vite .jsx app with only the plugin line', () => {
  it('finds the handler the plugin names, with the update it makes', async () => {
    const root = fixture('vite-jsx/src');
    expect(usesPlugin(root)).toBe(true);
    const { handlers } = await analyzeProject(root);
    expect(handlers.map((h) => h.name)).toEqual(['App.onClick']);
    const h = handlers[0]!;
    const line = lineOf(join(root, 'App.jsx'), 'onClick={() => setCount');
    expect(h).toMatchObject({ kind: 'auto', file: 'App.jsx', line, component: 'App' });
    expect(h.updates).toEqual([
      { setter: 'setCount', file: 'App.jsx', line, transition: false, state: 'count', stateSource: { file: 'App.jsx', line: lineOf(join(root, 'App.jsx'), 'useState(0)') }, action: null, fields: [], via: null },
    ]);
  });
});

describe('a .tsx app with useReducer, dispatch through props and context, and a custom hook', () => {
  let byName: Map<string, HandlerSource>;
  const root = fixture('vite-tsx/src');
  beforeAll(async () => {
    byName = new Map((await analyzeProject(root)).handlers.map((h) => [h.name, h]));
  });

  it('finds every handler, and names each update with its state, action and place', () => {
    expect([...byName.keys()].sort()).toEqual(['App.addTodo', 'App.onChange', 'App.onSubmit', 'TodoItem.onChange', 'Toolbar.onClick', 'useFilter.cycle']);
    // dispatch received as a prop: the reducer's state, the action, the fields its case changes.
    expect(byName.get('TodoItem.onChange')!.updates).toMatchObject([
      { setter: 'dispatch', file: 'TodoItem.tsx', line: lineOf(join(root, 'TodoItem.tsx'), "type: 'toggle'"), state: 'state', action: 'toggle', fields: ['todos'], transition: false, via: null, stateSource: { file: 'App.tsx' } },
    ]);
    // dispatch from context.
    expect(byName.get('Toolbar.onClick')!.updates).toMatchObject([{ setter: 'dispatch', file: 'Toolbar.tsx', state: 'state', action: 'clearDone', fields: ['todos'] }]);
    // A named function: dispatch and a setter; the form handler makes them through it.
    expect(byName.get('App.addTodo')!.updates).toMatchObject([
      { setter: 'dispatch', action: 'add', fields: ['todos', 'nextId'], via: null },
      { setter: 'setText', state: 'text', via: null },
    ]);
    expect(byName.get('App.onSubmit')!.updates.map((u) => [u.setter, u.via])).toEqual([
      ['dispatch', 'App.addTodo'],
      ['setText', 'App.addTodo'],
    ]);
    // A custom hook's function, in a transition.
    expect(byName.get('useFilter.cycle')!.updates).toMatchObject([{ setter: 'setFilter', file: 'useFilter.ts', state: 'filter', transition: true }]);
    expect(byName.get('useFilter.cycle')!).toMatchObject({ kind: 'auto', component: 'useFilter', description: null });
  });

  it('documents them: homeostat docs writes where each update is made', async () => {
    const cwd = await mkdtemp(join(tmpdir(), 'homeostat-apps-'));
    try {
      const io = { out: () => {}, log: () => {}, cwd };
      await mkdir(join(cwd, 'sessions'));
      expect(await docs.run(['--root', root, '--docs', 'docs', '--sessions', 'sessions'], io)).toBe(0);
      const md = await readFile(join(cwd, 'docs', 'HANDLER_SPECS.md'), 'utf8');
      expect(md).toContain('## `TodoItem.onChange`');
      expect(md).toMatch(/`dispatch` → `state\.todos` \(action `toggle`\) at \[TodoItem\.tsx:\d+\]\([^)]*TodoItem\.tsx#L\d+\), blocking/);
      expect(md).toMatch(/`setFilter` → `filter` at \[useFilter\.ts:\d+\]\([^)]*\), in a transition/);
      expect(md).toMatch(/`dispatch` → `state\.todos`, `state\.nextId` \(action `add`\) at \[App\.tsx:\d+\]\([^)]*\), blocking, via `App\.addTodo`/);
    } finally {
      await rm(cwd, { recursive: true, force: true });
    }
  });
});

describe('include / exclude and plugin detection', () => {
  it('reads .jsx by default, honours --include/--exclude, and documents plugin names only when asked or detected', async () => {
    const cwd = await mkdtemp(join(tmpdir(), 'homeostat-inc-'));
    try {
      await mkdir(join(cwd, 'src', 'legacy'), { recursive: true });
      const app = `import { useState } from 'react';\nexport function Form() {\n  const [v, setV] = useState('');\n  return <input value={v} onChange={(e) => setV(e.target.value)} />;\n}\n`;
      await writeFile(join(cwd, 'src', 'Form.jsx'), app);
      await writeFile(join(cwd, 'src', 'legacy', 'Old.jsx'), app.replace('Form', 'Old'));
      expect(usesPlugin(join(cwd, 'src'))).toBe(false);
      expect((await analyzeProject(join(cwd, 'src'))).handlers).toEqual([]);
      const names = async (o: Parameters<typeof analyzeProject>[1]) => (await analyzeProject(join(cwd, 'src'), o)).handlers.map((h) => h.name);
      expect(await names({ plugin: true })).toEqual(['Form.onChange', 'Old.onChange']);
      expect(await names({ plugin: true, exclude: ['legacy/**'] })).toEqual(['Form.onChange']);
      expect(await names({ plugin: true, include: ['legacy/*.jsx'] })).toEqual(['Old.onChange']);
      await writeFile(join(cwd, 'vite.config.js'), `import homeostat from '@homeostat/tools/vite';\nexport default { plugins: [homeostat()] };\n`);
      expect(await names({})).toEqual(['Form.onChange', 'Old.onChange']);
      const io = { out: () => {}, log: () => {}, cwd };
      await mkdir(join(cwd, 'sessions'));
      expect(await docs.run(['--root', 'src', '--docs', 'docs', '--sessions', 'sessions', '--exclude', 'legacy/**'], io)).toBe(0);
      const spec = JSON.parse(await readFile(join(cwd, 'docs', 'homeostat.spec.json'), 'utf8')) as { handlers: Record<string, unknown> };
      expect(Object.keys(spec.handlers)).toEqual(['Form.onChange']);
      await expect(docs.run(['--plugin', '--no-plugin'], io)).rejects.toThrow(/contradict/);
    } finally {
      await rm(cwd, { recursive: true, force: true });
    }
  });
});
