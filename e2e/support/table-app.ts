/**
 * The real-app-shaped fixture `examples/table` (a js-framework-benchmark-shaped table whose only
 * Homeostat line is the plugin in its vite config): installed and built as its own `vite build`
 * would, once `buildConsumer` built dist/lib and `buildNode` tools/dist.
 */
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';
import { installPackageInto } from './builds.ts';

const root = (p: string) => fileURLToPath(new URL(`../../${p}`, import.meta.url));

/** The example's folder (the monorepo: `app/` is the Vite root, `packages/ui` a workspace package). */
export const TABLE_EXAMPLE = root('examples/table');
export const TABLE_APP_SRC = join(TABLE_EXAMPLE, 'app');
export const TABLE_APP_DIR = root('dist/fixtures/table');

/** Installs the package into the app and builds it with its own config into dist/fixtures/table. */
export async function buildTableApp(outDir = TABLE_APP_DIR): Promise<void> {
  installPackageInto(TABLE_APP_SRC);
  await build({ root: TABLE_APP_SRC, configFile: join(TABLE_APP_SRC, 'vite.config.ts'), logLevel: 'warn', build: { outDir, emptyOutDir: true } });
}

/**
 * The example as a git repository of its own under `dir/table` (what `homeostat heal` runs in):
 * the package installed into `app/node_modules` the way npm would, this checkout's node_modules
 * linked at the root, and the build the app's own `vite build` in `app/`.
 */
export async function prepareTableRepo(dir: string): Promise<{ repo: string; srcDir: string; docsDir: string; flows: string[]; build: { command: string; outDir: string } }> {
  const { cp, symlink, writeFile } = await import('node:fs/promises');
  const { git } = await import('../../src/heal/git.ts');
  const repo = join(dir, 'table');
  await cp(TABLE_EXAMPLE, repo, { recursive: true, filter: (src) => !/[\\/](node_modules|dist)([\\/]|$)/.test(src.slice(TABLE_EXAMPLE.length)) });
  await writeFile(join(repo, '.gitignore'), 'node_modules\ndist\n');
  installPackageInto(join(repo, 'app'));
  await symlink(root('node_modules'), join(repo, 'node_modules'), 'dir');
  await git(repo, ['init', '--quiet', '-b', 'main']);
  await git(repo, ['add', '-A']);
  await git(repo, ['-c', 'user.name=Table', '-c', 'user.email=table@localhost', 'commit', '--quiet', '-m', 'The table app']);
  return {
    repo,
    srcDir: 'app/src',
    docsDir: 'app/docs',
    flows: ['app/flows/runlots.json', 'app/flows/operations.json'],
    build: { command: `node ${JSON.stringify(root('node_modules/vite/bin/vite.js'))} build app --logLevel warn`, outDir: 'app/dist' },
  };
}
