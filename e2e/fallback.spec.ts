import { DEMO_DIR } from './support/builds.ts';
import { aggregates, expect, handler, status, test } from './support/test.ts';

test('keeps recording in memory when a CSP blocks workers, and says so', async ({ page, serve, pageErrors }) => {
  const violations: string[] = [];
  page.on('console', (m) => {
    if (/Content Security Policy/i.test(m.text())) violations.push(m.text());
  });
  const server = await serve(DEMO_DIR, { headers: { 'Content-Security-Policy': "worker-src 'none'" } });
  await page.goto(server.url);
  const add = page.getByRole('button', { name: /^Add / });
  for (let i = 0; i < 2; i++) await add.nth(i).click();
  await page.getByLabel('Search products').pressSequentially('pro', { delay: 20 });

  await expect.poll(async () => (await status(page)).transport.kind).toBe('memory');
  const st = await status(page);
  expect(st.transport.reason).toMatch(/worker/i);
  expect(st.session).toMatchObject({ transport: 'memory', storage: 'memory' });
  expect(violations.length).toBeGreaterThan(0);

  const snap = await aggregates(page);
  expect(handler(snap, 'addToCart').count).toBe(2);
  expect(handler(snap, 'handleSearchInput').count).toBe(3);
  expect(handler(snap, 'renderReact').transitionShare).toBe(0);
  // The app itself never noticed.
  await expect(page.locator('.cart-badge')).toHaveText('Cart: 2');
  expect(pageErrors).toEqual([]);
});
