import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

let root: string | null = null;

/** The homeostat package's root directory, from the sources (src/cli) or the build (dist/node/cli). */
export function packageRoot(): string {
  if (root) return root;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg) && (JSON.parse(readFileSync(pkg, 'utf8')) as { name?: string }).name === 'homeostat') return (root = dir);
    const up = dirname(dir);
    if (up === dir) throw new Error('cannot find the homeostat package root');
    dir = up;
  }
}

/** A path inside the package. */
export function fromRoot(...parts: string[]): string {
  return join(packageRoot(), ...parts);
}
