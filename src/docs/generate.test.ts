import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { checkSpec } from '../core/check/index.ts';
import { makeSessionFile } from '../core/__tests__/fixtures.ts';
import type { ProjectAnalysis } from './analyze.ts';
import { DocsFormatError } from './errors.ts';
import { generateDocs, readDocs } from './generate.ts';

const analysis: ProjectAnalysis = {
  root: '/app/src',
  handlers: [
    { name: 'renderReact', file: 'App.tsx', line: 12, column: 3, kind: 'useHandler', signature: '(items: Item[]) => void', params: [{ name: 'items', type: 'Item[]' }], returns: 'void', async: false, description: 'Pushes results into the view.', component: 'App', updates: [{ setter: 'setResults', line: 13, transition: false, file: 'App.tsx', state: 'results', fields: [], action: null, via: null }], definition: null },
    { name: 'search', file: 'App.tsx', line: 20, column: 3, kind: 'useHandler', signature: '(q: string) => void', params: [{ name: 'q', type: 'string' }], returns: 'void', async: false, description: null, component: 'App', updates: [], definition: null },
  ],
};

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'homeostat-docs-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function snapshotDir(): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const f of (await readdir(dir)).sort()) out[f] = await readFile(join(dir, f), 'utf8');
  return out;
}

async function edit(file: string, from: string | RegExp, to: string): Promise<void> {
  const path = join(dir, file);
  const text = await readFile(path, 'utf8');
  const next = text.replace(from, to);
  expect(next).not.toBe(text);
  await writeFile(path, next);
}

const generate = (seed: number, n = 40) => generateDocs({ root: '/app/src', docsDir: dir, sessions: [makeSessionFile(n, seed)], analysis, app: 'test' });

describe('generateDocs', () => {
  it('writes the four markdown files and a spec that agree, deterministically', async () => {
    const { files, spec } = await generate(1);
    expect(files.map((f) => f.slice(dir.length + 1))).toEqual(['HANDLER_SPECS.md', 'SEQUENCE_FLOWS.md', 'PERFORMANCE.md', 'ERRORS.md', 'homeostat.spec.json']);
    const first = await snapshotDir();
    await generate(1);
    expect(await snapshotDir()).toEqual(first);
    expect(spec.handlers.renderReact!.baseline!.n).toBe(40);
    expect(spec.handlers.renderReact!.source).toEqual({ file: expect.stringMatching(/App\.tsx$/), line: 12 });
    expect(spec.sequences['input:search']!.handlers).toEqual(['search', 'renderReact']);
    const md = first['HANDLER_SPECS.md']!;
    expect(md).toContain('## `renderReact`');
    expect(md).toContain('- **Signature:** `(items: Item[]) => void`');
    // Where the update is made, linked from the docs, and the state it changes.
    expect(md).toMatch(/`setResults` → `results` at \[App\.tsx:13\]\([^)]*App\.tsx#L13\), blocking/);
    // Every variant from the trigger, each edge with its runs.
    expect(first['SEQUENCE_FLOWS.md']).toContain('start(("40 runs"))\n  n0["search"]\n  n1["renderReact"]\n  start -->|40| n0\n  n0 -->|40| n1');
    expect(first['ERRORS.md']).toMatch(/`renderReact` \| TypeError \| `x is undefined` \| \d+/);
    // No temporary files are left behind.
    expect(Object.keys(first).every((f) => !f.endsWith('.tmp'))).toBe(true);
    expect(await readDocs(dir)).toEqual(spec);
  });

  it('keeps budgets, tolerances and human regions people wrote across regeneration with new telemetry', async () => {
    await generate(1);
    const note = 'Owned by the search team.\n\n  Indented line, kept *verbatim*. `code`';
    await edit('HANDLER_SPECS.md', '<!-- homeostat:human handler=renderReact -->\n', `<!-- homeostat:human handler=renderReact -->\n${note}\n`);
    await edit('HANDLER_SPECS.md', /(## `renderReact`[\s\S]*?)- \*\*Budget:\*\* none/, '$1- **Budget:** p95 blocking ≤ 5 ms');
    await edit('HANDLER_SPECS.md', /(## `renderReact`[\s\S]*?)- \*\*Tolerance:\*\* default \(±20%\)/, '$1- **Tolerance:** ±10%');
    await edit('HANDLER_SPECS.md', '<!-- homeostat:human notes -->\n', '<!-- homeostat:human notes -->\nGeneral notes.\n');
    await edit('SEQUENCE_FLOWS.md', /(## `input:search`[\s\S]*?)- \*\*Budget:\*\* none/, '$1- **Budget:** p95 ≤ 100 ms');
    await edit('PERFORMANCE.md', '<!-- homeostat:human notes -->\n', '<!-- homeostat:human notes -->\nPerf notes.\n');

    // The edited markdown is read back before regeneration…
    const edited = await readDocs(dir);
    expect(edited.handlers.renderReact!.budget).toEqual({ metric: 'blocking', stat: 'p95', ms: 5 });
    expect(edited.handlers.renderReact!.tolerance).toBeCloseTo(0.1);
    expect(edited.sequences['input:search']!.budget).toEqual({ stat: 'p95', ms: 100 });

    // …and survives regeneration from different telemetry, in the markdown and in the JSON.
    const { spec } = await generate(2, 60);
    const after = await snapshotDir();
    expect(after['HANDLER_SPECS.md']).toContain(`<!-- homeostat:human handler=renderReact -->\n${note}\n<!-- /homeostat:human -->`);
    expect(after['HANDLER_SPECS.md']).toContain('<!-- homeostat:human notes -->\nGeneral notes.\n<!-- /homeostat:human -->');
    expect(after['HANDLER_SPECS.md']).toContain('- **Budget:** p95 blocking ≤ 5 ms');
    expect(after['HANDLER_SPECS.md']).toContain('- **Tolerance:** ±10%');
    expect(after['PERFORMANCE.md']).toContain('Perf notes.');
    expect(after['SEQUENCE_FLOWS.md']).toContain('- **Budget:** p95 ≤ 100 ms');
    expect(spec.handlers.renderReact!.budget).toEqual({ metric: 'blocking', stat: 'p95', ms: 5 });
    expect(spec.handlers.renderReact!.baseline!.n).toBe(60);
    expect(JSON.parse(after['homeostat.spec.json']!).handlers.renderReact.tolerance).toBeCloseTo(0.1);
    expect(await readDocs(dir)).toEqual(spec);
    // The docs show the verdict the checker reaches with that budget.
    expect(after['HANDLER_SPECS.md']).toMatch(/- \*\*Status:\*\* over budget: p95 blocking is/);
    expect(checkSpec(spec, [makeSessionFile(60, 3)]).handlers.find((h) => h.name === 'renderReact')!.status).toBe('over-budget');
  });

  it('lets the markdown budget line win over the JSON when they disagree', async () => {
    await generate(1);
    await edit('HANDLER_SPECS.md', /(## `search`[\s\S]*?)- \*\*Budget:\*\* none/, '$1- **Budget:** mean duration ≤ 2 ms');
    const json = JSON.parse(await readFile(join(dir, 'homeostat.spec.json'), 'utf8'));
    json.handlers.search.budget = { metric: 'paint', stat: 'p99', ms: 100 };
    await writeFile(join(dir, 'homeostat.spec.json'), JSON.stringify(json, null, 2));
    expect((await readDocs(dir)).handlers.search!.budget).toEqual({ metric: 'duration', stat: 'mean', ms: 2 });
    const { spec } = await generate(1);
    expect(spec.handlers.search!.budget).toEqual({ metric: 'duration', stat: 'mean', ms: 2 });
  });

  it('keeps the notes of a handler that disappeared, and its budget', async () => {
    await generate(1);
    await edit('HANDLER_SPECS.md', '<!-- homeostat:human handler=search -->\n', '<!-- homeostat:human handler=search -->\nWhy search matters.\n');
    await edit('HANDLER_SPECS.md', /(## `renderReact`[\s\S]*?)- \*\*Budget:\*\* none/, '$1- **Budget:** p50 blocking ≤ 30 ms');
    const { spec } = await generateDocs({ root: '/app/src', docsDir: dir, sessions: [], analysis: { root: '/app/src', handlers: [] }, app: 'test' });
    const md = await readFile(join(dir, 'HANDLER_SPECS.md'), 'utf8');
    expect(md).toContain('## Notes kept from earlier versions');
    expect(md).toContain('<!-- homeostat:human handler=search -->\nWhy search matters.\n<!-- /homeostat:human -->');
    // renderReact has a human budget: it stays documented (and unseen), with its old baseline.
    expect(Object.keys(spec.handlers)).toEqual(['renderReact']);
    expect(spec.handlers.renderReact!.baseline!.n).toBe(40);
  });
});

describe('malformed docs', () => {
  /** Generates valid docs, breaks them with `mutate` (which returns the line the error must name), then regenerates. */
  async function expectRejected(mutate: () => Promise<number>, file: string, message: RegExp) {
    await generate(1);
    const line = await mutate();
    const before = await snapshotDir();
    const error = await generate(2, 50).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(DocsFormatError);
    const e = error as DocsFormatError;
    expect(e.file).toBe(join(dir, file));
    expect(e.line).toBe(line);
    expect(e.message).toMatch(message);
    expect(e.message.startsWith(`${join(dir, file)}:${line}: `)).toBe(true);
    // Nothing was overwritten, nothing half-written was left.
    expect(await snapshotDir()).toEqual(before);
    await expect(readDocs(dir)).rejects.toThrow(DocsFormatError);
  }

  const lineOf = async (file: string, text: string) => (await readFile(join(dir, file), 'utf8')).split('\n').findIndex((l) => l.includes(text)) + 1;

  it('rejects an unreadable budget line, naming file and line', async () => {
    await expectRejected(
      async () => {
        await edit('HANDLER_SPECS.md', /(## `search`[\s\S]*?)- \*\*Budget:\*\* none/, '$1- **Budget:** p95 blockng <= 5ms');
        return lineOf('HANDLER_SPECS.md', 'p95 blockng');
      },
      'HANDLER_SPECS.md',
      /cannot read the budget "p95 blockng <= 5ms"/,
    );
  });

  it('rejects an unclosed human region at the line it opens', async () => {
    await expectRejected(
      async () => {
        const path = join(dir, 'ERRORS.md');
        const lines = (await readFile(path, 'utf8')).split('\n');
        const open = lines.indexOf('<!-- homeostat:human notes -->');
        lines.splice(lines.indexOf('<!-- /homeostat:human -->', open), 1);
        await writeFile(path, lines.join('\n'));
        return open + 1;
      },
      'ERRORS.md',
      /region "notes" is never closed/,
    );
  });

  it('rejects spec JSON with a syntax error at its line', async () => {
    await expectRejected(
      async () => {
        await edit('homeostat.spec.json', '"minSamples": 20,', '"minSamples": 20,,');
        return lineOf('homeostat.spec.json', '"minSamples"');
      },
      'homeostat.spec.json',
      /not valid JSON/,
    );
  });

  it('rejects a spec field of the wrong shape at the line of that field', async () => {
    await expectRejected(
      async () => {
        await edit('homeostat.spec.json', /("renderReact": \{\n\s*"budget": )null/, '$1{ "metric": "cpu", "stat": "p95", "ms": 5 }');
        return lineOf('homeostat.spec.json', '"metric": "cpu"');
      },
      'homeostat.spec.json',
      /handlers\.renderReact\.budget\.metric/,
    );
  });
});

describe('the committed demo docs', () => {
  it('read back with the human interaction budget on renderReact, agreeing with the markdown', async () => {
    const demoDocs = join(import.meta.dirname, '..', 'demo', 'docs');
    const spec = await readDocs(demoDocs);
    expect(spec.app).toBe('homeostat-demo');
    expect(spec.handlers.renderReact!.budget).toEqual({ metric: 'interaction', stat: 'p95', ms: 100 });
    // The JSON was regenerated after the edit, so it agrees with the markdown byte for byte.
    const json = JSON.parse(await readFile(join(demoDocs, 'homeostat.spec.json'), 'utf8'));
    expect(json).toEqual(spec);
    expect(Object.keys(spec.handlers).sort()).toEqual(
      // App.*: named by the build plugin, the rest by hand.
      ['App.confirmOrder', 'App.handleSort', 'App.removeFromCart', 'CartPanel.onClick', 'addToCart', 'applyFilters', 'checkout', 'computeFacets', 'handleSearchInput', 'parseQuery', 'renderReact'],
    );
  });
});

describe('names that are not identifiers', () => {
  it('a newline, markup or marker syntax in a handler name never splits a region, injects HTML or breaks the next run', async () => {
    const names = ['split\nme', '<script>alert(1)</script>', 'x --> <!-- /homeostat:human -->', 'tick`tock|pipe'];
    const base = makeSessionFile(30, 7);
    const calls = names.flatMap((handler, k) => base.calls.slice(0, 30).map((c, i) => ({ ...c, id: 10_000 + k * 100 + i, handler, sequence: 0 })));
    const session = { ...base, calls: [...base.calls, ...calls] };
    await generateDocs({ root: '/app/src', docsDir: dir, sessions: [session], analysis, app: 'test' });
    const md = await readFile(join(dir, 'HANDLER_SPECS.md'), 'utf8');
    expect(md).not.toContain('<script');
    expect(md).not.toContain('split\nme');
    // Every marker line is whole: as many openings as closings, one region per handler plus notes.
    expect(md.match(/^<!-- homeostat:human .+ -->$/gm)).toHaveLength(names.length + 2 + 1);
    expect(md.match(/^<!-- \/homeostat:human -->$/gm)).toHaveLength(names.length + 2 + 1);
    // A person edits the region of the name with a newline; the next run keeps it and check still works.
    await writeFile(join(dir, 'HANDLER_SPECS.md'), md.replace('<!-- homeostat:human handler=split%0Ame -->\n', '<!-- homeostat:human handler=split%0Ame -->\nkept\n'));
    await generateDocs({ root: '/app/src', docsDir: dir, sessions: [session], analysis, app: 'test' });
    expect(await readFile(join(dir, 'HANDLER_SPECS.md'), 'utf8')).toContain('handler=split%0Ame -->\nkept\n');
    const spec = await readDocs(dir);
    expect(Object.keys(spec.handlers)).toEqual(expect.arrayContaining(names));
    const report = checkSpec(spec, [session]);
    for (const n of names) expect(report.handlers.find((h) => h.name === n)?.status).toBe('ok');
    const flows = await readFile(join(dir, 'SEQUENCE_FLOWS.md'), 'utf8');
    expect(flows).not.toContain('<script');
  });
});
