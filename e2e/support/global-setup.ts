import { buildConsumer, buildFixture } from './builds.ts';
import { buildDemo } from '../../src/cli/demo.ts';

/** Builds every page the specs serve, once per run. */
export default async function globalSetup(): Promise<void> {
  await buildDemo();
  await buildFixture(19);
  await buildFixture(18);
  await buildConsumer();
}
