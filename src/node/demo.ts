/** Where the bundled demo (src/demo) is built, and how: the repository's own vite.config.ts. */
import { fromRoot } from './paths.ts';

export const DEMO_DIST = fromRoot('dist', 'demo');

/** Builds the demo with the root vite.config.ts (Vite is a development dependency: the repository's tool). */
export async function buildDemo(options: { quiet?: boolean } = {}): Promise<void> {
  const { build } = await import('vite');
  await build({ configFile: fromRoot('vite.config.ts'), logLevel: options.quiet ? 'silent' : 'warn' });
}
