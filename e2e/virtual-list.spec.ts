/**
 * The virtual-list codemod in a real browser, on examples/table (js-framework-benchmark's
 * shape, 10,000 memo rows in a <tbody>). The codemod is applied to the table's rows list
 * directly (the plan as heal's planner makes it, at the `data.map` of Main.tsx), in a worktree,
 * with the app's tree checks (tsc clean), then built by the app's own `vite build`. Measured by
 * the test's own Long Animation Frame observer, independently of Homeostat:
 * - the longest frame after "Create 10,000 rows" is at least 2× shorter than unpatched;
 * - the runlots flow passes through the project's replay runner (status, first row, scroll to the
 *   end shows row 10000, clear);
 * - a flow that counts all 10,000 rows in the DOM fails on it (and passes unpatched): the flows
 *   heal replays are what reject a virtualised list where an app's users or tests need every row
 *   in the DOM; so does the example's own operations flow (it counts `tbody > tr`);
 * - rows keep their striping parity and the table stays valid (spacers are <tr>s).
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { expect, test } from '@playwright/test';
import type { Browser, Page } from 'playwright-core';
import { buildAndServe } from '../src/heal/app.ts';
import { applyFix } from '../src/heal/apply.ts';
import { checksFor, runChecks } from '../src/heal/checks.ts';
import { at } from '../src/heal/codemods/corpus.ts';
import { addWorktree, type Worktree } from '../src/heal/git.ts';
import { dependsOn } from '../src/heal/list-locator.ts';
import { TANSTACK_VIRTUAL } from '../src/heal/codemods/virtual-hook.ts';
import type { VirtualListPlan } from '../src/core/diagnose.ts';
import { loadRecording, parseRecording, replayRun } from '../src/replay/index.ts';
import { prepareTableRepo } from './support/table-app.ts';

test.describe.configure({ mode: 'serial' });
test.use({ trace: 'off' });

let dir: string;
const trees: Worktree[] = [];
const servers: Array<{ close(): Promise<void> }> = [];

test.beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'homeostat-virtual-'));
});

test.afterAll(async () => {
  for (const s of servers) await s.close();
  for (const t of trees) await t.remove();
  await rm(dir, { recursive: true, force: true });
});

/** The test's own Long Animation Frame observer. */
const LAB = `(() => {
  const lab = { frames: [] };
  window.__lab = lab;
  const observer = new PerformanceObserver((l) => { for (const e of l.getEntries()) lab.frames.push({ start: e.startTime, duration: e.duration }); });
  observer.observe({ type: 'long-animation-frame', buffered: true });
  lab.flush = () => { for (const e of observer.takeRecords()) lab.frames.push({ start: e.startTime, duration: e.duration }); };
  // The click's Event Timing entry (input to next paint, 8 ms resolution): says how short a frame under the LoAF threshold is.
  lab.clicks = [];
  new PerformanceObserver((l) => { for (const e of l.getEntries()) if (e.name === 'click') lab.clicks.push({ start: e.startTime, duration: e.duration }); })
    .observe({ type: 'event', durationThreshold: 16, buffered: true });
})();`;

type Frames = Array<{ start: number; duration: number }>;

async function open(browser: Browser, url: string): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  await page.addInitScript(LAB);
  await page.goto(url);
  await page.locator('#runlots').waitFor();
  return page;
}

/** Clicks "Create 10,000 rows", waits for the status and the first row; the longest Long Animation Frame from the click on, and the click's Event Timing duration (0: under 16 ms). */
async function longestFrame(page: Page): Promise<{ frame: number; click: number }> {
  const t0 = await page.evaluate(() => performance.now());
  await page.locator('#runlots').click();
  await expect(page.getByRole('status')).toHaveText('10000 rows', { timeout: 120_000 });
  await expect(page.locator('tbody tr td.col-id').first()).toHaveText('1');
  // Two frames later the frame of the commit has ended; its entry is queued by then.
  await page.evaluate(() => new Promise<void>((r) => requestAnimationFrame(() => requestAnimationFrame(() => r()))));
  const { frames, clicks } = await page.evaluate(() => {
    const lab = (window as unknown as { __lab: { frames: Frames; clicks: Frames; flush(): void } }).__lab;
    lab.flush();
    return { frames: lab.frames, clicks: lab.clicks };
  });
  const after = (f: { start: number; duration: number }) => f.start + f.duration > t0;
  return { frame: Math.max(0, ...frames.filter(after).map((f) => f.duration)), click: Math.max(0, ...clicks.filter(after).map((f) => f.duration)) };
}

const LOAF_THRESHOLD_MS = 50;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** All 10,000 rows in the DOM after creating them: what a test counting rows checks. */
const COUNT_ALL = parseRecording({
  format: 'homeostat.recording',
  version: 1,
  title: 'Create 10,000 rows, all in the table',
  viewport: { width: 1280, height: 800, deviceScaleFactor: 1 },
  defaults: { thinkMs: 50, timeoutMs: 5000 },
  steps: [
    { type: 'navigate', url: '/' },
    { type: 'click', target: { selectors: [{ css: '#runlots' }] } },
    { type: 'expectText', text: '10000 rows', exact: true, target: { selectors: [{ role: 'status' }] } },
    { type: 'expectCount', target: { selectors: [{ css: 'tbody tr' }] }, count: 10_000, description: 'every row is in the DOM' },
  ],
});

let table: { app: Awaited<ReturnType<typeof prepareTableRepo>>; base: string } | null = null;

/** The example as heal's repo, and its unpatched build (shared by both tests). */
async function tableApp() {
  if (!table) {
    const app = await prepareTableRepo(dir);
    const base = await buildAndServe(app.repo, app.build);
    servers.push(base);
    table = { app, base: base.url };
  }
  return table;
}

/** The codemod applied to the table's rows list in a worktree (with `dependency` added to the app first), checked (tsc) and built. */
async function virtualBuild(app: Awaited<ReturnType<typeof prepareTableRepo>>, dependency: string | null): Promise<{ url: string; plan: VirtualListPlan; module: string }> {
  const tree = await addWorktree(app.repo, 'HEAD', `virtual-${dependency ? 'library' : 'own'}`);
  trees.push(tree);
  if (dependency) {
    const pkgFile = join(tree.dir, 'app/package.json');
    const pkg = JSON.parse(await readFile(pkgFile, 'utf8')) as { dependencies: Record<string, string> };
    pkg.dependencies[dependency] = '^3.14.0';
    await writeFile(pkgFile, JSON.stringify(pkg, null, 2));
  }
  const root = join(tree.dir, app.srcDir);
  const main = await readFile(join(root, 'Main.tsx'), 'utf8');
  const plan: VirtualListPlan = { codemod: 'virtual-list', file: 'Main.tsx', handler: 'Jumbotron.RUN_LOTS', component: 'Main', list: at(main, 'data.map'), items: 'data' };
  // What the planner decides from the app's package.json.
  if (await dependsOn(root, TANSTACK_VIRTUAL)) plan.library = 'tanstack';
  const change = await applyFix(tree.dir, app.srcDir, plan);
  expect(change.after).toContain('<VirtualList');
  expect(change.also?.map((f) => f.file)).toEqual(['app/src/VirtualList.ts']);
  const checks = checksFor(tree.dir, { testCommand: '', from: dirname(change.file) });
  expect(checks.map((c) => c.name)).toContain('tsc');
  expect(await runChecks(tree.dir, checks, async () => async () => undefined)).toBeNull();
  const fixed = await buildAndServe(tree.dir, app.build);
  servers.push(fixed);
  return { url: fixed.url, plan, module: change.also![0]!.after };
}

/** Alternated rounds, a fresh page each: the median longest frame of both builds, and their ratio. */
async function compareFrames(browser: Browser, baseUrl: string, fixedUrl: string, label: string): Promise<number> {
  const frames = { base: [] as number[], fixed: [] as number[] };
  const clicks = { base: [] as number[], fixed: [] as number[] };
  for (let round = 0; round < 3; round++) {
    for (const [url, out, click] of [[baseUrl, frames.base, clicks.base], [fixedUrl, frames.fixed, clicks.fixed]] as const) {
      const page = await open(browser, url);
      try {
        const m = await longestFrame(page);
        out.push(m.frame);
        click.push(m.click);
      } finally {
        await page.close();
      }
    }
  }
  // Long Animation Frames are frames over 50 ms: none reported (0 here) means under 50 ms, so the ratio is at least base / 50.
  const ratio = median(frames.base) / Math.max(LOAF_THRESHOLD_MS, median(frames.fixed));
  const detail = `${label}: longest frames (0: none over ${LOAF_THRESHOLD_MS} ms): base ${frames.base.map(Math.round).join(', ')} ms; virtual ${frames.fixed.map(Math.round).join(', ')} ms; median ratio ≥ ${ratio.toFixed(1)}×; the click's Event Timing (input to next paint): base ${clicks.base.map(Math.round).join(', ')} ms, virtual ${clicks.fixed.map(Math.round).join(', ')} ms; load average ${loadavg().map((x) => x.toFixed(2)).join(' ')}`;
  console.log(detail);
  expect(ratio, detail).toBeGreaterThanOrEqual(2);
  return ratio;
}

/** The runlots flow passes on the build, and a flow counting every row fails on it (passing unpatched). */
async function flows(browser: Browser, repo: string, baseUrl: string, fixedUrl: string): Promise<void> {
  const runlots = await loadRecording(join(repo, 'app/flows/runlots.json'));
  const run = await replayRun(browser, runlots, { url: fixedUrl });
  expect(run.error, JSON.stringify(run.expectations)).toBeNull();
  expect(run.expectations.map((e) => [e.description, e.passed])).toEqual(runlots.steps.filter((s) => s.type.startsWith('expect')).map((s) => [s.description, true]));
  const countBase = await replayRun(browser, COUNT_ALL, { url: baseUrl });
  expect(countBase.passed, JSON.stringify(countBase.expectations)).toBe(true);
  const countFixed = await replayRun(browser, COUNT_ALL, { url: fixedUrl });
  expect(countFixed.passed).toBe(false);
  expect(countFixed.expectations.find((e) => e.description === 'every row is in the DOM')).toMatchObject({ passed: false, message: expect.stringMatching(/found \d+, expected 10000/) });
  console.log(`count-all flow on the virtual build: ${countFixed.expectations.at(-1)?.message}`);
}

/** In the page: few rows, striping on the same rows as unpatched, the scroll height of all rows, the last row at the end, a row in the middle selectable. */
async function inPage(browser: Browser, url: string): Promise<void> {
  const page = await open(browser, url);
  try {
    await page.locator('#runlots').click();
    await expect(page.getByRole('status')).toHaveText('10000 rows');
    const shown = await page.locator('tbody td.col-id').count();
    expect(shown).toBeGreaterThan(10);
    expect(shown).toBeLessThan(200);
    const striped = () => page.evaluate(() => [...document.querySelectorAll('tbody tr')].filter((tr) => tr.querySelector('td.col-id')).map((tr) => [Number(tr.querySelector('td.col-id')!.textContent), tr.matches(':nth-child(odd)')] as const));
    for (const [id, odd] of await striped()) expect(odd, `row ${id}`).toBe(id % 2 === 1);
    const rowHeight = await page.locator('tbody tr:has(td.col-id)').first().evaluate((tr) => tr.getBoundingClientRect().height);
    const tableHeight = await page.locator('tbody').evaluate((b) => b.getBoundingClientRect().height);
    expect(Math.abs(tableHeight - 10_000 * rowHeight) / (10_000 * rowHeight)).toBeLessThan(0.01);
    await page.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight));
    await expect(page.locator('tbody tr td.col-id').last()).toHaveText('10000');
    await page.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight / 2));
    await expect(page.locator('tbody tr td.col-id').first()).not.toHaveText('1');
    for (const [id, odd] of await striped()) expect(odd, `row ${id}`).toBe(id % 2 === 1);
    // Selecting a row in the middle works on the rendered row.
    const mid = page.locator('tbody tr:has(td.col-id)').nth(15);
    await mid.locator('td.col-label a').first().click();
    await expect(mid).toHaveClass('danger');
  } finally {
    await page.close();
  }
}

test('examples/table: virtualised rows make the 10,000-row frame ≥ 2× shorter; runlots passes; a flow counting every row fails', async ({ browser }) => {
  test.setTimeout(900_000);
  const { app, base } = await tableApp();
  const fixed = await virtualBuild(app, null);
  expect(fixed.plan.library).toBeUndefined();
  await compareFrames(browser, base, fixed.url, 'own VirtualList');
  await flows(browser, app.repo, base, fixed.url);
  // The example's own operations flow counts `tbody > tr` too: it fails there, so heal would deliver the progressive list.
  const operations = await replayRun(browser, await loadRecording(join(app.repo, 'app/flows/operations.json')), { url: fixed.url });
  expect(operations.passed).toBe(false);
  console.log(`operations flow on the virtual build: ${operations.expectations.filter((e) => !e.passed).map((e) => `${e.description}: ${e.message}`).join('; ')}`);

  await inPage(browser, fixed.url);
});

test('examples/table depending on @tanstack/react-virtual: the module builds on useWindowVirtualizer, same results', async ({ browser }) => {
  test.setTimeout(900_000);
  const { app, base } = await tableApp();
  const fixed = await virtualBuild(app, TANSTACK_VIRTUAL);
  expect(fixed.plan.library).toBe('tanstack');
  expect(fixed.module).toContain("import { useWindowVirtualizer } from '@tanstack/react-virtual';");
  await compareFrames(browser, base, fixed.url, 'VirtualList over @tanstack/react-virtual');
  await flows(browser, app.repo, base, fixed.url);
  await inPage(browser, fixed.url);
});
