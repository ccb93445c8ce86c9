/**
 * Unit tests get a temporary directory of their own (TMPDIR, which `os.tmpdir()` reads), and the
 * run fails if a test leaves anything in it: every test cleans up after itself.
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export default function setup(): () => void {
  const root = mkdtempSync(join(tmpdir(), 'homeostat-vitest-'));
  process.env['TMPDIR'] = root;
  return () => {
    const left = readdirSync(root);
    rmSync(root, { recursive: true, force: true });
    if (left.length === 0) return;
    // A teardown error alone does not fail a vitest run.
    process.exitCode = 1;
    throw new Error(`unit tests left ${left.length} entr${left.length === 1 ? 'y' : 'ies'} in the temporary directory: ${left.join(', ')}`);
  };
}
