/**
 * Delivering a verified fix: a generated budget test, the docs regenerated from the fixed code
 * and the patched build's sessions (human text kept), and one commit on `homeostat/fix-<handler>`
 * whose message carries the evidence: the primary metric, every guard and what was predicted.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import type { Diagnosis } from '../core/diagnose.ts';
import { statValue } from '../core/check/interval.ts';
import { METRICS, metricValue, type HandlerMetric } from '../core/metrics.ts';
import type { SessionFile } from '../core/session.ts';
import { formatBudget, type Budget, type SpecFile, type Stat } from '../core/spec.ts';
import { analyzeProject } from '../docs/analyze.ts';
import { generateDocs } from '../docs/generate.ts';
import { describeFix } from './apply.ts';
import { evidenceLines, predictionLines } from './evidence.ts';
import { commitOnBranch, freeBranchName } from './git.ts';
import { fixBranchBase, openPullRequest } from './pr.ts';
import { budgetTest, type GeneratedFile } from './testgen.ts';
import type { Verification } from './verify.ts';

/** Headroom of a budget derived from what the fixed build measured: one replay is noisier than many. */
const DERIVED_HEADROOM = 2;

/**
 * The budget the generated test enforces. The documented one when the fixed build meets it (its
 * calls over all verification runs); otherwise the level the fix reached, with headroom, on the
 * same metric: the test then holds the improvement, and says the documented budget is not met yet.
 */
export function testBudget(d: Diagnosis, spec: SpecFile | null, fixed: readonly SessionFile[]): { budget: Budget; note: string | null } | null {
  const documented = spec?.handlers[d.handler]?.budget ?? null;
  const m = d.impact.metric;
  const metric: HandlerMetric | null = documented?.metric ?? (m.kind === 'handler' ? m.metric : null);
  if (metric === null) return null;
  const stat: Stat = documented?.stat ?? (m.kind === 'handler' && m.stat !== 'sum' && m.stat !== 'max' ? m.stat : 'p95');
  const values = fixed.flatMap((s) => s.calls.filter((c) => c.handler === d.handler).map((c) => metricValue(c, metric)).filter((x): x is number => x !== null));
  if (values.length === 0) return documented ? { budget: documented, note: null } : null;
  const reached = statValue(values, stat);
  if (documented && reached <= documented.ms) return { budget: documented, note: null };
  const budget: Budget = { metric, stat, ms: Number((Math.max(reached, METRICS[metric].floorMs) * DERIVED_HEADROOM).toFixed(1)) };
  return {
    budget,
    note: documented
      ? `The documented budget (${formatBudget(documented)}) is not met yet: the fixed build reached ${reached.toFixed(1)} ms. This test holds the improvement.`
      : null,
  };
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
  const held = primary ? testBudget(d, o.spec, v.sessions) : null;
  if (held && primary) {
    const test = budgetTest({
      diagnosis: d,
      handler: d.handler,
      budget: held.budget,
      note: held.note,
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
  const branch = await freeBranchName(o.repo, fixBranchBase(d.handler));
  const message = commitMessage(d, v, o.edits, o.head);
  const commit = await commitOnBranch(o.tree, branch, message);
  const pr = o.pr ? await openPullRequest(o.tree, branch, `homeostat: ${describeFix(d.fix!)}`, message) : null;
  return { branch, commit, tests, docs, pr };
}
