/**
 * The Next.js example (examples/next, app router) as a newcomer would set it up: a fresh copy
 * installs the two packed tarballs and Next.js from the npm registry (the cache when it can),
 * `next build` compiles it with Babel (the .babelrc makes Next.js drop SWC) through
 * @homeostat/tools/babel, and the static export records the counter's click, named by the plugin.
 * Slow (an install and a Babel build of Next.js): HOMEOSTAT_E2E_SKIP_NEXT=1 skips it.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { aggregates, expect, status, test } from './support/test.ts';

const root = (p: string) => fileURLToPath(new URL(`../${p}`, import.meta.url));

/** `npm pack` of the package in `dir` (built already by the e2e setup) into `dest`. */
function pack(dir: string, dest: string): string {
  const [info] = JSON.parse(execFileSync('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', dest], { cwd: dir, encoding: 'utf8' })) as [{ filename: string }];
  return join(dest, info.filename);
}

test.skip(process.env['HOMEOSTAT_E2E_SKIP_NEXT'] === '1', 'HOMEOSTAT_E2E_SKIP_NEXT=1');

test('a Next.js app-router app built with @homeostat/tools/babel records its click handler', async ({ page, serve, pageErrors }) => {
  test.setTimeout(480_000);
  const tmp = mkdtempSync(join(tmpdir(), 'homeostat-next-'));
  const app = join(tmp, 'app');
  cpSync(root('examples/next'), app, { recursive: true, filter: (src) => !/[/\\](node_modules|\.next|out)$/.test(src) });
  const pkg = JSON.parse(readFileSync(join(app, 'package.json'), 'utf8')) as { dependencies: Record<string, string>; devDependencies: Record<string, string> };
  const reactVersion = (JSON.parse(readFileSync(root('node_modules/react/package.json'), 'utf8')) as { version: string }).version;
  pkg.dependencies['homeostat'] = `file:${pack(root('.'), tmp)}`;
  pkg.devDependencies['@homeostat/tools'] = `file:${pack(root('tools'), tmp)}`;
  pkg.dependencies['react'] = reactVersion;
  pkg.dependencies['react-dom'] = reactVersion;
  writeFileSync(join(app, 'package.json'), JSON.stringify(pkg, null, 2));
  // The e2e setup's `vite build` leaves NODE_ENV=production in the workers' environment, under
  // which npm would leave out the devDependencies (the tools, so `@homeostat/tools/babel`).
  const { NODE_ENV: _unused, ...installEnv } = process.env;
  execFileSync('npm', ['install', '--include=dev', '--prefer-offline', '--no-audit', '--no-fund', '--ignore-scripts', '--loglevel=error'], { cwd: app, stdio: 'inherit', env: installEnv });
  const build = execFileSync('npx', ['--no-install', 'next', 'build'], { cwd: app, encoding: 'utf8', env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1' } });
  // The note the README makes: a Babel config turns SWC off.
  expect(build).toMatch(/Disabled SWC as replacement for Babel/);

  const server = await serve(join(app, 'out'));
  await page.goto(server.url);
  const button = page.getByRole('button', { name: /count is/ });
  for (let i = 0; i < 3; i++) await button.click();
  await expect(button).toHaveText('count is 3');
  await expect.poll(async () => (await status(page)).session.app).toBe('next-example');
  await page.evaluate(() => (globalThis as unknown as { __HOMEOSTAT__: { flush(o: object): Promise<void> } }).__HOMEOSTAT__.flush({ final: true }));
  const counts = Object.fromEntries((await aggregates(page)).handlers.map((h) => [h.handler, h.count]));
  expect(counts).toEqual({ 'Counter.onClick': 3 });
  expect(pageErrors).toEqual([]);
});
