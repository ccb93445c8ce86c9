/**
 * Measures how repeatable replays are: replays a flow (default: the demo's catalogue flow on the
 * built demo) N times after a warm-up and prints, per handler and sequence, the run-to-run
 * coefficient of variation of the per-run p50 and how many runs per build a 20% change needs.
 *
 *   npx tsx src/replay/measure-cv.ts [--runs 10] [--flow file] [--url app] [--cpu-throttle x] [--json summary.json] [--out sessions-dir]
 */
import { writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { launchChromium } from '../node/browser.ts';
import { DEMO_DIST } from '../node/demo.ts';
import { fromRoot } from '../node/paths.ts';
import { serveDirectory } from '../node/serve.ts';
import { renderTable } from '../node/table.ts';
import { loadRecording } from './load.ts';
import { replay } from './replay.ts';
import { runsToDetect, type SeriesStats } from './stats.ts';
import { summariseRuns } from './summary.ts';

const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '10' },
    flow: { type: 'string', default: fromRoot('src', 'demo', 'flows', 'catalogue.json') },
    url: { type: 'string' },
    'cpu-throttle': { type: 'string' },
    json: { type: 'string' },
    out: { type: 'string' },
  },
});

const recording = await loadRecording(values.flow);
const server = values.url ? null : await serveDirectory(DEMO_DIST);
const browser = await launchChromium();
const started = Date.now();
try {
  const { runs } = await replay(recording, {
    browser,
    url: values.url ?? server!.url,
    runs: Number(values.runs),
    ...(values.out ? { outDir: values.out } : {}),
    ...(values['cpu-throttle'] ? { cpuThrottle: Number(values['cpu-throttle']) } : {}),
    onProgress: (e) => e.result && process.stderr.write(`${e.result.warmup ? 'warm-up' : `run ${e.run}/${e.runs}`}: ${e.result.passed ? 'ok' : `FAILED ${e.result.error ?? ''}`} ${(e.result.wallMs / 1000).toFixed(1)} s\n`),
  });
  const s = summariseRuns(runs, null, { title: recording.title });
  const f = (v: number | null, d = 2) => (v === null ? '–' : v.toFixed(d));
  const cv = (x: SeriesStats) => (x.cv === null ? '–' : `${(x.cv * 100).toFixed(1)}%`);
  const need = (x: SeriesStats) => (x.cv === null ? '–' : String(runsToDetect(x.cv)));
  process.stdout.write(`\n${recording.title}: ${s.runs} runs (+1 warm-up), ${s.passedRuns} passed, ${((Date.now() - started) / 1000).toFixed(0)} s; clock ${f((s.clock.resolutionMs ?? 0) * 1000, 0)} µs\n\n`);
  process.stdout.write(
    `${renderTable(s.handlers, [
      { title: 'handler', value: (h) => h.handler, align: 'left' },
      { title: 'calls/run', value: (h) => String(h.calls[0] ?? 0) },
      { title: 'duration p50', value: (h) => f(h.durationP50.mean, 3) },
      { title: 'CV', value: (h) => cv(h.durationP50) },
      { title: 'runs/20%', value: (h) => need(h.durationP50) },
      { title: 'blocking p50', value: (h) => f(h.blockingP50.mean) },
      { title: 'CV', value: (h) => cv(h.blockingP50) },
      { title: 'runs/20%', value: (h) => need(h.blockingP50) },
      { title: 'blocking geomean', value: (h) => f(h.blockingGeoMean.mean) },
      { title: 'CV', value: (h) => cv(h.blockingGeoMean) },
      { title: 'runs/20%', value: (h) => need(h.blockingGeoMean) },
    ])}\n\n`,
  );
  process.stdout.write(
    `${renderTable(s.sequences, [
      { title: 'sequence', value: (q) => q.name, align: 'left' },
      { title: 'count/run', value: (q) => String(q.counts[0] ?? 0) },
      { title: 'p50 ms', value: (q) => f(q.durationP50.mean) },
      { title: 'CV', value: (q) => cv(q.durationP50) },
      { title: 'runs/20%', value: (q) => need(q.durationP50) },
    ])}\n`,
  );
  if (values.json) await writeFile(values.json, `${JSON.stringify(s, null, 2)}\n`);
} finally {
  await browser.close();
  await server?.close();
}
