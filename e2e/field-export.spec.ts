/**
 * Field export from the demo to a local OTLP receiver that validates every payload against the
 * OTLP .proto definitions; what arrives must add up to what the page recorded itself.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { demoFlow } from '../src/cli/demo.ts';
import { FieldMerger, pointsOfRequest, type FieldSnapshot } from '../src/core/field/merge.ts';
import type { OtlpMetricsRequest, OtlpTracesRequest } from '../src/core/field/otlp.ts';
import type { AggregateSnapshot, ExportStatus } from '../src/page/index.ts';
import { DEMO_DIR } from './support/builds.ts';
import { startReceiver, type Receiver } from './support/otlp/receiver.ts';
import { aggregates, expect, status, test } from './support/test.ts';

function merged(receiver: Receiver): FieldSnapshot {
  const m = new FieldMerger('receiver');
  for (const r of receiver.received) if (r.signal === 'metrics') m.addAll(pointsOfRequest(r.body as OtlpMetricsRequest));
  return m.snapshot();
}

/** Every handler's call count, transition modes and errors as the receiver got them equal the page's own. */
function expectSameCounts(field: FieldSnapshot, local: AggregateSnapshot): void {
  expect([...field.handlers.keys()].sort()).toEqual(local.handlers.map((h) => h.handler).sort());
  for (const h of local.handlers) {
    const f = field.handlers.get(h.handler)!;
    expect({ handler: h.handler, calls: f.calls, errors: f.errors, modes: f.modes }).toEqual({ handler: h.handler, calls: h.count, errors: h.errors, modes: h.modes });
    expect(f.metrics['blocking']!.count).toBe(h.blocking.count);
    // Field quantiles agree with the page's own DDSketch ones within both sketches' accuracy.
    expect(Math.abs(f.metrics['blocking']!.quantile(0.5) - h.blocking.p50)).toBeLessThanOrEqual(0.025 * h.blocking.p50 + 0.01);
  }
}

async function exportStatus(page: Page): Promise<ExportStatus> {
  const s = await status(page);
  if (!s.export) throw new Error('no export status');
  return s.export;
}

test.describe('field export over OTLP', () => {
  test('the demo sends valid OTLP that adds up to the page’s own numbers, the last of it on pagehide', async ({ page, serve, pageErrors }) => {
    const receiver = await startReceiver();
    try {
      const server = await serve(DEMO_DIR);
      await page.goto(`${server.url}?otlp=${encodeURIComponent(receiver.url)}&spans=1&interval=3600000`);
      await demoFlow(page);
      // Nothing is due before the hour is up; exportNow sends what there is (as forceFlush does).
      expect(receiver.received).toHaveLength(0);
      await aggregates(page);
      const first = await page.evaluate(() => (globalThis as unknown as { __HOMEOSTAT__: { exportNow(): Promise<ExportStatus> } }).__HOMEOSTAT__.exportNow());
      expect({ ...first, errors: receiver.received.flatMap((r) => r.errors).slice(0, 5) }).toMatchObject({ failed: 0, lastError: null, pending: { points: 0, spans: 0 }, errors: [] });
      const before = receiver.received.length;
      expect(before).toBeGreaterThan(0);

      // More happens, then the user leaves: the batch held for pagehide carries the rest.
      await page.getByLabel('Search products').fill('desk');
      const local = await aggregates(page);
      const after = Date.now();
      await expect.poll(async () => (await exportStatus(page)).preparedAt ?? 0, { timeout: 15_000 }).toBeGreaterThan(after);
      expect(receiver.received).toHaveLength(before);
      await page.goto('about:blank');
      await expect.poll(() => receiver.received.length, { timeout: 15_000 }).toBeGreaterThan(before);

      for (const r of receiver.received) expect({ signal: r.signal, errors: r.errors }).toEqual({ signal: r.signal, errors: [] });
      const field = merged(receiver);
      expect(field.sessions).toBe(1);
      expect(field.apps).toEqual(['homeostat-demo']);
      expectSameCounts(field, local);
      // Histogram invariants the collector does not check: buckets add up to the count.
      for (const r of receiver.received.filter((x) => x.signal === 'metrics')) {
        for (const m of (r.body as OtlpMetricsRequest).resourceMetrics[0]!.scopeMetrics[0]!.metrics) {
          for (const dp of m.exponentialHistogram?.dataPoints ?? []) {
            expect(Number(dp.zeroCount) + (dp.positive?.bucketCounts ?? []).reduce<number>((n, c) => n + Number(c), 0)).toBe(Number(dp.count));
          }
        }
      }
      const spans = receiver.received.filter((r) => r.signal === 'traces').flatMap((r) => (r.body as OtlpTracesRequest).resourceSpans[0]!.scopeSpans[0]!.spans);
      expect(spans.map((s) => s.name)).toEqual(expect.arrayContaining(['renderReact', 'parseQuery', 'checkout']));
      expect(spans.find((s) => s.status?.code === 2)?.status?.message).toMatch(/<regexp>/);
      // Nothing the user typed leaves the page.
      const everything = JSON.stringify(receiver.received.map((r) => r.body));
      expect(everything).not.toMatch(/drone|lamp|127\.0\.0\.1|Mozilla/);

      // The cost of one demo session, measured here and quoted in the README.
      const bytes = { metrics: 0, traces: 0 };
      for (const r of receiver.received) bytes[r.signal] += r.bytes;
      const report = { session: 'demoFlow (src/cli/demo.ts)', calls: local.totals.calls, handlers: local.handlers.length, requests: receiver.received.length, bytes, spans: spans.length };
      mkdirSync('.homeostat/field', { recursive: true });
      writeFileSync(join('.homeostat/field', 'bytes-per-session.json'), `${JSON.stringify(report, null, 2)}\n`);
      console.log(`field export, one demo session: ${JSON.stringify(report)}`);
      expect(pageErrors).toEqual([]);
    } finally {
      await receiver.close();
    }
  });

  test('with the collector down the app is unaffected, failures are counted, and a later send delivers everything once', async ({ page, serve, pageErrors }) => {
    const receiver = await startReceiver();
    try {
      const server = await serve(DEMO_DIR);
      receiver.failNext(1_000_000);
      await page.goto(`${server.url}?otlp=${encodeURIComponent(receiver.url)}&spans=0&interval=3600000`);
      const add = page.getByRole('button', { name: /^Add / });
      for (let i = 0; i < 3; i++) await add.nth(i).click();
      await expect(page.getByRole('complementary', { name: 'Cart' }).getByRole('listitem')).toHaveCount(3);
      await page.getByLabel('Search products').pressSequentially('lamp', { delay: 30 });
      await expect(page.locator('.count')).not.toHaveText(/^5000 of/);

      const down = await page.evaluate(() => (globalThis as unknown as { __HOMEOSTAT__: { exportNow(): Promise<ExportStatus> } }).__HOMEOSTAT__.exportNow());
      expect(down.failed).toBeGreaterThanOrEqual(1);
      expect(down.sent).toBe(0);
      expect(down.points.failed).toBeGreaterThan(0);
      expect(down.pending.points).toBeGreaterThan(0);
      expect(down.lastError).toMatch(/HTTP 503/);
      const local = await aggregates(page);
      expect(local.handlers.find((h) => h.handler === 'addToCart')?.count).toBe(3);

      // The collector comes back: everything, sent again, arrives once.
      receiver.failNext(0);
      const up = await page.evaluate(() => (globalThis as unknown as { __HOMEOSTAT__: { exportNow(): Promise<ExportStatus> } }).__HOMEOSTAT__.exportNow());
      expect(up.sent).toBeGreaterThanOrEqual(1);
      for (const r of receiver.received) expect(r.errors).toEqual([]);
      expectSameCounts(merged(receiver), local);
      // The pages report their own failures as a counter, so the backend sees what was lost.
      expect(merged(receiver).exportFailures).toBe(down.failed);
      expect(pageErrors).toEqual([]);
    } finally {
      await receiver.close();
    }
  });

  test('with the endpoint unreachable nothing reaches the app', async ({ page, serve, pageErrors }) => {
    const server = await serve(DEMO_DIR);
    // Nothing listens on the discard port.
    await page.goto(`${server.url}?otlp=${encodeURIComponent('http://127.0.0.1:9')}&spans=1&interval=1000`);
    const search = page.getByLabel('Search products');
    await search.pressSequentially('pro', { delay: 30 });
    await expect(page.locator('.count')).not.toHaveText(/^5000 of/);
    await expect.poll(async () => (await exportStatus(page)).failed, { timeout: 15_000 }).toBeGreaterThanOrEqual(2);
    const s = await exportStatus(page);
    expect(s.sent).toBe(0);
    expect(s.lastError).toMatch(/TypeError|Failed to fetch/);
    const local = await aggregates(page);
    expect(local.handlers.find((h) => h.handler === 'handleSearchInput')?.count).toBe(3);
    expect(pageErrors).toEqual([]);
  });
});
