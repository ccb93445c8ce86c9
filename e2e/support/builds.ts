/** Builds what the e2e tests serve: the demo, the React 18 / 19 fixture, and apps that install the package. */
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { build, type Alias } from 'vite';

const root = (p: string) => fileURLToPath(new URL(`../../${p}`, import.meta.url));

export const DEMO_DIR = root('dist/demo');
export const fixtureDir = (react: 18 | 19) => root(`dist/fixtures/react${react}`);

const homeostatAliases: Alias[] = [
  { find: /^homeostat\/react$/, replacement: root('src/react/index.tsx') },
  { find: /^homeostat$/, replacement: root('src/page/index.ts') },
];

const react18Aliases: Alias[] = [
  { find: /^react-dom\/client$/, replacement: 'react-dom-18/client' },
  { find: /^react-dom$/, replacement: 'react-dom-18' },
  { find: /^react$/, replacement: 'react-18' },
  { find: /^react\/jsx-runtime$/, replacement: 'react-18/jsx-runtime' },
  { find: /^react\/jsx-dev-runtime$/, replacement: 'react-18/jsx-dev-runtime' },
];

export const CONSUMER_SRC = root('e2e/fixtures/consumer');
export const CONSUMER_DIR = root('dist/fixtures/consumer');

/** Builds the package (dist/lib, dist/types), links it into the consumer fixture and bundles that. */
export async function buildConsumer(): Promise<void> {
  await build({ configFile: root('vite.lib.config.ts'), logLevel: 'warn' });
  execFileSync(process.execPath, [root('scripts/build-types.mjs')], { cwd: root('.'), stdio: 'inherit' });
  const modules = join(CONSUMER_SRC, 'node_modules');
  mkdirSync(modules, { recursive: true });
  rmSync(join(modules, 'homeostat'), { force: true, recursive: true });
  symlinkSync(root('.'), join(modules, 'homeostat'), 'dir');
  await build({
    configFile: false,
    root: CONSUMER_SRC,
    logLevel: 'warn',
    build: { outDir: CONSUMER_DIR, emptyOutDir: true },
  });
}

export async function buildFixture(version: 18 | 19): Promise<void> {
  await build({
    configFile: false,
    root: root('e2e/fixtures/react-versions'),
    logLevel: 'warn',
    plugins: [react()],
    resolve: { alias: [...homeostatAliases, ...(version === 18 ? react18Aliases : [])] },
    build: { outDir: fixtureDir(version), emptyOutDir: true },
    worker: { format: 'es' },
  });
}

/** Apps shaped like `npm create vite` output whose only Homeostat line is the plugin in their vite config. */
export type ViteApp = 'vite-jsx' | 'vite-tsx';
export const viteAppSrc = (app: ViteApp) => root(`e2e/fixtures/${app}`);
export const viteAppDir = (app: ViteApp) => root(`dist/fixtures/${app}`);

/** Builds tools/dist (@homeostat/tools): the CLI, the replay library, and the build plugin the fixture apps load. */
export function buildNode(): void {
  execFileSync(process.execPath, [root('scripts/build-node.mjs')], { cwd: root('.'), stdio: 'inherit' });
}

/**
 * Installs the built package into a fixture app's node_modules the way npm would (its "files",
 * not a link: Vite then treats it as a dependency, pre-bundles it and serves its worker), once
 * `buildConsumer` built dist/lib and dist/types and `buildNode` tools/dist.
 */
export function installPackage(app: ViteApp): void {
  installPackageInto(viteAppSrc(app));
}

/** Installs the built package into `<appDir>/node_modules/homeostat` (its "files", as npm would). */
export function installPackageInto(appDir: string): void {
  const target = join(appDir, 'node_modules', 'homeostat');
  rmSync(target, { recursive: true, force: true });
  mkdirSync(target, { recursive: true });
  const pkg = JSON.parse(readFileSync(root('package.json'), 'utf8')) as { files: string[] };
  for (const f of [...pkg.files, 'package.json']) cpSync(root(f), join(target, f), { recursive: true });
}

/** Builds a fixture app with its own vite config, as `npm run build` in it would. */
export async function buildViteApp(app: ViteApp): Promise<void> {
  const dir = viteAppSrc(app);
  await build({ root: dir, configFile: join(dir, app === 'vite-jsx' ? 'vite.config.js' : 'vite.config.ts'), logLevel: 'warn', build: { outDir: viteAppDir(app), emptyOutDir: true } });
}
