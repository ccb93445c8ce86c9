import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { diffLines } from 'diff';
import { describe, expect, it } from 'vitest';
import { demoSession } from '../core/__tests__/demo-shape.ts';
import { testDir } from '../test-support/tmp.ts';
import type { HandlerSource, ProjectAnalysis } from './analyze.ts';
import { generateDocs, readDocs } from './generate.ts';
import { cells, spliceRows, splitSections, joinSections } from './partial.ts';

const source = (name: string, line: number, patch: Partial<HandlerSource> = {}): HandlerSource => ({
  name, file: 'App.tsx', line, column: 3, kind: 'useHandler', signature: '() => void', params: [], returns: 'void', async: false, description: null, component: 'App', updates: [], definition: null, ...patch,
});
/** The demo's handlers; `shift` moves the ones below line 30 down, as a patch adding lines above them would. */
const analysis = (shift = 0): ProjectAnalysis => ({
  root: '/app/src',
  handlers: [
    source('computeFacets', 20, { kind: 'instrument', component: null }),
    source('parseQuery', 21, { kind: 'instrument', component: null }),
    source('renderReact', 35, { updates: [{ setter: 'setResults', line: 36, transition: false, file: 'App.tsx', state: 'results', fields: [], action: null, via: null }] }),
    source('handleSearchInput', 40 + shift, { updates: [{ setter: 'setQuery', line: 41 + shift, transition: false, file: 'App.tsx', state: 'query', fields: [], action: null, via: null }] }),
    source('measureRows', 9, { file: 'Rows.tsx', kind: 'instrument', component: null }),
  ],
});
const blocking = [1, 2].map((seed) => demoSession({ renderMs: 300, mode: 'blocking', n: 20 }, seed));
const transition = [3, 4].map((seed) => demoSession({ renderMs: 300, mode: 'transition', n: 20 }, seed));
/** The same flow on a build where `renderReact` is fixed, on a busier machine: every other number moved too. */
const fixedBusier = transition.map((s) => ({ ...s, calls: s.calls.map((c) => (c.handler === 'renderReact' ? c : { ...c, duration: c.duration * 1.7, blockingMs: c.blockingMs * 1.7 })) }));

const FILES = ['HANDLER_SPECS.md', 'SEQUENCE_FLOWS.md', 'PERFORMANCE.md', 'ERRORS.md'];
const read = async (dir: string) => Object.fromEntries(await Promise.all(FILES.map(async (f) => [f, await readFile(join(dir, f), 'utf8')] as const)));
const changed = (a: string, b: string) => diffLines(a, b).filter((p) => p.added || p.removed).flatMap((p) => p.value.split('\n').filter(Boolean));

describe('re-baselining one handler', () => {
  it('changes its section, its rows and its sequences, and leaves every other handler as it was', async () => {
    const dir = await testDir('homeostat-rebaseline-');
    await generateDocs({ root: '/app/src', docsDir: dir, sessions: blocking, analysis: analysis(), app: 't' });
    // What people wrote, including a heading and a table of their own inside a human region.
    const human = '## Our notes\n| not | a generated table |\n| --- | --- |\n| renderReact | is ours |';
    const md = await readFile(join(dir, 'HANDLER_SPECS.md'), 'utf8');
    await writeFile(join(dir, 'HANDLER_SPECS.md'), md.replace('<!-- homeostat:human handler=renderReact -->\n', `<!-- homeostat:human handler=renderReact -->\n${human}\n`));
    const before = await read(dir);
    const specBefore = await readDocs(dir);

    const { regenerated, spec } = await generateDocs({ root: '/app/src', docsDir: dir, sessions: fixedBusier, analysis: analysis(2), app: 't', only: ['renderReact'] });
    const after = await read(dir);
    expect(regenerated).toEqual({ handlers: ['renderReact'], sequences: ['input:handleSearchInput'] });

    // The spec: renderReact re-baselined, everybody else's baseline byte for byte, moved code followed.
    expect(spec.handlers['renderReact']!.baseline!.transitionShare).toBe(1);
    for (const name of ['computeFacets', 'parseQuery', 'handleSearchInput', 'measureRows']) {
      expect(spec.handlers[name]!.baseline, name).toEqual(specBefore.handlers[name]!.baseline);
    }
    expect(spec.handlers['handleSearchInput']!.source!.line).toBe(42);
    expect(spec.sequences['input:handleSearchInput']!.baseline).not.toEqual(specBefore.sequences['input:handleSearchInput']!.baseline);

    // HANDLER_SPECS.md: other sections unchanged but for the moved source lines.
    const oldS = new Map(splitSections(before['HANDLER_SPECS.md']!).map((s) => [s.heading, s.lines.join('\n')]));
    const newS = new Map(splitSections(after['HANDLER_SPECS.md']!).map((s) => [s.heading, s.lines.join('\n')]));
    expect([...newS.keys()]).toEqual([...oldS.keys()]);
    for (const h of ['## `computeFacets`', '## `parseQuery`', '## `measureRows`']) expect(newS.get(h), h).toBe(oldS.get(h));
    expect(changed(oldS.get('## `handleSearchInput`')!, newS.get('## `handleSearchInput`')!).every((l) => /\*\*(Source|State updates):\*\*/.test(l))).toBe(true);
    expect(newS.get('## `renderReact`')).toContain(human);
    expect(newS.get('## `renderReact`')).toMatch(/Transition share:\*\* 100%/);
    // The summary table: only renderReact's row.
    const head = changed(splitSections(before['HANDLER_SPECS.md']!)[0]!.lines.join('\n'), splitSections(after['HANDLER_SPECS.md']!)[0]!.lines.join('\n'));
    expect(head.length).toBe(2);
    expect(head.every((l) => l.startsWith('| [`renderReact`]'))).toBe(true);

    // SEQUENCE_FLOWS.md: the one sequence renderReact is in (its section and row), nothing else.
    expect(changed(before['SEQUENCE_FLOWS.md']!, after['SEQUENCE_FLOWS.md']!).length).toBeGreaterThan(0);
    const seqOld = splitSections(before['SEQUENCE_FLOWS.md']!);
    const seqNew = splitSections(after['SEQUENCE_FLOWS.md']!);
    expect(seqNew.map((s) => s.heading)).toEqual(seqOld.map((s) => s.heading));

    // PERFORMANCE.md: renderReact's and its sequence's rows only, ranks renumbered.
    for (const l of changed(before['PERFORMANCE.md']!, after['PERFORMANCE.md']!)) {
      expect(l, l).toMatch(/`renderReact`|`input:handleSearchInput`|^\| \d+ \| `/);
    }
    // ERRORS.md: parseQuery's errors were not re-observed, so they stay.
    expect(after['ERRORS.md']).toBe(before['ERRORS.md']);

    // The whole change is small; a full regeneration from the same sessions re-baselines everyone.
    const total = FILES.reduce((n, f) => n + changed(before[f]!, after[f]!).length, 0);
    await generateDocs({ root: '/app/src', docsDir: dir, sessions: fixedBusier, analysis: analysis(2), app: 't' });
    const full = await read(dir);
    const fullTotal = FILES.reduce((n, f) => n + changed(before[f]!, full[f]!).length, 0);
    expect(total).toBeLessThan(fullTotal / 2);
    expect((await readDocs(dir)).handlers['computeFacets']!.baseline).not.toEqual(specBefore.handlers['computeFacets']!.baseline);
  });

  it('is idempotent and keeps the human text of every section', async () => {
    const dir = await testDir('homeostat-rebaseline-');
    await generateDocs({ root: '/app/src', docsDir: dir, sessions: blocking, analysis: analysis(), app: 't' });
    await generateDocs({ root: '/app/src', docsDir: dir, sessions: transition, analysis: analysis(), app: 't', only: ['renderReact'] });
    const once = await read(dir);
    await generateDocs({ root: '/app/src', docsDir: dir, sessions: transition, analysis: analysis(), app: 't', only: ['renderReact'] });
    expect(await read(dir)).toEqual(once);
  });

  it('takes a handler whose errors changed out of ERRORS.md, and says so when no error is left', async () => {
    const dir = await testDir('homeostat-rebaseline-');
    await generateDocs({ root: '/app/src', docsDir: dir, sessions: blocking, analysis: analysis(), app: 't' });
    expect(await readFile(join(dir, 'ERRORS.md'), 'utf8')).toContain('`parseQuery`');
    const fixed = blocking.map((s) => ({ ...s, calls: s.calls.map((c) => (c.handler === 'parseQuery' ? { ...c, error: null, outcome: 'ok' as const } : c)) }));
    await generateDocs({ root: '/app/src', docsDir: dir, sessions: fixed, analysis: analysis(), app: 't', only: ['parseQuery'] });
    const errors = await readFile(join(dir, 'ERRORS.md'), 'utf8');
    expect(errors).not.toContain('`parseQuery`');
    expect(errors).toContain('No errors were recorded.');
  });
});

describe('splicing table rows', () => {
  const row = (...c: string[]) => `| ${c.join(' | ')} |`;
  it('places a ranked row by its value and renumbers, leaving the others in their order', () => {
    const old = [row('1', '`a`', '900', '50%'), row('2', '`b`', '600', '33%'), row('3', '`c`', '300', '17%')];
    const fresh = [row('1', '`b`', '10', '100%')];
    const out = spliceRows(old, fresh, { keyCol: 1, targets: new Set(['b']), rankedBy: 2, rankCol: 0, shareCol: 3 });
    expect(out.map((r) => cells(r).slice(0, 3).join(' '))).toEqual(['1 `a` 900', '2 `c` 300', '3 `b` 10']);
    expect(cells(out[2]!)[3]).toBe('0.8%');
    expect(out[0]).toBe(row('1', '`a`', '900', '50%'));
  });
  it('inserts a new subject where the new table has it, and splits cells on unescaped pipes only', () => {
    const out = spliceRows([row('`a`', '1'), row('`c`', '3')], [row('`a`', '9'), row('`b`', '2'), row('`c`', '9')], { keyCol: 0, targets: new Set(['b']) });
    expect(out).toEqual([row('`a`', '1'), row('`b`', '2'), row('`c`', '3')]);
    expect(cells('| `x` | a \\| b | c |')).toEqual(['`x`', 'a \\| b', 'c']);
  });
  it('splits and joins a file losslessly', () => {
    const text = '# T\n\nhead\n\n## `a`\n\n<!-- homeostat:human x -->\n## not a section\n<!-- /homeostat:human -->\n\n## `b`\nend\n';
    const s = splitSections(text);
    expect(s.map((x) => x.heading)).toEqual(['', '## `a`', '## `b`']);
    expect(joinSections(s)).toBe(text);
  });
});
