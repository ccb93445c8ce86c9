/**
 * The suggestion engine end to end on a fresh copy of the demo (its own git repository): the
 * loop finds renderReact over its interaction budget, fixes it in a worktree, proves it by A/B
 * replay on interaction latency with guards on time to result, long frames and errors, and
 * writes a branch; a wrong fix is rejected by the replay's expectations; a no-op has no effect.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { buildAndServe } from '../src/heal/app.ts';
import { prepareDemoRepo, type DemoRepo } from '../src/heal/demo-app.ts';
import { git, statusPorcelain, type Worktree } from '../src/heal/git.ts';
import { heal } from '../src/heal/loop.ts';
import { verifyFixes } from '../src/heal/verify.ts';
import { diagnose } from '../src/core/diagnose.ts';
import { loadRecording, parseRecording } from '../src/replay/index.ts';
import { servedVariant } from './support/variants.ts';

test.describe.configure({ mode: 'serial' });
// Replays open their own contexts on the shared browser; tracing them would only slow the runs.
test.use({ trace: 'off' });

/** A short flow that renders the page (and so renderReact and computeFacets) on each keystroke, checking the results. */
const SEARCH_FLOW = {
  format: 'homeostat.recording',
  version: 1,
  title: 'search the catalogue',
  viewport: { width: 1280, height: 800, deviceScaleFactor: 1 },
  steps: [
    { type: 'navigate', url: '/' },
    { type: 'waitFor', target: { selectors: [{ testId: 'product-row' }] } },
    { type: 'type', target: { selectors: [{ label: 'Search products' }] }, text: 'garden lamp', delayMs: 30 },
    { type: 'type', target: { selectors: [{ label: 'Search products' }] }, text: 'drone', replace: true, delayMs: 30 },
    { type: 'expectText', text: 'drone', target: { selectors: [{ testId: 'product-row' }] }, description: 'the first row mentions drone' },
  ],
};

const DEMO_BUDGET = '- **Budget:** p95 interaction ≤ 100 ms';
const TIGHT_BUDGET = '- **Budget:** p95 interaction ≤ 20 ms';
let dir: string;
let demo: DemoRepo;
const trees: Worktree[] = [];

test.beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'homeostat-heal-e2e-'));
  demo = await prepareDemoRepo(dir);
  await writeFile(join(demo.repo, 'flows', 'search.json'), JSON.stringify(SEARCH_FLOW, null, 2));
  // A budget the 600-row keystroke exceeds on any machine: on an idle 2-core machine its p95 is
  // under the demo's 100 ms (budgets are what the user feels: never scaled by the machine's
  // speed), and this test is about what heal does with a handler over its budget.
  const specs = join(demo.repo, 'docs', 'HANDLER_SPECS.md');
  const written = await readFile(specs, 'utf8');
  if (written.split(DEMO_BUDGET).length !== 2) throw new Error(`the demo's HANDLER_SPECS.md has no single "${DEMO_BUDGET}" line`);
  await writeFile(specs, written.replace(DEMO_BUDGET, TIGHT_BUDGET));
  await git(demo.repo, ['add', 'flows/search.json', 'docs/HANDLER_SPECS.md']);
  await git(demo.repo, ['-c', 'user.name=t', '-c', 'user.email=t@localhost', 'commit', '-q', '-m', 'search flow']);
});

test.afterAll(async () => {
  for (const t of trees) await t.remove();
  await rm(dir, { recursive: true, force: true });
});

/** A worktree of the app with `App.tsx` edited by `edit`, built and served. */
const variant = (label: string, edit: (source: string) => string) => servedVariant(demo, trees, label, edit);

test('heal finds renderReact over budget, fixes it, proves it by replay and writes a branch', async ({ browser }) => {
  test.setTimeout(600_000);
  const head = (await git(demo.repo, ['rev-parse', 'HEAD'])).trim();
  const lines: string[] = [];
  const result = await heal({
    ...demo,
    flows: ['flows/search.json'],
    handlers: ['renderReact'],
    rules: ['blocking-update'],
    baselineRuns: 2,
    // This test is about delivery (branch, docs, test, message): the team here accepts results up
    // to 2.5× later for a responsive input, so the transition's known cost on time to result
    // (measured 1.4–1.9× on a loaded machine) does not decide it. npm start keeps the docs' 20%.
    plan: { timeCapMs: 300_000, tolerance: 1.5 },
    historyPath: join(dir, 'history.json'),
    outDir: join(dir, 'out'),
    browser,
    onProgress: (l) => lines.push(l),
  });

  const over = result.check.discrepancies.find((d) => d.kind === 'over-budget' && d.subject.name === 'renderReact');
  expect(over, `check flags renderReact over its interaction budget:\n${lines.join('\n')}`).toBeTruthy();
  const d = result.diagnoses.find((x) => x.id === 'blocking-update:renderReact');
  // A plain transition, or useTransition with an isPending indicator when the measured frame would
  // stay near 200 ms even without React's render (the 600-row list is close to that line).
  expect(d?.fix).toMatchObject({ setters: ['setResults'] });
  expect(['transition', 'pending-transition']).toContain(d!.fix!.codemod);
  expect(d!.impact.metric).toMatchObject({ metric: 'interaction' });
  expect(Number(d!.evidence['blockingShare'])).toBeGreaterThan(0.5);

  const a = result.attempts.find((x) => x.diagnosis.id === 'blocking-update:renderReact')!;
  expect(a.verdict, lines.join('\n')).toBe('improved');
  const results = a.verification!.judgement!.results;
  const primary = results.find((r) => r.spec.role === 'primary')!;
  expect(primary.spec.label).toBe('renderReact interaction, per call');
  expect(primary.comparison!.ratio.high).toBeLessThan(0.9);
  // Every guard proven: time to result, long frames, errors; "ok" only with the upper bound within tolerance.
  const guards = results.filter((r) => r.spec.role === 'guard' && r.state !== 'no-data');
  expect(guards.map((g) => g.spec.label)).toEqual(
    expect.arrayContaining(['renderReact time to result, per call', 'interaction in the flow, per input', 'errors in the flow']),
  );
  for (const g of guards) {
    expect(g.state, g.spec.label).toBe('ok');
    expect(g.comparison!.ratio.high, g.spec.label).toBeLessThanOrEqual(1 + (g.spec.tolerance ?? 0));
  }
  expect(a.branch).toBe('homeostat/fix-renderReact');

  // The branch holds code + generated test + regenerated docs; the user's tree is untouched.
  const files = (await git(demo.repo, ['diff', '--name-only', head, a.branch!])).trim().split('\n');
  expect(files).toEqual(expect.arrayContaining(['src/App.tsx', 'e2e/homeostat/renderReact.fix.test.json', 'docs/HANDLER_SPECS.md', 'docs/homeostat.spec.json']));
  const app = await git(demo.repo, ['show', `${a.branch}:src/App.tsx`]);
  expect(app).toMatch(/start(RenderReact)?Transition\(\(\) => setResults\(\{ items, query: forQuery \}\)\)/);
  const docs = await git(demo.repo, ['show', `${a.branch}:docs/HANDLER_SPECS.md`]);
  expect(docs, 'the budget people wrote survives regeneration').toMatch(/renderReact[\s\S]*\*\*Budget:\*\* p95 interaction ≤ 20 ms/);
  const message = await git(demo.repo, ['log', '-1', '--format=%B', a.branch!]);
  expect(message).toContain('Verified by A/B replay');
  expect(message).toMatch(/- primary renderReact interaction, per call: [\d.]+ m?s → [\d.]+ m?s \(0\.\d+×, CI [\d.]+–[\d.]+×\), improved \(\d+ pairs in \d+ rounds\)/);
  expect(message).toMatch(/- guard \(≤ 2\.50×\) renderReact time to result, per call: [\d.]+ m?s → [\d.]+ m?s \([\d.]+×, CI [\d.]+–[\d.]+×\), proven to hold/);
  expect(message).toMatch(/- guard \(≤ 1\.00×\) errors in the flow: 0 → 0 per run, proven to hold/);
  expect(message).toMatch(/Predicted:\n- renderReact p95 interaction: /);
  // What the patched tree passed before it was measured (the demo is a TypeScript app).
  expect(message).toMatch(/Checked before it was built:\n- `tsc --noEmit -p tsconfig\.json`: clean/);
  // The docs diff is the change: renderReact's section and the summary above the first section.
  const baseDocs = await git(demo.repo, ['show', `${head}:docs/HANDLER_SPECS.md`]);
  expect(changedSections(baseDocs, docs)).toEqual(expect.arrayContaining(['## `renderReact`']));
  // Other sections keep their baselines; only the source lines the patch moved may change there
  // (useTransition with isPending adds lines above the handlers below it).
  const unmoved = (md: string) => md.replace(/(App\.tsx)(:|#L)\d+/g, '$1$2N');
  const others = changedSections(unmoved(baseDocs), unmoved(docs)).filter((h) => h !== '## `renderReact`' && h !== '(summary)');
  expect(others, sectionDiff(baseDocs, docs, others[0])).toEqual([]);
  expect(await statusPorcelain(demo.repo)).toBe('');
  expect((await git(demo.repo, ['rev-parse', 'HEAD'])).trim()).toBe(head);
  expect((await git(demo.repo, ['worktree', 'list'])).trim().split('\n')).toHaveLength(1);

  // Report, history and metrics.
  for (const f of result.reportFiles) expect(existsSync(f)).toBe(true);
  expect(await readFile(join(dir, 'out', 'report.html'), 'utf8')).toContain('homeostat/fix-renderReact');
  const history = JSON.parse(await readFile(join(dir, 'history.json'), 'utf8'));
  expect(history.outcomes).toEqual([expect.objectContaining({ rule: 'blocking-update', handler: 'renderReact', verdict: 'improved' })]);
  const primaryOutcome = history.outcomes[0].metrics.find((m: { role: string }) => m.role === 'primary');
  expect(primaryOutcome.predicted).toBeLessThan(1);
  expect(primaryOutcome.measured).toBeLessThan(0.9);
  expect(result.metrics.fixSuccessRate).toBe(1);
  expect(result.metrics.autoAppliedRate).toBe(1);

  // The generated test was proven before delivery: it fails on the original and passes on the fix
  // (e2e/proof.spec.ts runs it again with `homeostat test` in a fresh copy of the app).
  expect(a.proofs?.[0]).toMatchObject({ path: 'e2e/homeostat/renderReact.fix.test.json', status: 'proven' });
  expect(message).toMatch(/- base build [0-9a-f]{12}: fails: share of renderReact's React updates run as blocking 100% \(> 50%\)/);
  expect(message).toMatch(/- fixed build: passes: share of renderReact's React updates run as blocking 0% \(≤ 50%\)/);
});

/**
 * The demo's renderReact diagnosis from two baseline replays, held against the demo's own docs
 * (its p95 interaction budget), to verify hand-made variants against. Two runs, not one: on a
 * loaded machine one short flow can leave too few interactions matched to judge.
 */
async function renderReactDiagnosis(browser: import('playwright-core').Browser, url: string) {
  const { replayRun } = await import('../src/replay/index.ts');
  const { snapshotOf } = await import('../src/heal/measure.ts');
  const { analyzeProject } = await import('../src/docs/analyze.ts');
  const { readDocs } = await import('../src/docs/generate.ts');
  const sessions = [];
  for (let i = 0; i < 2; i++) sessions.push((await replayRun(browser, parseRecording(SEARCH_FLOW), { url })).session!);
  const analysis = await analyzeProject(join(demo.repo, 'src'));
  const spec = await readDocs(join(demo.repo, demo.docsDir));
  const found = diagnose({ spec, aggregates: snapshotOf(sessions), analysis: analysis.handlers });
  const d = found.find((x) => x.id === 'blocking-update:renderReact');
  expect(d, `the demo has its planted blocking update; found ${found.map((x) => x.id).join(', ') || 'nothing'}`).toBeTruthy();
  return d!;
}

test('a wrong fix that drops the results update is rejected by the replay expectations', async ({ browser }) => {
  test.setTimeout(300_000);
  const base = await buildAndServe(demo.repo, demo.build);
  const wrong = await variant('wrong', (s) => s.replace('setResults({ items, query: forQuery });', 'void items;'));
  try {
    const flow = await loadRecording(join(demo.repo, 'flows', 'search.json'));
    const d = await renderReactDiagnosis(browser, base.url);
    const v = (await verifyFixes({ browser, flows: [flow], measured: [flow], baselineUrl: base.url, candidates: [{ diagnosis: d, url: wrong.url }], screenshotDir: join(dir, 'wrong-shots') })).get(d.id)!;
    expect(v.verdict).toBe('broke-behaviour');
    expect(v.reasons.join('\n')).toMatch(/patched build: .*drone/);
    expect(v.screenshots.some((p) => existsSync(p))).toBe(true);
  } finally {
    await base.close();
    await wrong.close();
  }
});

test('a no-op change has no effect: neither improved nor regressed on what the user feels', async ({ browser }) => {
  test.setTimeout(400_000);
  const flow = parseRecording(SEARCH_FLOW);
  const base = await buildAndServe(demo.repo, demo.build);
  const noop = await variant('noop', (s) => s.replace('export function App() {', '// Reformatted by a no-op fix.\nexport function App() {'));
  try {
    const d = await renderReactDiagnosis(browser, base.url);
    const v = (await verifyFixes({ browser, flows: [flow], measured: [flow], baselineUrl: base.url, candidates: [{ diagnosis: d, url: noop.url }], plan: { maxRuns: 10, threshold: 0.25 } })).get(d.id)!;
    // Replays of identical builds must never read as a fix: no-effect, or undecided at the cap.
    expect(['no-effect', 'unresolved'], v.why).toContain(v.verdict);
    expect(v.judgement!.results.find((r) => r.spec.role === 'primary')!.comparison!.nB).toBeGreaterThanOrEqual(3);
  } finally {
    await base.close();
    await noop.close();
  }
});

/** The lines of one section that differ (for failure messages). */
function sectionDiff(before: string, after: string, head: string | undefined): string {
  if (!head) return '';
  const section = (md: string) => md.split('\n## ').find((s) => `## ${s}`.startsWith(head) || s.startsWith(head))?.split('\n') ?? [];
  const a = section(before);
  const b = section(after);
  return [`${head} changed:`, ...a.filter((l) => !b.includes(l)).map((l) => `- ${l}`), ...b.filter((l) => !a.includes(l)).map((l) => `+ ${l}`)].join('\n');
}

/** The `## ` sections of a markdown file whose text differs between two versions ('(summary)': what precedes the first). */
function changedSections(before: string, after: string): string[] {
  const split = (md: string) => {
    const out = new Map<string, string>();
    let head = '(summary)';
    let body: string[] = [];
    for (const line of md.split('\n')) {
      if (line.startsWith('## ')) {
        out.set(head, body.join('\n'));
        head = line;
        body = [];
      } else body.push(line);
    }
    out.set(head, body.join('\n'));
    return out;
  };
  const a = split(before);
  const b = split(after);
  return [...new Set([...a.keys(), ...b.keys()])].filter((k) => a.get(k) !== b.get(k));
}
