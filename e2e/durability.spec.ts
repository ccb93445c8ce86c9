/**
 * What reaches IndexedDB in a real browser: the last interactions before the user leaves, and a
 * live session while another tab clears the store.
 */
import type { Page } from '@playwright/test';
import type { SessionFile } from '../src/core/session.ts';
import { DEMO_DIR } from './support/builds.ts';
import { expect, exportSession, status, test } from './support/test.ts';

/** Calls of `handler` stored in IndexedDB for session `id`, read straight from the database. */
function storedCalls(page: Page, id: string, handler: string): Promise<number> {
  return page.evaluate(
    ([sid, name]) =>
      new Promise<number>((resolve, reject) => {
        const req = indexedDB.open('homeostat');
        req.onerror = () => reject(req.error);
        req.onsuccess = () => {
          const db = req.result;
          if (!db.objectStoreNames.contains('chunks')) return resolve(0);
          const get = db.transaction('chunks').objectStore('chunks').getAll(IDBKeyRange.bound([sid, -Infinity], [sid, Infinity]));
          get.onsuccess = () => {
            const rows = get.result as Array<{ chunk: { calls: Array<{ handler: string }> } }>;
            db.close();
            resolve(rows.reduce((n, r) => n + r.chunk.calls.filter((c) => c.handler === name).length, 0));
          };
          get.onerror = () => reject(get.error);
        };
      }),
    [id, handler] as const,
  );
}

test('the last clicks before the user navigates away reach IndexedDB', async ({ page, serve }) => {
  const server = await serve(DEMO_DIR);
  await page.goto(server.url);
  await expect.poll(async () => (await status(page)).transport.kind).toBe('worker');
  const id = (await status(page)).session.id;
  const add = page.getByRole('button', { name: /^Add / });
  for (let i = 0; i < 5; i++) await add.nth(i).click();
  // Leave at once: no flush, no wait for the service's write delay.
  await page.goto(`${server.url}?after=1`);
  await expect.poll(() => storedCalls(page, id, 'addToCart'), { timeout: 15_000 }).toBe(5);
});

/** Whether the page's rescue journal for session `id` is still waiting to be ingested. */
function journalLeft(page: Page, id: string): Promise<boolean> {
  return page.evaluate(
    (sid) =>
      new Promise<boolean>((resolve, reject) => {
        const req = indexedDB.open('homeostat-rescue');
        req.onerror = () => reject(req.error);
        req.onsuccess = () => {
          const db = req.result;
          if (!db.objectStoreNames.contains('sessions')) return resolve(false);
          const get = db.transaction('sessions').objectStore('sessions').getKey(sid);
          get.onsuccess = () => {
            db.close();
            resolve(get.result !== undefined);
          };
          get.onerror = () => reject(get.error);
        };
      }),
    id,
  );
}

// A closing tab takes its dedicated worker with it, often before the worker has written what
// it holds: the page itself saves a copy of everything not yet confirmed written (the records
// still in its buffer, the batches in flight) to IndexedDB, and the next start ingests it once.
test('the clicks a tab held when it was closed at once are all stored, none twice', async ({ context, serve }) => {
  const server = await serve(DEMO_DIR);
  const page = await context.newPage();
  await page.goto(server.url);
  await expect.poll(async () => (await status(page)).transport.kind).toBe('worker');
  const id = (await status(page)).session.id;
  const add = page.getByRole('button', { name: /^Add / });
  for (let i = 0; i < 4; i++) await add.nth(i).click();
  await page.close();
  const other = await context.newPage();
  await other.goto(`${server.url}?reader=1`);
  // Done when nothing is left to ingest; then exactly the four clicks are stored.
  await expect.poll(() => journalLeft(other, id), { timeout: 20_000 }).toBe(false);
  await expect.poll(() => storedCalls(other, id, 'addToCart'), { timeout: 15_000 }).toBe(4);
  expect(await storedCalls(other, id, 'addToCart')).toBe(4);
});

test('the last clicks the telemetry worker has when the user closes the tab reach IndexedDB', async ({ context, serve }) => {
  const server = await serve(DEMO_DIR);
  const page = await context.newPage();
  await page.goto(server.url);
  await expect.poll(async () => (await status(page)).transport.kind).toBe('worker');
  const id = (await status(page)).session.id;
  const add = page.getByRole('button', { name: /^Add / });
  for (let i = 0; i < 4; i++) await add.nth(i).click();
  // Shipped to the worker, which writes after a 1 s delay unless the page hides: close at once.
  await expect.poll(async () => (await status(page)).buffered).toBe(0);
  await page.close();
  const other = await context.newPage();
  await other.goto(`${server.url}?reader=1`);
  await expect.poll(() => storedCalls(other, id, 'addToCart'), { timeout: 15_000 }).toBe(4);
});

test('clearing in one tab keeps the records of a session live in another', async ({ context, serve }) => {
  const server = await serve(DEMO_DIR);
  const a = await context.newPage();
  await a.goto(server.url);
  await expect.poll(async () => (await status(a)).transport.kind).toBe('worker');
  const add = a.getByRole('button', { name: /^Add / });
  for (let i = 0; i < 3; i++) await add.nth(i).click();
  await a.evaluate(() => (globalThis as unknown as { __HOMEOSTAT__: { flush(): Promise<void> } }).__HOMEOSTAT__.flush());
  const idA = (await status(a)).session.id;
  await expect.poll(() => storedCalls(a, idA, 'addToCart')).toBe(3);

  const b = await context.newPage();
  await b.goto(server.url);
  await expect.poll(async () => (await status(b)).transport.kind).toBe('worker');
  await b.evaluate(() => (globalThis as unknown as { __HOMEOSTAT__: { clear(): Promise<void> } }).__HOMEOSTAT__.clear());

  expect(await storedCalls(b, idA, 'addToCart')).toBe(3);
  const file = JSON.parse(await exportSession(a)) as SessionFile;
  expect(file.calls.filter((c) => c.handler === 'addToCart')).toHaveLength(3);
  expect(file.truncated.calls).toBe(0);
});
