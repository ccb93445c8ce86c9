/**
 * `homeostat heal`: the whole loop on an app.
 *
 *   replay (baseline) → check docs → diagnose → for each fixable diagnosis: patch a worktree →
 *   build → behaviour + A/B replay → if improved: generated test + regenerated docs → branch
 *
 * The user's working tree is never written: the baseline and every candidate fix live in
 * temporary git worktrees of HEAD, and only `homeostat/fix-<handler>` branches remain.
 */
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { isAbsolute, join, relative } from 'node:path';
import type { Browser } from 'playwright-core';
import { Aggregator, aggregateSession, type AggregateSnapshot } from '../core/aggregate.ts';
import { checkSpec, type CheckReport } from '../core/check/index.ts';
import type { SessionFile } from '../core/session.ts';
import type { Budget, SpecFile } from '../core/spec.ts';
import type { CompareOptions, SamplingPlan } from '../core/verdict.ts';
import { analyzeProject } from '../docs/analyze.ts';
import { generateDocs, readDocs } from '../docs/generate.ts';
import { launchChromium } from '../cli/browser.ts';
import { loadRecording, replayRun, type Recording } from '../replay/index.ts';
import { buildAndServe, BuildError, runCommand, type AppBuild } from './app.ts';
import { applyFix, describeFix } from './apply.ts';
import { childPropsFor } from './child-props.ts';
import { CodemodError } from './codemods/ast.ts';
import { unifiedDiff } from './codemods/result.ts';
import { diagnose, type Diagnosis } from './diagnose.ts';
import { addWorktree, commitOnBranch, freeBranchName, headCommit, repoRoot, type Worktree } from './git.ts';
import { appendHistory, rankByHistory, readHistory, type Outcome } from './history.ts';
import { fixBranchBase, openPullRequest } from './pr.ts';
import { budgetTest, errorRegressionTest, type GeneratedFile } from './testgen.ts';
import { verifyFix, type FixVerdict, type Verification } from './verify.ts';

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
  /** Baseline replay runs (default 5). */
  baselineRuns?: number;
  plan?: SamplingPlan & CompareOptions;
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
  cpuThrottle?: number;
  browser?: Browser;
  onProgress?: (line: string) => void;
}

export type AttemptVerdict = FixVerdict | 'not-applicable' | 'build-failed';

export interface Attempt {
  diagnosis: Diagnosis;
  verdict: AttemptVerdict;
  reasons: string[];
  diff: string | null;
  edits: string[];
  verification: Verification | null;
  branch: string | null;
  commit: string | null;
  tests: GeneratedFile[];
  docs: string[];
  pr: string | null;
}

export interface HealMetrics {
  /** % of documented handlers whose observed behaviour matches their docs (baseline). */
  documentationAccuracy: number | null;
  /** Discrepancies (over budget, drift, error rate, transition share) with at least one diagnosis explaining them. */
  issueDetectionRate: number | null;
  /** Of the fixes tried (codemod applied and built), the share verified as improved. */
  fixSuccessRate: number | null;
  /** Of the fixable suggestions, the share delivered as a branch without human help. */
  autoAppliedRate: number | null;
}

export interface HealResult {
  head: string;
  baseline: { runs: number; snapshot: AggregateSnapshot; sessions: SessionFile[] };
  check: CheckReport;
  spec: SpecFile | null;
  diagnoses: Diagnosis[];
  attempts: Attempt[];
  metrics: HealMetrics;
  reportFiles: string[];
}

const ISSUE_KINDS = new Set(['over-budget', 'drift', 'error-rate', 'transition-share']);

function abs(repo: string, p: string): string {
  return isAbsolute(p) ? p : join(repo, p);
}

function snapshotOf(sessions: readonly SessionFile[]): AggregateSnapshot {
  const agg = new Aggregator();
  for (const s of sessions) aggregateSession(s, agg);
  return agg.snapshot();
}

/** The budget the generated test enforces: the documented one, else the measured result with headroom. */
function testBudget(d: Diagnosis, spec: SpecFile | null, after: number): Budget {
  const documented = spec?.handlers[d.handler]?.budget;
  if (documented) return documented;
  const stat = d.impact.metric.stat === 'sum' ? 'p95' : d.impact.metric.stat;
  const tolerance = spec?.defaults.tolerance ?? 0.2;
  return { metric: d.impact.metric.metric, stat, ms: Number((Math.max(after, 0.1) * (1 + tolerance) * 2).toFixed(1)) };
}

function commitMessage(d: Diagnosis, v: Verification, edits: string[], head: string): string {
  const c = v.comparison!;
  const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
  return [
    `homeostat: ${describeFix(d.fix!)} (${d.handler})`,
    '',
    d.rootCause,
    '',
    'Change:',
    ...edits.map((e) => `- ${e}`),
    '',
    `Verified by A/B replay against ${head.slice(0, 12)} (${c.nA} alternated runs per side, stopped: ${c.stoppedBy}):`,
    `- ${d.impact.metric.handler} ${d.impact.metric.stat} ${d.impact.metric.metric}: ${c.meanA.toFixed(2)} ms → ${c.meanB.toFixed(2)} ms ` +
      `(${pct(c.relative)}, ${Math.round(c.confidence * 100)}% CI ${pct(c.relativeInterval.low)} … ${pct(c.relativeInterval.high)}` +
      (c.ratio ? `; after/before ${ratioText(c.ratio)}` : '') +
      ')',
    `- predicted ${pct(d.impact.predictedChange)}; behaviour: every replay expectation passed`,
    '',
    `Rule: ${d.rule}; confidence ${d.confidence}.`,
  ].join('\n');
}

/** "0.0014× (95% CI 0.0011–0.0018×)": ratios read at any size, unlike a percentage past −100%. */
export function ratioText(r: { estimate: number; low: number; high: number }): string {
  const f = (x: number) => (x >= 0.1 ? x.toFixed(2) : x.toPrecision(2));
  return `${f(r.estimate)}× (CI ${f(r.low)}–${f(r.high)}×)`;
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
    autoAppliedRate: fixable.length === 0 ? null : attempts.filter((a) => a.branch !== null).length / fixable.length,
  };
}

export async function heal(options: HealOptions): Promise<HealResult> {
  const log = options.onProgress ?? (() => {});
  const repo = await repoRoot(options.repo);
  const head = await headCommit(repo);
  const flowPaths = options.flows.map((f) => abs(repo, f));
  const flows: Recording[] = [];
  for (const f of flowPaths) flows.push(await loadRecording(f));
  const flowsInRepo = flowPaths.map((f) => relative(repo, f).replace(/\\/g, '/'));
  const testDir = options.testDir ?? 'e2e/homeostat';
  const history = await readHistory(options.historyPath);
  await mkdir(options.outDir, { recursive: true });
  const screenshotDir = join(options.outDir, 'screenshots');

  const ownBrowser = options.browser ? null : await launchChromium();
  const browser = options.browser ?? ownBrowser!;
  const worktrees: Worktree[] = [];
  const servers: Array<{ close(): Promise<void> }> = [];
  try {
    log(`baseline: worktree of ${head.slice(0, 12)}, building with \`${options.build.command}\``);
    const base = await addWorktree(repo, head, 'base');
    worktrees.push(base);
    const baseServer = await buildAndServe(base.dir, options.build);
    servers.push(baseServer);

    const baselineRuns = options.baselineRuns ?? 5;
    const sessions: SessionFile[] = [];
    for (let i = -1; i < baselineRuns; i++) {
      for (const [k, flow] of flows.entries()) {
        log(i < 0 ? `baseline warm-up: ${flow.title}` : `baseline replay ${i + 1}/${baselineRuns}: ${flow.title}`);
        const run = await replayRun(browser, flow, { url: baseServer.url, seed: 0x5eed + Math.max(0, i), index: Math.max(0, i), warmup: i < 0, label: 'baseline', screenshotDir });
        if (!run.passed) {
          const failed = run.expectations.filter((e) => !e.passed).map((e) => `step ${e.step} ${e.description}`);
          throw new Error(`The baseline build fails its own flow ${flowsInRepo[k]}: ${run.error ?? failed.join('; ')}. Fix the flow or the app before healing.`);
        }
        if (i >= 0 && run.session) sessions.push(run.session);
      }
    }
    const snapshot = snapshotOf(sessions);

    const docsDir = join(base.dir, options.docsDir);
    // Docs are optional: without them every handler is undocumented and only budgets-free rules fire.
    const spec: SpecFile | null = existsSync(join(docsDir, 'homeostat.spec.json')) ? await readDocs(docsDir) : null;
    if (!spec) log(`no docs in ${options.docsDir}: every handler counts as undocumented`);
    const check: CheckReport = spec ? checkSpec(spec, sessions) : { discrepancies: [], accuracy: { documented: 0, matching: 0, ratio: null }, handlers: [] };
    log(`check: ${check.discrepancies.length} discrepancies; documentation accuracy ${check.accuracy.ratio === null ? 'n/a' : `${Math.round(check.accuracy.ratio * 100)}%`}`);
    for (const d of check.discrepancies) log(`  ${d.severity} ${d.kind} ${d.subject.name}: ${d.message}`);

    const analysis = await analyzeProject(join(base.dir, options.srcDir));
    const childProps = await childPropsFor(join(base.dir, options.srcDir), analysis.handlers);
    const diagnoses = rankByHistory(
      diagnose(
        {
          spec,
          aggregates: snapshot,
          analysis: analysis.handlers,
        },
        { childProps },
      ).filter((d) => (!options.rules || options.rules.includes(d.rule)) && (!options.handlers || options.handlers.includes(d.handler))),
      history,
    );
    log(`diagnosis: ${diagnoses.length} finding${diagnoses.length === 1 ? '' : 's'}`);
    for (const d of diagnoses) log(`  [${d.severity}, confidence ${d.confidence}] ${d.title}${d.fix ? ` → ${describeFix(d.fix)}` : ' (advice)'}`);

    const attempts: Attempt[] = [];
    const outcomes: Outcome[] = [];
    const fixedHandlers = new Set<string>();
    for (const d of diagnoses) {
      if (!d.fix) {
        if (d.rule === 'recurring-error') {
          attempts.push({ diagnosis: d, verdict: 'not-applicable', reasons: ['advice: no code change; regression test generated'], diff: null, edits: [], verification: null, branch: null, commit: null, tests: [errorRegressionTest(d, flowsInRepo, testDir)], docs: [], pr: null });
        }
        continue;
      }
      if (attempts.filter((a) => a.diagnosis.fix).length >= (options.maxFixes ?? 3) || fixedHandlers.has(d.handler)) continue;
      attempts.push(await attempt(d));
    }

    async function attempt(d: Diagnosis): Promise<Attempt> {
      const a: Attempt = { diagnosis: d, verdict: 'not-applicable', reasons: [], diff: null, edits: [], verification: null, branch: null, commit: null, tests: [], docs: [], pr: null };
      log(`fix ${d.id}: ${describeFix(d.fix!)}`);
      const tree = await addWorktree(repo, head, `fix-${d.handler}`);
      worktrees.push(tree);
      try {
        const change = await applyFix(tree.dir, options.srcDir, d.fix!);
        a.diff = unifiedDiff(change);
        a.edits = change.edits;
        log(`  patched ${change.file}: ${change.edits.join('; ')}`);
      } catch (e) {
        if (!(e instanceof CodemodError)) throw e;
        a.reasons.push(e.message);
        log(`  not applicable: ${e.message}`);
        return record(a);
      }
      let server;
      try {
        server = await buildAndServe(tree.dir, options.build);
        servers.push(server);
      } catch (e) {
        if (!(e instanceof BuildError)) throw e;
        a.verdict = 'build-failed';
        a.reasons.push(e.message);
        return record(a);
      }
      if (options.testCommand) {
        const t = await runCommand(options.testCommand, tree.dir);
        if (t.code !== 0) {
          a.verdict = 'broke-behaviour';
          a.reasons.push(`the app's tests (\`${options.testCommand}\`) fail on the patched tree:\n${t.output.split('\n').slice(-10).join('\n')}`);
          return record(a);
        }
      }
      log(`  A/B replay: ${d.impact.metric.handler} ${d.impact.metric.stat} ${d.impact.metric.metric}, alternating baseline and patched builds`);
      const v = await verifyFix({
        browser,
        flows,
        urlA: baseServer.url,
        urlB: server.url,
        metric: d.impact.metric,
        plan: options.plan ?? {},
        screenshotDir,
        ...(options.cpuThrottle ? { cpuThrottle: options.cpuThrottle } : {}),
        onProgress: (l) => log(`    ${l}`),
      });
      a.verification = v;
      a.verdict = v.verdict;
      a.reasons.push(...v.reasons);
      const c = v.comparison;
      log(
        `  verdict: ${v.verdict}` +
          (c ? ` (${c.meanA.toFixed(2)} → ${c.meanB.toFixed(2)} ms, ${(c.relative * 100).toFixed(1)}% [${(c.relativeInterval.low * 100).toFixed(1)}%, ${(c.relativeInterval.high * 100).toFixed(1)}%]${c.ratio ? `, after/before ${ratioText(c.ratio)}` : ''}, ${c.nA}+${c.nB} runs)` : '') +
          (v.reasons.length ? ` — ${v.reasons[0]}` : ''),
      );
      if (v.verdict !== 'improved' || !c) return record(a);

      // Deliver: generated test, docs regenerated from the fixed code and its telemetry, one branch.
      const budget = testBudget(d, spec, c.meanB);
      const test = budgetTest({
        diagnosis: d,
        metric: d.impact.metric,
        budget,
        flows: flowsInRepo,
        testDir,
        evidence: { before: c.meanA, after: c.meanB, relative: c.relative, interval: c.relativeInterval, runs: c.nA },
      });
      a.tests.push(test);
      await mkdir(join(tree.dir, testDir), { recursive: true });
      await writeFile(join(tree.dir, test.path), test.content);
      const fixedAnalysis = await analyzeProject(join(tree.dir, options.srcDir));
      const docs = await generateDocs({
        root: join(tree.dir, options.srcDir),
        docsDir: join(tree.dir, options.docsDir),
        sessions: v.sessions.B,
        analysis: fixedAnalysis,
        app: spec?.app ?? null,
      });
      a.docs = docs.files.map((f) => relative(tree.dir, f));
      const branch = await freeBranchName(repo, fixBranchBase(d.handler));
      a.commit = await commitOnBranch(tree.dir, branch, commitMessage(d, v, a.edits, head));
      a.branch = branch;
      fixedHandlers.add(d.handler);
      log(`  branch ${branch} (${a.commit.slice(0, 12)}): code + ${test.path} + ${a.docs.length} docs files`);
      if (options.pr) {
        a.pr = await openPullRequest(tree.dir, branch, `homeostat: ${describeFix(d.fix!)}`, commitMessage(d, v, a.edits, head));
        log(a.pr ? `  pull request: ${a.pr}` : '  --pr: gh is not installed or the push failed; the branch stays local');
      }
      return record(a);
    }

    function record(a: Attempt): Attempt {
      outcomes.push({
        date: new Date().toISOString(),
        id: a.diagnosis.id,
        rule: a.diagnosis.rule,
        handler: a.diagnosis.handler,
        verdict: a.verdict,
        predictedChange: a.diagnosis.impact.predictedChange,
        measuredChange: a.verification?.comparison?.relative ?? null,
        branch: a.branch,
      });
      return a;
    }

    await appendHistory(options.historyPath, outcomes);
    const metrics = healMetrics(check, diagnoses, attempts);
    const result: HealResult = { head, baseline: { runs: baselineRuns, snapshot, sessions }, check, spec, diagnoses, attempts, metrics, reportFiles: [] };
    const { writeHealReport } = await import('./report.ts');
    result.reportFiles = await writeHealReport(result, options.outDir);
    return result;
  } finally {
    for (const s of servers) await s.close().catch(() => undefined);
    for (const w of worktrees) await w.remove();
    if (ownBrowser) await ownBrowser.close();
  }
}
