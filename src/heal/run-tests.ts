/**
 * Running Homeostat tests (`*.test.json`, see test-file.ts): each flow replayed once in a fresh
 * browser context against a served build, its expectations checked, then every assertion's
 * signal computed from the sessions and held to its limit. `homeostat test` and heal's proof
 * run tests through this one function, so a proven test is exactly what CI runs.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import type { Browser } from 'playwright-core';
import { loadRecording, replayRun, type Recording } from '../replay/index.ts';
import { describeSignal, formatSignal, signalValue, type RunEvidence } from './signals.ts';
import { parseTestFile, TEST_SUFFIX, type Assertion, type HomeostatTest, type Signal } from './test-file.ts';

export interface AssertionResult {
  assertion: Assertion;
  label: string;
  value: number | null;
  /** The value is at most the limit (a missing value fails: the test could not measure what it holds). */
  passed: boolean;
}

export interface FlowRun {
  flow: string;
  /** The flow ran through and every expectation held. */
  passed: boolean;
  error: string | null;
  failedExpectations: string[];
  wallMs: number;
}

export interface TestRunResult {
  name: string;
  /** The test file, when it was read from one. */
  file: string | null;
  url: string;
  /** Every flow passed and every assertion held. */
  passed: boolean;
  assertions: AssertionResult[];
  observed: Array<{ signal: Signal; label: string; value: number | null }>;
  flows: FlowRun[];
  pageErrors: string[];
  wallMs: number;
  /** The machine's 1-minute load average after the last flow: context for a timing assertion. */
  loadAvg: number;
}

export interface RunTestOptions {
  browser: Browser;
  url: string;
  /** Directory the test's flow paths are relative to (the test file's own). */
  baseDir: string;
  /** Recordings already loaded, by resolved path (heal's proof has them). */
  recordings?: ReadonlyMap<string, Recording>;
  label?: string;
  screenshotDir?: string;
  file?: string;
}

/** One replay of a test's flows on one build: what every assertion is computed from. */
export interface Replayed {
  evidence: RunEvidence;
  flows: FlowRun[];
  wallMs: number;
  loadAvg: number;
}

/** Replays `flows` (relative to `o.baseDir`) once each against `o.url`, in order. */
export async function replayFlows(flows: readonly string[], o: RunTestOptions): Promise<Replayed> {
  const started = performance.now();
  const sessions: RunEvidence['sessions'][number][] = [];
  const pageErrors: string[] = [];
  const out: FlowRun[] = [];
  let loadAvg = 0;
  for (const [k, flow] of flows.entries()) {
    const path = resolve(o.baseDir, flow);
    const recording = o.recordings?.get(path) ?? (await loadRecording(path));
    const run = await replayRun(o.browser, recording, {
      url: o.url,
      index: k,
      label: o.label ?? 'test',
      ...(o.screenshotDir ? { screenshotDir: o.screenshotDir } : {}),
    });
    if (run.session) sessions.push(run.session);
    pageErrors.push(...run.pageErrors);
    loadAvg = run.machine.loadAvg;
    const failed = run.expectations.filter((e) => !e.passed).map((e) => `step ${e.step} (${e.description})${e.message ? `: ${e.message}` : ''}`);
    const error = run.error ?? (run.session ? null : 'the page exported no Homeostat session');
    out.push({ flow, passed: error === null && failed.length === 0, error, failedExpectations: failed, wallMs: run.wallMs });
  }
  return { evidence: { sessions, pageErrors }, flows: out, wallMs: performance.now() - started, loadAvg };
}

/** The test's verdict on a replay of its flows. */
export function evaluateTest(test: HomeostatTest, r: Replayed, o: { url: string; file?: string }): TestRunResult {
  const assertions = test.assert.map((a): AssertionResult => {
    const value = signalValue(a.signal, r.evidence);
    return { assertion: a, label: describeSignal(a.signal), value, passed: value !== null && Number.isFinite(value) && value <= a.max };
  });
  return {
    name: test.name,
    file: o.file ?? null,
    url: o.url,
    passed: r.flows.every((f) => f.passed) && assertions.every((a) => a.passed),
    assertions,
    observed: test.observe.map((signal) => ({ signal, label: describeSignal(signal), value: signalValue(signal, r.evidence) })),
    flows: r.flows,
    pageErrors: [...r.evidence.pageErrors],
    wallMs: r.wallMs,
    loadAvg: r.loadAvg,
  };
}

/** Runs one test against the build served at `url`. */
export async function runTest(test: HomeostatTest, o: RunTestOptions): Promise<TestRunResult> {
  return evaluateTest(test, await replayFlows(test.flows, o), o);
}

/** One line per assertion: "✓ computeFacets calls per React commit: 0.00 ≤ 0.50". */
export function assertionLines(r: TestRunResult): string[] {
  return r.assertions.map((a) => `${a.passed ? '✓' : '✗'} ${a.label}: ${formatSignal(a.assertion.signal, a.value)} ${a.passed ? '≤' : a.value === null ? 'against' : '>'} ${formatSignal(a.assertion.signal, a.assertion.max)}`);
}

/** The result as people read it: verdict, assertions, observations, failed flows. */
export function describeTestRun(r: TestRunResult): string {
  const lines = [`${r.passed ? 'PASS' : 'FAIL'} ${r.name}${r.file ? ` (${r.file})` : ''} · ${(r.wallMs / 1000).toFixed(1)} s, load ${r.loadAvg.toFixed(1)}`];
  lines.push(...assertionLines(r).map((l) => `  ${l}`));
  for (const o of r.observed) lines.push(`  · ${o.label}: ${formatSignal(o.signal, o.value)}`);
  for (const f of r.flows) {
    if (f.error) lines.push(`  ✗ ${f.flow}: ${f.error}`);
    for (const e of f.failedExpectations) lines.push(`  ✗ ${f.flow}: ${e}`);
  }
  if (r.pageErrors.length) lines.push(`  uncaught: ${r.pageErrors.slice(0, 3).join(' | ')}${r.pageErrors.length > 3 ? ` (+${r.pageErrors.length - 3})` : ''}`);
  return lines.join('\n');
}

/** Test files under the given files or directories (every `*.test.json` inside, recursively, sorted). */
export async function testFilePaths(paths: readonly string[]): Promise<string[]> {
  const out: string[] = [];
  const walk = async (p: string): Promise<void> => {
    const s = await stat(p);
    if (!s.isDirectory()) {
      out.push(resolve(p));
      return;
    }
    const entries = (await readdir(p, { withFileTypes: true })).filter((e) => !e.name.startsWith('.') && e.name !== 'node_modules').sort((a, b) => a.name.localeCompare(b.name));
    for (const e of entries) {
      if (e.isDirectory()) await walk(join(p, e.name));
      else if (e.name.endsWith(TEST_SUFFIX)) out.push(resolve(p, e.name));
    }
  };
  for (const p of paths) await walk(p);
  return [...new Set(out)];
}

/** Reads and validates every test file (and the recordings they name) before anything is launched. */
export async function loadTests(files: readonly string[]): Promise<Array<{ file: string; test: HomeostatTest; recordings: Map<string, Recording> }>> {
  const out = [];
  for (const file of files) {
    const test = parseTestFile(await readFile(file, 'utf8'), file);
    const recordings = new Map<string, Recording>();
    for (const f of test.flows) {
      const path = resolve(dirname(file), f);
      recordings.set(path, await loadRecording(path));
    }
    out.push({ file, test, recordings });
  }
  return out;
}
