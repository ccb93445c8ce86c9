/**
 * Delivering with proof, on a fresh copy of the demo (its own git repository): the real codemods
 * patch computeFacets (useMemo) and renderReact (startTransition), the deliver phase generates a
 * test per fix and proves it (it fails on the base build and passes on the fix, with the values
 * in the commit message), commits the docs of the fixed handler only, and delivers parseQuery's
 * handled error as a regression test on its own branch. Then a generated test runs in a fresh
 * copy of the app with the documented command (`homeostat test … --build`), nothing installed
 * or configured: it passes on the fixed branch and fails on the original.
 *
 * The A/B verdict is not what this spec tests (e2e/heal.spec.ts does): the fixes are taken as
 * verified, with the fixed build's sessions from one replay each, so the spec decides quickly.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, test } from '@playwright/test';
import { diagnose } from '../src/core/diagnose.ts';
import { analyzeProject } from '../src/docs/analyze.ts';
import { readDocs } from '../src/docs/generate.ts';
import { splitSections } from '../src/docs/partial.ts';
import { buildAndServe } from '../src/heal/app.ts';
import { buildCandidates, patchCandidate, type PreparedFix } from '../src/heal/candidates.ts';
import { deliverAll, proofFlowFor } from '../src/heal/deliver.ts';
import { prepareDemoRepo, type DemoRepo } from '../src/heal/demo-app.ts';
import { addWorktree, git, type Worktree } from '../src/heal/git.ts';
import { measureBaseline } from '../src/heal/measure.ts';
import { runFile } from '../src/heal/pr.ts';
import type { Attempt } from '../src/heal/result.ts';
import type { Verification } from '../src/heal/verify.ts';
import { loadRecording, replayRun } from '../src/replay/index.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

test.describe.configure({ mode: 'serial' });
test.use({ trace: 'off' });

let dir: string;
let demo: DemoRepo;
const trees: Worktree[] = [];
const servers: Array<{ close(): Promise<void> }> = [];

test.beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'homeostat-proof-e2e-'));
  demo = await prepareDemoRepo(dir);
});

test.afterAll(async () => {
  for (const s of servers) await s.close().catch(() => undefined);
  for (const t of trees) await t.remove();
  await rm(dir, { recursive: true, force: true });
});

/** `homeostat test` as the README documents it, run from this checkout's sources in `cwd`. */
const homeostatTest = (cwd: string, args: string[]) => runFile(process.execPath, [join(ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs'), join(ROOT, 'src', 'cli', 'main.ts'), 'test', ...args], cwd);

test('generated tests are proven on the base and the fixed build, and a delivered branch is code + test + the fixed handler’s docs', async ({ browser }) => {
  test.setTimeout(600_000);
  const head = (await git(demo.repo, ['rev-parse', 'HEAD'])).trim();
  const base = await addWorktree(demo.repo, head, 'proof-base');
  trees.push(base);
  const baseServer = await buildAndServe(base.dir, demo.build);
  servers.push(baseServer);
  const flows = await Promise.all(demo.flows.map((f) => loadRecording(join(demo.repo, f))));
  const baseline = await measureBaseline({ browser, url: baseServer.url, flows, names: demo.flows, runs: 2 });
  const analysis = await analyzeProject(join(base.dir, demo.srcDir));
  const spec = await readDocs(join(base.dir, demo.docsDir));
  const found = diagnose({ spec, aggregates: baseline.snapshot, analysis: analysis.handlers });
  const pick = (id: string) => {
    const d = found.find((x) => x.id === id);
    expect(d, `the demo's planted ${id}; found ${found.map((x) => x.id).join(', ')}`).toBeTruthy();
    return d!;
  };
  const memo = pick('repeated-computation:computeFacets');
  const transition = pick('blocking-update:renderReact');
  const error = found.find((x) => x.rule === 'recurring-error' && x.handler === 'parseQuery')!;
  expect(error, 'the demo’s handled parse error').toBeTruthy();

  const prepared: PreparedFix[] = [];
  for (const d of [memo, transition]) {
    const p = await patchCandidate(demo.repo, head, demo.srcDir, d, () => {});
    if (p.tree) trees.push(p.tree);
    expect(p.failed, d.id).toBeNull();
    prepared.push(p);
  }
  await buildCandidates(prepared, demo.build, undefined, 2, () => {});
  for (const p of prepared) servers.push(p.server!);

  // Taken as verified: the fixed build's sessions from one replay of each handler's flow.
  const attempts: Attempt[] = [];
  for (const p of prepared) {
    const k = proofFlowFor(p.diagnosis.handler, baseline) ?? 0;
    const run = await replayRun(browser, flows[k]!, { url: p.server!.url });
    expect(run.passed, run.error ?? '').toBe(true);
    const v: Verification = { verdict: 'improved', why: 'taken as verified by this spec', reasons: [], judgement: null, runs: { A: [], B: [] }, paired: {}, looks: { planned: 0, confidence: 0.95 }, rounds: 1, stoppedBy: 'decided', screenshots: [], sessions: [run.session!] };
    attempts.push({ diagnosis: p.diagnosis, verdict: 'improved', reasons: [], diff: p.diff, edits: p.edits, verification: v, branch: null, commit: null, tests: [], docs: [], pr: null });
  }
  attempts.push({ diagnosis: error, verdict: 'not-applicable', reasons: [], diff: null, edits: [], verification: null, branch: null, commit: null, tests: [], docs: [], pr: null });

  const lines: string[] = [];
  const started = Date.now();
  await deliverAll(
    { repo: demo.repo, head, srcDir: demo.srcDir, docsDir: demo.docsDir, testDir: 'e2e/homeostat', flows, flowsInRepo: demo.flows, spec, browser, baseUrl: baseServer.url, build: demo.build, baseline, log: (l) => lines.push(l) },
    attempts,
    prepared,
  );
  const deliverMs = Date.now() - started;
  const log = lines.join('\n');

  for (const [a, handler, signal] of [[attempts[0]!, 'computeFacets', 'computeFacets calls per React commit'], [attempts[1]!, 'renderReact', "share of renderReact's React updates run as blocking"]] as const) {
    const proof = a.proofs?.[0];
    expect(proof?.status, log).toBe('proven');
    const [onBase, onFixed] = [proof!.base.assertions[0]!, proof!.fixed!.assertions[0]!];
    expect(onBase.label).toContain(signal);
    expect(onBase.passed).toBe(false);
    expect(onBase.value!).toBeGreaterThan(onBase.assertion.max);
    expect(onFixed.passed).toBe(true);
    expect(onFixed.value!).toBeLessThanOrEqual(onFixed.assertion.max);
    expect(a.branch).toBe(`homeostat/fix-${handler}`);

    // The commit: the fix, its proven test, and the fixed handler's docs; nothing else.
    const stat = (await git(demo.repo, ['show', '--stat', '--format=', a.branch!])).trim();
    console.log(`git show --stat ${a.branch}:\n${stat}`);
    const files = (await git(demo.repo, ['diff', '--name-only', head, a.branch!])).trim().split('\n').sort();
    expect(files, stat).toEqual(['docs/HANDLER_SPECS.md', 'docs/PERFORMANCE.md', 'docs/SEQUENCE_FLOWS.md', 'docs/homeostat.spec.json', `e2e/homeostat/${handler}.fix.test.json`, 'src/App.tsx']);
    const message = await git(demo.repo, ['log', '-1', '--format=%B', a.branch!]);
    expect(message).toContain('Generated test, proven before delivery');
    expect(message).toMatch(new RegExp(`- base build ${head.slice(0, 12)}: fails: ${signal.replace(/[.*+?^${}()|[\]\\']/g, '.')} [\\d.%]+ \\(> [\\d.%]+\\)`));
    expect(message).toMatch(/- fixed build: passes: .* \(≤ [\d.%]+\)/);
    expect(message).toContain(`Docs: ${handler}'s section, its summary rows`);
    expect(message).toContain('npx homeostat test e2e/homeostat/');
    const testFile = JSON.parse(await git(demo.repo, ['show', `${a.branch}:e2e/homeostat/${handler}.fix.test.json`]));
    expect(testFile.proof).toMatchObject({ base: { passed: false }, fixed: { passed: true } });

    // The docs diff is the change: every other handler's section and baseline as it was.
    const before = await readDocs(join(base.dir, demo.docsDir));
    const tree = await addWorktree(demo.repo, a.branch!, `proof-${handler}`);
    trees.push(tree);
    const after = await readDocs(join(tree.dir, demo.docsDir));
    for (const [name, h] of Object.entries(before.handlers)) {
      if (name === handler) expect(after.handlers[name]!.baseline, name).not.toEqual(h.baseline);
      else expect(after.handlers[name]?.baseline, name).toEqual(h.baseline);
    }
    const sections = (text: string) => new Map(splitSections(text).map((s) => [s.heading, s.lines.filter((l) => !/^- \*\*(Source|Defined at|State updates):\*\*/.test(l)).join('\n')]));
    const mdBefore = sections(await readFile(join(base.dir, demo.docsDir, 'HANDLER_SPECS.md'), 'utf8'));
    const mdAfter = sections(await readFile(join(tree.dir, demo.docsDir, 'HANDLER_SPECS.md'), 'utf8'));
    for (const [heading, text] of mdBefore) {
      if (heading === '' || heading === `## \`${handler}\``) continue;
      expect(mdAfter.get(heading), `${handler}'s branch leaves ${heading} alone`).toBe(text);
    }
    const numstat = (await git(demo.repo, ['diff', '--numstat', head, a.branch!, '--', 'docs/HANDLER_SPECS.md'])).split('\t').map(Number);
    expect(numstat[0]! + numstat[1]!, 'a few dozen lines, not the whole file').toBeLessThan(120);
  }

  // The handled error: a regression test of its own, proven on the base build.
  const e = attempts[2]!;
  expect(e.proofs?.[0]?.status, log).toBe('guards');
  expect(e.proofs![0]!.base.observed[0]!.value!).toBeGreaterThan(0);
  expect(e.proofs![0]!.base.assertions[0]).toMatchObject({ label: 'uncaught errors in the page', value: 0, passed: true });
  expect(e.branch).toBe('homeostat/test-parseQuery-errors');
  expect((await git(demo.repo, ['diff', '--name-only', head, e.branch!])).trim()).toBe('e2e/homeostat/parseQuery.errors.test.json');
  // Proving costs about one replay of a flow per build, all at once.
  console.log(`deliver: ${Math.round(deliverMs / 1000)} s for 3 proofs, the docs and 3 branches\n${log}`);
});

test('a generated test runs in a fresh copy of the app with the documented command: it passes on the fix and fails on the original', async () => {
  test.setTimeout(300_000);
  // A second, untouched copy of the demo: no Playwright config, no test dependency of its own.
  const fresh = await prepareDemoRepo(join(dir, 'fresh'));
  const branch = 'homeostat/fix-renderReact';
  await git(fresh.repo, ['fetch', '--quiet', demo.repo, `${branch}:${branch}`]);
  const fixed = await addWorktree(fresh.repo, branch, 'fresh-fixed');
  trees.push(fixed);
  const file = 'e2e/homeostat/renderReact.fix.test.json';
  const onFixed = await homeostatTest(fixed.dir, [file, '--build', fresh.build.command, '--dist', fresh.build.outDir]);
  expect(onFixed.code, onFixed.stdout + onFixed.stderr).toBe(0);
  expect(onFixed.stdout).toMatch(/PASS renderReact: .*\n {2}✓ share of renderReact's React updates run as blocking: 0% ≤ 50%/);
  // The original app, with the branch's test file and nothing else.
  await writeFile(join(fresh.repo, 'renderReact.fix.test.json'), (await readFile(join(fixed.dir, file), 'utf8')).replace('"../../flows/', '"flows/'));
  const onBase = await homeostatTest(fresh.repo, ['renderReact.fix.test.json', '--build', fresh.build.command]);
  expect(onBase.code, onBase.stdout + onBase.stderr).toBe(1);
  expect(onBase.stdout).toMatch(/FAIL renderReact: .*\n {2}✗ share of renderReact's React updates run as blocking: 100% > 50%/);
  expect(onBase.stdout).toContain('0 passed, 1 failed');
});
