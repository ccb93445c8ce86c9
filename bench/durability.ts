/**
 * `npm run bench:durability`: what survives closing a tab at once. Each trial opens the demo in
 * a fresh browser context, clicks "Add" four times, closes the tab immediately (no flush, no
 * wait for anything), then opens a second tab of the same origin and reads IndexedDB until the
 * closed session's clicks are there and its rescue journal is gone (or 20 s pass). A click is
 * lost when fewer than four calls are stored, counted twice when a call id is stored twice.
 *
 * Two phases: the machine as it is ("idle"), then with every core busy (one bounded CPU hog per
 * core, each a child process ended by its PID). Prints the table and load averages; the numbers
 * go to .homeostat/bench/durability.json.
 *
 *   npm run bench:durability [-- --trials 50] [--no-build] [--hogs N]
 *
 * `--hogs N` starts N hogs instead of one per core (a harsher starvation, to reproduce rare losses).
 */
import type { ChildProcess } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { availableParallelism, loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import type { Page } from 'playwright-core';
import { launchChromium } from '../src/node/browser.ts';
import { buildDemo, DEMO_DIST } from '../src/node/demo.ts';
import { fromRoot } from '../src/node/paths.ts';
import { serveDirectory } from '../src/node/serve.ts';
import { renderTable } from '../src/node/table.ts';
import { startHogs, stopHogs } from './support/hogs.ts';

const CLICKS = 4;
/** How long the reader waits for a closed tab's clicks (the rescue retries for up to ~8 s). */
const READ_TIMEOUT_MS = 20_000;
/** A hog never outlives this, even if this script is killed before it ends them. */
const HOG_MAX_S = 1800;

interface Trial {
  /** The page's transport when the clicks began (a worker still starting, or the in-memory fallback, is in play too). */
  transport: string;
  stored: number;
  distinct: number;
  journalLeft: boolean;
  ms: number;
  /** When clicks are missing: what the store and the journal hold for the session. */
  diag?: unknown;
}

interface Phase {
  name: string;
  trials: Trial[];
  load: { before: number[]; after: number[] };
}

/**
 * Reads, in the page, the calls of a handler stored for a session and whether its rescue
 * journal is still there. A string, not a function: tsx's name helpers do not exist in the page.
 */
const READ_SRC = `async ([sid, name]) => {
  const open = (db) => new Promise((resolve, reject) => {
    const req = indexedDB.open(db);
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
  const all = (db, store, range) => new Promise((resolve, reject) => {
    if (!db.objectStoreNames.contains(store)) return resolve([]);
    const req = db.transaction(store).objectStore(store).getAll(range);
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
  const main = await open('homeostat');
  const rows = await all(main, 'chunks', IDBKeyRange.bound([sid, -Infinity], [sid, Infinity]));
  const session = (await all(main, 'sessions')).find((x) => x.meta.id === sid);
  main.close();
  const rescue = await open('homeostat-rescue');
  const journals = await all(rescue, 'sessions');
  const batches = await all(rescue, 'batches', IDBKeyRange.bound([sid, 0], [sid, Infinity]));
  rescue.close();
  return { ids: rows.flatMap((r) => r.chunk.calls.filter((c) => c.handler === name).map((c) => c.id)), journal: journals.some((j) => j.sessionId === sid),
    diag: { sessionRow: session ? session.stored : null, endedAt: session ? session.meta.endedAt : null, chunks: rows.length, journalBatches: batches.length } };
}`;

function read(page: Page, id: string, handler: string): Promise<{ ids: number[]; journal: boolean; diag?: unknown }> {
  return page.evaluate(`(${READ_SRC})(${JSON.stringify([id, handler])})`) as Promise<{ ids: number[]; journal: boolean; diag?: unknown }>;
}

async function trial(browser: Awaited<ReturnType<typeof launchChromium>>, url: string): Promise<Trial> {
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    await page.goto(url);
    const status = () => page.evaluate('globalThis.__HOMEOSTAT__.status()') as Promise<{ transport: { kind: string }; session: { id: string } }>;
    for (let i = 0; i < 200 && (await status()).transport.kind !== 'worker'; i++) await page.waitForTimeout(25);
    const { session, transport } = await status();
    const id = session.id;
    const add = page.getByRole('button', { name: /^Add / });
    for (let i = 0; i < CLICKS; i++) await add.nth(i).click();
    const closedAt = Date.now();
    // At once: what the page buffer, the transport and the worker hold is all in play.
    await page.close();
    const reader = await context.newPage();
    await reader.goto(`${url}?reader=1`);
    let last: { ids: number[]; journal: boolean; diag?: unknown } = { ids: [], journal: true };
    for (const end = Date.now() + READ_TIMEOUT_MS; Date.now() < end; ) {
      last = await read(reader, id, 'addToCart');
      // Done when every click is there and nothing is left to ingest (no journal): later reads cannot change it.
      if (!last.journal && last.ids.length >= CLICKS) break;
      await reader.waitForTimeout(100);
    }
    return { transport: transport.kind, stored: last.ids.length, distinct: new Set(last.ids).size, journalLeft: last.journal, ms: Date.now() - closedAt, ...(last.ids.length < CLICKS ? { diag: last.diag } : {}) };
  } finally {
    await context.close();
  }
}

/** One busy loop per core, each bounded in time and ended by its PID. */
function summarise(p: Phase): Record<string, string> {
  const lost = p.trials.reduce((n, t) => n + Math.max(0, CLICKS - t.distinct), 0);
  const twice = p.trials.reduce((n, t) => n + (t.stored - t.distinct) + Math.max(0, t.distinct - CLICKS), 0);
  const trialsLosing = p.trials.filter((t) => t.distinct < CLICKS).length;
  const ms = p.trials.map((t) => t.ms).sort((a, b) => a - b);
  const fmt = (xs: number[]) => xs.map((x) => x.toFixed(2)).join(' ');
  return {
    phase: p.name,
    trials: String(p.trials.length),
    'clicks lost': `${lost} of ${p.trials.length * CLICKS} (${trialsLosing} trials)`,
    'counted twice': String(twice),
    'journals left': String(p.trials.filter((t) => t.journalLeft).length),
    'p50 / max until stored': `${ms[Math.floor(ms.length / 2)] ?? 0} / ${ms.at(-1) ?? 0} ms`,
    'load avg before → after': `${fmt(p.load.before)} → ${fmt(p.load.after)}`,
  };
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { trials: { type: 'string' }, 'no-build': { type: 'boolean' }, hogs: { type: 'string' } } });
  const trials = Number(values.trials ?? 50);
  if (!Number.isInteger(trials) || trials < 1) throw new Error(`--trials needs a positive integer, got ${values.trials}`);
  const hogCount = Number(values.hogs ?? availableParallelism());
  if (!Number.isInteger(hogCount) || hogCount < 1) throw new Error(`--hogs needs a positive integer, got ${values.hogs}`);
  if (!values['no-build']) {
    process.stderr.write('building the demo…\n');
    await buildDemo({ quiet: true });
  }
  const server = await serveDirectory(DEMO_DIST);
  const browser = await launchChromium();
  const phases: Phase[] = [];
  let hogs: ChildProcess[] = [];
  const cleanup = () => stopHogs(hogs);
  process.once('SIGINT', () => (cleanup(), process.exit(130)));
  process.once('SIGTERM', () => (cleanup(), process.exit(143)));
  try {
    for (const name of ['idle', 'both cores busy'] as const) {
      if (name !== 'idle') hogs = startHogs(hogCount, HOG_MAX_S);
      const phase: Phase = { name, trials: [], load: { before: loadavg(), after: [] } };
      for (let i = 0; i < trials; i++) {
        phase.trials.push(await trial(browser, server.url));
        const t = phase.trials.at(-1)!;
        process.stderr.write(`${name} ${i + 1}/${trials}: ${t.distinct}/${CLICKS} stored${t.stored !== t.distinct ? ` (${t.stored - t.distinct} twice)` : ''} in ${t.ms} ms (${t.transport}${t.journalLeft ? ', journal left' : ''})${t.diag ? ` ${JSON.stringify(t.diag)}` : ''}\n`);
      }
      phase.load.after = loadavg();
      stopHogs(hogs);
      hogs = [];
      phases.push(phase);
    }
  } finally {
    cleanup();
    await browser.close();
    await server.close();
  }
  const rows = phases.map(summarise);
  process.stdout.write(
    `${renderTable(rows, Object.keys(rows[0]!).map((k) => ({ title: k, value: (r: Record<string, string>) => r[k]!, align: 'left' as const })))}\n`,
  );
  const out = fromRoot('.homeostat', 'bench');
  await mkdir(out, { recursive: true });
  await writeFile(`${out}/durability.json`, JSON.stringify({ date: new Date().toISOString(), browser: browser.version(), cores: availableParallelism(), hogs: hogCount, phases }, null, 2));
}

main().catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? e.stack : String(e)}\n`);
  process.exit(1);
});
