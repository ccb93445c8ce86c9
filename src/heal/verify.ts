/**
 * Verifying fixes on what the user feels. The recorded flows are replayed on the baseline (A)
 * and every candidate build (B, C, …) in alternated rounds (see core/verdict.ts `sampleArms`);
 * each run is reduced to one number per metric: the diagnosis' primary metric (interaction
 * latency for a transition), guards that must not regress (time to result, long-frame blocking
 * and the longest frame in the flow, errors) and the longest frame the handler's own work
 * occupied (which makes an improvement `partial` while the page still freezes).
 *
 * Behaviour comes first: a candidate whose replays fail an expectation, or in which the handler
 * no longer runs, is rejected whatever its timings say.
 */
import { formatMs } from '../core/format.ts';
import type { Browser } from 'playwright-core';
import { VERIFY_STAT, type Diagnosis } from '../core/diagnose.ts';
import { FROZEN_FRAME_MS, METRICS } from '../core/metrics.ts';
import { describeRunMetric, isCount, runMetricFloor, runMetricKey, runMetricValue, type RunMetric } from '../core/run-metrics.ts';
import type { SessionFile } from '../core/session.ts';
import {
  judgeFix,
  perLookConfidence,
  sampleArms,
  type FixJudgement,
  type MetricSpec,
  type RunValues,
  type SamplingPlan,
} from '../core/verdict.ts';
import { replayRun, type Recording, type RunResult } from '../replay/index.ts';

/** How much worse a guard may get by default: the docs' default drift tolerance. */
export const DEFAULT_GUARD_TOLERANCE = 0.2;

export type FixVerdict = 'improved' | 'partial' | 'no-effect' | 'regressed' | 'unresolved' | 'broke-behaviour';

export interface VerificationPlan extends SamplingPlan {
  /** Smallest relative change of the primary metric that counts (default 0.1). */
  threshold?: number;
  /** How much worse a guard may get (default 0.2, the docs' default drift tolerance). */
  tolerance?: number;
  /** Overall confidence; split over the planned looks (default 0.95). */
  confidence?: number;
  /** A frame at least this long is a visible freeze (default 200 ms). */
  frozenMs?: number;
}

export interface Verification {
  verdict: FixVerdict;
  /** One sentence with the numbers: "interaction faster: 0.2× …, result no sooner (1.01×), still a 1.7 s frame". */
  why: string;
  /** Why behaviour broke, or why the comparison could not be made. */
  reasons: string[];
  judgement: FixJudgement | null;
  /** Per-run values of every metric, baseline and candidate. */
  runs: { A: RunValues[]; B: RunValues[] };
  rounds: number;
  stoppedBy: 'decided' | 'max-runs' | 'deadline' | 'dropped' | 'baseline-broke';
  screenshots: string[];
  /** The candidate's sessions (docs are regenerated from them). */
  sessions: SessionFile[];
}

export interface Candidate {
  diagnosis: Diagnosis;
  /** Where the patched build is served. */
  url: string;
}

export interface VerifyOptions {
  browser: Browser;
  /** Every recorded flow: each is replayed once on each candidate to check behaviour. */
  flows: readonly Recording[];
  /** The flows measured in every round (those in which the diagnosed handlers run). */
  measured: readonly Recording[];
  baselineUrl: string;
  candidates: readonly Candidate[];
  plan?: VerificationPlan;
  screenshotDir?: string;
  cpuThrottle?: number;
  onProgress?: (line: string) => void;
  /** Clock for the deadline (tests inject one). */
  now?: () => number;
}

/** What a fix is judged on: its primary metric, the guards and the handler's own longest frame. */
export function metricSpecsFor(d: Diagnosis, plan: VerificationPlan = {}): Array<MetricSpec & { metric: RunMetric }> {
  const tolerance = plan.tolerance ?? DEFAULT_GUARD_TOLERANCE;
  const spec = (metric: RunMetric, role: MetricSpec['role'], extra: Partial<MetricSpec> = {}): MetricSpec & { metric: RunMetric } => ({
    key: runMetricKey(metric),
    label: describeRunMetric(metric),
    role,
    floor: runMetricFloor(metric),
    ...(isCount(metric) ? { unit: 'count' as const } : {}),
    ...(role === 'guard' ? { tolerance: isCount(metric) ? 0 : tolerance } : {}),
    ...extra,
    metric,
  });
  const primary = d.impact.metric;
  const out = [spec(primary, 'primary')];
  // Fixes judged on what the user feels keep the handler running per interaction: its own
  // result and interaction are guarded. A fix that removes the handler's work (a memoised value)
  // may remove its calls too: the flow's interactions are guarded instead.
  const feltPrimary = primary.kind === 'handler' && METRICS[primary.metric].felt;
  const keys = new Set([out[0]!.key]);
  const add = (s: MetricSpec & { metric: RunMetric }) => {
    if (keys.has(s.key)) return;
    keys.add(s.key);
    out.push(s);
  };
  const handler = primary.kind === 'handler' ? primary.handler : d.handler;
  const stat = primary.kind === 'handler' && primary.stat !== 'sum' && primary.stat !== 'max' ? primary.stat : VERIFY_STAT;
  if (feltPrimary) add(spec({ kind: 'handler', handler, metric: 'result', stat }, 'guard'));
  add(spec({ kind: 'flow', metric: 'frameBlocking' }, 'guard'));
  add(spec({ kind: 'flow', metric: 'longestFrame' }, 'guard'));
  add(spec({ kind: 'flow', metric: 'interaction' }, 'guard'));
  add(spec({ kind: 'flow', metric: 'errors' }, 'guard'));
  if (feltPrimary) add(spec({ kind: 'handler', handler, metric: 'interaction', stat }, 'guard'));
  // Fixes that claim a felt change: the user still sees a frozen frame or does not.
  if (feltPrimary) add(spec({ kind: 'handler', handler, metric: 'longestFrame', stat }, 'context', { frozen: true }));
  return out;
}

class BehaviourBroke extends Error {}
class BaselineBroke extends Error {}

function failures(run: RunResult, flow: Recording): string[] {
  const out = run.expectations.filter((e) => !e.passed).map((e) => `${flow.title}: step ${e.step} (${e.description}) failed${e.message ? `: ${e.message}` : ''}`);
  if (run.error && out.length === 0) out.push(`${flow.title}: ${run.error}`);
  if (!run.session) out.push(`${flow.title}: the page exported no Homeostat session`);
  return out;
}

const elapsed = (ms: number) => `${Math.round(ms / 1000)} s`;

/**
 * Verifies every candidate against the same baseline runs. Returns one verification per
 * candidate, keyed by diagnosis id.
 */
export async function verifyFixes(options: VerifyOptions): Promise<Map<string, Verification>> {
  const log = options.onProgress ?? (() => {});
  const plan = options.plan ?? {};
  const now = options.now ?? Date.now;
  const confidence = perLookConfidence(plan.confidence ?? 0.95, plan);
  const specs = new Map(options.candidates.map((c) => [c.diagnosis.id, metricSpecsFor(c.diagnosis, plan)]));
  const allMetrics = new Map<string, RunMetric>();
  for (const list of specs.values()) for (const s of list) allMetrics.set(s.key, s.metric);
  const out = new Map<string, Verification>();
  const state = new Map(
    options.candidates.map((c) => [c.diagnosis.id, { reasons: [] as string[], screenshots: [] as string[], sessions: [] as SessionFile[], B: [] as RunValues[] }]),
  );
  const A: RunValues[] = [];
  const runTimes: number[] = [];

  const replay = async (url: string, flows: readonly Recording[], round: number, label: string, shots: string[]) => {
    const runs: Array<{ run: RunResult; flow: Recording }> = [];
    for (const flow of flows) {
      const t0 = now();
      const run = await replayRun(options.browser, flow, {
        url,
        // The same seed on every side of a round: builds differ only by their patch.
        seed: 0x5eed + round,
        index: round,
        label,
        ...(options.screenshotDir ? { screenshotDir: options.screenshotDir } : {}),
        ...(options.cpuThrottle ? { cpuThrottle: options.cpuThrottle } : {}),
      });
      runTimes.push(now() - t0);
      shots.push(...run.screenshots, ...run.expectations.flatMap((e) => (e.screenshot ? [e.screenshot] : [])));
      runs.push({ run, flow });
    }
    return runs;
  };
  const valuesOf = (sessions: SessionFile[]): RunValues => {
    const v: RunValues = {};
    for (const [key, metric] of allMetrics) v[key] = runMetricValue(sessions, metric);
    return v;
  };

  // Behaviour first: every flow once on each candidate (the baseline ran them all while diagnosing).
  const behaviourOnly = options.flows.filter((f) => !options.measured.includes(f));
  const open: Candidate[] = [];
  for (const c of options.candidates) {
    const st = state.get(c.diagnosis.id)!;
    const broke = (await replay(c.url, behaviourOnly, 0, `fix-${c.diagnosis.handler}-check`, st.screenshots)).flatMap(({ run, flow }) => failures(run, flow));
    if (broke.length > 0) {
      st.reasons.push(...broke.map((b) => `patched build: ${b}`));
      out.set(c.diagnosis.id, verification(c, 'broke-behaviour', st.reasons.join('; '), null, 0, 'dropped'));
    } else open.push(c);
  }

  function verification(c: Candidate, verdict: FixVerdict, why: string, judgement: FixJudgement | null, rounds: number, stoppedBy: Verification['stoppedBy']): Verification {
    const st = state.get(c.diagnosis.id)!;
    return { verdict, why, reasons: st.reasons.slice(), judgement, runs: { A: A.slice(), B: st.B.slice() }, rounds, stoppedBy, screenshots: st.screenshots, sessions: st.sessions };
  }

  const judgeOptions = { confidence, threshold: plan.threshold ?? 0.1, tolerance: plan.tolerance ?? DEFAULT_GUARD_TOLERANCE, frozenMs: plan.frozenMs ?? FROZEN_FRAME_MS };
  const started = now();
  const baselineShots: string[] = [];
  try {
    const outcomes = await sampleArms<RunValues, FixJudgement>(
      async (round) => {
        const runs = await replay(options.baselineUrl, options.measured, round, 'baseline', baselineShots);
        const broke = runs.flatMap(({ run, flow }) => failures(run, flow));
        if (broke.length > 0) throw new BaselineBroke(`the baseline build failed its own flow in round ${round + 1}: ${broke.join('; ')}`);
        const values = valuesOf(runs.map((r) => r.run.session!));
        A.push(values);
        return values;
      },
      open.map((c) => ({
        id: c.diagnosis.id,
        run: async (round) => {
          const st = state.get(c.diagnosis.id)!;
          const runs = await replay(c.url, options.measured, round, `fix-${c.diagnosis.handler}`, st.screenshots);
          const broke = runs.flatMap(({ run, flow }) => failures(run, flow));
          const primary = c.diagnosis.impact.metric;
          const sessions = runs.map((r) => r.run.session!).filter(Boolean);
          if (broke.length === 0 && primary.kind === 'handler' && primary.stat !== 'sum' && !sessions.some((s) => s.calls.some((x) => x.handler === primary.handler))) {
            broke.push(`${primary.handler} no longer runs in the recorded flows`);
          }
          if (broke.length > 0) {
            st.reasons.push(...broke.map((b) => `patched build: ${b}`));
            throw new BehaviourBroke(broke[0]);
          }
          st.sessions.push(...sessions);
          const values = valuesOf(sessions);
          st.B.push(values);
          const p = specs.get(c.diagnosis.id)![0]!;
          log(`  ${c.diagnosis.handler} round ${round + 1}: ${p.label} ${fmt(A.at(-1)?.[p.key])} → ${fmt(values[p.key])}`);
          return values;
        },
      })),
      (id, a, b) => judgeFix(specs.get(id)!, a, b, judgeOptions),
      { ...plan, minRuns: plan.minRuns ?? 2, maxRuns: plan.maxRuns ?? 8 },
      now,
      (round, ids) => {
        const avg = runTimes.length ? runTimes.reduce((x, y) => x + y, 0) / runTimes.length : 0;
        const perRound = avg * options.measured.length * (ids.length + 1);
        const roundsLeft = Math.max(0, (plan.maxRuns ?? 8) - round);
        const cap = plan.deadline !== undefined ? Math.max(0, plan.deadline - now()) : Infinity;
        const eta = avg > 0 ? ` · ≤ ${elapsed(Math.min(cap, perRound * roundsLeft))} left (${elapsed(perRound)} a round)` : '';
        log(`A/B round ${round + 1}: baseline + ${ids.length} candidate${ids.length === 1 ? '' : 's'} · ${elapsed(now() - started)} in${eta}`);
      },
    );
    for (const c of open) {
      const o = outcomes.get(c.diagnosis.id)!;
      const st = state.get(c.diagnosis.id)!;
      if (o.stoppedBy === 'dropped') {
        out.set(c.diagnosis.id, verification(c, 'broke-behaviour', st.reasons.join('; '), null, o.rounds, 'dropped'));
        continue;
      }
      const j = o.judgement;
      // Not settled at a cap: what it rests on is undecided, except a partial that stays partial.
      const verdict: FixVerdict = j.settled || j.verdict === 'partial' ? j.verdict : 'unresolved';
      if (!j.settled) st.reasons.push(`undecided after ${o.rounds} runs per side (${o.stoppedBy}): ${j.why}`);
      out.set(c.diagnosis.id, verification(c, verdict, j.why, j, o.rounds, o.stoppedBy));
    }
  } catch (e) {
    if (!(e instanceof BaselineBroke)) throw e;
    for (const c of open) {
      state.get(c.diagnosis.id)!.reasons.push(e.message);
      // A baseline that fails its own expectations says nothing about the patch.
      out.set(c.diagnosis.id, verification(c, 'unresolved', e.message, null, A.length, 'baseline-broke'));
    }
  }
  return out;
}

const fmt = (v: number | null | undefined): string => formatMs(v);
