/**
 * Temporary directories for unit tests that are removed when the test finishes, pass or fail.
 * (The vitest global setup also points TMPDIR at a directory of its own and fails the run if
 * anything is left in it.)
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { onTestFinished } from 'vitest';

/** A fresh directory under the system temp dir, deleted after the current test. Call it inside a test or a `beforeEach`. */
export async function testDir(prefix = 'homeostat-test-'): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  onTestFinished(() => rm(dir, { recursive: true, force: true }));
  return dir;
}
