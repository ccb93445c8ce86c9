/**
 * The progressive-list codemod in a real browser, on two 10,000-row tables: the lots fixture
 * and examples/table (js-framework-benchmark's shape). heal's own pieces make the fix (the
 * docs analysis, the locator, the codemod, the tree checks: tsc clean), and the test measures
 * it with its own Long Animation Frame observer, independently of Homeostat:
 * - the longest frame after "Create 10,000 rows" is at least 2× shorter, and every row is in the
 *   DOM at the end;
 * - later updates of the same list (select, swap, remove, update, append) never drop a row or
 *   chunk again; clearing empties the table at once, and creating rows again is chunked again.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, test } from '@playwright/test';
import type { Browser, Page } from 'playwright-core';
import { analyzeProject } from '../src/docs/analyze.ts';
import { buildAndServe, type AppBuild } from '../src/heal/app.ts';
import { applyFix } from '../src/heal/apply.ts';
import { checksFor, runChecks } from '../src/heal/checks.ts';
import { prepareAppRepo } from '../src/heal/demo-app.ts';
import { addWorktree, type Worktree } from '../src/heal/git.ts';
import { progressiveListPlan, type ListHandlerFacts } from '../src/heal/list-locator.ts';
import { prepareTableRepo } from './support/table-app.ts';

const LOTS = fileURLToPath(new URL('./fixtures/lots', import.meta.url));

test.describe.configure({ mode: 'serial' });
test.use({ trace: 'off' });

let dir: string;
const trees: Worktree[] = [];
const servers: Array<{ close(): Promise<void> }> = [];

test.beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'homeostat-progressive-'));
});

test.afterAll(async () => {
  for (const s of servers) await s.close();
  for (const t of trees) await t.remove();
  await rm(dir, { recursive: true, force: true });
});

/** The test's own instruments in the page: Long Animation Frames, and every row count the DOM goes through. */
const LAB = `(() => {
  const lab = { frames: [], counts: [], min: Infinity };
  window.__lab = lab;
  const observer = new PerformanceObserver((l) => { for (const e of l.getEntries()) lab.frames.push({ start: e.startTime, duration: e.duration }); });
  observer.observe({ type: 'long-animation-frame', buffered: true });
  // Entries the browser queued but has not delivered yet.
  lab.flush = () => { for (const e of observer.takeRecords()) lab.frames.push({ start: e.startTime, duration: e.duration }); };
  const count = () => document.querySelectorAll('tbody tr').length;
  new MutationObserver(() => { const n = count(); lab.counts.push(n); lab.min = Math.min(lab.min, n); })
    .observe(document, { subtree: true, childList: true });
  lab.mark = () => { lab.counts = []; lab.min = count(); return performance.now(); };
})();`;

interface Lab {
  frames: Array<{ start: number; duration: number }>;
  counts: number[];
  min: number;
}

const rowCount = (page: Page) => page.evaluate(() => document.querySelectorAll('tbody tr').length);

/** Waits until the table has `n` rows, then until the frames that committed them have been reported. */
async function settle(page: Page, n: number): Promise<void> {
  await page.waitForFunction((k) => document.querySelectorAll('tbody tr').length === k, n, { timeout: 120_000, polling: 100 });
  // Two frames later the frame of the last commit has ended; its entry is queued by then.
  await page.evaluate(() => new Promise<void>((r) => requestAnimationFrame(() => requestAnimationFrame(() => r()))));
  await page.evaluate(() => (window as unknown as { __lab: { flush(): void } }).__lab.flush());
}

async function lab(page: Page): Promise<Lab> {
  return page.evaluate(() => {
    const l = (window as unknown as { __lab: Lab }).__lab;
    return { frames: l.frames, counts: l.counts, min: l.min };
  });
}

/** Clicks `button`, waits for `rows` rows; returns the longest Long Animation Frame from the click on. */
async function longestFrameOf(page: Page, button: string, rows: number): Promise<number> {
  const t0 = await page.evaluate(() => (window as unknown as { __lab: { mark(): number } }).__lab.mark());
  await page.locator(button).click();
  await settle(page, rows);
  const { frames } = await lab(page);
  return Math.max(0, ...frames.filter((f) => f.start + f.duration > t0).map((f) => f.duration));
}

async function open(browser: Browser, url: string, ready: string): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  await page.addInitScript(LAB);
  await page.goto(url);
  await page.locator(ready).waitFor();
  return page;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** The fix as heal makes it: plan from the analysis, codemod in a worktree, the app's checks, build. */
async function progressiveVariant(app: { repo: string; build: AppBuild }, srcDir: string, handler: string, facts: (analysis: ListHandlerFacts[]) => ListHandlerFacts[]) {
  const tree = await addWorktree(app.repo, 'HEAD', `progressive-${handler}`);
  trees.push(tree);
  const root = join(tree.dir, srcDir);
  const analysis = await analyzeProject(root);
  const plan = await progressiveListPlan(root, facts(analysis.handlers), handler);
  const change = await applyFix(tree.dir, srcDir, plan);
  const checks = checksFor(tree.dir, { testCommand: '', from: dirname(change.file) });
  expect(checks.map((c) => c.name)).toContain('tsc');
  expect(await runChecks(tree.dir, checks, async () => async () => undefined)).toBeNull();
  const server = await buildAndServe(tree.dir, app.build);
  servers.push(server);
  return { plan, change, url: server.url };
}

/** Alternated runs of "create 10,000 rows" on both builds; the patched one's longest frame is ≥ 2× shorter, with every row there. */
async function compareFrames(browser: Browser, baseUrl: string, fixedUrl: string, button: string, ready: string): Promise<{ base: number[]; fixed: number[] }> {
  const base: number[] = [];
  const fixed: number[] = [];
  for (let round = 0; round < 3; round++) {
    for (const [url, out] of [[baseUrl, base], [fixedUrl, fixed]] as const) {
      const page = await open(browser, url, ready);
      try {
        out.push(await longestFrameOf(page, button, 10_000));
        // Every row, in order: ids count from 1 in a fresh page.
        await expect(page.locator('tbody tr').first().locator('td.col-id')).toHaveText('1');
        await expect(page.locator('tbody tr').last().locator('td.col-id')).toHaveText('10000');
      } finally {
        await page.close();
      }
    }
  }
  const detail = `longest frames: base ${base.map((x) => Math.round(x)).join(', ')} ms; progressive ${fixed.map((x) => Math.round(x)).join(', ')} ms`;
  console.log(detail);
  expect(median(fixed) * 2, detail).toBeLessThanOrEqual(median(base));
  return { base, fixed };
}

test('lots: the longest frame after creating 10,000 rows is ≥ 2× shorter, every row there; select, clear and create again behave', async ({ browser }) => {
  test.setTimeout(900_000);
  const app = await prepareAppRepo(dir, { 'index.html': join(LOTS, 'index.html'), src: join(LOTS, 'src'), flows: join(LOTS, 'flows') });
  const fixed = await progressiveVariant(app, 'src', 'runLots', (a) => a);
  expect(fixed.plan).toEqual({ codemod: 'progressive-list', file: 'Rows.tsx', handler: 'runLots', component: 'AllRows', list: expect.objectContaining({ line: expect.any(Number) }), items: 'rows' });
  expect(fixed.change.also?.map((f) => f.file)).toEqual(['src/useProgressiveList.ts']);
  const base = await buildAndServe(app.repo, app.build);
  servers.push(base);
  await compareFrames(browser, base.url, fixed.url, 'button:has-text("Create 10,000 rows")', 'button:has-text("Create 10,000 rows")');

  const page = await open(browser, fixed.url, 'button:has-text("Create 10,000 rows")');
  try {
    await page.locator('button:has-text("Create 10,000 rows")').click();
    await settle(page, 10_000);
    // Select a row: the same list, every row stays.
    await page.evaluate(() => (window as unknown as { __lab: { mark(): number } }).__lab.mark());
    await page.locator('tbody tr').nth(4).locator('a').first().click();
    await expect(page.locator('tbody tr').nth(4)).toHaveClass('danger');
    await settle(page, 10_000);
    expect((await lab(page)).min).toBe(10_000);
    // Clear: empty at once.
    await page.locator('button:has-text("Clear")').click();
    await expect(page.getByRole('status')).toHaveText('0 rows');
    expect(await rowCount(page)).toBe(0);
    // Create again: chunked again (a first screenful, then more), every row at the end.
    await page.evaluate(() => (window as unknown as { __lab: { mark(): number } }).__lab.mark());
    await page.locator('button:has-text("Create 10,000 rows")').click();
    await settle(page, 10_000);
    const counts = (await lab(page)).counts.filter((n) => n > 0);
    expect(counts[0]).toBeLessThan(200);
    expect(new Set(counts).size).toBeGreaterThan(2);
  } finally {
    await page.close();
  }
});

test('examples/table: ≥ 2× shorter longest frame; swap, remove, update, append and select keep every row; clear resets', async ({ browser }) => {
  test.setTimeout(900_000);
  const app = await prepareTableRepo(dir);
  // What the analysis says RUN_LOTS updates. Until the plugin names the toolbar's `cb` arrows, the
  // same state as another of the reducer's handlers, with RUN_LOTS's fields.
  const fixed = await progressiveVariant(app, app.srcDir, 'Jumbotron.RUN_LOTS', (analysis) => {
    const own = analysis.find((h) => h.updates.some((u) => (u as { action?: string | null }).action === 'RUN_LOTS'));
    if (own) return [{ ...own, name: 'Jumbotron.RUN_LOTS' }];
    const same = analysis.find((h) => h.updates.some((u) => u.stateSource?.file === 'Main.tsx'))!;
    return [{ name: 'Jumbotron.RUN_LOTS', file: 'Jumbotron.tsx', updates: same.updates.map((u) => ({ ...u, fields: ['data', 'selected'] })) }];
  });
  expect(fixed.plan).toMatchObject({ codemod: 'progressive-list', file: 'Main.tsx', component: 'Main', items: 'data' });
  const base = await buildAndServe(app.repo, app.build);
  servers.push(base);
  await compareFrames(browser, base.url, fixed.url, '#runlots', '#runlots');

  const page = await open(browser, fixed.url, '#runlots');
  const keep = async (action: () => Promise<void>, rows: number, done: () => Promise<void>) => {
    await page.evaluate(() => (window as unknown as { __lab: { mark(): number } }).__lab.mark());
    const before = await rowCount(page);
    await action();
    await done();
    await settle(page, rows);
    // Never fewer rows than the update leaves: nothing dropped, nothing chunked again.
    expect((await lab(page)).min).toBeGreaterThanOrEqual(Math.min(before, rows));
  };
  try {
    await page.locator('#runlots').click();
    await settle(page, 10_000);
    const ids = () => page.locator('tbody td.col-id').allTextContents();
    const first = await ids();
    await keep(() => page.locator('#swaprows').click(), 10_000, async () => {
      await expect(page.locator('tbody tr').nth(1).locator('td.col-id')).toHaveText(first[998]!);
    });
    expect((await ids())[998]).toBe(first[1]);
    await keep(() => page.getByLabel(`remove ${first[2]}`, { exact: true }).click(), 9_999, async () => {
      await expect(page.getByLabel(`remove ${first[2]}`, { exact: true })).toHaveCount(0);
    });
    await keep(() => page.locator('#update').click(), 9_999, async () => {
      await expect(page.locator('tbody tr').first()).toContainText('!!!');
    });
    await keep(() => page.locator('tbody td.col-label a').nth(5).click(), 9_999, async () => {
      await expect(page.locator('tbody tr').nth(5)).toHaveClass('danger');
    });
    await keep(() => page.locator('#add').click(), 10_999, async () => undefined);
    await page.locator('#clear').click();
    await expect(page.getByRole('status')).toHaveText('0 rows');
    expect(await rowCount(page)).toBe(0);
  } finally {
    await page.close();
  }
});
