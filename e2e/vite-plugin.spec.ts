/**
 * Drop-in on real app shapes: apps as `npm create vite` makes them (a .jsx counter; a .tsx todo
 * app with useReducer, dispatch through props and context, and a custom hook), with the
 * package installed and one line added to their vite config: `homeostat()`. No other code
 * change. Their handlers, commits and transition modes reach the session (built and in the
 * dev server), the DevTools panel, and `homeostat docs`.
 */
import { closeSync, cpSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { createServer } from 'vite';
import { command as docsCommand } from '../src/cli/commands/docs.ts';
import type { SourceLocation } from '../src/page/index.ts';
import { viteAppDir, viteAppSrc, type ViteApp } from './support/builds.ts';
import { launchWithExtension, openPanel, READ_ROWS, type PanelRow } from './support/extension.ts';
import { aggregates, exportSession, expect, handler, status, test } from './support/test.ts';

const sources = (page: Page) =>
  page.evaluate(() => (globalThis as unknown as { __HOMEOSTAT__: { sources(): Record<string, SourceLocation> } }).__HOMEOSTAT__.sources());

const lineOf = (app: ViteApp, file: string, text: string) =>
  readFileSync(join(viteAppSrc(app), file), 'utf8').split('\n').findIndex((l) => l.includes(text)) + 1;

test('a create-vite .jsx app with the plugin line records its handler, commits and modes, with the source location', async ({ page, serve, pageErrors }) => {
  // The app's own config is the template's plus the plugin: nothing else mentions Homeostat.
  expect(readFileSync(join(viteAppSrc('vite-jsx'), 'vite.config.js'), 'utf8')).toMatch(/plugins: \[homeostat\(\), react\(\)\]/);
  const server = await serve(viteAppDir('vite-jsx'));
  await page.goto(server.url);
  const button = page.getByRole('button', { name: /count is/ });
  for (let i = 0; i < 5; i++) await button.click();
  await expect(button).toHaveText('count is 5');
  // The worker Vite emitted for the plugin was found; React was observed before react-dom loaded.
  await expect.poll(async () => (await status(page)).transport.kind).toBe('worker');
  await expect.poll(async () => (await status(page)).session.react).toMatchObject({ lanes: true, commits: 'hook' });
  const snap = await aggregates(page);
  expect(snap.handlers.map((h) => h.handler)).toEqual(['App.onClick']);
  const h = handler(snap, 'App.onClick');
  expect(h.count).toBe(5);
  expect(h.modes.blocking).toBe(5);
  // Each click committed (the DevTools hook saw React commit after the call).
  expect(h.commit?.count).toBe(5);
  expect(await sources(page)).toEqual({ 'App.onClick': { file: 'src/App.jsx', line: lineOf('vite-jsx', 'src/App.jsx', 'onClick={() =>'), column: expect.any(Number) } });
  expect(pageErrors).toEqual([]);
});

/**
 * A dev server as `npm run dev` starts it. The e2e setup ran `vite build`, which leaves
 * NODE_ENV=production in the environment the test workers inherit, and React's plugin turns Fast
 * Refresh off under it: set it back for the dev server.
 */
function devServer(root: string, config: string) {
  process.env['NODE_ENV'] = 'development';
  return createServer({ root, configFile: join(root, config), mode: 'development', logLevel: 'info', server: { port: 0, strictPort: false } });
}

/**
 * A cold dev server may reload the first page once it has optimized the dependencies it
 * discovered: let that happen before the state a test builds up.
 */
async function openDevPage(page: Page, url: string): Promise<void> {
  await page.goto(url);
  await page.waitForLoadState('networkidle');
  await page.reload();
  await page.waitForLoadState('networkidle');
}

test('the dev server serves the instrumented app and its worker', async ({ page, pageErrors }) => {
  const root = viteAppSrc('vite-jsx');
  const server = await devServer(root, 'vite.config.js');
  try {
    await server.listen();
    const url = server.resolvedUrls?.local[0];
    if (!url) throw new Error('the dev server has no local URL');
    await openDevPage(page, url);
    const button = page.getByRole('button', { name: /count is/ });
    for (let i = 0; i < 3; i++) await button.click();
    await expect(button).toHaveText('count is 3');
    await expect.poll(async () => (await status(page)).transport.kind, { timeout: 15_000 }).toBe('worker');
    const h = handler(await aggregates(page), 'App.onClick');
    expect(h.count).toBe(3);
    expect(h.modes.blocking).toBe(3);
    expect(pageErrors).toEqual([]);
  } finally {
    await server.close();
  }
});

test('HMR keeps working: an edit is hot-updated with the state kept, and the handler keeps recording', async ({ page, pageErrors }) => {
  // A copy to edit, inside the repository so its dependencies resolve as the fixture's do.
  mkdirSync(join(process.cwd(), '.tmp'), { recursive: true });
  const root = mkdtempSync(join(process.cwd(), '.tmp', 'vite-hmr-'));
  // Without the fixture's dependency cache: this server optimizes its own.
  cpSync(viteAppSrc('vite-jsx'), root, { recursive: true, filter: (src) => !/node_modules[\\/]\.vite/.test(src) });
  const server = await devServer(root, 'vite.config.js');
  // What Vite said in the page (HMR updates, reloads and why): the failure message shows it.
  const console: string[] = [];
  page.on('console', (m) => console.push(m.text()));
  try {
    await server.listen();
    // A cold server bundles its dependencies on the first request and reloads pages that loaded
    // modules before it was done: let it finish before making the state that must survive.
    const url = server.resolvedUrls!.local[0]!;
    await fetch(url);
    await expect.poll(() => existsSync(join(root, 'node_modules', '.vite', 'deps', '_metadata.json')), { timeout: 30_000 }).toBe(true);
    await openDevPage(page, url);
    console.length = 0;
    const button = page.getByRole('button', { name: /count is/ });
    for (let i = 0; i < 2; i++) await button.click();
    await expect(button).toHaveText('count is 2');
    await page.evaluate(() => ((globalThis as unknown as { __beforeEdit: boolean }).__beforeEdit = true));
    const app = join(root, 'src', 'App.jsx');
    // One write over the same number of bytes, never a truncated or missing file: a watcher that
    // saw one (a truncate-then-write, or a rename seen as unlink + add on a busy machine) would
    // rightly reload the page.
    const edit = Buffer.from(readFileSync(app, 'utf8').replace('count is {count}', 'clicks = {count}'));
    const fd = openSync(app, 'r+');
    try {
      writeSync(fd, edit, 0, edit.length, 0);
    } finally {
      closeSync(fd);
    }
    const edited = page.getByRole('button', { name: /clicks =/ });
    // Fast Refresh: same page (no reload), same state.
    await expect(edited, `page console after the edit:\n${console.join('\n')}`).toHaveText('clicks = 2', { timeout: 15_000 });
    expect(await page.evaluate(() => (globalThis as unknown as { __beforeEdit?: boolean }).__beforeEdit)).toBe(true);
    await edited.click();
    await expect(edited).toHaveText('clicks = 3');
    expect(handler(await aggregates(page), 'App.onClick').count).toBe(3);
    expect(pageErrors).toEqual([]);
  } finally {
    await server.close();
    rmSync(root, { recursive: true, force: true });
  }
});

async function driveTodos(page: Page): Promise<void> {
  await page.getByLabel('New todo').fill('Buy milk');
  await page.getByRole('button', { name: 'Add' }).click();
  await expect(page.getByRole('listitem')).toHaveCount(4);
  await page.getByRole('checkbox').nth(0).check();
  await page.getByRole('checkbox').nth(3).check();
  await page.getByRole('button', { name: 'Showing: all' }).click();
  await expect(page.getByRole('button', { name: 'Showing: open' })).toBeVisible();
  await page.getByRole('button', { name: 'Showing: open' }).click();
  await expect(page.getByRole('button', { name: 'Showing: done' })).toBeVisible();
  await page.getByRole('button', { name: 'Clear done' }).click();
  await expect(page.getByRole('listitem')).toHaveCount(0);
}

test('a .tsx app with useReducer and dispatch through props and context: every handler, its mode, and docs that find its updates', async ({ page, serve, pageErrors }) => {
  const server = await serve(viteAppDir('vite-tsx'));
  await page.goto(server.url);
  await driveTodos(page);
  const snap = await aggregates(page);
  const count = (name: string) => handler(snap, name).count;
  expect(snap.handlers.map((h) => h.handler).sort()).toEqual(['App.addTodo', 'App.onChange', 'App.onSubmit', 'TodoItem.onChange', 'Toolbar.onClick', 'useFilter.cycle']);
  expect([count('App.onSubmit'), count('App.addTodo'), count('TodoItem.onChange'), count('useFilter.cycle'), count('Toolbar.onClick')]).toEqual([1, 1, 2, 2, 1]);
  // dispatch received through props and through context: blocking; the custom hook's filter: a transition.
  expect(handler(snap, 'TodoItem.onChange').modes.blocking).toBe(2);
  expect(handler(snap, 'Toolbar.onClick').modes.blocking).toBe(1);
  expect(handler(snap, 'useFilter.cycle').transitionShare).toBe(1);
  expect(pageErrors).toEqual([]);

  // The docs, from the same code and this session: every handler, each with the updates it makes.
  const dir = mkdtempSync(join(tmpdir(), 'homeostat-vite-docs-'));
  try {
    writeFileSync(join(dir, 'session.json'), await exportSession(page));
    const io = { out: () => {}, log: () => {}, cwd: dir };
    expect(await docsCommand.run(['--root', join(viteAppSrc('vite-tsx'), 'src'), '--docs', 'docs', '--sessions', 'session.json'], io)).toBe(0);
    const spec = JSON.parse(readFileSync(join(dir, 'docs', 'homeostat.spec.json'), 'utf8')) as { handlers: Record<string, { baseline: { n: number } | null }> };
    expect(Object.keys(spec.handlers).sort()).toEqual(snap.handlers.map((h) => h.handler).sort());
    for (const h of snap.handlers) expect(spec.handlers[h.handler]!.baseline?.n, h.handler).toBe(h.count);
    const md = readFileSync(join(dir, 'docs', 'HANDLER_SPECS.md'), 'utf8');
    for (const h of snap.handlers) {
      const section = md.split(`## \`${h.handler}\``)[1]!.split('\n## ')[0]!;
      expect(section, h.handler).toMatch(/- \*\*State updates:\*\* `(dispatch|setText|setFilter)`/);
    }
    expect(md).toMatch(/`dispatch` → `state\.todos` \(action `toggle`\) at \[TodoItem\.tsx:\d+\]/);
    expect(md).toMatch(/`dispatch` → `state\.todos` \(action `clearDone`\) at \[Toolbar\.tsx:\d+\]/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the .jsx app with docs: homeostat docs finds its handler with the update it makes', async ({ page, serve }) => {
  const server = await serve(viteAppDir('vite-jsx'));
  await page.goto(server.url);
  for (let i = 0; i < 3; i++) await page.getByRole('button', { name: /count is/ }).click();
  await aggregates(page);
  const dir = mkdtempSync(join(tmpdir(), 'homeostat-vite-docs-'));
  try {
    writeFileSync(join(dir, 'session.json'), await exportSession(page));
    const io = { out: () => {}, log: () => {}, cwd: dir };
    expect(await docsCommand.run(['--root', join(viteAppSrc('vite-jsx'), 'src'), '--docs', 'docs', '--sessions', 'session.json'], io)).toBe(0);
    const md = readFileSync(join(dir, 'docs', 'HANDLER_SPECS.md'), 'utf8');
    expect(md).toContain('## `App.onClick`');
    expect(md).toMatch(/- \*\*State updates:\*\* `setCount` → `count` at \[App\.jsx:\d+\]\([^)]*App\.jsx#L\d+\), blocking/);
    expect(md).toMatch(/- \*\*Transition share:\*\* 0% of 3 updating calls \(0 transition, 0 mixed, 3 blocking\)/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the DevTools panel shows both apps’ plugin-named handlers with their transition modes', async ({ serve }) => {
  const eb = await launchWithExtension();
  try {
    const page = await eb.firstPage();
    const server = await serve(viteAppDir('vite-tsx'));
    await page.goto(server.url);
    await driveTodos(page);
    const panel = await openPanel(eb, server.url);
    await panel.waitFor(`document.querySelector('tr[data-handler="useFilter.cycle"]') !== null`);
    await panel.waitFor(`document.querySelectorAll('tr[data-handler]').length === 6`, 30_000);
    const rows = await panel.evaluate<PanelRow[]>(READ_ROWS);
    const row = (name: string) => rows.find((r) => r.handler === name)!;
    expect(rows.map((r) => r.handler).sort()).toEqual(['App.addTodo', 'App.onChange', 'App.onSubmit', 'TodoItem.onChange', 'Toolbar.onClick', 'useFilter.cycle']);
    expect(Number(row('useFilter.cycle').values['transition'])).toBe(1);
    expect(Number(row('TodoItem.onChange').values['transition'])).toBe(0);
    expect(Number(row('TodoItem.onChange').values['n'])).toBe(2);

    const jsx = await serve(viteAppDir('vite-jsx'));
    await page.goto(jsx.url);
    for (let i = 0; i < 2; i++) await page.getByRole('button', { name: /count is/ }).click();
    await panel.waitFor(`document.querySelector('tr[data-handler="App.onClick"] [data-col=n]')?.textContent === '2'`, 30_000);
  } finally {
    await eb.close();
  }
});
