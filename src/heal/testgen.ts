/**
 * The tests that ship with a fix, aimed at what the fix changed: a signal the bug moves, with a
 * limit placed between what the base build and the fixed build measured, so the test fails on
 * the bug. Heal proves each one (prove.ts) before delivering it.
 *
 * Which signal, per fix (the first that separates the two builds' runs wins):
 * - a transition (`transition`, `pending-transition`): the share of the handler's React updates
 *   run as blocking; React decides it by lanes, so it is 100% before and 0% after on any machine;
 * - a memoised value (`memo-value`): the function's calls per React commit (~1 before, 0 after);
 * - anything else (`memo-component`, `defer-value`, `progressive-list`, …): the metric the fix
 *   was verified on (the handler's p95 interaction, its longest frame), a timing, only with a
 *   wide margin on both sides.
 * React.memo's own signal would be the child's render count, but production builds do not keep
 * component names, so the runner cannot count one component's renders: it falls back to timing.
 *
 * For a recurring error that is handled on purpose (the demo's invalid /regex/ shows an alert),
 * the test holds what matters: the flow's expectations (the UI shows the error) and no error
 * escaping uncaught; the error itself may keep occurring. Asking for `absent` makes it a test
 * that fails until the error no longer occurs, documented as such.
 */
import { posix } from 'node:path';
import type { Diagnosis } from '../core/diagnose.ts';
import { runMetricFloor } from '../core/run-metrics.ts';
import { slug } from './names.ts';
import { describeSignal, formatSignal, isDeterministic, signalValue, type RunEvidence } from './signals.ts';
import { TEST_FORMAT, TEST_SUFFIX, TEST_VERSION, type Assertion, type HomeostatTest, type Signal } from './test-file.ts';

export interface GeneratedFile {
  /** Path relative to the tree root. */
  path: string;
  content: string;
}

/** A test heal wrote, not yet proven: its path in the tree and its content as data. */
export interface GeneratedTest {
  path: string;
  kind: 'fix' | 'error';
  test: HomeostatTest;
  /** Counts, not timings: the proof can run beside other work. */
  deterministic: boolean;
}

/**
 * How far a timing limit sits from each side: the fixed build's slowest run would have to get
 * this much slower, or the base build's fastest run this much faster, to cross it. Replays on a
 * 2-core machine at load 8–10 move a run by up to ~1.4× against a quiet one (the A/B rounds'
 * spread): 1.5× each side keeps a timing test from flipping on load alone.
 */
export const TIMING_MARGIN = 1.5;
/** Smallest gap between the two builds' shares or ratios that a limit is placed in. */
const MIN_RATIO_GAP = 0.1;

/**
 * A timing signal as a generated test holds it: the median of the run's calls, not the p95 the
 * fix was verified on. A test is one replay of a flow with a dozen or so calls of the handler, so
 * its p95 is its slowest call, and one load spike at proof time moves it past any limit (the demo's
 * virtualised list: every A/B run of the fix at ≤ 51 ms, then one proof replay at load 8.3 with a
 * 239 ms call). The median of the same calls moves with the work, not with one spike.
 */
function asTestTiming(s: Signal): Signal {
  if (s.kind !== 'metric' || s.metric.kind !== 'handler') return s;
  const st = s.metric.stat;
  if (st === 'sum' || st === 'max' || st === 'p50') return s;
  return { kind: 'metric', metric: { ...s.metric, stat: 'p50' } };
}

/** The signals that can tell the fixed build from the base one, best first. */
export function signalCandidates(d: Diagnosis): Signal[] {
  const primary: Signal = asTestTiming({ kind: 'metric', metric: d.impact.metric });
  // A string, so codemods added later (progressive-list) fall through to their verified metric.
  const codemod: string = d.fix?.codemod ?? '';
  switch (codemod) {
    case 'transition':
    case 'pending-transition':
      return [{ kind: 'blockingShare', handler: d.handler }, primary];
    case 'memo-value':
      return [{ kind: 'callsPerCommit', handler: d.handler }, primary];
    case 'progressive-list':
    case 'virtual-list': {
      // Less work per frame: the longest frame the handler's work occupies.
      const frame: Signal = asTestTiming({ kind: 'metric', metric: { kind: 'handler', handler: d.handler, metric: 'longestFrame', stat: 'p95' } });
      return JSON.stringify(frame) === JSON.stringify(primary) ? [primary] : [frame, primary];
    }
    default:
      return [primary];
  }
}

const finite = (xs: ReadonlyArray<number | null>) => xs.filter((x): x is number => x !== null && Number.isFinite(x));
const round2 = (x: number) => Math.round(x * 100) / 100;
const sig3 = (x: number) => Number(x.toPrecision(3));

/**
 * Where the limit goes between the runs of the two builds, or why it cannot go anywhere. Counts:
 * half-way between the fixed build's highest and the base build's lowest run. Timings: the
 * geometric middle, and only when each side is `TIMING_MARGIN` away from it.
 */
export function placeLimit(signal: Signal, baseRuns: ReadonlyArray<number | null>, fixedRuns: ReadonlyArray<number | null>): { max: number; why: string } | { none: string } {
  const base = finite(baseRuns);
  const fixed = finite(fixedRuns);
  const label = describeSignal(signal);
  if (base.length === 0 || fixed.length === 0) return { none: `${label}: no sample on the ${base.length === 0 ? 'base' : 'fixed'} build` };
  const fmt = (v: number) => formatSignal(signal, v);
  const hi = Math.min(...base);
  const lo = Math.max(...fixed);
  const sides = `the fixed build's runs reach ${fmt(lo)} at most, the base build's go down to ${fmt(hi)}`;
  if (isDeterministic(signal)) {
    const integer = signal.kind === 'uncaughtErrors' || signal.kind === 'errors' || signal.kind === 'metric';
    if (hi - lo < (integer ? 1 : MIN_RATIO_GAP)) return { none: `${label} does not separate the builds: ${sides}` };
    let max = integer ? lo + Math.floor((hi - lo - 1) / 2) : round2((hi + lo) / 2);
    if (!(max >= lo && max < hi)) max = (hi + lo) / 2;
    return { max, why: `half-way between the builds (a count, not a timing: the machine's load does not move it; counted from the first interaction on, page load is the same for both): ${sides}` };
  }
  const floor = signal.kind === 'metric' ? runMetricFloor(signal.metric) : 0;
  const top = Math.max(hi, floor);
  const bottom = Math.max(lo, floor);
  const margin = Math.sqrt(top / bottom);
  if (margin < TIMING_MARGIN) {
    return { none: `${label} does not separate the builds with a ${TIMING_MARGIN}× margin each side (${sides}: ${margin.toFixed(2)}× each side)` };
  }
  const max = sig3(Math.sqrt(top * bottom));
  return {
    max,
    why: `the geometric middle of the builds (${sides}): a run would have to move ${margin.toFixed(1)}× to cross it, more than load noise on a busy 2-core machine (${TIMING_MARGIN}× is the least accepted)`,
  };
}

export interface FixTestInput {
  diagnosis: Diagnosis;
  /** One line: what the fix does ("wrap setResults in startTransition in renderReact"). */
  fix: string;
  /** The flow the test replays, relative to the tree root. */
  flow: string;
  testDir: string;
  /** Per-run evidence from the A/B replays: the base build's and the fixed build's sessions. */
  base: readonly RunEvidence[];
  fixed: readonly RunEvidence[];
  /** How to run it, for its header (`npx homeostat test … --build "…"`). */
  runCommand?: string;
}

const rangeOf = (signal: Signal, runs: ReadonlyArray<number | null>) => {
  const v = finite(runs);
  if (v.length === 0) return 'no sample';
  const [a, b] = [Math.min(...v), Math.max(...v)];
  return `${a === b ? formatSignal(signal, a) : `${formatSignal(signal, a)}–${formatSignal(signal, b)}`} over ${v.length} run${v.length === 1 ? '' : 's'}`;
};

/** The test for a verified fix, or why none of its signals tells the builds apart. */
export function fixTest(input: FixTestInput): { test: GeneratedTest; rejected: string[] } | { test: null; rejected: string[] } {
  const d = input.diagnosis;
  const rejected: string[] = [];
  for (const signal of signalCandidates(d)) {
    const baseRuns = input.base.map((r) => signalValue(signal, r));
    const fixedRuns = input.fixed.map((r) => signalValue(signal, r));
    const placed = placeLimit(signal, baseRuns, fixedRuns);
    if ('none' in placed) {
      rejected.push(placed.none);
      continue;
    }
    const label = describeSignal(signal);
    const assertion: Assertion = { signal, max: placed.max, why: placed.why };
    const path = posix.join(input.testDir, `${slug(d.handler, 60)}.fix${TEST_SUFFIX}`);
    const test: HomeostatTest = {
      format: TEST_FORMAT,
      version: TEST_VERSION,
      name: `${d.handler}: ${label} ≤ ${formatSignal(signal, placed.max)} (${input.fix})`,
      about: [
        `Generated by homeostat heal for ${d.id}: ${input.fix}.`,
        `Root cause: ${d.rootCause}`,
        `What it holds: ${label}, which the fix changed: ${rangeOf(signal, baseRuns)} on the base build, ${rangeOf(signal, fixedRuns)} with the fix (the A/B replays).`,
        `Limit: ${placed.why}.`,
        `The flow's own expectations must pass too: the fix keeps the app's behaviour.`,
        ...(input.runCommand ? [`Run it: ${input.runCommand.replace('{path}', path)}`] : []),
      ],
      flows: [posix.relative(input.testDir, input.flow)],
      assert: [assertion],
      observe: [],
    };
    return { test: { path, kind: 'fix', test, deterministic: isDeterministic(signal) }, rejected };
  }
  return { test: null, rejected };
}

export interface ErrorTestInput {
  diagnosis: Diagnosis;
  /** Flows in which the error occurs, relative to the tree root. */
  flows: string[];
  testDir: string;
  /** `handled` (default): the UI shows it and nothing escapes; `absent`: fails until the error no longer occurs. */
  mode?: 'handled' | 'absent';
  /** What the flows check (their expectations), for the header. */
  expectations?: string[];
  runCommand?: string;
}

/** The regression test for a recurring error pattern. */
export function errorTest(input: ErrorTestInput): GeneratedTest {
  const d = input.diagnosis;
  const pattern = String(d.evidence['pattern'] ?? '');
  const mode = input.mode ?? 'handled';
  const thrown: Signal = { kind: 'errors', handler: d.handler, ...(pattern ? { pattern } : {}) };
  const path = posix.join(input.testDir, `${slug(d.handler, 60)}.errors${TEST_SUFFIX}`);
  const seen = `${d.handler} threw "${pattern}" ${d.evidence['errors']} times in ${d.evidence['calls']} calls of the baseline replays.`;
  const checks = input.expectations?.length ? ` The flows check: ${input.expectations.join('; ')}.` : '';
  const test: HomeostatTest = {
    format: TEST_FORMAT,
    version: TEST_VERSION,
    name: mode === 'handled' ? `${d.handler}: "${pattern}" is handled (shown to the user, nothing uncaught)` : `${d.handler} no longer throws "${pattern}"`,
    about: [
      `Generated by homeostat heal for ${d.id}. ${seen}`,
      mode === 'handled'
        ? `The flow provokes the error on purpose and its expectations check that the UI shows it; this test also holds that no error reaches the page uncaught. The error itself may keep occurring (it is counted, not asserted).${checks}`
        : `Asked for as a failing test: it fails while the flow still makes ${d.handler} throw this error, and passes once the input is handled without throwing.${checks}`,
      ...(input.runCommand ? [`Run it: ${input.runCommand.replace('{path}', path)}`] : []),
    ],
    flows: input.flows.map((f) => posix.relative(input.testDir, f)),
    assert:
      mode === 'handled'
        ? [{ signal: { kind: 'uncaughtErrors' }, max: 0, why: 'a handled error never reaches the page uncaught' }]
        : [{ signal: thrown, max: 0, why: 'the error no longer occurs' }],
    observe: mode === 'handled' ? [thrown] : [],
  };
  return { path, kind: 'error', test, deterministic: true };
}
