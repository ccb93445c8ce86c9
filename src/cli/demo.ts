/**
 * The main job on the bundled demo, for now: build it, serve it cross-origin isolated, drive a
 * realistic flow in headless Chromium, and print what Homeostat measured per handler and per
 * sequence. The session is written to disk for the docs and check commands.
 */
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import type { AggregateSnapshot } from '../core/aggregate.ts';
import type { SessionMeta } from '../core/model.ts';
import { parseSessionFile } from '../core/session.ts';
import { launchChromium } from '../node/browser.ts';
import { serveDirectory } from '../node/serve.ts';
import { ms, pct, renderTable } from '../node/table.ts';


import { DEMO_DIST, buildDemo } from '../node/demo.ts';

export { DEMO_DIST, buildDemo };

/** The flow the demo job drives: search, filter, sort, add to cart, check out, a bad pattern. */
export async function demoFlow(page: Page, log: (s: string) => void = () => {}): Promise<void> {
  await page.getByTestId('product-row').first().waitFor();
  const search = page.getByLabel('Search products');
  for (const query of ['lamp', 'pro', 'drone']) {
    log(`search "${query}"`);
    await search.fill('');
    await search.pressSequentially(query, { delay: 40 });
  }
  log('filters and sort');
  await page.getByLabel('Category').selectOption('Garden');
  await page.getByLabel('In stock only').check();
  await page.getByLabel('Sort').selectOption('price-asc');
  await page.getByLabel('Sort').selectOption('rating');
  await page.getByLabel('Category').selectOption('all');
  log('cart and checkout');
  const add = page.getByRole('button', { name: /^Add / });
  for (let i = 0; i < 3; i++) await add.nth(i).click();
  await page.getByRole('button', { name: 'Checkout' }).click();
  await page.getByRole('status').waitFor();
  log('an invalid pattern');
  await search.fill('/(');
  await page.getByRole('alert').waitFor();
  await search.fill('');
}

interface PageResult {
  snapshot: AggregateSnapshot;
  session: SessionMeta;
  exported: string;
}

async function collect(page: Page): Promise<PageResult> {
  return page.evaluate(async () => {
    const c = (globalThis as unknown as Record<string, { flush(o: object): Promise<void>; aggregates(): Promise<AggregateSnapshot>; status(): { session: SessionMeta }; exportSession(): Promise<string> }>)['__HOMEOSTAT__'];
    if (!c) throw new Error('This page has no Homeostat client (window.__HOMEOSTAT__ is missing)');
    await c.flush({ final: true });
    return { snapshot: await c.aggregates(), session: c.status().session, exported: await c.exportSession() };
  });
}

/** Per handler, in ms; short titles so the table fits 100 columns (`blk` is blocking time). */
export function handlerTable(snap: AggregateSnapshot, resolutionMs: number): string {
  const rows = snap.handlers.slice().sort((a, b) => b.blockingTotalMs - a.blockingTotalMs);
  return renderTable(rows, [
    { title: 'handler', value: (h) => h.handler, align: 'left' },
    { title: 'calls', value: (h) => String(h.count) },
    { title: 'err', value: (h) => String(h.errors) },
    { title: 'p50', value: (h) => ms(h.duration.p50, resolutionMs) },
    { title: 'p95', value: (h) => ms(h.duration.p95, resolutionMs) },
    { title: 'p99', value: (h) => ms(h.duration.p99, resolutionMs) },
    { title: 'settle', value: (h) => ms(h.settle?.p50, resolutionMs) },
    { title: 'blk p50', value: (h) => ms(h.blocking.p50, resolutionMs) },
    { title: 'blk p95', value: (h) => ms(h.blocking.p95, resolutionMs) },
    { title: 'commit', value: (h) => ms(h.commit?.p50, resolutionMs) },
    { title: 'trans', value: (h) => pct(h.transitionShare) },
  ]);
}

export function sequenceTable(snap: AggregateSnapshot, resolutionMs: number): string {
  return renderTable(snap.sequences.slice().sort((a, b) => b.count - a.count), [
    { title: 'sequence', value: (s) => s.name, align: 'left' },
    { title: 'count', value: (s) => String(s.count) },
    { title: 'p50 ms', value: (s) => ms(s.duration.p50, resolutionMs) },
    { title: 'p95 ms', value: (s) => ms(s.duration.p95, resolutionMs) },
    { title: 'most common order', value: (s) => s.variants[0]?.handlers.join(' → ') ?? '', align: 'left' },
  ]);
}

export interface DemoOptions {
  build: boolean;
  out: string;
  json: boolean;
  log: (line: string) => void;
}

export async function runDemo(options: DemoOptions): Promise<number> {
  const { log } = options;
  if (options.build) {
    log('building the demo…');
    await buildDemo({ quiet: true });
  }
  const server = await serveDirectory(DEMO_DIST);
  const browser = await launchChromium();
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    log(`serving ${server.url} (cross-origin isolated), Chromium ${browser.version()}`);
    await page.goto(server.url);
    await demoFlow(page, (s) => log(`  ${s}`));
    const { snapshot, session, exported } = await collect(page);
    if (errors.length > 0) throw new Error(`the demo page threw: ${errors.join('; ')}`);
    const file = parseSessionFile(exported, 'demo session');
    await mkdir(options.out, { recursive: true });
    const path = join(options.out, `${session.id}.json`);
    await writeFile(`${path}.tmp`, exported);
    await rename(`${path}.tmp`, path);

    if (options.json) {
      process.stdout.write(`${JSON.stringify({ session, snapshot, file: path }, null, 2)}\n`);
      return 0;
    }
    const res = session.clockResolutionMs;
    process.stdout.write(
      [
        '',
        `Session ${session.id}: ${file.calls.length} calls, ${file.sequences.length} sequences`,
        `React ${session.react.version ?? '?'} (lanes ${session.react.lanes ? 'observed' : 'not observed'}, commits via ${session.react.commits})`,
        `clock ${res * 1000} µs${session.crossOriginIsolated ? ' (cross-origin isolated)' : ''}; ${session.transport} + ${session.storage}`,
        '',
        'Handlers (slowest total blocking first; ms: duration p50/p95/p99, settle p50, blocking p50/p95,',
        'commit p50; trans = share of updates React ran as transitions)',
        handlerTable(snapshot, res),
        '',
        'Sequences',
        sequenceTable(snapshot, res),
        '',
        `Session written to ${path}`,
        '',
      ].join('\n'),
    );
    return 0;
  } finally {
    await browser.close();
    await server.close();
  }
}
