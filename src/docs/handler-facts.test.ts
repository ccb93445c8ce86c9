import { mkdtemp, mkdir, rm, writeFile, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeCall, makeMeta } from '../core/__tests__/fixtures.ts';
import { SESSION_FORMAT, SESSION_VERSION, type SessionFile } from '../core/session.ts';
import { analyzeProject, type HandlerSource } from './analyze.ts';
import { generateDocs } from './generate.ts';

const APP = `import { Component, useState, type ReactNode } from 'react';
import { instrument, useHandler } from 'homeostat/react';
import { Row } from './Row.tsx';

const measure = instrument('measure', (xs: number[]) => xs.length);

export class Guard extends Component<{ children: ReactNode }, { failed: boolean }> {
  state = { failed: false };
  static getDerivedStateFromError() {
    return { failed: true };
  }
  render() {
    return this.props.children;
  }
}

export function App() {
  const [error, setError] = useState<string | null>(null);
  const [items, setItems] = useState<number[]>([]);
  const size = measure(items);

  const show = useHandler('show', (xs: number[]) => setItems(xs));

  /**
   * Reads the search box.
   * @param e - the change event of the search box
   */
  const onSearch = useHandler('onSearch', (e: { target: { value: string } }) => {
    try {
      show(JSON.parse(e.target.value));
    } catch {
      setError('Not a list');
      return;
    }
    setError(null);
  });

  const add = useHandler('add', (id: number) => setItems((xs) => [...xs, id]));

  return (
    <div>
      <input aria-label="Search" onChange={onSearch} />
      {error && <p role="alert">{error}</p>}
      <Row onPick={add} />
      {size}
    </div>
  );
}

export function Root() {
  return (
    <Guard>
      <App />
    </Guard>
  );
}
`;

const ROW = `export function Row({ onPick }: { onPick: (id: number) => void }) {
  return <button type="button" aria-label={\`Pick \${1}\`} onClick={() => onPick(1)}>Pick</button>;
}
`;

const FLOW = {
  format: 'homeostat.recording',
  version: 1,
  title: 'Search shows an alert',
  steps: [
    { type: 'navigate', url: '/' },
    { type: 'fill', target: { selectors: [{ label: 'Search' }] }, value: '[', description: 'a bad list' },
    { type: 'expectText', text: 'Not a list', target: { selectors: [{ role: 'alert' }] }, description: 'the alert says so' },
    { type: 'click', target: { selectors: [{ role: 'button', name: 'Pick' }] } },
  ],
};

const SPEC = `import { test, expect } from '@playwright/test';
test('onSearch keeps the input responsive', async () => {
  expect(await interaction('onSearch')).toBeLessThan(200);
});
`;

let dir: string;
let byName: Map<string, HandlerSource>;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'homeostat-facts-'));
  await mkdir(join(dir, 'src'));
  await mkdir(join(dir, 'flows'));
  await mkdir(join(dir, 'e2e'));
  await writeFile(join(dir, 'package.json'), '{"name":"facts"}\n');
  await writeFile(join(dir, 'src', 'App.tsx'), APP);
  await writeFile(join(dir, 'src', 'Row.tsx'), ROW);
  await writeFile(join(dir, 'flows', 'search.json'), JSON.stringify(FLOW));
  await writeFile(join(dir, 'e2e', 'search.spec.ts'), SPEC);
  const analysis = await analyzeProject(join(dir, 'src'), { plugin: false });
  byName = new Map(analysis.handlers.map((h) => [h.name, h]));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const line = (text: string, needle: string) => text.split('\n').findIndex((l) => l.includes(needle)) + 1;

describe('handler relations from the code', () => {
  it('routes an event to the element, also through a callback prop into another component', () => {
    expect(byName.get('onSearch')!.routes).toEqual([{ event: 'onChange', element: '<input aria-label="Search">', component: 'App', file: 'App.tsx', line: line(APP, 'onChange={onSearch}'), via: [] }]);
    expect(byName.get('add')!.routes).toEqual([{ event: 'onClick', element: '<button aria-label="Pick …" type="button">', component: 'Row', file: 'Row.tsx', line: 2, via: ['Row.onPick'] }]);
  });

  it('reads @param text, the handlers called, render-time calls, the catch and what it shows, and the boundary above', () => {
    const s = byName.get('onSearch')!;
    expect(s.params).toEqual([{ name: 'e', type: '{ target: { value: string } }', description: 'the change event of the search box' }]);
    expect(s.calls).toEqual(['show']);
    expect(byName.get('measure')!.renderTime).toBe(true);
    expect(s.renderTime).toBe(false);
    expect(s.errorHandling!.catches).toEqual([
      { file: 'App.tsx', line: line(APP, '} catch {'), sets: ['error'], shows: [{ element: '<p role="alert">', file: 'App.tsx', line: line(APP, 'role="alert"') }], messages: ['Not a list'], rethrows: false },
    ]);
    expect(s.errorHandling!.boundaries).toEqual([{ name: 'Guard', file: 'App.tsx', line: line(APP, 'class Guard') }]);
  });
});

describe('handler sections in HANDLER_SPECS.md', () => {
  it('carry routing, parameters, dependencies, error handling, tests and flows, optimisation notes, and a coverage report', async () => {
    const calls = Array.from({ length: 12 }, (_, i) => makeCall({ id: i + 1, handler: 'onSearch', start: i * 100 }));
    const session: SessionFile = { format: SESSION_FORMAT, version: SESSION_VERSION, session: makeMeta('s1', { source: 'replay' }), calls, sequences: [], commits: [], vitals: [], frames: [], events: [], truncated: { calls: 0, sequences: 0, commits: 0 } };
    const analysis = await analyzeProject(join(dir, 'src'), { plugin: false });
    const { coverage } = await generateDocs({ root: join(dir, 'src'), docsDir: join(dir, 'docs'), sessions: [session], analysis, app: 'facts' });
    const md = await readFile(join(dir, 'docs', 'HANDLER_SPECS.md'), 'utf8');
    const section = md.slice(md.indexOf('## `onSearch`'), md.indexOf('## `show`'));
    expect(section).toContain('`onChange` on `<input aria-label="Search">` in `App` at [App.tsx:');
    expect(section).toContain('`e: { target: { value: string } }`: the change event of the search box');
    expect(section).toContain('- **Dependencies:** calls `show`; called by no other handler');
    expect(section).toMatch(/the user sees `<p role="alert">` at \[App\.tsx:\d+\]\([^)]*\) \(“Not a list”\)/);
    expect(section).toContain('error boundaries above `App`: `Guard`');
    expect(section).toMatch(/flow \[Search shows an alert\]\(\.\.\/flows\/search\.json\) \(step 2\); asserts “the alert says so”/);
    expect(section).toMatch(/test \[search\.spec\.ts\]\(\.\.\/e2e\/search\.spec\.ts\): onSearch keeps the input responsive/);
    expect(section).toContain('- **Optimisation notes:**');
    // The callee inherits its caller's flow; the catch that handles its errors is named.
    const show = md.slice(md.indexOf('## `show`'));
    expect(show).toContain('called by `onSearch`');
    expect(show).toMatch(/through `onSearch`/);
    expect(show).toMatch(/what it throws reaches `onSearch`'s catch/);
    const row = coverage.handlers.find((h) => h.name === 'onSearch')!;
    expect(row.items).toEqual({ routing: 'yes', parameters: 'yes', dependencies: 'yes', errors: 'yes', tests: 'yes', optimisation: 'yes' });
    expect(coverage.handlers.find((h) => h.name === 'add')!.items.parameters).toBe('missing');
    expect(md).toContain('### Docs coverage');
  });
});
