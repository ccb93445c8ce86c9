import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildConsumer, buildFixture, buildNode, buildViteApp, installPackage } from './builds.ts';
import { buildDemo } from '../../src/cli/demo.ts';
import { buildExtension, buildStress } from './extension.ts';

/**
 * Builds every page the specs serve, once per run. The specs' temporary files (reports,
 * browser profiles, copies of the demo) go to a directory of this run (TMPDIR, which the test
 * workers inherit), removed at the end whatever the specs left.
 */
export default async function globalSetup(): Promise<() => void> {
  const tmp = mkdtempSync(join(tmpdir(), 'homeostat-e2e-'));
  process.env['TMPDIR'] = tmp;
  const teardown = () => rmSync(tmp, { recursive: true, force: true, maxRetries: 20, retryDelay: 100 });
  // Reuse what an earlier run built (e.g. while iterating on one spec).
  if (process.env['HOMEOSTAT_E2E_NO_BUILD'] === '1') return teardown;
  await buildDemo();
  await buildFixture(19);
  await buildFixture(18);
  await buildConsumer();
  buildNode();
  installPackage('vite-jsx');
  installPackage('vite-tsx');
  await buildViteApp('vite-jsx');
  await buildViteApp('vite-tsx');
  await buildExtension();
  await buildStress();
  return teardown;
}
