/**
 * The test fixture every spec uses: serves a built directory (cross-origin isolated) and gives
 * typed access to the page's Homeostat client.
 */
import { test as base, expect, type Page } from '@playwright/test';
import { serveDirectory, type ServeOptions, type RunningServer } from '../../src/node/serve.ts';
import type { AggregateSnapshot, ClientStatus, HandlerAggregate, SessionSummary } from '../../src/page/index.ts';

export { expect };

interface Fixtures {
  serve: (dir: string, options?: ServeOptions) => Promise<RunningServer>;
  pageErrors: string[];
}

export const test = base.extend<Fixtures>({
  serve: async ({}, use) => {
    const servers: RunningServer[] = [];
    await use(async (dir, options) => {
      const s = await serveDirectory(dir, options);
      servers.push(s);
      return s;
    });
    await Promise.all(servers.map((s) => s.close()));
  },
  pageErrors: async ({ page }, use) => {
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await use(errors);
  },
});

/** Waits until the page has a client and returns its status. */
export async function status(page: Page): Promise<ClientStatus> {
  await page.waitForFunction(() => '__HOMEOSTAT__' in globalThis);
  return page.evaluate(() => (globalThis as unknown as { __HOMEOSTAT__: { status(): ClientStatus } }).__HOMEOSTAT__.status());
}

/** Ships everything, closes open sequences, returns the live session's aggregates. */
export async function aggregates(page: Page, selector?: unknown): Promise<AggregateSnapshot> {
  await page.waitForFunction(() => '__HOMEOSTAT__' in globalThis);
  return page.evaluate(async (sel) => {
    const c = (globalThis as unknown as { __HOMEOSTAT__: { flush(o: object): Promise<void>; aggregates(s?: unknown): Promise<AggregateSnapshot> } }).__HOMEOSTAT__;
    await c.flush({ final: true });
    return c.aggregates(sel ?? undefined);
  }, selector ?? null);
}

export async function sessions(page: Page): Promise<SessionSummary[]> {
  return page.evaluate(() => (globalThis as unknown as { __HOMEOSTAT__: { sessions(): Promise<SessionSummary[]> } }).__HOMEOSTAT__.sessions());
}

export async function exportSession(page: Page, id?: string): Promise<string> {
  return page.evaluate(
    (sid) => (globalThis as unknown as { __HOMEOSTAT__: { exportSession(id?: string): Promise<string> } }).__HOMEOSTAT__.exportSession(sid ?? undefined),
    id ?? null,
  );
}

export function handler(snap: AggregateSnapshot, name: string): HandlerAggregate {
  const h = snap.handlers.find((x) => x.handler === name);
  if (!h) throw new Error(`no aggregate for handler ${name}; have ${snap.handlers.map((x) => x.handler).join(', ')}`);
  return h;
}
