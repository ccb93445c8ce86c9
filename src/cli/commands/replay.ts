import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { SpecFile } from '../../core/spec.ts';
import type { Command } from '../command.ts';
import { UsageError } from '../command.ts';
import { expectPath } from '../paths.ts';
import { terminalSummary } from '../replay-summary.ts';

const USAGE = `homeostat replay <recording> (--url <app url> | --demo) [options]

Replays a recording (Homeostat's format, or a Chrome DevTools Recorder JSON export) in headless
Chromium: a warm-up run, then N measured runs, each in a fresh browser context with a fixed
viewport, seeded Math.random and no service workers. Writes each run's session JSON, report.md
and report.html (charts) into the output directory; prints the verdict and a row per handler.

  --url <url>          the app to replay against (relative navigate steps resolve against it)
  --demo               serve the built demo (dist/demo) instead of --url
  --runs <n>           measured runs (default 5)
  --no-warmup          skip the uncounted warm-up run
  --seed <n>           seed for Math.random / crypto.getRandomValues (default 24301)
  --cpu-throttle <x>   slow the CPU down x times (DevTools protocol), e.g. 4
  --har <file>         serve network requests from a HAR file (others go to the network)
  --timeout <ms>       default per-step timeout (default: the recording's, else 10000)
  --out <dir>          output directory (default .homeostat/replays/<timestamp>)
  --docs <dir>         directory with homeostat.spec.json: budgets and baselines to compare with
  --json               print the summary as JSON instead
  --markdown           print the whole markdown report (report.md) instead, e.g. for a CI comment

Exit codes: 0 all runs passed and no budget exceeded; 1 a failed expectation, a run error or an
exceeded budget; 2 bad arguments or an invalid recording; 130/143 interrupted.`;

function positiveNumber(name: string, value: string | undefined, integer = false): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0 || (integer && !Number.isInteger(n))) {
    throw new UsageError(`--${name} must be a positive ${integer ? 'integer' : 'number'}, got ${JSON.stringify(value)}`);
  }
  return n;
}

async function readSpec(docs: string | undefined, log: (s: string) => void): Promise<SpecFile | null> {
  if (docs === undefined) return null;
  const path = join(docs, 'homeostat.spec.json');
  if (!existsSync(path)) {
    log(`no ${path}: reporting without budgets`);
    return null;
  }
  const { parseSpecFile } = await import('../../core/spec.ts');
  return parseSpecFile(await readFile(path, 'utf8'), path);
}

export const command: Command = {
  name: 'replay',
  summary: 'Replay a recorded flow N times, collect telemetry, report against the docs',
  usage: USAGE,
  async run(args, io) {
    const { values, positionals } = parseArgs({
      args,
      allowPositionals: true,
      options: {
        url: { type: 'string' },
        demo: { type: 'boolean' },
        runs: { type: 'string' },
        'no-warmup': { type: 'boolean' },
        seed: { type: 'string' },
        'cpu-throttle': { type: 'string' },
        har: { type: 'string' },
        timeout: { type: 'string' },
        out: { type: 'string' },
        docs: { type: 'string' },
        json: { type: 'boolean' },
        markdown: { type: 'boolean' },
      },
    });
    if (values.json && values.markdown) throw new UsageError('--json and --markdown are two outputs: give one');
    if (positionals.length !== 1) throw new UsageError('expected exactly one recording file');
    if (!values.url === !values.demo) throw new UsageError('give either --url <app url> or --demo');
    if (values.url !== undefined && !/^https?:\/\//.test(values.url)) throw new UsageError(`--url must be an http(s) URL, got ${values.url}`);
    const runs = positiveNumber('runs', values.runs, true) ?? 5;
    const cpuThrottle = positiveNumber('cpu-throttle', values['cpu-throttle']);
    const timeoutMs = positiveNumber('timeout', values.timeout);
    let seed: number | undefined;
    if (values.seed !== undefined) {
      seed = Number(values.seed);
      if (!Number.isInteger(seed) || seed < 0) throw new UsageError(`--seed must be a non-negative integer, got ${values.seed}`);
    }
    const har = values.har === undefined ? undefined : resolve(io.cwd, values.har);
    if (har && !existsSync(har)) throw new UsageError(`--har: no such file ${har}`);

    const { loadRecording, replay, summariseRuns, renderReport } = await import('../../replay/index.ts');
    const file = resolve(io.cwd, positionals[0]!);
    expectPath('<recording>', file, 'file', 'a recording (Homeostat JSON or a Chrome Recorder export)');
    // An invalid recording throws RecordingFormatError: bad input, exit 2 (src/cli/errors.ts).
    const recording = await loadRecording(file);
    const spec = await readSpec(values.docs === undefined ? undefined : resolve(io.cwd, values.docs), io.log);
    const stamp = new Date().toISOString().replace(/[:.]/g, '-');
    const outDir = resolve(io.cwd, values.out ?? join('.homeostat', 'replays', stamp));

    let server: { url: string; close(): Promise<void> } | null = null;
    if (values.demo) {
      const { DEMO_DIST } = await import('../demo.ts');
      if (!existsSync(join(DEMO_DIST, 'index.html'))) {
        throw new UsageError(`--demo: the demo is not built (${DEMO_DIST}); run \`npm run build:demo\` or \`homeostat demo\` first`);
      }
      const { serveDirectory } = await import('../../node/serve.ts');
      server = await serveDirectory(DEMO_DIST);
    }
    const url = server?.url ?? values.url!;
    io.log(`replaying "${recording.title}" (${recording.steps.length} steps) against ${url}: ${values['no-warmup'] ? '' : 'warm-up + '}${runs} runs`);
    try {
      const { runs: results, files } = await replay(recording, {
        url,
        runs,
        warmup: values['no-warmup'] !== true,
        outDir,
        ...(seed !== undefined ? { seed } : {}),
        ...(cpuThrottle !== undefined ? { cpuThrottle } : {}),
        ...(har ? { har } : {}),
        ...(timeoutMs !== undefined ? { timeoutMs } : {}),
        onProgress: (e) => {
          if (e.phase === 'launch') io.log('launching Chromium…');
          if (!e.result) return;
          const r = e.result;
          const what = r.warmup ? 'warm-up' : `run ${e.run}/${e.runs}`;
          const failed = r.expectations.filter((x) => !x.passed).length;
          io.log(`  ${what}: ${r.passed ? 'passed' : 'FAILED'} in ${(r.wallMs / 1000).toFixed(1)} s${failed ? `, ${failed} failed expectations` : ''}${r.error ? ` — ${r.error}` : ''}`);
        },
      });
      const summary = summariseRuns(results, spec, { title: recording.title });
      const md = renderReport(summary, 'md', { baseDir: outDir });
      await writeFile(join(outDir, 'report.md'), md);
      await writeFile(join(outDir, 'report.html'), renderReport(summary, 'html', { baseDir: outDir }));
      await writeFile(join(outDir, 'summary.json'), `${JSON.stringify(summary, null, 2)}\n`);
      io.out(values.json ? JSON.stringify(summary, null, 2) : values.markdown ? md : terminalSummary(summary, outDir));
      io.log(`${files.length} sessions, report.md and report.html written to ${outDir}`);
      return summary.passed ? 0 : 1;
    } finally {
      await server?.close();
    }
  },
};
