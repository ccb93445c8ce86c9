/**
 * `npm run bench`: builds the bench page (production mode, the wrapper from src/), serves it
 * cross-origin isolated (5 µs clock), runs it in headless Chromium and prints ratios against
 * baselines measured in the same run. Results also go to .homeostat/bench/latest.json.
 *
 * Targets (from the foundation issue) are reported, not asserted: a bench on a loaded machine
 * is evidence, not a gate.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import react from '@vitejs/plugin-react';
import { build } from 'vite';
import homeostat from '../src/vite/index.ts';
import { launchChromium } from '../src/node/browser.ts';
import { fromRoot } from '../src/node/paths.ts';
import { serveDirectory } from '../src/node/serve.ts';
import { renderTable } from '../src/node/table.ts';
import type { PageResults } from './page/main.ts';

const OUT = fromRoot('.homeostat', 'bench');

async function main(): Promise<void> {
  const dir = fromRoot('.homeostat', 'bench', 'page');
  process.stderr.write('building the bench page…\n');
  await build({
    root: fromRoot('bench', 'page'),
    configFile: false,
    logLevel: 'warn',
    base: './',
    // Only rows-auto.tsx goes through the build plugin: the per-row mount's "auto" variant.
    plugins: [homeostat({ include: 'rows-auto.tsx', setup: false }), react()],
    resolve: { alias: [{ find: /^homeostat\/auto$/, replacement: fromRoot('src', 'page', 'auto.ts') }] },
    build: { outDir: dir, emptyOutDir: true, target: 'es2022' },
    worker: { format: 'es' },
  });
  const server = await serveDirectory(dir);
  const browser = await launchChromium();
  try {
    const page = await browser.newPage();
    page.on('pageerror', (e) => process.stderr.write(`page error: ${e.message}\n`));
    await page.goto(server.url);
    await page.getByText('ready').waitFor();
    process.stderr.write('measuring (about a minute)…\n');
    const r = await page.evaluate(() => (globalThis as unknown as { __bench: () => Promise<PageResults> }).__bench());
    report(r, (await browser.version()) ?? '');
    await mkdir(OUT, { recursive: true });
    await writeFile(`${OUT}/latest.json`, JSON.stringify({ date: new Date().toISOString(), browser: browser.version(), results: r }, null, 2));
  } finally {
    await browser.close();
    await server.close();
  }
}

function report(r: PageResults, browserVersion: string): void {
  const c = r.calls;
  const instOverhead = c.instrumentNs - c.rawNs;
  const utOverhead = c.userTimingNs - c.rawNs;
  const ratio = instOverhead / utOverhead;
  const w = r.worker;
  const inWorkerRate = w.inWorker.records / (w.inWorker.ms / 1000);
  const e2eRate = w.endToEnd.records / (w.endToEnd.ms / 1000);
  const f = (n: number, d = 0) => n.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d });
  const rows = [
    { what: 'uninstrumented call (baseline)', value: `${f(c.rawNs, 1)} ns`, vs: '1.00×', target: '' },
    { what: 'instrument() call', value: `${f(c.instrumentNs, 1)} ns`, vs: `${f(c.instrumentNs / c.rawNs, 2)}× raw`, target: '' },
    { what: 'User Timing wrapper call', value: `${f(c.userTimingNs, 1)} ns`, vs: `${f(c.userTimingNs / c.rawNs, 2)}× raw`, target: '' },
    { what: 'instrument() overhead per call', value: `${f(instOverhead, 1)} ns`, vs: '', target: mark(instOverhead <= 500, '≤ 500 ns') },
    { what: 'overhead vs User Timing overhead', value: `${f(ratio, 3)}×`, vs: `UT overhead ${f(utOverhead, 0)} ns`, target: mark(ratio <= 0.15, '≤ 0.15×') },
    { what: 'main thread per event (record + ship)', value: `${f(r.mainThread.perEventNs, 1)} ns`, vs: `ship ${f(r.mainThread.flushNs, 1)} ns`, target: '' },
    { what: 'worker aggregation (in worker)', value: `${f(inWorkerRate / 1e6, 2)} M ev/s`, vs: `${f(w.inWorker.records)} records`, target: mark(inWorkerRate >= 1e6, '≥ 1 M ev/s') },
    { what: 'worker aggregation (page → worker)', value: `${f(e2eRate / 1e6, 2)} M ev/s`, vs: 'incl. transfer', target: '' },
  ];
  process.stdout.write(
    `Homeostat bench — ${browserVersion}, crossOriginIsolated=${r.crossOriginIsolated}, clock step ${f(r.clockStepUs, 1)} µs, ` +
      `${c.rounds} alternated rounds × ${f(c.chunk)} calls (medians)\n\n`,
  );
  const m = r.mount;
  rows.push(
    { what: `mount ${f(m.rows)} rows, plain (baseline)`, value: `${f(m.plainMs, 2)} ms`, vs: '1.00×', target: '' },
    { what: 'mount, a useHandler per row', value: `${f(m.useHandlerMs, 2)} ms`, vs: `${f(m.useHandlerRatio, 3)}× plain (fastest ${f(m.useHandlerBestRatio, 3)}×)`, target: mark(m.useHandlerRatio <= 1.02, '≤ 1.02×') },
    { what: 'mount, rows instrumented by @homeostat/tools/vite', value: `${f(m.autoMs, 2)} ms`, vs: `${f(m.autoRatio, 3)}× plain (fastest ${f(m.autoBestRatio, 3)}×)`, target: mark(m.autoRatio <= 1.02, '≤ 1.02×') },
    { what: 'mount, plain again (control: noise floor)', value: '', vs: `${f(m.controlRatio, 3)}× plain (fastest ${f(m.controlBestRatio, 3)}×)`, target: '' },
  );
  if (m.selected !== 3) process.stderr.write(`warning: ${m.selected} of 3 row clicks reached the handler\n`);
  process.stdout.write(
    renderTable(rows, [
      { title: 'measure', value: (x) => x.what, align: 'left' },
      { title: 'value', value: (x) => x.value },
      { title: 'ratio / context', value: (x) => x.vs },
      { title: 'target', value: (x) => x.target, align: 'left' },
    ]) + '\n',
  );
}

const mark = (ok: boolean, target: string) => `${ok ? 'met' : 'MISSED'} (${target})`;

main().catch((e: unknown) => {
  process.stderr.write(`bench failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exit(1);
});
