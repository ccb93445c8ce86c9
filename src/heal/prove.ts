/**
 * Proving a generated test before it is delivered: it is run, as `homeostat test` would run it,
 * against the base build (it must fail, on its assertion, with the flow's behaviour intact) and
 * against the fixed build (it must pass). Both builds are the ones heal already built and served
 * for the A/B rounds, and each side replays the test's flow once, both sides at the same time:
 * a proof costs about one replay of one flow.
 *
 * A regression test for a handled error has no fixed build to compare with: it is proven to pass
 * on the base build while the flow does reach the error (so it guards the handling, not nothing);
 * asked for as a failing test, it is proven to fail there.
 */
import { posix } from 'node:path';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import type { Recording } from '../replay/index.ts';
import { evaluateTest, replayFlows, type Replayed, type TestRunResult } from './run-tests.ts';
import { formatSignal } from './signals.ts';
import type { GeneratedTest } from './testgen.ts';
import { serializeTest } from './test-file.ts';

export type ProofStatus =
  /** Fails on the base build, passes on the fix. */
  | 'proven'
  /** A handled-error test: passes on the base build, and the flow reached the error. */
  | 'guards'
  /** A failing test asked for: fails on the base build, as documented. */
  | 'fails-as-documented'
  /** Cannot tell the builds apart, or could not run: not delivered. */
  | 'not-proven';

export interface TestProof {
  path: string;
  kind: GeneratedTest['kind'];
  status: ProofStatus;
  /** One sentence with the measured values. */
  why: string;
  base: TestRunResult;
  fixed: TestRunResult | null;
}

export interface ProveOptions {
  browser: Browser;
  /** The tree the test is written into (its flows are resolved there). */
  tree: string;
  baseUrl: string;
  /** The fixed build; absent for a regression test of a handled error. */
  fixedUrl?: string;
  /** Recordings already loaded, by absolute path inside `tree`. */
  recordings?: ReadonlyMap<string, Recording>;
  screenshotDir?: string;
}

const valueText = (r: TestRunResult) =>
  r.assertions.map((a) => `${a.label} ${formatSignal(a.assertion.signal, a.value)} (${a.passed ? '≤' : '>'} ${formatSignal(a.assertion.signal, a.assertion.max)})`).join(', ');
const flowTrouble = (r: TestRunResult) => r.flows.flatMap((f) => [...(f.error ? [`${f.flow}: ${f.error}`] : []), ...f.failedExpectations.map((e) => `${f.flow}: ${e}`)]);
const assertionsFailed = (r: TestRunResult) => r.assertions.some((a) => !a.passed);

/** Replays shared between proofs: tests that replay the same flows on the same build (counts only) read one replay. */
export type ReplayCache = Map<string, Promise<Replayed>>;

/** Runs the test on both builds (in parallel) and decides whether it tells them apart. */
export async function proveTest(t: GeneratedTest, o: ProveOptions, cache?: ReplayCache): Promise<TestProof> {
  const baseDir = join(o.tree, posix.dirname(t.path));
  const run = async (url: string, label: string) => {
    const opts = { browser: o.browser, url, baseDir, label: `proof-${label}`, ...(o.recordings ? { recordings: o.recordings } : {}), ...(o.screenshotDir ? { screenshotDir: o.screenshotDir } : {}) };
    // The recordings, not their paths: two trees hold the same flow at different paths.
    const key = `${url}\u0000${t.test.flows.map((f) => JSON.stringify(o.recordings?.get(join(baseDir, f)) ?? join(baseDir, f))).join('\u0000')}`;
    let replayed = cache?.get(key);
    if (!replayed) {
      replayed = replayFlows(t.test.flows, opts);
      cache?.set(key, replayed);
    }
    return evaluateTest(t.test, await replayed, { url });
  };
  const [base, fixed] = await Promise.all([run(o.baseUrl, 'base'), o.fixedUrl ? run(o.fixedUrl, 'fixed') : Promise.resolve(null)]);
  return decideProof(t, base, fixed);
}

/** Whether the two runs prove the test (pure: the runs' results decide). */
export function decideProof(t: GeneratedTest, base: TestRunResult, fixed: TestRunResult | null): TestProof {
  const out = (status: ProofStatus, why: string): TestProof => ({ path: t.path, kind: t.kind, status, why, base, fixed });
  const baseTrouble = flowTrouble(base);

  if (fixed) {
    if (baseTrouble.length) return out('not-proven', `the base build did not run the flow through (${baseTrouble[0]}): its failure would not be the bug's`);
    if (!assertionsFailed(base)) return out('not-proven', `passes on the base build too: ${valueText(base)}`);
    if (!fixed.passed) {
      const trouble = flowTrouble(fixed);
      return out('not-proven', `fails on the fixed build too: ${trouble.length ? trouble[0] : valueText(fixed)}`);
    }
    return out('proven', `fails on the base build: ${valueText(base)}; passes on the fixed build: ${valueText(fixed)}`);
  }

  const observed = base.observed.map((x) => `${x.label}: ${formatSignal(x.signal, x.value)}`).join(', ');
  if (t.test.observe.length > 0) {
    // A handled-error guard: it must pass, and the flow must have reached the error it guards.
    if (!base.passed) return out('not-proven', `fails on the base build (${baseTrouble[0] ?? valueText(base)}): the error is not handled today; fix it before guarding it`);
    if (base.observed.some((x) => x.value === null || x.value === 0)) return out('not-proven', `the flow no longer reaches the error (${observed}): the test would guard nothing`);
    return out('guards', `passes on the base build with the error provoked and handled: ${valueText(base)}; ${observed}`);
  }
  if (baseTrouble.length) return out('not-proven', `the base build did not run the flow through (${baseTrouble[0]})`);
  if (!assertionsFailed(base)) return out('not-proven', `passes on the base build already: ${valueText(base)}`);
  return out('fails-as-documented', `fails on the base build, as documented: ${valueText(base)}`);
}

/**
 * Proves tests: counts all at once (the machine's load cannot move them), then timing tests one
 * at a time (each with its two sides together), so no timing proof shares the CPU with another.
 */
export async function proveTests(jobs: ReadonlyArray<{ test: GeneratedTest; options: ProveOptions }>): Promise<TestProof[]> {
  const out = new Map<number, TestProof>();
  // Counts read the same from one replay whatever else ran: tests on the same flows and build share it.
  const cache: ReplayCache = new Map();
  await Promise.all(jobs.map(async (j, i) => (j.test.deterministic ? out.set(i, await proveTest(j.test, j.options, cache)) : undefined)));
  for (const [i, j] of jobs.entries()) if (!j.test.deterministic) out.set(i, await proveTest(j.test, j.options));
  return jobs.map((_, i) => out.get(i)!);
}

/** Whether a proven test ships: it told the builds apart, guards a handled error, or is the failing test asked for. */
export function delivers(p: TestProof): boolean {
  return p.status !== 'not-proven';
}

/** The test's file content with the proof recorded in it. */
export function withProof(t: GeneratedTest, p: TestProof, baseBuild: string): string {
  const side = (r: TestRunResult, build: string) => ({ build, passed: r.passed, values: r.assertions.map((a) => (a.value === null || !Number.isFinite(a.value) ? null : Number(a.value.toFixed(4)))) });
  return serializeTest({ ...t.test, proof: { base: side(p.base, baseBuild), fixed: p.fixed ? side(p.fixed, 'the fix (this commit)') : null } });
}

/** Lines for a commit message or a report: what ran where, with the values. */
export function proofLines(p: TestProof, baseBuild: string): string[] {
  // Flows as the repository names them (the test file has them relative to itself).
  const flows = p.base.flows.map((f) => posix.normalize(posix.join(posix.dirname(p.path), f.flow))).join(', ');
  const side = (r: TestRunResult) => `${r.passed ? 'passes' : 'fails'}: ${valueText(r)}${flowTrouble(r).length ? `; ${flowTrouble(r)[0]}` : ''} (${(r.wallMs / 1000).toFixed(1)} s, load ${r.loadAvg.toFixed(1)})`;
  return [
    `${p.path} (${p.status}; one replay of ${flows} ${p.fixed ? 'per build' : 'on the base build'}):`,
    `- base build ${baseBuild}: ${side(p.base)}`,
    ...(p.fixed ? [`- fixed build: ${side(p.fixed)}`] : []),
    ...p.base.observed.map((x) => `- observed on the base build: ${x.label}: ${formatSignal(x.signal, x.value)}`),
  ];
}
