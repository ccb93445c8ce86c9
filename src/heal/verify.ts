/**
 * Verifying fixes on what the user feels. In every round the measured flows are replayed on the
 * baseline (A) and every open candidate (B, C, …) at once, interleaved step by step in pages of
 * one browser (replay/paired.ts): each interaction on A has its twin on B taken moments apart,
 * under the same load. The paired samples (core/paired.ts) are the diagnosis' primary metric
 * (interaction latency for a transition), guards that must be proven not to regress (time to
 * result, long frames, errors) and the longest frame the handler's own work occupied (which
 * makes an improvement `partial` while the page still freezes). A round is the cluster: the
 * interval is Student's t over rounds. At most two looks: one at the first deciding round the
 * budget buys, one at the last round it buys (whenever the deadline or MAX_ROUNDS comes), each at
 * half the error rate (Bonferroni: valid however far apart they fall). Guards are one-sided
 * claims (verdict.ts guardConfidence).
 *
 * Behaviour comes first: a candidate whose replays fail an expectation, or in which the handler
 * no longer runs, is rejected whatever its timings say.
 */
import { formatConfidence, formatMs } from '../core/format.ts';
import type { Browser } from 'playwright-core';
import { VERIFY_STAT, type Diagnosis } from '../core/diagnose.ts';
import { FROZEN_FRAME_MS, METRICS } from '../core/metrics.ts';
import { isCount, runMetricFloor, runMetricKey, runMetricValue, type RunMetric } from '../core/run-metrics.ts';
import { comparePaired, describePaired, roundSample, type PairedSide, type RoundSample } from '../core/paired.ts';
import type { SessionFile } from '../core/session.ts';
import { confidenceFor, judgeComparisons, perLookConfidence, type FixJudgement, type MetricSpec, type RunValues, type SamplingPlan } from '../core/verdict.ts';
import { replayRun, type Recording, type RunResult } from '../replay/index.ts';
import { pairedRound, type PairedPageResult } from '../replay/paired.ts';

/** How much worse a guard may get by default: the docs' default drift tolerance. */
export const DEFAULT_GUARD_TOLERANCE = 0.2;

export type FixVerdict = 'improved' | 'partial' | 'no-effect' | 'regressed' | 'unresolved' | 'broke-behaviour';

export interface VerificationPlan extends SamplingPlan {
  /** What one paired round of one build is expected to cost (ms): plans the looks, and stops the first round from overrunning. */
  roundMs?: number;
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
  /** Per-round values of every metric (the run statistic of each side), baseline and candidate. */
  runs: { A: RunValues[]; B: RunValues[] };
  /** Per metric key, every round's paired summary: what the interval is computed from. */
  paired: Record<string, RoundSample[]>;
  /**
   * The looks the sequential plan allowed, each at `confidence` (the error rate split between
   * them), and the rounds at which this candidate was looked at (older results have no `at`).
   */
  looks: { planned: number; confidence: number; at?: number[] };
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
  /** Runs one interleaved round (tests inject one; default replay/paired.ts). */
  runRound?: typeof pairedRound;
}

/** What a fix is judged on: its primary metric, the guards and the handler's own longest frame. */
export function metricSpecsFor(d: Diagnosis, plan: VerificationPlan = {}): Array<MetricSpec & { metric: RunMetric }> {
  const tolerance = plan.tolerance ?? DEFAULT_GUARD_TOLERANCE;
  const spec = (metric: RunMetric, role: MetricSpec['role'], extra: Partial<MetricSpec> = {}): MetricSpec & { metric: RunMetric } => ({
    key: runMetricKey(metric),
    label: describePaired(metric),
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

function failures(run: Pick<RunResult, 'expectations' | 'error' | 'session'>, flow: Recording): string[] {
  const out = run.expectations.filter((e) => !e.passed).map((e) => `${flow.title}: step ${e.step} (${e.description}) failed${e.message ? `: ${e.message}` : ''}`);
  if (run.error && out.length === 0) out.push(`${flow.title}: ${run.error}`);
  if (!run.session) out.push(`${flow.title}: the page exported no Homeostat session`);
  return out;
}

const elapsed = (ms: number) => `${Math.round(ms / 1000)} s`;

/** Rounds before the first look: the interval has rounds − 1 degrees of freedom, and at three rounds the t quantile at the first look's 97.5% is 6.2 (4.2 at four). */
export const MIN_ROUNDS = 4;

/**
 * Fewest rounds a look is ever taken at, when the budget cannot buy MIN_ROUNDS: one look at
 * three rounds (2 degrees of freedom, t = 4.3 at 95%) still decides an overwhelming change (a
 * virtualised list's 0.2×), and says "unresolved" to anything smaller; at two rounds (t = 12.7)
 * nothing short of a tenfold change would.
 */
export const MIN_DECIDING_ROUNDS = 3;

/** Rounds at most: with rounds of a few seconds, the time budget stops sampling first. */
export const MAX_ROUNDS = 20;

/**
 * Where the looks of the sequential plan fall: the first at `minRuns` (MIN_ROUNDS, or fewer when
 * the budget buys fewer, never under MIN_DECIDING_ROUNDS: a plan of four rounds the budget cannot
 * pay for decides nothing), and when the cap buys more rounds than that (`maxRuns` > `minRuns`,
 * at the estimated round cost, or `rounds` when known), a second and last one at the last round
 * it buys. Two looks at most: peeking every round spends the error rate on looks that rarely
 * decide, while the last round, with the most samples, is where a close call is made.
 */
export function plannedLooks(plan: SamplingPlan, capMs: number, roundMs: number, rounds?: number): { minRuns: number; maxRuns: number; affordable: number } {
  const affordable = rounds ?? (roundMs > 0 && Number.isFinite(capMs) ? Math.max(0, Math.floor(capMs / roundMs)) : Infinity);
  const first = Math.max(MIN_DECIDING_ROUNDS, Math.min(MIN_ROUNDS, affordable));
  const minRuns = Math.max(first, plan.minRuns ?? first);
  const maxRuns = Math.max(minRuns, Math.min(plan.maxRuns ?? MAX_ROUNDS, affordable));
  return { minRuns, maxRuns, affordable };
}

/**
 * Verifies every candidate against the same interleaved baseline pages. Returns one verification
 * per candidate, keyed by diagnosis id.
 */
export async function verifyFixes(options: VerifyOptions): Promise<Map<string, Verification>> {
  const log = options.onProgress ?? (() => {});
  const plan = options.plan ?? {};
  const now = options.now ?? Date.now;
  const specs = new Map(options.candidates.map((c) => [c.diagnosis.id, metricSpecsFor(c.diagnosis, plan)]));
  const allMetrics = new Map<string, RunMetric>();
  for (const list of specs.values()) for (const s of list) allMetrics.set(s.key, s.metric);
  const out = new Map<string, Verification>();
  const state = new Map(
    options.candidates.map((c) => [
      c.diagnosis.id,
      { reasons: [] as string[], screenshots: [] as string[], sessions: [] as SessionFile[], A: [] as RunValues[], B: [] as RunValues[], paired: {} as Record<string, RoundSample[]> },
    ]),
  );
  const valuesOf = (sessions: SessionFile[]): RunValues => {
    const v: RunValues = {};
    for (const [key, metric] of allMetrics) v[key] = runMetricValue(sessions, metric);
    return v;
  };
  const replayOnce = async (url: string, flows: readonly Recording[], label: string, shots: string[]) => {
    const runs: Array<{ run: RunResult; flow: Recording }> = [];
    for (const flow of flows) {
      const run = await replayRun(options.browser, flow, {
        url,
        seed: 0x5eed,
        index: 0,
        label,
        ...(options.screenshotDir ? { screenshotDir: options.screenshotDir } : {}),
        ...(options.cpuThrottle ? { cpuThrottle: options.cpuThrottle } : {}),
      });
      shots.push(...run.screenshots, ...run.expectations.flatMap((e) => (e.screenshot ? [e.screenshot] : [])));
      runs.push({ run, flow });
    }
    return runs;
  };

  let looks = { planned: 0, confidence: 0 };
  let roundsDone = 0;
  function verification(c: Candidate, verdict: FixVerdict, why: string, judgement: FixJudgement | null, rounds: number, stoppedBy: Verification['stoppedBy'], at: number[] = []): Verification {
    const st = state.get(c.diagnosis.id)!;
    return { verdict, why, reasons: st.reasons.slice(), judgement, runs: { A: st.A.slice(), B: st.B.slice() }, paired: st.paired, looks: { ...looks, at }, rounds, stoppedBy, screenshots: st.screenshots, sessions: st.sessions };
  }

  // Behaviour first: every flow not measured below runs once on each candidate (the baseline ran
  // them all while diagnosing); the measured flows check expectations in every round.
  const behaviourOnly = options.flows.filter((f) => !options.measured.includes(f));
  let open: Candidate[] = [];
  // Nothing is timed here, only expectations checked: the candidates' pages run side by side.
  const checked = await Promise.all(
    options.candidates.map(async (c) => {
      const st = state.get(c.diagnosis.id)!;
      return (await replayOnce(c.url, behaviourOnly, `fix-${c.diagnosis.handler}-check`, st.screenshots)).flatMap(({ run, flow }) => failures(run, flow));
    }),
  );
  for (const [k, c] of options.candidates.entries()) {
    const st = state.get(c.diagnosis.id)!;
    const broke = checked[k]!;
    if (broke.length > 0) {
      st.reasons.push(...broke.map((b) => `patched build: ${b}`));
      out.set(c.diagnosis.id, verification(c, 'broke-behaviour', st.reasons.join('; '), null, 0, 'dropped'));
    } else open.push(c);
  }
  if (open.length === 0) return out;

  const deadline = plan.deadline ?? Infinity;
  const estimate = plan.roundMs ?? 0;
  const overall = plan.confidence ?? 0.95;
  // A paired round shares think time and page loads across its pages: about 0.85 of separate
  // runs (24–28 s for three pages of the demo's 10 s flow at load 6–7 on 2 cores). The first
  // plan comes from that estimate; it is made again from the first round's own cost before any
  // look is taken (what a round costs says nothing about which build is faster).
  let { minRuns, maxRuns, affordable } = plannedLooks(plan, deadline - now(), 0.85 * estimate * Math.max(1, open.length + 1));
  const replan = (roundsLeft: number, done: number) => {
    ({ minRuns, maxRuns, affordable } = plannedLooks(plan, Infinity, 0, done + roundsLeft));
    const two = maxRuns > minRuns;
    looks = { planned: two ? 2 : 1, confidence: two ? perLookConfidence(overall, { minRuns: 1, maxRuns: 2 }, 'bonferroni') : overall };
  };
  replan(affordable === Infinity ? MAX_ROUNDS : affordable, 0);
  if (affordable < minRuns) log(`A/B: the time left buys about ${affordable} round${affordable === 1 ? '' : 's'} at the estimated cost; a decision needs ${minRuns}: the verdicts may stay unresolved (a longer --time-budget, or a quieter machine, gives them the rounds)`);
  const judgeOptions = () => ({ confidence: looks.confidence, threshold: plan.threshold ?? 0.1, tolerance: plan.tolerance ?? DEFAULT_GUARD_TOLERANCE, frozenMs: plan.frozenMs ?? FROZEN_FRAME_MS });
  const judge = (c: Candidate) => {
    const st = state.get(c.diagnosis.id)!;
    return judgeComparisons(specs.get(c.diagnosis.id)!, (spec) => {
      const rounds = st.paired[spec.key] ?? [];
      return rounds.length >= 2 ? comparePaired(rounds, { confidence: confidenceFor(spec, looks.confidence), floor: spec.floor }) : null;
    }, judgeOptions());
  };
  const last = new Map<string, FixJudgement>();
  const started = now();
  // What one page of a round has cost at most: a round of k pages costs about k of them (pages run in turn).
  let perPage = 0;
  let stoppedBy: Verification['stoppedBy'] = 'max-runs';
  const describePlan = () => `${minRuns === maxRuns ? `${minRuns}` : `${minRuns}–${maxRuns}`} rounds (${looks.planned === 1 ? `one look, at ${maxRuns}` : `looks at ${minRuns} and at the last round the budget buys`}, ${formatConfidence(looks.confidence)} each)`;
  log(`A/B: ${open.length} candidate${open.length === 1 ? '' : 's'} interleaved with the baseline, step by step; ${describePlan()}`);
  try {
    // Rounds go on until the deadline (or the caller's maxRuns, or MAX_ROUNDS): the plan only says where the looks are.
    const lastRound = Math.max(minRuns, plan.maxRuns ?? MAX_ROUNDS);
    for (let round = 0; round < lastRound && open.length > 0; round++) {
      // Never start a round that cannot finish in time: the costliest page so far times the
      // pages this round opens, or the estimate.
      const pages = open.length + 1;
      const cost = round === 0 ? estimate * pages * 0.8 : perPage * pages;
      if (now() + cost > deadline) {
        stoppedBy = 'deadline';
        break;
      }
      const t0 = now();
      const builds = [{ id: 'baseline', url: options.baselineUrl }, ...open.map((c) => ({ id: c.diagnosis.id, url: c.url }))];
      const perFlow: Array<{ flow: Recording; pages: Map<string, PairedPageResult> }> = [];
      let aborted = false;
      for (const flow of options.measured) {
        const r = await (options.runRound ?? pairedRound)(options.browser, flow, builds, {
          seed: 0x5eed + round,
          round,
          deadline,
          now,
          ...(options.screenshotDir ? { screenshotDir: options.screenshotDir } : {}),
          ...(options.cpuThrottle ? { cpuThrottle: options.cpuThrottle } : {}),
        });
        if (r.aborted) {
          aborted = true;
          break;
        }
        perFlow.push({ flow, pages: r.pages });
      }
      if (aborted) {
        // The deadline passed within the round: its samples are incomplete and not used.
        stoppedBy = 'deadline';
        log(`A/B round ${round + 1} stopped at the deadline; its samples are discarded`);
        break;
      }
      perPage = Math.max(perPage, (now() - t0) / builds.length);
      if (round === 0 && Number.isFinite(deadline)) {
        // Re-planned from what this round cost, before any look: rounds once decided candidates
        // leave are cheaper, so this undercounts, and the last look is taken when the time runs out.
        const before = describePlan();
        replan(Math.max(0, Math.floor((deadline - now()) / (perPage * builds.length))), 1);
        if (describePlan() !== before) log(`A/B: a round costs ${elapsed(now() - t0)} here: ${describePlan()}`);
      }
      const baseBroke = perFlow.flatMap(({ flow, pages }) => failures(pages.get('baseline')!, flow));
      if (baseBroke.length > 0) throw new BaselineBroke(`the baseline build failed its own flow in round ${round + 1}: ${baseBroke.join('; ')}`);
      const baseSessions = perFlow.map(({ pages }) => pages.get('baseline')!.session!);
      roundsDone = round + 1;
      const still: Candidate[] = [];
      for (const c of open) {
        const st = state.get(c.diagnosis.id)!;
        const broke = perFlow.flatMap(({ flow, pages }) => failures(pages.get(c.diagnosis.id)!, flow));
        const mine = perFlow.map(({ pages }) => pages.get(c.diagnosis.id)!);
        for (const p of mine) st.screenshots.push(...p.screenshots);
        const primary = c.diagnosis.impact.metric;
        const sessions = mine.map((p) => p.session).filter((s): s is SessionFile => s !== null);
        if (broke.length === 0 && primary.kind === 'handler' && primary.stat !== 'sum' && !sessions.some((s) => s.calls.some((x) => x.handler === primary.handler))) {
          broke.push(`${primary.handler} no longer runs in the recorded flows`);
        }
        if (broke.length > 0) {
          st.reasons.push(...broke.map((b) => `patched build: ${b}`));
          out.set(c.diagnosis.id, verification(c, 'broke-behaviour', st.reasons.join('; '), null, round + 1, 'dropped'));
          continue;
        }
        st.sessions.push(...sessions);
        st.A.push(valuesOf(baseSessions));
        st.B.push(valuesOf(sessions));
        const sides = perFlow.map(({ pages }) => [side(pages.get('baseline')!), side(pages.get(c.diagnosis.id)!)] as const);
        for (const spec of specs.get(c.diagnosis.id)!) {
          const sample = roundSample(sides, allMetrics.get(spec.key)!);
          if (sample) (st.paired[spec.key] ??= []).push(sample);
        }
        const j = judge(c);
        last.set(c.diagnosis.id, j);
        const p = j.results.find((r) => r.spec.role === 'primary')!;
        log(`  ${c.diagnosis.handler} round ${round + 1}: ${p.spec.label} ${p.comparison ? `${fmt(p.comparison.geoA)} → ${fmt(p.comparison.geoB)} (${p.comparison.nA} pairs)` : 'no pairs yet'}`);
        // The first look; the last is taken below, when the rounds end.
        if (round + 1 === minRuns && looks.planned === 2 && j.settled) {
          out.set(c.diagnosis.id, finish(c, j, round + 1, 'decided', [round + 1]));
          continue;
        }
        still.push(c);
      }
      open = still;
      log(`A/B round ${round + 1}: ${elapsed(now() - t0)} · ${elapsed(now() - started)} in · ${open.length} undecided`);
    }
    // The last look: at whatever round the budget (or MAX_ROUNDS) ended on, if it can decide.
    for (const c of open) {
      const j = last.get(c.diagnosis.id) ?? judge(c);
      const deciding = roundsDone >= MIN_DECIDING_ROUNDS && (looks.planned === 1 || roundsDone > minRuns);
      const at = [...(looks.planned === 2 && roundsDone >= minRuns ? [minRuns] : []), ...(deciding ? [roundsDone] : [])];
      out.set(c.diagnosis.id, finish(c, deciding ? j : { ...j, settled: false }, roundsDone, j.settled && deciding ? 'decided' : stoppedBy, at));
    }
  } catch (e) {
    if (!(e instanceof BaselineBroke)) throw e;
    for (const c of open) {
      state.get(c.diagnosis.id)!.reasons.push(e.message);
      // A baseline that fails its own expectations says nothing about the patch.
      out.set(c.diagnosis.id, verification(c, 'unresolved', e.message, null, roundsDone, 'baseline-broke'));
    }
  }
  return out;

  function finish(c: Candidate, j: FixJudgement, rounds: number, by: Verification['stoppedBy'], at: number[]): Verification {
    const st = state.get(c.diagnosis.id)!;
    // Not settled at a cap: what it rests on is undecided, except a partial that stays partial.
    const verdict: FixVerdict = j.settled || j.verdict === 'partial' ? j.verdict : 'unresolved';
    if (!j.settled) st.reasons.push(`undecided after ${rounds} paired rounds (${by}): ${j.why}`);
    return verification(c, verdict, j.why, j, rounds, by, at);
  }
}

class BaselineBroke extends Error {}

const side = (p: PairedPageResult): PairedSide => ({ session: p.session!, steps: p.steps });

const fmt = (v: number | null | undefined): string => formatMs(v);
