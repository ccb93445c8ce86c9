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
