/**
 * For tests that read the page recorder's batches themselves: instrumenting starts the client,
 * whose runtime loads with `import()` and then attaches its transport to the batcher. A runtime
 * that loads while a test is waiting would take the records away on its next flush (the test
 * then sees none, at random). This waits for the runtime to have started, then detaches it, so
 * every later record stays in the ring until the test drains it.
 */
import { getClient } from '../page/client.ts';
import { batcherOf } from '../page/batcher.ts';
import { getRecorder } from '../page/instrument.ts';

export async function ownBatcher(): Promise<void> {
  const client = getClient();
  // `flush` waits for the runtime module (it is forwarded once the runtime has started).
  await client.flush();
  batcherOf(getRecorder()).attach(null);
}
