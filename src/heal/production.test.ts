/**
 * Production confirms a shipped fix: synthetic sessions of the build before and after it (the
 * collector's file exporter output, read back like `--field`), decided per fixed handler, written
 * into the docs (one generated line; every other byte kept) and into the fix's history entry.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadBuilds } from '../field/by-build.ts';
import { PRODUCTION_CLOSE, PRODUCTION_OPEN } from '../docs/render-production.ts';
import { syntheticJsonLines, type SyntheticBuild } from '../test-support/field-builds.ts';
import { emptyHistory, readHistory, ruleSuccess, writeHistory, type History, type Outcome } from './history.ts';
import { confirmFixes, recordConfirmations } from './production.ts';

const dir = mkdtempSync(join(tmpdir(), 'homeostat-confirm-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function outcome(handler: string, rule: Outcome['rule'], branch: string, measured: number): Outcome {
  return {
    date: '2026-12-01T10:00:00.000Z',
    id: `${rule}:${handler}`,
    rule,
    handler,
    verdict: 'improved',
    predictedChange: -0.8,
    measuredChange: measured - 1,
    metrics: [{ key: `${handler}:p95:interaction`, label: `${handler} interaction, per call`, role: 'primary', predicted: 0.2, measured, low: measured * 0.8, high: measured * 1.2 }],
    branch,
  };
}

const history = (): History => ({ ...emptyHistory(), outcomes: [outcome('renderReact', 'blocking-update', 'homeostat/fix-renderReact', 0.23), outcome('computeFacets', 'repeated-computation', 'homeostat/fix-computeFacets', 0.5)] });

/** Baseline: renderReact slow, computeFacets moderate. The fix build: renderReact fast, computeFacets unchanged (its "fix" does nothing in the field). */
const baseline = (sessions: number, seed: number): SyntheticBuild => ({ build: 'b1', sessions, seed, handlers: { renderReact: { interactionMs: 430 }, computeFacets: { interactionMs: 90 }, addTodo: { interactionMs: 30 } } });
const fixed = (sessions: number, seed: number): SyntheticBuild => ({ build: 'b2', sessions, seed, handlers: { renderReact: { interactionMs: 95 }, computeFacets: { interactionMs: 90 }, addTodo: { interactionMs: 30 } } });

async function field(name: string, builds: SyntheticBuild[]) {
  const file = join(dir, `${name}.jsonl`);
  writeFileSync(file, syntheticJsonLines(builds));
  return loadBuilds([file], dir, ['b1', 'b2']);
}

const SPECS = [
  '# Handler specs',
  '',
  '<!-- homeostat:human notes -->',
  'Team notes, with trailing spaces   ',
  '<!-- /homeostat:human -->',
  '',
  '## `computeFacets`',
  '',
  '<!-- homeostat:human handler=computeFacets -->',
  '<!-- /homeostat:human -->',
  '',
  '- **Budget:** none',
  '- **Status:** ok',
  '',
  '## `renderReact`',
  '',
  '<!-- homeostat:human handler=renderReact -->',
  'Why this handler matters (ours).',
  '<!-- /homeostat:human -->',
  '',
  '- **Budget:** p95 interaction ≤ 200 ms',
  '- **Status:** over budget',
  '',
  'Baseline: n=40.',
  '',
].join('\n');

describe('homeostat confirm', () => {
  it('confirms the renderReact fix with numbers, refutes a fix that does nothing in the field, and writes both into docs and history', async () => {
    const f = await field('main', [baseline(300, 1), fixed(300, 2)]);
    expect(f.builds.get('b1')!.sessions).toHaveLength(300);
    const fixes = confirmFixes({ field: f, before: 'b1', after: 'b2', history: history() });
    const byHandler = new Map(fixes.map((x) => [x.handler, x]));
    const rr = byHandler.get('renderReact')!;
    expect(rr.verdict).toBe('confirmed');
    expect(rr.sessions).toEqual({ before: 300, after: 300 });
    expect(rr.primary.before!).toBeGreaterThan(500);
    expect(rr.primary.after!).toBeLessThan(200);
    expect(rr.primary.ratio!.high).toBeLessThan(0.9);
    expect(rr.why).toMatch(/^p95 interaction \d+ → \d+ ms \(0\.\d+×, CI/);
    const cf = byHandler.get('computeFacets')!;
    expect(cf.verdict).toBe('refuted');
    expect(cf.primary.ratio!.low).toBeGreaterThan(0.9);
    expect(cf.primary.ratio!.high).toBeLessThan(1.1);

    const docs = join(dir, 'docs');
    const historyPath = join(dir, 'history.json');
    rmSync(docs, { recursive: true, force: true });
    const { mkdirSync } = await import('node:fs');
    mkdirSync(docs);
    writeFileSync(join(docs, 'HANDLER_SPECS.md'), SPECS);
    await writeHistory(historyPath, history());
    const written = await recordConfirmations(fixes, { before: 'b1', after: 'b2', field: f }, { docsDir: docs, historyPath }, '2026-12-03T07:00:00.000Z');
    expect(written).toHaveLength(3);
    const md = readFileSync(join(docs, 'HANDLER_SPECS.md'), 'utf8');
    expect(md).toMatch(/## `renderReact`[\s\S]*- \*\*Status:\*\* over budget\n<!-- homeostat:production -->\n- \*\*Production:\*\* confirmed in production on build b2 \(vs b1\): p95 interaction \d+ → \d+ ms[^\n]*n = 300 \/ 300 sessions/);
    expect(md).toMatch(/## `computeFacets`[\s\S]*- \*\*Production:\*\* not confirmed in production on build b2: no change users feel/);
    // Every byte outside the production lines is what was there.
    const strip = (s: string) => s.replace(new RegExp(`${PRODUCTION_OPEN}\\n[^\\n]*\\n${PRODUCTION_CLOSE.replace(/\//g, '\\/')}\\n`, 'g'), '');
    expect(strip(md)).toBe(SPECS);
    // A second confirmation replaces the line instead of adding one.
    await recordConfirmations(fixes, { before: 'b1', after: 'b2', field: f }, { docsDir: docs, historyPath }, '2026-12-04T07:00:00.000Z');
    const again = readFileSync(join(docs, 'HANDLER_SPECS.md'), 'utf8');
    expect(again.split(PRODUCTION_OPEN)).toHaveLength(3);
    expect(strip(again)).toBe(SPECS);

    const h = await readHistory(historyPath);
    const entry = (handler: string) => h.outcomes.find((o) => o.handler === handler)!;
    expect(entry('renderReact').production).toMatchObject({ verdict: 'confirmed', before: 'b1', after: 'b2', sessions: { before: 300, after: 300 } });
    expect(entry('renderReact').production!.measured!).toBeLessThan(0.5);
    expect(entry('computeFacets').production!.verdict).toBe('refuted');
    // Learning: memoize's locally "improved" fix was refuted in production and no longer counts.
    expect(ruleSuccess(h, 'repeated-computation')).toMatchObject({ tried: 1, improved: 0, refutedInProduction: 1 });
    expect(ruleSuccess(h, 'blocking-update')).toMatchObject({ tried: 1, improved: 1, refutedInProduction: 0 });
    expect(ruleSuccess(h, 'repeated-computation').rate).toBeLessThan(ruleSuccess(history(), 'repeated-computation').rate);
  });

  it('says "not enough field data yet" with how many sessions it needs, unless the few are overwhelming', async () => {
    const few = await field('few', [
      { build: 'b1', sessions: 8, seed: 3, handlers: { computeFacets: { interactionMs: 100 }, renderReact: { interactionMs: 430 } } },
      { build: 'b2', sessions: 8, seed: 4, handlers: { computeFacets: { interactionMs: 80 }, renderReact: { interactionMs: 95 } } },
    ]);
    const fixes = confirmFixes({ field: few, before: 'b1', after: 'b2', history: history() });
    const cf = fixes.find((x) => x.handler === 'computeFacets')!;
    expect(cf.verdict).toBe('not-enough-data');
    expect(cf.needed!).toBeGreaterThan(20);
    expect(cf.why).toMatch(/^not enough field data yet \(8 \/ 8 sessions, need ~\d+ per build\)/);
    const rr = fixes.find((x) => x.handler === 'renderReact')!;
    expect(rr.verdict).toBe('confirmed');
    expect(rr.overwhelming).toBe(true);
  });

  it('names the builds the data holds when one asked for is missing', async () => {
    const f = await field('one', [baseline(5, 9)]);
    expect(() => confirmFixes({ field: f, before: 'b1', after: 'b2', history: history() })).toThrow(/no field data of build b2 .*builds there: b1 \(5 sessions\)/);
  });
});

describe('the production line in regenerated docs', () => {
  it('homeostat docs renders what confirm spliced in, at the same place, human regions kept', async () => {
    const { generateDocs } = await import('../docs/generate.ts');
    const { makeSessionFile } = await import('../core/__tests__/fixtures.ts');
    const docs = join(dir, 'regen');
    const analysis = { root: '/app/src', handlers: [{ name: 'renderReact', file: 'App.tsx', line: 12, column: 3, kind: 'useHandler' as const, signature: '() => void', params: [], returns: 'void', async: false, description: null, component: 'App', updates: [], definition: null }] };
    const generate = () => generateDocs({ root: '/app/src', docsDir: docs, sessions: [makeSessionFile(40, 1)], analysis, app: 'test' });
    await generate();
    const path = join(docs, 'HANDLER_SPECS.md');
    const human = readFileSync(path, 'utf8').replace('<!-- homeostat:human handler=renderReact -->\n', '<!-- homeostat:human handler=renderReact -->\nOurs, kept.\n');
    writeFileSync(path, human);
    const f = await field('regen', [baseline(30, 7), fixed(30, 8)]);
    const fixes = confirmFixes({ field: f, before: 'b1', after: 'b2', history: history(), handlers: ['renderReact'] });
    await recordConfirmations(fixes, { before: 'b1', after: 'b2', field: f }, { docsDir: docs, historyPath: join(dir, 'regen-history.json') }, '2026-12-03T07:00:00.000Z');
    const spliced = readFileSync(path, 'utf8');
    expect(spliced).toContain('- **Production:** confirmed in production on build b2');
    await generate();
    expect(readFileSync(path, 'utf8')).toBe(spliced);
    expect(spliced).toContain('Ours, kept.\n');
  });
});
