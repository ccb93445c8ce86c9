import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyzeProject, type HandlerSource } from './analyze.ts';

let root: string;

const APP = `import { startTransition, useState, useTransition } from 'react';
import { instrument, sequence, useHandler as named } from 'homeostat/react';
import { slowSum } from './lib.ts';

const sum = instrument('slowSum', slowSum);

export function Panel() {
  const [items, setItems] = useState<number[]>([]);
  const [, setFlag] = useState(false);
  const [pending, start] = useTransition();

  function helper(v: number[]) {
    setItems(v);
  }

  /** Pushes items, blocking. */
  const push = named('push', (next: number[], label?: string) => {
    helper(next);
  });

  const filter = named('filter', (q: string) => {
    startTransition(() => setItems((xs) => xs.filter((x) => String(x).includes(q))));
    start(() => setFlag(true));
    push([]);
  });

  const save = named('save', async (id: number): Promise<boolean> => {
    await fetch('/x' + id);
    return sequence('saveFlow', () => true)();
  });
  return pending ? null : items.length + sum(items);
}
`;

const LIB = `/** Adds numbers, slowly. */
export function slowSum(xs: readonly number[]): number {
  return xs.reduce((a, b) => a + b, 0);
}
`;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'homeostat-analyze-'));
  await mkdir(join(root, 'src'));
  await writeFile(join(root, 'src', 'Panel.tsx'), APP);
  await writeFile(join(root, 'src', 'lib.ts'), LIB);
  await writeFile(join(root, 'src', 'Panel.test.tsx'), `import { instrument } from 'homeostat';\ninstrument('ignored', () => 1);\n`);
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('analyzeProject', () => {
  let byName: Map<string, HandlerSource>;
  beforeAll(async () => {
    const result = await analyzeProject(root, { plugin: false });
    byName = new Map(result.handlers.map((h) => [h.name, h]));
  });

  it('finds every handler named through the wrappers (also renamed imports), skipping tests', () => {
    expect([...byName.keys()]).toEqual(['filter', 'push', 'save', 'saveFlow', 'slowSum']);
    expect(byName.get('push')!.kind).toBe('useHandler');
    expect(byName.get('slowSum')!.kind).toBe('instrument');
    expect(byName.get('saveFlow')!.kind).toBe('sequence');
  });

  it('records location, signature, parameters, return type and async-ness', () => {
    const push = byName.get('push')!;
    expect(push.file).toBe('src/Panel.tsx');
    expect(APP.split('\n')[push.line - 1]!.slice(push.column - 1)).toMatch(/^named\('push'/);
    expect(push.params).toEqual([
      { name: 'next', type: 'number[]' },
      { name: 'label?', type: 'string' },
    ]);
    expect(push.returns).toBe('void');
    expect(push.async).toBe(false);
    const save = byName.get('save')!;
    expect(save.async).toBe(true);
    expect(save.returns).toBe('Promise<boolean>');
    expect(save.signature).toBe('async (id: number) => Promise<boolean>');
  });

  it('takes JSDoc from the declaring statement or the wrapped function, and the enclosing component', () => {
    expect(byName.get('push')!.description).toBe('Pushes items, blocking.');
    expect(byName.get('push')!.component).toBe('Panel');
    const slow = byName.get('slowSum')!;
    expect(slow.description).toBe('Adds numbers, slowly.');
    expect(slow.component).toBeNull();
    expect(slow.definition).toEqual({ file: 'src/lib.ts', line: 2 });
    expect(slow.signature).toBe('(xs: readonly number[]) => number');
  });

  it('finds state updates, through same-file helpers, and tells transitions apart', () => {
    const line = (text: string) => APP.split('\n').findIndex((l) => l.includes(text)) + 1;
    expect(byName.get('push')!.updates).toEqual([
      { setter: 'setItems', line: line('setItems(v)'), transition: false, file: 'src/Panel.tsx', state: 'items', stateSource: { file: 'src/Panel.tsx', line: line('useState<number[]>') }, action: null, fields: [], via: null },
    ]);
    // startTransition and useTransition's start both count; push() is another handler, not followed.
    expect(byName.get('filter')!.updates).toMatchObject([
      { setter: 'setItems', line: line('startTransition('), transition: true, state: 'items' },
      { setter: 'setFlag', line: line('start(() => setFlag'), transition: true, state: null },
    ]);
    expect(byName.get('save')!.updates).toEqual([]);
  });
});
