/**
 * `homeostat heal`: the whole loop on an app, in phases that never overlap a measurement with
 * other work:
 *
 *   build + analyse (side by side) → measure the baseline → check docs, diagnose →
 *   patch and build every candidate (side by side) → verify all candidates in interleaved A/B
 *   rounds on what the user feels → deliver the improved ones (tests, docs, branches)
 *
 * The user's working tree is never written: the baseline and every candidate live in temporary
 * git worktrees of HEAD, and only `homeostat/fix-<handler>` branches remain.
 */
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { isAbsolute, join, relative } from 'node:path';
import type { Browser } from 'playwright-core';
import type { AggregateSnapshot } from '../core/aggregate.ts';
import { checkSpec, type CheckReport } from '../core/check/index.ts';
import { diagnose, type Diagnosis } from '../core/diagnose.ts';
import type { SessionFile } from '../core/session.ts';
import type { SpecFile } from '../core/spec.ts';
import { analyzeProject } from '../docs/analyze.ts';
import { readDocs } from '../docs/generate.ts';
import { launchChromium } from '../node/browser.ts';
import { loadRecording, type Recording } from '../replay/index.ts';
import { buildAndServe, type AppBuild } from './app.ts';
import { describeFix } from './apply.ts';
import { buildCandidates, patchCandidate, type PreparedFix } from './candidates.ts';
import { childPropsFor } from './child-props.ts';
import { deliverAll, proofFlowFor, proofReserveMs } from './deliver.ts';
import { locateListFixes } from './list-fixes.ts';
import { predictedRatio } from './evidence.ts';
import { addWorktree, headCommit, repoRoot, type Worktree } from './git.ts';
import { appendHistory, rankByHistory, readHistory, type History, type Outcome } from './history.ts';
import { baselineNeeds } from './baseline-needs.ts';
import { bestFlowFor, measureBaseline } from './measure.ts';
import { DEFAULT_GUARD_TOLERANCE, verifyFixes, type Verification, type VerificationPlan } from './verify.ts';
import type { Attempt, HealMetrics, HealResult } from './result.ts';

export interface HealOptions {
  /** The app's git repository (its HEAD is what gets healed). */
  repo: string;
  /** Source root for analysis and codemods, relative to the repo. */
  srcDir: string;
  /** Docs directory (HANDLER_SPECS.md, homeostat.spec.json…), relative to the repo. */
  docsDir: string;
  /** Recordings to replay, relative to the repo (or absolute). */
  flows: string[];
  build: AppBuild;
  /** Where generated tests go in the branch, relative to the repo (default `e2e/homeostat`). */
  testDir?: string;
  /** The app's own tests, run in the patched tree; a failure rejects the fix. */
  testCommand?: string;
  /**
   * Baseline rounds of every flow before sampling adapts (after a warm-up): default 2, or 1 under a
   * time budget, where every A/B round replays the baseline again and what is short of samples
   * still gets its rounds (baselineMaxRuns).
   */
  baselineRuns?: number;
  /**
   * Baseline rounds at most (default 6): after `baselineRuns`, only the flows that run a handler
   * still short of samples (a budget `check` cannot decide yet, fewer calls than the rules read)
   * are replayed again, until none is short.
   */
  baselineMaxRuns?: number;
  /** A/B sampling: rounds at most, threshold, guard tolerance; `timeCapMs` bounds the whole A/B phase (default 150 s). */
  plan?: VerificationPlan & { timeCapMs?: number };
  /**
   * Wall time for the whole loop (ms): the A/B rounds stop in time to deliver within it (undecided
   * fixes stay unresolved). Without it, only `plan.timeCapMs` bounds the rounds.
   */
  timeBudgetMs?: number;
  /** Fixes tried at most (default 3). */
  maxFixes?: number;
  /** Only these rules / handlers (default all). */
  rules?: string[];
  handlers?: string[];
  historyPath: string;
  /** Report and screenshots go here. */
  outDir: string;
  /** Open a pull request per branch with `gh` when it is installed. */
  pr?: boolean;
  /**
   * A recurring error's regression test: `handled` (default) holds that the UI shows it and nothing
   * escapes uncaught; `absent` is a test that fails until the error no longer occurs.
   */
  errorTests?: 'handled' | 'absent';
  cpuThrottle?: number;
  browser?: Browser;
  onProgress?: (line: string) => void;
  /** Clock for the A/B deadline and progress (tests inject one). */
  now?: () => number;
}

export type { Attempt, AttemptVerdict, HealMetrics, HealResult } from './result.ts';

const ISSUE_KINDS = new Set(['over-budget', 'drift', 'error-rate', 'transition-share']);
/** What delivering (docs regenerated, tests written, branches committed) and the report take, kept out of the A/B rounds' time. */
const DELIVER_RESERVE_MS = 15_000;

function abs(repo: string, p: string): string {
  return isAbsolute(p) ? p : join(repo, p);
}

/** Computes the seed's four metrics from what this run found and did. */
export function healMetrics(check: CheckReport, diagnoses: readonly Diagnosis[], attempts: readonly Attempt[]): HealMetrics {
  const issues = check.discrepancies.filter((d) => ISSUE_KINDS.has(d.kind) && d.subject.type === 'handler');
  const explained = issues.filter((i) => diagnoses.some((d) => d.handler === i.subject.name));
  const tried = attempts.filter((a) => a.verdict !== 'not-applicable' && a.verdict !== 'build-failed');
  const fixable = diagnoses.filter((d) => d.fix !== null);
  return {
    documentationAccuracy: check.accuracy.ratio,
    issueDetectionRate: issues.length === 0 ? null : explained.length / issues.length,
    fixSuccessRate: tried.length === 0 ? null : tried.filter((a) => a.verdict === 'improved').length / tried.length,
    // A regression test's branch is no fix: only fixes count as applied.
    autoAppliedRate: fixable.length === 0 ? null : attempts.filter((a) => a.branch !== null && a.diagnosis.fix !== null).length / fixable.length,
  };
}

/** What history keeps of an attempt: the verdict and, per metric, predicted vs measured. */
export function outcomeOf(a: Attempt, date = new Date().toISOString()): Outcome {
  const d = a.diagnosis;
  const results = a.verification?.judgement?.results ?? [];
  const primary = results.find((r) => r.spec.role === 'primary')?.comparison ?? null;
  return {
    date,
    id: d.id,
    rule: d.rule,
    handler: d.handler,
    verdict: a.verdict,
    predictedChange: d.impact.predictedChange,
    measuredChange: primary ? primary.ratio.estimate - 1 : null,
    metrics: results.map((r) => {
      const p = predictedRatio(d, r.spec.key);
      return {
        key: r.spec.key,
        label: r.spec.label,
        role: r.spec.role,
        predicted: p !== null && p > 0 ? p : null,
        measured: r.comparison?.ratio.estimate ?? null,
        low: r.comparison?.ratio.low ?? null,
        high: r.comparison?.ratio.high ?? null,
      };
    }),
    branch: a.branch,
  };
}

const emptyAttempt = (d: Diagnosis): Attempt => ({ diagnosis: d, verdict: 'not-applicable', reasons: [], diff: null, edits: [], verification: null, branch: null, commit: null, tests: [], docs: [], pr: null });

/** What every phase of one heal run shares: its options, where it is, and what to clean up. */
interface Run {
  options: HealOptions;
  repo: string;
  head: string;
  flows: Recording[];
  flowsInRepo: string[];
  testDir: string;
  screenshotDir: string;
  browser: Browser;
  started: number;
  now: () => number;
  log: (line: string) => void;
  worktrees: Worktree[];
  servers: Array<{ close(): Promise<void> }>;
}

export async function heal(options: HealOptions): Promise<HealResult> {
  const now = options.now ?? Date.now;
  const started = now();
  const clock = () => {
    const s = Math.round((now() - started) / 1000);
    return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
  };
  const timings: Record<string, number> = {};
  let phaseStart = now();
  const phase = (name: string) => {
    timings[name] = now() - phaseStart;
    phaseStart = now();
  };

  const repo = await repoRoot(options.repo);
  const flowPaths = options.flows.map((f) => abs(repo, f));
  const flows: Recording[] = [];
  for (const f of flowPaths) flows.push(await loadRecording(f));
  const history = await readHistory(options.historyPath);
  await mkdir(options.outDir, { recursive: true });

  const ownBrowser = options.browser ? null : await launchChromium();
  const run: Run = {
    options,
    repo,
    head: await headCommit(repo),
    flows,
    flowsInRepo: flowPaths.map((f) => relative(repo, f).replace(/\\/g, '/')),
    testDir: options.testDir ?? 'e2e/homeostat',
    screenshotDir: join(options.outDir, 'screenshots'),
    browser: options.browser ?? ownBrowser!,
    started,
    now,
    log: (line) => options.onProgress?.(`[${clock()}] ${line}`),
    worktrees: [],
    servers: [],
  };
  try {
    const base = await buildBaseline(run);
    phase('build');
    const baseline = await measureBaseline({
      browser: run.browser,
      url: base.url,
      flows,
      names: run.flowsInRepo,
      runs: options.baselineRuns ?? (options.timeBudgetMs !== undefined ? 1 : 2),
      maxRuns: options.baselineMaxRuns ?? 6,
      needs: (sessions) => baselineNeeds(base.spec, sessions),
      // The baseline may take at most a third of the loop's budget: the A/B rounds need the rest.
      ...(options.timeBudgetMs !== undefined ? { deadline: started + options.timeBudgetMs / 3 } : {}),
      now,
      screenshotDir: run.screenshotDir,
      ...(options.cpuThrottle ? { cpuThrottle: options.cpuThrottle } : {}),
      onProgress: run.log,
    });
    phase('baseline');
    const { check, diagnoses: found } = checkAndDiagnose(run, base, baseline.snapshot, baseline.sessions, history);
    // "Less work per frame" needs the long list's place in the source: one candidate per way that applies.
    const listed = await locateListFixes(found, base.srcRoot, base.analysis.handlers);
    for (const why of listed.skipped) run.log(`  ${why}`);
    const diagnoses = listed.diagnoses;
    const { advice, prepared } = await prepareFixes(run, diagnoses);
    phase('candidates');
    const verifications = await verifyCandidates(run, prepared, baseline, base);
    phase('verify');
    const attempts = [...advice, ...keepBestPerHandler(run, judge(run, prepared, verifications))];
    await deliverImproved(run, attempts, prepared, base, baseline);
    phase('deliver');

    await appendHistory(options.historyPath, attempts.map((a) => outcomeOf(a)));
    const result: HealResult = {
      head: run.head,
      baseline: { runs: baseline.runs, snapshot: baseline.snapshot, sessions: baseline.sessions },
      check,
      spec: base.spec,
      diagnoses,
      attempts,
      metrics: healMetrics(check, diagnoses, attempts),
      timings,
      reportFiles: [],
    };
    const { writeHealReport } = await import('./report.ts');
    result.reportFiles = await writeHealReport(result, options.outDir, options.plan?.threshold !== undefined ? { threshold: options.plan.threshold } : {});
    run.log(`done in ${clock()}`);
    return result;
  } finally {
    for (const s of run.servers) await s.close().catch(() => undefined);
    for (const w of run.worktrees) await w.remove();
    if (ownBrowser) await ownBrowser.close();
  }
}

interface Base {
  url: string;
  analysis: Awaited<ReturnType<typeof analyzeProject>>;
  childProps: Awaited<ReturnType<typeof childPropsFor>>;
  /** Null without docs: every handler is undocumented and only budget-free rules fire. */
  spec: SpecFile | null;
  /** The baseline worktree's source root (what the list locators read). */
  srcRoot: string;
}

/** Builds HEAD in a worktree and analyses its sources side by side: nothing is measured yet. */
async function buildBaseline(run: Run): Promise<Base> {
  const { options } = run;
  run.log(`baseline: worktree of ${run.head.slice(0, 12)}, building with \`${options.build.command}\` while analysing ${options.srcDir}`);
  const tree = await addWorktree(run.repo, run.head, 'base');
  run.worktrees.push(tree);
  const srcRoot = join(tree.dir, options.srcDir);
  const [server, analysis] = await Promise.all([buildAndServe(tree.dir, options.build), analyzeProject(srcRoot)]);
  run.servers.push(server);
  const childProps = await childPropsFor(srcRoot, analysis.handlers);
  const docsDir = join(tree.dir, options.docsDir);
  const spec = existsSync(join(docsDir, 'homeostat.spec.json')) ? await readDocs(docsDir) : null;
  return { url: server.url, analysis, childProps, spec, srcRoot };
}

/** Holds the docs against the baseline's sessions and ranks what the rules find (history first). */
function checkAndDiagnose(run: Run, base: Base, aggregates: AggregateSnapshot, sessions: SessionFile[], history: History): { check: CheckReport; diagnoses: Diagnosis[] } {
  const { options, log } = run;
  const { spec } = base;
  if (!spec) log(`no docs in ${options.docsDir}: every handler counts as undocumented`);
  const check: CheckReport = spec ? checkSpec(spec, sessions) : { discrepancies: [], accuracy: { documented: 0, matching: 0, ratio: null }, handlers: [] };
  log(`check: ${check.discrepancies.length} discrepancies; documentation accuracy ${check.accuracy.ratio === null ? 'n/a' : `${Math.round(check.accuracy.ratio * 100)}%`}`);
  for (const d of check.discrepancies) log(`  ${d.severity} ${d.kind} ${d.subject.name}: ${d.message}`);
  const diagnoses = rankByHistory(
    diagnose({ spec, aggregates, analysis: base.analysis.handlers }, { childProps: base.childProps }).filter(
      (d) => (!options.rules || options.rules.includes(d.rule)) && (!options.handlers || options.handlers.includes(d.handler)),
    ),
    history,
  );
  log(`diagnosis: ${diagnoses.length} finding${diagnoses.length === 1 ? '' : 's'}`);
  for (const d of diagnoses) log(`  [${d.severity}, confidence ${d.confidence}] ${d.title}${d.fix ? ` → ${describeFix(d.fix)}` : ' (advice)'}`);
  return { check, diagnoses };
}

/** Patches every candidate (at most one per handler) in its own worktree and builds them side by side; advice gets its regression test. */
async function prepareFixes(run: Run, diagnoses: readonly Diagnosis[]): Promise<{ advice: Attempt[]; prepared: PreparedFix[] }> {
  const { options, log } = run;
  const advice: Attempt[] = [];
  const prepared: PreparedFix[] = [];
  const handlersTried = new Set<string>();
  for (const d of diagnoses) {
    if (!d.fix) {
      if (d.rule === 'recurring-error') advice.push({ ...emptyAttempt(d), reasons: ['advice: no code change; a regression test is generated and proven at delivery'] });
      continue;
    }
    // One fix per handler, except the ways of rendering its list with less work per frame: the
    // replays decide which of them the app can take (see keepBestPerHandler).
    const key = d.rule === 'long-frame' ? d.id : d.handler;
    if (prepared.length >= (options.maxFixes ?? 3) || handlersTried.has(key)) continue;
    const p = await patchCandidate(run.repo, run.head, options.srcDir, d, log);
    if (p.tree) run.worktrees.push(p.tree);
    // A codemod that cannot apply leaves the handler free for the next rule's fix.
    if (!p.failed) handlersTried.add(key);
    prepared.push(p);
  }
  const toBuild = prepared.filter((p) => !p.failed).length;
  if (toBuild > 0) log(`building ${toBuild} candidate${toBuild === 1 ? '' : 's'} side by side`);
  await buildCandidates(prepared, options.build, options.testCommand, 2, log);
  for (const p of prepared) if (p.server) run.servers.push(p.server);
  return { advice, prepared };
}

/** Verifies every built candidate against the same interleaved baseline pages, on each handler's best flow, within the time left. */
async function verifyCandidates(run: Run, prepared: readonly PreparedFix[], baseline: Awaited<ReturnType<typeof measureBaseline>>, base: Base): Promise<Map<string, Verification>> {
  const { options, flows, now, log } = run;
  const ready = prepared.filter((p) => !p.failed && p.server);
  if (ready.length === 0) return new Map();
  const handlerOf = (d: Diagnosis) => (d.impact.metric.kind === 'handler' ? d.impact.metric.handler : d.handler);
  const best = new Set(ready.map((p) => bestFlowFor(handlerOf(p.diagnosis), baseline)).filter((k): k is number => k !== null));
  const measured = best.size > 0 ? flows.filter((_, k) => best.has(k)) : flows;
  const roundMs = measured.reduce((s, f) => s + baseline.flowMs[flows.indexOf(f)]!, 0);
  // Delivering and the report take a few seconds: keep them inside the budget too.
  // Proving the generated tests replays their flows once per build: reserve that too.
  const errorFlows = baseline.errorsByFlow.map((m, k) => (m.size > 0 ? k : null));
  const reserve = DELIVER_RESERVE_MS + proofReserveMs(baseline.flowMs, [...ready.map((p) => proofFlowFor(handlerOf(p.diagnosis), baseline)), ...errorFlows]);
  const budgetLeft = options.timeBudgetMs === undefined ? Infinity : run.started + options.timeBudgetMs - reserve - now();
  const cap = Math.max(0, Math.min(options.plan?.timeCapMs ?? 150_000, budgetLeft));
  log(
    `A/B: ${ready.length} candidate${ready.length === 1 ? '' : 's'} against the baseline on ${measured.map((f) => f.title).join(', ')}; ` +
      `a round ≈ ${Math.round((roundMs * (ready.length + 1)) / 1000)} s, at most ${Math.round(cap / 1000)} s`,
  );
  return verifyFixes({
    browser: run.browser,
    flows,
    measured,
    baselineUrl: base.url,
    candidates: ready.map((p) => ({ diagnosis: p.diagnosis, url: p.server!.url })),
    plan: { ...options.plan, roundMs, tolerance: options.plan?.tolerance ?? base.spec?.defaults.tolerance ?? DEFAULT_GUARD_TOLERANCE, deadline: now() + cap },
    screenshotDir: run.screenshotDir,
    ...(options.cpuThrottle ? { cpuThrottle: options.cpuThrottle } : {}),
    onProgress: log,
    now,
  });
}

/** One attempt per prepared fix, with its verdict and why. */
function judge(run: Run, prepared: readonly PreparedFix[], verifications: ReadonlyMap<string, Verification>): Attempt[] {
  return prepared.map((p) => {
    const a: Attempt = { ...emptyAttempt(p.diagnosis), diff: p.diff, edits: p.edits };
    if (p.failed) {
      a.verdict = p.failed.verdict;
      a.reasons.push(p.failed.reason);
      return a;
    }
    const v = verifications.get(p.diagnosis.id)!;
    a.verification = v;
    a.verdict = v.verdict;
    a.reasons.push(...v.reasons);
    // The whole sentence is in the summary and the report; the progress line stays short.
    const first = v.why.split('; ')[0] ?? '';
    run.log(`verdict ${p.diagnosis.id}: ${v.verdict}${first ? ` — ${first.length > 70 ? `${first.slice(0, 69)}…` : first}` : ''}`);
    return a;
  });
}

/**
 * Several fixes of one handler improved (a virtualised and a progressive list): deliver the one
 * whose primary metric improved most; the others say why they got no branch.
 */
export function keepBestPerHandler(run: { log: (line: string) => void }, attempts: Attempt[]): Attempt[] {
  const ratio = (a: Attempt) => a.verification?.judgement?.results.find((r) => r.spec.role === 'primary')?.comparison?.ratio.estimate ?? Infinity;
  const best = new Map<string, Attempt>();
  for (const a of attempts) {
    if (a.verdict !== 'improved') continue;
    const b = best.get(a.diagnosis.handler);
    if (!b || ratio(a) < ratio(b)) best.set(a.diagnosis.handler, a);
  }
  return attempts.map((a) => {
    const b = best.get(a.diagnosis.handler);
    if (a.verdict !== 'improved' || !b || b === a) return a;
    run.log(`  ${a.diagnosis.id} improved too, but ${b.diagnosis.id} improved more: only that one is delivered`);
    return { ...a, supersededBy: b.diagnosis.id, reasons: [...a.reasons, `improved, but ${b.diagnosis.id} improved ${a.diagnosis.handler} more (primary ${ratio(b).toFixed(3)}× against ${ratio(a).toFixed(3)}×): only that one gets a branch`] };
  });
}

/** Delivers what improved (a proven test, regenerated docs and a branch each) and each recurring error's proven regression test; no A/B round runs any more. */
async function deliverImproved(run: Run, attempts: Attempt[], prepared: readonly PreparedFix[], base: Base, baseline: Awaited<ReturnType<typeof measureBaseline>>): Promise<void> {
  const { options } = run;
  await deliverAll(
    {
      repo: run.repo,
      head: run.head,
      srcDir: options.srcDir,
      docsDir: options.docsDir,
      testDir: run.testDir,
      flows: run.flows,
      flowsInRepo: run.flowsInRepo,
      spec: base.spec,
      browser: run.browser,
      baseUrl: base.url,
      build: options.build,
      baseline,
      ...(options.errorTests ? { errorTests: options.errorTests } : {}),
      ...(options.pr ? { pr: true } : {}),
      screenshotDir: run.screenshotDir,
      log: run.log,
    },
    attempts,
    prepared,
  );
}
