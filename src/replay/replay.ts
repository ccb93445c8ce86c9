/**
 * A replay job: launches (or reuses) Chromium, runs the recording once as a warm-up and then N
 * times, each in a fresh context and one after another (never concurrently: they would share
 * the CPU), and writes each run's session JSON.
 */
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { launchChromium } from '../node/browser.ts';
import type { Recording } from './recording.ts';
import { replayRun, type RunOptions, type RunResult } from './run.ts';

export interface ReplayProgress {
  /** 0 for the warm-up, then 1…runs. */
  run: number;
  runs: number;
  phase: 'launch' | 'warmup' | 'run' | 'done';
  result?: RunResult;
}

export interface ReplayOptions extends RunOptions {
  /** Measured runs (default 5). */
  runs?: number;
  /** One uncounted run first (default true): caches, JIT and the first-run costs of the browser. */
  warmup?: boolean;
  /** Where session JSON (and screenshots, unless screenshotDir is given) go; nothing is written without it. */
  outDir?: string;
  onProgress?: (e: ReplayProgress) => void;
  /** Reuse this browser instead of launching one (it is not closed). */
  browser?: Browser;
}

const BETWEEN_RUNS_MS = 500;

async function writeJson(path: string, value: unknown): Promise<void> {
  await writeFile(`${path}.tmp`, `${JSON.stringify(value, null, 2)}\n`);
  await rename(`${path}.tmp`, path);
}

/** Replays the recording `runs` times (after an optional warm-up); writes `run-<i>.session.json` per measured run into outDir. */
export async function replay(recording: Recording, options: ReplayOptions): Promise<{ runs: RunResult[]; files: string[] }> {
  const runs = options.runs ?? 5;
  if (!Number.isInteger(runs) || runs < 1) throw new RangeError(`runs must be a positive integer, got ${runs}`);
  const progress = options.onProgress ?? (() => {});
  const screenshotDir = options.screenshotDir ?? (options.outDir ? join(options.outDir, 'screenshots') : undefined);
  const runOptions: RunOptions = { ...options, ...(screenshotDir ? { screenshotDir } : {}) };
  if (options.outDir) await mkdir(options.outDir, { recursive: true });

  progress({ run: 0, runs, phase: 'launch' });
  const browser = options.browser ?? (await launchChromium());
  const results: RunResult[] = [];
  const files: string[] = [];
  try {
    if (options.warmup !== false) {
      progress({ run: 0, runs, phase: 'warmup' });
      const r = await replayRun(browser, recording, { ...runOptions, index: 0, warmup: true });
      progress({ run: 0, runs, phase: 'warmup', result: r });
      // A warm-up that cannot even reach the app says the same about every run: stop early.
      if (r.session === null && r.error !== null) {
        results.push(r);
        return { runs: results, files };
      }
    }
    for (let i = 1; i <= runs; i++) {
      // Let the previous context's teardown finish before the next run starts measuring.
      if (i > 1 || options.warmup !== false) await new Promise((r) => setTimeout(r, BETWEEN_RUNS_MS));
      progress({ run: i, runs, phase: 'run' });
      const r = await replayRun(browser, recording, { ...runOptions, index: i, warmup: false });
      results.push(r);
      if (options.outDir && r.session) {
        const path = join(options.outDir, `${options.label ? `${options.label}-` : ''}run-${i}.session.json`);
        await writeJson(path, r.session);
        files.push(path);
      }
      progress({ run: i, runs, phase: 'run', result: r });
    }
  } finally {
    if (!options.browser) await browser.close();
  }
  progress({ run: runs, runs, phase: 'done' });
  return { runs: results, files };
}
