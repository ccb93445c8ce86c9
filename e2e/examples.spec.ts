/**
 * The webpack example (examples/webpack): a webpack 5 app whose only Homeostat line is
 * `@homeostat/tools/babel` in its Babel config. Built here with webpack's Node API, with the
 * package installed as npm would; its handlers, named by the Babel plugin, reach the session.
 */
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import webpack, { type Configuration, type Stats } from 'webpack';
import { installPackageInto } from './support/builds.ts';
import { aggregates, expect, status, test } from './support/test.ts';

const example = fileURLToPath(new URL('../examples/webpack', import.meta.url));

async function buildWebpackExample(): Promise<Stats> {
  installPackageInto(example);
  const { default: config } = (await import(join(example, 'webpack.config.js'))) as { default: Configuration };
  return new Promise((resolve, reject) => {
    webpack(config, (err, stats) => {
      if (err) reject(err);
      else if (!stats || stats.hasErrors()) reject(new Error(stats?.toString({ all: false, errors: true }) ?? 'webpack failed'));
      else resolve(stats);
    });
  });
}

test('a webpack app with @homeostat/tools/babel records its handlers, named by the plugin', async ({ page, serve, pageErrors }) => {
  test.setTimeout(120_000);
  const stats = await buildWebpackExample();
  // The worker is webpack's own chunk, emitted next to main.js.
  expect(stats.toJson({ assets: true }).assets?.map((a) => a.name).filter((n) => n !== 'main.js').length).toBeGreaterThan(0);
  const server = await serve(example);
  await page.goto(server.url);
  for (const todo of ['milk', 'bread']) {
    await page.getByLabel('New todo').fill(todo);
    await page.getByRole('button', { name: 'Add' }).click();
  }
  await expect(page.locator('output')).toHaveText('2');
  await expect.poll(async () => (await status(page)).transport.kind).toBe('worker');
  await expect.poll(async () => (await status(page)).session.react.commits).toBe('hook');
  await page.evaluate(() => (globalThis as unknown as { __HOMEOSTAT__: { flush(o: object): Promise<void> } }).__HOMEOSTAT__.flush({ final: true }));
  const counts = Object.fromEntries((await aggregates(page)).handlers.map((h) => [h.handler, h.count]));
  expect(counts['App.addTodo']).toBe(2);
  expect(counts['App.onChange']).toBeGreaterThanOrEqual(2);
  expect(pageErrors).toEqual([]);
});
