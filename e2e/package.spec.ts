import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { CONSUMER_DIR, CONSUMER_SRC } from './support/builds.ts';
import { expect, status, test } from './support/test.ts';

test('the built package typechecks and runs in an app that installed it', async ({ page, serve, pageErrors }) => {
  // Declarations: strict, skipLibCheck off, resolved through package.json "exports".
  const tsc = join(process.cwd(), 'node_modules/typescript/bin/tsc');
  expect(() => execFileSync(process.execPath, [tsc, '-p', join(CONSUMER_SRC, 'tsconfig.json')], { encoding: 'utf8' })).not.toThrow();

  const server = await serve(CONSUMER_DIR);
  await page.goto(server.url);
  for (let i = 0; i < 5; i++) await page.click('#add');
  await expect(page.locator('output')).toHaveText('5');
  // The worker file shipped in dist/lib was found next to the module that starts it.
  await expect.poll(async () => (await status(page)).transport.kind).toBe('worker');
  const counts = await page.evaluate(async () => {
    const c = (globalThis as unknown as { __HOMEOSTAT__: { flush(o: object): Promise<void>; aggregates(): Promise<{ handlers: Array<{ handler: string; count: number }> }> } }).__HOMEOSTAT__;
    await c.flush({ final: true });
    return (await c.aggregates()).handlers.map((h) => [h.handler, h.count]);
  });
  expect(counts).toEqual([['add', 5]]);
  expect((await status(page)).session).toMatchObject({ app: 'consumer', storage: 'indexeddb', react: { lanes: false } });
  expect(pageErrors).toEqual([]);
});
