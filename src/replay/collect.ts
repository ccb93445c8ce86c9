/**
 * Reads the telemetry a replayed page recorded: flushes the page's Homeostat client, exports its
 * session and validates it (the page is untrusted input to the Node side).
 */
import type { Page } from 'playwright-core';
import { parseSessionFile, type SessionFile } from '../core/session.ts';

export class NoClientError extends Error {
  override name = 'NoClientError';
}

/** Waits up to `timeoutMs` for `globalThis.__HOMEOSTAT__`, then exports and validates its session. */
export async function collectSession(page: Page, timeoutMs = 5000): Promise<SessionFile> {
  try {
    await page.waitForFunction(() => '__HOMEOSTAT__' in globalThis, undefined, { timeout: timeoutMs });
  } catch {
    throw new NoClientError(
      `the page at ${page.url()} has no Homeostat client (globalThis.__HOMEOSTAT__ is missing after ${timeoutMs} ms): is the app instrumented with homeostat, and is --url the right app?`,
    );
  }
  const exported = await page.evaluate(async () => {
    const c = (globalThis as unknown as Record<string, { flush(o: object): Promise<void>; exportSession(): Promise<string> }>)['__HOMEOSTAT__']!;
    await c.flush({ final: true });
    return c.exportSession();
  });
  const file = parseSessionFile(exported, `session exported by ${page.url()}`);
  // The page records `source: "page"`; this copy is the replay's.
  return { ...file, session: { ...file.session, source: 'replay' } };
}
