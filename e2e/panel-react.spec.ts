/**
 * The panel's React views inside real DevTools: the Recorder's "Replay with Homeostat" runs a
 * Recorder flow in the inspected tab and the panel shows the run and what it measured; the
 * Commits view lists React commits with the components that rendered, on a development build of
 * the demo (where React reports render times).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { aggregates, expect, test } from './support/test.ts';
import { launchWithExtension, openPanel, PANEL_DEMO_DIR, saveArtifact, type ExtensionBrowser, type PanelHandle } from './support/extension.ts';

const root = (p: string) => fileURLToPath(new URL(`../${p}`, import.meta.url));
/** The demo built as `NODE_ENV=development vite build --mode development`: React's development build. */
const DEMO_DEV_DIR = root('dist/demo-dev');

test.describe.configure({ mode: 'serial' });

let eb: ExtensionBrowser;
test.beforeAll(async () => {
  test.setTimeout(180_000);
  if (process.env['HOMEOSTAT_E2E_NO_BUILD'] !== '1' || !existsSync(`${DEMO_DEV_DIR}/index.html`)) {
    execFileSync(process.execPath, [root('node_modules/vite/bin/vite.js'), 'build', '--mode', 'development', '--minify', 'false', '--outDir', DEMO_DEV_DIR, '--emptyOutDir', '--logLevel', 'warn'], {
      cwd: root('.'),
      env: { ...process.env, NODE_ENV: 'development' },
      stdio: 'inherit',
    });
  }
  eb = await launchWithExtension();
});
test.afterAll(async () => {
  await eb?.close();
});

const showTab = (panel: PanelHandle, label: string) =>
  panel.evaluate(`[...document.querySelectorAll('[role=tab]')].find((b) => b.textContent === ${JSON.stringify(label)}).click()`);

test('the Recorder panel offers "Replay with Homeostat"; its replay runs in the inspected tab and the panel shows the run and what it measured', async ({ serve }) => {
  test.setTimeout(120_000);
  const server = await serve(PANEL_DEMO_DIR);
  const page = await eb.firstPage();
  await page.bringToFront();
  await page.goto(`${server.url}recorder-replay`);
  await expect(page.getByTestId('product-row').first()).toBeVisible();
  const panel = await openPanel(eb, `${server.url}recorder-replay`);
  await panel.waitFor(`document.querySelector('[data-testid=page-state]')?.dataset.state === 'present'`);
  const firstSession = await page.evaluate(() => (globalThis as unknown as { __HOMEOSTAT__: { status(): { session: { id: string } } } }).__HOMEOSTAT__.status().session.id);

  // DevTools' own list of Recorder plugins (an internal module of the front-end, as in panel.spec.ts);
  // `replay` goes through DevTools to the extension's plugin, as the Recorder's replay menu does.
  const flow = readFileSync(new URL('./fixtures/recorder/catalogue.json', import.meta.url), 'utf8');
  const find = `(async () => {
    const Extensions = await import('./models/extensions/extensions.js');
    const plugin = Extensions.RecorderPluginManager.RecorderPluginManager.instance().plugins().find((p) => p.getName() === 'Replay with Homeostat');
    return plugin ? { name: plugin.getName(), capabilities: plugin.getCapabilities() } : null;
  })()`;
  let found: { name: string; capabilities: string[] } | null = null;
  for (const end = Date.now() + 20_000; found === null && Date.now() < end; ) {
    found = await eb.cdp.evaluate<typeof found>(panel.devtoolsSession, find).catch(() => null);
    if (found === null) await new Promise((r) => setTimeout(r, 200));
  }
  expect(found, 'the Recorder replay plugin is registered').not.toBeNull();
  expect(found!.capabilities).toContain('replay');
  await eb.cdp.evaluate(
    panel.devtoolsSession,
    `(async () => {
      const Extensions = await import('./models/extensions/extensions.js');
      const plugin = Extensions.RecorderPluginManager.RecorderPluginManager.instance().plugins().find((p) => p.getName() === 'Replay with Homeostat');
      plugin.replay(${flow});
      return true;
    })()`,
  );

  await showTab(panel, 'Recorder replays');
  const status = await panel.waitFor<string>(
    `(() => { const r = document.querySelector('[data-replay]'); return r && r.dataset.status !== 'running' && r.dataset.status; })()`,
    60_000,
  );
  const failure = await panel.evaluate<string | null>(`document.querySelector('[data-replay] [data-testid=replay-failure]')?.textContent ?? null`);
  expect(status, failure ?? '').toBe('passed');
  // The flow's first step navigated the tab: a new page session, the one the run names and the panel shows.
  await expect(page.getByText('Cart: 1')).toBeVisible();
  const session = await page.evaluate(() => (globalThis as unknown as { __HOMEOSTAT__: { status(): { session: { id: string } } } }).__HOMEOSTAT__.status().session.id);
  expect(session).not.toBe(firstSession);
  expect(await panel.evaluate<string>(`document.querySelector('[data-replay]').dataset.session`)).toBe(session);
  // What the page's Homeostat measured while the steps ran: the search keystroke's handlers and the cart click.
  await aggregates(page);
  const handlers = await panel.waitFor<string[]>(
    `(() => { const hs = [...document.querySelectorAll('[data-replay] tr[data-replay-handler]')].map((r) => r.dataset.replayHandler); return hs.includes('handleSearchInput') && hs.includes('addToCart') && hs; })()`,
    30_000,
  );
  expect(handlers).toEqual(expect.arrayContaining(['handleSearchInput', 'addToCart', 'applyFilters']));
  expect(await panel.evaluate<string>(`document.querySelector('[data-replay] header').textContent`)).toMatch(/(\d+)\/\1 steps in [\d.]+ m?s · session \S+ \(shown\)/);
  saveArtifact('panel-replays.png', await panel.screenshot());
});

test('the Commits view lists React commits per interaction with the components that rendered, on a development build', async ({ serve }) => {
  test.setTimeout(120_000);
  const server = await serve(DEMO_DEV_DIR);
  const page = await eb.firstPage();
  await page.bringToFront();
  await page.goto(`${server.url}commits`);
  await expect(page.getByTestId('product-row').first()).toBeVisible();
  const panel = await openPanel(eb, `${server.url}commits`);
  await panel.waitFor(`document.querySelector('[data-testid=page-state]')?.dataset.state === 'present'`);
  // Commits are read while a panel is subscribed: interact now.
  await page.getByLabel('Search products').pressSequentially('lamp', { delay: 30 });
  await page.locator('button[aria-label^="Add "]:not([disabled])').first().click();
  // The demo filters inside startTransition.
  await page.getByLabel('Category').selectOption('Garden');
  await aggregates(page);
  await showTab(panel, 'Commits');
  // Commits are grouped by the calls' interactions, which reach the panel when they close: wait for both.
  await panel.waitFor(
    `(() => { const ts = [...document.querySelectorAll('[aria-label="Commits by interaction"] button > span:first-child')].map((s) => s.textContent); return ts.includes('handleSearchInput') && ts.includes('addToCart') && ts.includes('applyFilters'); })()`,
    30_000,
  );

  // Every group: find the search keystroke's (handleSearchInput's interaction) and read its commits.
  interface Row {
    name: string;
    self: string;
    propsEqual: string;
  }
  const groups = await panel.evaluate<string[]>(`[...document.querySelectorAll('[aria-label="Commits by interaction"] button')].map((b) => b.dataset.group)`);
  const seen: Array<{ group: string; trigger: string; lanes: string[]; rows: Row[] }> = [];
  for (const g of groups) {
    await panel.evaluate(`document.querySelector('[data-group="${g}"]').click()`);
    await panel.waitFor(`document.querySelector('[data-commit-group]')?.dataset.commitGroup === '${g}'`);
    seen.push(
      await panel.evaluate(`({
        group: '${g}',
        trigger: document.querySelector('[data-commit-group] header strong').textContent,
        lanes: [...document.querySelectorAll('[data-commit-group] [data-commit]')].map((c) => c.dataset.lane),
        rows: [...document.querySelectorAll('[data-commit-group] tr[data-component]')].map((r) => ({ name: r.dataset.component, self: r.dataset.self, propsEqual: r.dataset.propsEqual })),
      })`),
    );
  }
  const search = seen.filter((s) => s.trigger === 'handleSearchInput');
  expect(search.length, JSON.stringify(seen.map((s) => s.trigger))).toBeGreaterThanOrEqual(1);
  const rows = search.flatMap((s) => s.rows);
  const names = new Set(rows.map((r) => r.name));
  // The components of the demo that a keystroke re-renders.
  expect(names.has('App'), [...names].join(', ')).toBe(true);
  expect([...names].some((n) => ['ResultsList', 'ProductRow', 'CartPanel'].includes(n)), [...names].join(', ')).toBe(true);
  // A development build reports each component's own render time.
  expect(rows.filter((r) => r.self !== '').length).toBeGreaterThan(0);
  // The keystroke's commits: its blocking input update, and the transition it starts (the demo's results).
  expect(search.flatMap((s) => s.lanes)).toContain('blocking');
  const click = seen.find((s) => s.trigger === 'addToCart');
  expect(click, JSON.stringify(seen.map((s) => s.trigger))).toBeTruthy();
  // The filter's commits: React rendered them in a transition lane (read from the root's lanes).
  const filter = seen.filter((s) => s.trigger === 'applyFilters');
  expect(filter.flatMap((s) => s.lanes), JSON.stringify(filter.map((s) => s.lanes))).toContain('transition');
  await panel.evaluate(`document.querySelector('[data-group="${search[0]!.group}"]').click()`);
  saveArtifact('panel-commits.png', await panel.screenshot());
  saveArtifact('panel-commits.json', JSON.stringify(seen, null, 2));
});
