import { buildConsumer, buildFixture, buildNode, buildViteApp, installPackage } from './builds.ts';
import { buildDemo } from '../../src/cli/demo.ts';
import { buildExtension, buildStress } from './extension.ts';

/** Builds every page the specs serve, once per run. */
export default async function globalSetup(): Promise<void> {
  // Reuse what an earlier run built (e.g. while iterating on one spec).
  if (process.env['HOMEOSTAT_E2E_NO_BUILD'] === '1') return;
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
}
