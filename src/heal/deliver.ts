/**
 * Delivering a verified fix: a generated budget test, the docs regenerated from the fixed code
 * and the patched build's sessions (human text kept), and one commit on `homeostat/fix-<handler>`
 * whose message carries the evidence: the primary metric, every guard and what was predicted.
 */
import { execFile } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { promisify } from 'node:util';
import type { Diagnosis } from '../core/diagnose.ts';
import { HANDLER_METRICS, type HandlerMetric } from '../core/metrics.ts';
import type { Budget, SpecFile } from '../core/spec.ts';
import { analyzeProject } from '../docs/analyze.ts';
import { generateDocs } from '../docs/generate.ts';
import { describeFix } from './apply.ts';
import { evidenceLines, predictionLines } from './evidence.ts';
import { commitOnBranch, freeBranchName, git } from './git.ts';
import { budgetTest, type GeneratedFile } from './testgen.ts';
import type { Verification } from './verify.ts';

const run = promisify(execFile);

/** The budget the generated test enforces: the documented one, else the measured result with headroom. */
export function testBudget(d: Diagnosis, spec: SpecFile | null, after: number): Budget | null {
  const documented = spec?.handlers[d.handler]?.budget;
  if (documented) return documented;
  const m = d.impact.metric;
  if (m.kind !== 'handler' || !(HANDLER_METRICS as readonly string[]).includes(m.metric)) return null;
  const stat = m.stat === 'sum' || m.stat === 'max' ? 'p95' : m.stat;
  const tolerance = spec?.defaults.tolerance ?? 0.2;
  // Per-call budget from a per-run total: the total over calls bounds each call from above.
  return { metric: m.metric as HandlerMetric, stat, ms: Number((Math.max(after, 0.1) * (1 + tolerance) * 2).toFixed(1)) };
}

export function commitMessage(d: Diagnosis, v: Verification, edits: readonly string[], head: string): string {
  return [
    `homeostat: ${describeFix(d.fix!)} (${d.handler})`,
    '',
    d.rootCause,
    '',
    'Change:',
    ...edits.map((e) => `- ${e}`),
    '',
    `Verified by A/B replay against ${head.slice(0, 12)} (${v.rounds} alternated runs per side, stopped: ${v.stoppedBy}), on what the user feels:`,
    ...evidenceLines(v, d).map((l) => `- ${l}`),
    '',
    `Verdict: ${v.verdict} (${v.why}).`,
    ...(d.impact.predictions.length ? ['', 'Predicted:', ...predictionLines(d).map((l) => `- ${l}`)] : []),
    '',
    `Behaviour: every replay expectation passed. Rule: ${d.rule}; confidence ${d.confidence}.`,
  ].join('\n');
}

export interface Delivery {
  branch: string;
  commit: string;
  tests: GeneratedFile[];
  docs: string[];
  pr: string | null;
}

export interface DeliverOptions {
  repo: string;
  head: string;
  /** The candidate's worktree (patched, built). */
  tree: string;
  srcDir: string;
  docsDir: string;
  testDir: string;
  flowsInRepo: string[];
  spec: SpecFile | null;
  diagnosis: Diagnosis;
  verification: Verification;
  edits: readonly string[];
  pr?: boolean;
}

export async function deliverFix(o: DeliverOptions): Promise<Delivery> {
  const d = o.diagnosis;
  const v = o.verification;
  const tests: GeneratedFile[] = [];
  const primary = v.judgement?.results.find((r) => r.spec.role === 'primary')?.comparison ?? null;
  const budget = primary ? testBudget(d, o.spec, primary.meanB) : null;
  if (budget && primary) {
    const test = budgetTest({
      diagnosis: d,
      handler: d.handler,
      budget,
      flows: o.flowsInRepo,
      testDir: o.testDir,
      evidence: { label: v.judgement!.results[0]!.spec.label, before: primary.meanA, after: primary.meanB, ratio: primary.ratio, runs: v.rounds, why: v.why, lines: evidenceLines(v, d) },
    });
    tests.push(test);
    await mkdir(join(o.tree, o.testDir), { recursive: true });
    await writeFile(join(o.tree, test.path), test.content);
  }
  const fixedAnalysis = await analyzeProject(join(o.tree, o.srcDir));
  const generated = await generateDocs({
    root: join(o.tree, o.srcDir),
    docsDir: join(o.tree, o.docsDir),
    sessions: v.sessions,
    analysis: fixedAnalysis,
    app: o.spec?.app ?? null,
  });
  const docs = generated.files.map((f) => relative(o.tree, f));
  const branch = await freeBranchName(o.repo, `homeostat/fix-${d.handler}`);
  const message = commitMessage(d, v, o.edits, o.head);
  const commit = await commitOnBranch(o.tree, branch, message);
  const pr = o.pr ? await openPullRequest(o.tree, branch, `homeostat: ${describeFix(d.fix!)}`, message) : null;
  return { branch, commit, tests, docs, pr };
}

/** Pushes the branch and opens a pull request with `gh`, when it is installed. Arguments, never a shell. */
async function openPullRequest(dir: string, branch: string, title: string, body: string): Promise<string | null> {
  try {
    await run('gh', ['--version'], { cwd: dir });
  } catch {
    return null;
  }
  try {
    await git(dir, ['push', '--quiet', '-u', 'origin', branch]);
    const { stdout } = await run('gh', ['pr', 'create', '--head', branch, '--title', title, '--body', body], { cwd: dir });
    return stdout.trim().split('\n').pop() ?? null;
  } catch {
    return null;
  }
}
