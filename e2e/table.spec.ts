/**
 * Zero-code to healed on examples/table (js-framework-benchmark's shapes, its only Homeostat
 * line the plugin in its vite config; its toolbar's callbacks travel through a `Button` in a
 * workspace package outside the Vite root):
 * - every handler is recorded under the name the docs give it, at its source location;
 * - `check` flags "Create 10,000 rows" over the budget its docs' author wrote, from 5 calls;
 * - `heal` delivers a branch for it whose longest frame, measured by this test's own Long
 *   Animation Frame observer (not Homeostat's), is at least 2× shorter, with the flow's
 *   expectations passing on the branch's build.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import type { Browser, Page } from 'playwright-core';
import { checkSpec } from '../src/core/check/index.ts';
import type { SessionFile } from '../src/core/session.ts';
import { readDocs } from '../src/docs/generate.ts';
import { buildAndServe } from '../src/heal/app.ts';
import { addWorktree, git, type Worktree } from '../src/heal/git.ts';
import { heal } from '../src/heal/loop.ts';
import { loadRecording, replayRun } from '../src/replay/index.ts';
import { prepareTableRepo } from './support/table-app.ts';

test.describe.configure({ mode: 'serial' });
test.use({ trace: 'off' });

const RUN_LOTS = 'Jumbotron.cb[runlots]';

let dir: string;
let app: Awaited<ReturnType<typeof prepareTableRepo>>;
let base: { url: string; close(): Promise<void> };
const trees: Worktree[] = [];
const servers: Array<{ close(): Promise<void> }> = [];

test.beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'homeostat-table-'));
  app = await prepareTableRepo(dir);
  base = await buildAndServe(app.repo, app.build);
  servers.push(base);
});

test.afterAll(async () => {
  for (const s of servers) await s.close();
  for (const t of trees) await t.remove();
  await rm(dir, { recursive: true, force: true });
});

const handlersOf = (s: SessionFile) => [...new Set(s.calls.map((c) => c.handler))].sort();

test('every handler is recorded under its documented name; check flags "Create 10,000 rows" from 5 calls', async ({ browser }) => {
  test.setTimeout(600_000);
  const docs = await readDocs(join(app.repo, app.docsDir));
  const documented = Object.keys(docs.handlers).sort();
  const operations = await replayRun(browser, await loadRecording(join(app.repo, 'app/flows/operations.json')), { url: base.url });
  expect(operations.passed, operations.error ?? '').toBe(true);
  const seen = handlersOf(operations.session!);
  // The toolbar's six buttons (cb → onClick through packages/ui's Button), a row's select
  // (memo(forwardRef) cell) and remove, the class component's toggle: all of them, by the names the docs use.
  expect(seen).toEqual(expect.arrayContaining(['Jumbotron.cb[run]', 'Jumbotron.cb[add]', 'Jumbotron.cb[update]', 'Jumbotron.cb[clear]', 'Jumbotron.cb[swaprows]', 'Row.onSelect', 'Row.onClick', 'Summary.toggleDetails']));
  for (const h of seen) expect(documented, `${h} is documented`).toContain(h);
  expect(docs.handlers[RUN_LOTS]?.source).toMatchObject({ file: '../src/Jumbotron.tsx', line: 12 });
  expect(docs.handlers[RUN_LOTS]?.budget).toEqual({ stat: 'p95', metric: 'interaction', ms: 200 });

  const runlots = await loadRecording(join(app.repo, 'app/flows/runlots.json'));
  const sessions: SessionFile[] = [];
  for (let i = 0; i < 5; i++) {
    const r = await replayRun(browser, runlots, { url: base.url, index: i });
    expect(r.passed, r.error ?? '').toBe(true);
    sessions.push(r.session!);
  }
  const report = checkSpec(docs, sessions);
  const row = report.handlers.find((h) => h.name === RUN_LOTS);
  expect(row, JSON.stringify(report.handlers.map((h) => h.name))).toBeTruthy();
  expect(row!.status).toBe('over-budget');
  expect(report.discrepancies.some((d) => d.kind === 'over-budget' && d.subject.name === RUN_LOTS)).toBe(true);
});

/** The test's own instrument: Long Animation Frames, independent of Homeostat. */
const LAB = `(() => {
  const lab = { frames: [] };
  window.__lab = lab;
  const o = new PerformanceObserver((l) => { for (const e of l.getEntries()) lab.frames.push({ start: e.startTime, duration: e.duration }); });
  o.observe({ type: 'long-animation-frame', buffered: true });
  lab.flush = () => { for (const e of o.takeRecords()) lab.frames.push({ start: e.startTime, duration: e.duration }); };
})();`;

async function longestFrameOfRunLots(browser: Browser, url: string): Promise<number> {
  const page: Page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  try {
    await page.addInitScript(LAB);
    await page.goto(url);
    await page.locator('#runlots').waitFor();
    const t0 = await page.evaluate(() => performance.now());
    await page.locator('#runlots').click();
    await expect(page.getByRole('status')).toHaveText('10000 rows', { timeout: 120_000 });
    await page.evaluate(() => new Promise<void>((r) => requestAnimationFrame(() => requestAnimationFrame(() => r()))));
    const frames = await page.evaluate(() => {
      const l = (window as unknown as { __lab: { flush(): void; frames: Array<{ start: number; duration: number }> } }).__lab;
      l.flush();
      return l.frames;
    });
    // No entry: every frame was under 50 ms (Long Animation Frames reports only longer ones).
    return Math.max(0, ...frames.filter((f) => f.start + f.duration > t0).map((f) => f.duration));
  } finally {
    await page.close();
  }
}

test('heal delivers a branch for "Create 10,000 rows" whose longest frame is ≥ 2× shorter, the flow passing', async ({ browser }) => {
  test.setTimeout(1_500_000);
  const lines: string[] = [];
  const result = await heal({
    ...app,
    flows: ['app/flows/runlots.json'],
    handlers: [RUN_LOTS],
    historyPath: join(dir, 'history.json'),
    outDir: join(dir, 'out'),
    timeBudgetMs: 900_000,
    browser,
    onProgress: (l) => lines.push(l),
  });
  const log = lines.join('\n');
  const delivered = result.attempts.filter((a) => a.branch && a.diagnosis.handler === RUN_LOTS);
  expect(delivered, log).toHaveLength(1);
  const a = delivered[0]!;
  expect(a.diagnosis.rule, log).toBe('long-frame');
  expect(['virtual-list', 'progressive-list']).toContain(a.diagnosis.fix!.codemod);
  // A transition alone is never the fix here: the frame would stay frozen.
  expect(result.attempts.filter((x) => x.branch).map((x) => x.diagnosis.fix?.codemod)).not.toContain('transition');
  const message = await git(app.repo, ['log', '-1', '--format=%B', a.branch!]);
  expect(message).toMatch(/Checked before it was built:\n- `tsc --noEmit -p tsconfig\.json \(in app\)`: clean/);

  // The branch, built as the app builds, measured by this test.
  const tree = await addWorktree(app.repo, a.branch!, 'table-fixed');
  trees.push(tree);
  const fixed = await buildAndServe(tree.dir, app.build);
  servers.push(fixed);
  const before: number[] = [];
  const after: number[] = [];
  for (let round = 0; round < 3; round++) {
    before.push(await longestFrameOfRunLots(browser, base.url));
    after.push(Math.max(50, await longestFrameOfRunLots(browser, fixed.url)));
  }
  const median = (xs: number[]) => [...xs].sort((x, y) => x - y)[1]!;
  const detail = `longest frames: base ${before.map(Math.round).join(', ')} ms; ${a.branch} ${after.map(Math.round).join(', ')} ms (50: none over 50 ms)`;
  console.log(detail);
  expect(median(after) * 2, detail).toBeLessThanOrEqual(median(before));
  const flow = await replayRun(browser, await loadRecording(join(tree.dir, 'app/flows/runlots.json')), { url: fixed.url });
  expect(flow.passed, flow.error ?? JSON.stringify(flow.expectations)).toBe(true);
});
