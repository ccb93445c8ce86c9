import { parseSessionFile } from '../src/core/session.ts';
import { DEMO_DIR } from './support/builds.ts';
import { aggregates, exportSession, expect, handler, sessions, status, test } from './support/test.ts';

test.describe('the instrumented demo', () => {
  test('records every handler call in the worker, with what the user did', async ({ page, serve, pageErrors }) => {
    const server = await serve(DEMO_DIR);
    await page.goto(server.url);
    await expect(page.getByTestId('product-row').first()).toBeVisible();

    const search = page.getByLabel('Search products');
    await search.pressSequentially('lamp', { delay: 30 });
    await expect(page.locator('.count')).not.toHaveText(/^5000 of/);
    await page.getByLabel('Category').selectOption('Garden');
    await page.getByLabel('Sort').selectOption('price-asc');
    const add = page.getByRole('button', { name: /^Add / });
    for (let i = 0; i < 3; i++) await add.nth(i).click();
    await search.fill('/(');
    await expect(page.getByRole('alert')).toHaveText(/not a valid regular expression/);

    const st = await status(page);
    expect(st.transport).toMatchObject({ kind: 'worker', reason: null });
    expect(st.session).toMatchObject({
      crossOriginIsolated: true,
      clockResolutionMs: 0.005,
      storage: 'indexeddb',
      app: 'homeostat-demo',
      react: { version: expect.stringMatching(/^19\./), lanes: true, commits: 'hook' },
    });

    const snap = await aggregates(page);
    // 4 keystrokes + the fill that replaced the text.
    expect(handler(snap, 'handleSearchInput').count).toBe(5);
    expect(handler(snap, 'parseQuery')).toMatchObject({ count: 5, errors: 1 });
    expect(handler(snap, 'parseQuery').errorPatterns).toEqual([
      expect.objectContaining({ name: 'SyntaxError', message: 'Invalid regular expression: <regexp>: Unterminated group', count: 1 }),
    ]);
    expect(handler(snap, 'renderReact').count).toBe(4);
    expect(handler(snap, 'applyFilters').count).toBe(1);
    expect(handler(snap, 'App.handleSort').count).toBe(1);
    expect(handler(snap, 'addToCart').count).toBe(3);
    expect(handler(snap, 'computeFacets').count).toBeGreaterThanOrEqual(10);

    // How React ran the updates, as React decided.
    expect(handler(snap, 'renderReact')).toMatchObject({ transitionShare: 0, modes: expect.objectContaining({ blocking: 4 }) });
    expect(handler(snap, 'applyFilters')).toMatchObject({ transitionShare: 1 });
    expect(handler(snap, 'App.handleSort')).toMatchObject({ transitionShare: 1 });
    expect(handler(snap, 'addToCart').transitionShare).toBe(0);
    // The blocking render: the user waited on it, the handler itself is short.
    const render = handler(snap, 'renderReact');
    expect(render.blocking.p50).toBeGreaterThan(5);
    expect(render.duration.p50).toBeLessThan(render.blocking.p50);
    expect(render.commit!.count).toBe(4);

    const searchSeq = snap.sequences.find((s) => s.name === 'input:handleSearchInput');
    expect(searchSeq?.count).toBe(5);
    expect(searchSeq?.variants[0]?.handlers.slice(0, 3)).toEqual(['handleSearchInput', 'parseQuery', 'renderReact']);
    expect(snap.sequences.find((s) => s.name === 'click:addToCart')?.count).toBe(3);
    expect(pageErrors).toEqual([]);
  });

  test('times the async checkout to settle and keeps its continuation in the same sequence', async ({ page, serve }) => {
    const server = await serve(DEMO_DIR);
    await page.goto(server.url);
    await page.getByRole('button', { name: /^Add / }).first().click();
    await page.getByRole('button', { name: 'Checkout' }).click();
    await expect(page.getByRole('status')).toHaveText(/Order A-1001 confirmed/);
    const snap = await aggregates(page);
    const checkout = handler(snap, 'checkout');
    expect(checkout.asyncCount).toBe(1);
    expect(checkout.settle!.p50).toBeGreaterThan(checkout.duration.p50);
    expect(handler(snap, 'App.confirmOrder').count).toBe(1);
    const seq = snap.sequences.find((s) => s.name === 'click:checkout')!;
    expect(seq.variants[0]!.handlers).toEqual(expect.arrayContaining(['checkout', 'App.confirmOrder']));
  });

  test('keeps sessions in IndexedDB across a reload', async ({ page, serve }) => {
    const server = await serve(DEMO_DIR);
    await page.goto(server.url);
    const add = page.getByRole('button', { name: /^Add / });
    for (let i = 0; i < 4; i++) await add.nth(i).click();
    const before = await aggregates(page);
    const firstId = (await status(page)).session.id;

    await page.reload();
    await expect(page.getByTestId('product-row').first()).toBeVisible();
    const second = await status(page);
    expect(second.session.id).not.toBe(firstId);
    const list = await sessions(page);
    expect(list.find((s) => s.id === firstId)).toMatchObject({ live: false, calls: before.totals.calls });
    const old = await aggregates(page, { id: firstId });
    expect(handler(old, 'addToCart').count).toBe(4);
    const all = await aggregates(page, 'all');
    expect(handler(all, 'addToCart').count).toBe(4);
  });

  test('exports a valid session file that carries no user input', async ({ page, serve }) => {
    const server = await serve(DEMO_DIR);
    await page.goto(server.url);
    const search = page.getByLabel('Search products');
    await search.fill('/secret-sku-(');
    await search.fill('secret sku 4711');
    const file = parseSessionFile(await exportSession(page), 'export');
    expect(file.session.source).toBe('page');
    expect(file.calls.filter((c) => c.handler === 'parseQuery')).toHaveLength(2);
    const text = JSON.stringify(file);
    expect(text).not.toMatch(/secret|4711/);
    expect(file.calls.find((c) => c.error)?.error?.message).toBe('Invalid regular expression: <regexp>: Unterminated group');
  });
});
