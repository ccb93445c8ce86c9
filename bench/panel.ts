/**
 * `npm run bench:panel`: the DevTools panel (inside real DevTools, headless Chromium) under a
 * light stream (100 calls/s, the baseline) and under 10,000 calls/s, measured in the panel's own
 * frame for both its handlers table and a handler's detail view (two charts). Reported as ratios
 * against the baseline measured in the same run; the numbers also go to
 * .homeostat/bench/panel.json.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { buildExtension, buildStress, launchWithExtension, STRESS_DIR } from '../e2e/support/extension.ts';
import { measureStress, type Measurement } from '../e2e/support/panel-measure.ts';
import { fromRoot } from '../src/node/paths.ts';
import { serveDirectory } from '../src/node/serve.ts';
import { renderTable } from '../src/node/table.ts';

const SECONDS = 8;

async function run(rate: number): Promise<{ rate: number; pageRate: number; table: Measurement; detail: Measurement }> {
  const eb = await launchWithExtension();
  const server = await serveDirectory(STRESS_DIR);
  try {
    const { pageRate, table, detail } = await measureStress(eb, server.url, rate, SECONDS * 1000);
    return { rate, pageRate, table, detail };
  } finally {
    await server.close();
    await eb.close();
  }
}

async function main(): Promise<void> {
  process.stderr.write('building the extension and the stress page…\n');
  await buildExtension();
  await buildStress();
  process.stderr.write(`measuring the panel: baseline (100 calls/s), then 10,000 calls/s, ${SECONDS} s per view…\n`);
  const base = await run(100);
  const load = await run(10_000);
  const f = (n: number, d = 1) => n.toFixed(d);
  const rows = (['table', 'detail'] as const).map((view) => {
    const b = base[view];
    const l = load[view];
    return {
      view: view === 'table' ? 'handlers table' : 'handler detail',
      fps: `${f(l.fps)} fps (baseline ${f(b.fps)})`,
      ratio: `${f(l.fps / b.fps, 2)}×`,
      long: `${l.longTasks} (${f(l.longTaskMs, 0)} ms; baseline ${b.longTasks})`,
      gap: `${f(l.worstFrameGapMs, 0)} ms (baseline ${f(b.worstFrameGapMs, 0)})`,
      shown: `${f(l.callsPerSecondShown / load.pageRate, 2)}× page rate`,
    };
  });
  process.stdout.write(`Homeostat panel bench — page sent ${f(load.pageRate, 0)} calls/s (baseline ${f(base.pageRate, 0)})\n\n`);
  process.stdout.write(
    renderTable(rows, [
      { title: 'view', value: (r) => r.view, align: 'left' },
      { title: 'frame rate at 10k/s', value: (r) => r.fps },
      { title: 'vs baseline', value: (r) => r.ratio },
      { title: `long tasks in ${SECONDS} s`, value: (r) => r.long },
      { title: 'worst frame gap', value: (r) => r.gap },
      { title: 'live counter', value: (r) => r.shown },
    ]) + '\n',
  );
  await mkdir(fromRoot('.homeostat', 'bench'), { recursive: true });
  await writeFile(fromRoot('.homeostat', 'bench', 'panel.json'), JSON.stringify({ date: new Date().toISOString(), base, load }, null, 2));
}

main().catch((e: unknown) => {
  process.stderr.write(`panel bench failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exit(1);
});
