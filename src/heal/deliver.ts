/**
 * Delivering: for each verified fix, a generated test aimed at what the fix changed (proven to
 * fail on the base build and pass on the fix, else left out and said so), the docs of the fixed
 * handler regenerated (its section, summary rows and the sequences it is in; every other
 * handler keeps its baseline), and one commit on `homeostat/fix-<handler>` whose message
 * carries the A/B evidence, the predictions and the test's proof. A recurring error's
 * regression test gets a branch of its own, `homeostat/test-<handler>-errors`.
 *
 * No A/B round runs any more: the proofs replay each test's flow once per build, on the builds
 * the rounds already served.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import type { Browser } from 'playwright-core';
import type { Diagnosis } from '../core/diagnose.ts';
import type { SessionFile } from '../core/session.ts';
import type { SpecFile } from '../core/spec.ts';
import { analyzeProject } from '../docs/analyze.ts';
import { generateDocs } from '../docs/generate.ts';
import type { Recording } from '../replay/index.ts';
import { isExpectation } from '../replay/index.ts';
import type { AppBuild } from './app.ts';
import { describeFix } from './apply.ts';
import type { PreparedFix } from './candidates.ts';
import { evidenceLines, predictionLines } from './evidence.ts';
import { addWorktree, commitOnBranch, freeBranchName } from './git.ts';
import { bestFlowFor, errorKey, type BaselineMeasurement } from './measure.ts';
import { slug } from './names.ts';
import { fixBranchBase, openPullRequest } from './pr.ts';
import { delivers, proofLines, proveTests, withProof, type TestProof } from './prove.ts';
import type { Attempt } from './result.ts';
import type { RunEvidence } from './signals.ts';
import { errorTest, fixTest, type GeneratedFile, type GeneratedTest } from './testgen.ts';
import { formatConfidence } from '../core/format.ts';
import type { Verification } from './verify.ts';

/** The handler whose docs a fix changes: the one its primary metric measures. */
export function fixedHandler(d: Diagnosis): string {
  return d.impact.metric.kind === 'handler' ? d.impact.metric.handler : d.handler;
}

/** `npx homeostat test <path> --build "<cmd>" --dist <dir>`, with `{path}` for the test's path. */
export function testCommandFor(build: AppBuild): string {
  return `npx homeostat test {path} --build ${JSON.stringify(build.command)} --dist ${JSON.stringify(build.outDir)}`;
}

/** The generated test's part of a commit message: its proof, or why there is no test. */
function testSection(test: { file: GeneratedFile; proof: TestProof } | null, notes: readonly string[], head: string, build: AppBuild): string[] {
  if (!test) return ['No generated test: no signal told the fixed build from the base one, so none is delivered:', ...notes.map((n) => `- ${n}`)];
  return [
    'Generated test, proven before delivery (it fails on the bug and passes on the fix):',
    ...proofLines(test.proof, head.slice(0, 12)),
    `Run it: ${testCommandFor(build).replace('{path}', test.file.path)}`,
    ...(notes.length ? ['Signals not used:', ...notes.map((n) => `- ${n}`)] : []),
  ];
}

/** "2 planned looks at 97.5% each (taken at rounds 4 and 11); guards proven one-sided at that level". */
function describeLooks(v: Verification): string {
  const at = v.looks.at?.length ? ` (taken at round${v.looks.at.length === 1 ? '' : 's'} ${v.looks.at.join(' and ')})` : '';
  return `${v.looks.planned} planned look${v.looks.planned === 1 ? '' : 's'} at ${formatConfidence(v.looks.confidence)} each${at}; guards proven one-sided at that level`;
}

export function commitMessage(
  d: Diagnosis,
  v: Verification,
  edits: readonly string[],
  head: string,
  extra: { test?: string[]; docs?: string[]; checked?: readonly string[] } = {},
): string {
  return [
    `homeostat: ${describeFix(d.fix!)} (${d.handler})`,
    '',
    d.rootCause,
    '',
    'Change:',
    ...edits.map((e) => `- ${e}`),
    '',
    `Verified by A/B replay against ${head.slice(0, 12)} (${v.rounds} interleaved rounds, paired step by step; ${describeLooks(v)}; stopped: ${v.stoppedBy}), on what the user feels:`,
    ...evidenceLines(v, d).map((l) => `- ${l}`),
    '',
    `Verdict: ${v.verdict} (${v.why}).`,
    ...(d.impact.predictions.length ? ['', 'Predicted:', ...predictionLines(d).map((l) => `- ${l}`)] : []),
    ...(extra.checked ? ['', extra.checked.length ? 'Checked before it was built:' : 'Checked before it was built: nothing (no tsconfig, lint or test script found).', ...extra.checked.map((c) => `- ${c}`)] : []),
    ...(extra.test ? ['', ...extra.test] : []),
    ...(extra.docs ? ['', ...extra.docs] : []),
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
  spec: SpecFile | null;
  diagnosis: Diagnosis;
  verification: Verification;
  edits: readonly string[];
  build: AppBuild;
  /** The proven test to ship, or null (then `testNotes` say why there is none). */
  test: { generated: GeneratedTest; proof: TestProof } | null;
  testNotes?: readonly string[];
  /** What the patched tree passed before it was measured (`checked` of the prepared fix). */
  checked?: readonly string[];
  pr?: boolean;
}

/** Writes the proven test and the fixed handler's docs into the candidate's tree and commits them with the fix. */
export async function deliverFix(o: DeliverOptions): Promise<Delivery> {
  const d = o.diagnosis;
  const v = o.verification;
  const tests: GeneratedFile[] = [];
  let test: { file: GeneratedFile; proof: TestProof } | null = null;
  if (o.test) {
    const file = { path: o.test.generated.path, content: withProof(o.test.generated, o.test.proof, o.head.slice(0, 12)) };
    await mkdir(dirname(join(o.tree, file.path)), { recursive: true });
    await writeFile(join(o.tree, file.path), file.content);
    tests.push(file);
    test = { file, proof: o.test.proof };
  }
  const handler = fixedHandler(d);
  const fixedAnalysis = await analyzeProject(join(o.tree, o.srcDir));
  const generated = await generateDocs({
    root: join(o.tree, o.srcDir),
    docsDir: join(o.tree, o.docsDir),
    sessions: v.sessions,
    analysis: fixedAnalysis,
    app: o.spec?.app ?? null,
    only: [handler],
  });
  const docs = generated.files.map((f) => relative(o.tree, f));
  const seqs = generated.regenerated?.sequences ?? [];
  const docsLines = [
    `Docs: ${handler}'s section, its summary rows${seqs.length ? ` and the ${seqs.length === 1 ? 'sequence' : `${seqs.length} sequences`} it is in (${seqs.join(', ')})` : ''} regenerated from the fixed build's ${v.sessions.length} replay session${v.sessions.length === 1 ? '' : 's'}; every other handler keeps its baseline (only source lines the patch moved are updated).`,
    `Re-baseline every handler on purpose with \`homeostat docs --sessions <sessions>\`.`,
  ];
  const branch = await freeBranchName(o.repo, fixBranchBase(d.handler));
  const message = commitMessage(d, v, o.edits, o.head, { test: testSection(test, o.testNotes ?? [], o.head, o.build), docs: docsLines, checked: o.checked ?? [] });
  const commit = await commitOnBranch(o.tree, branch, message);
  const pr = o.pr ? await openPullRequest(o.tree, branch, `homeostat: ${describeFix(d.fix!)}`, message) : null;
  return { branch, commit, tests, docs, pr };
}

/** Commits a recurring error's proven regression test on a branch of its own, from a fresh worktree of HEAD. */
export async function deliverErrorTest(o: { repo: string; head: string; tree: string; diagnosis: Diagnosis; generated: GeneratedTest; proof: TestProof; build: AppBuild; pr?: boolean }): Promise<Delivery> {
  const d = o.diagnosis;
  const file = { path: o.generated.path, content: withProof(o.generated, o.proof, o.head.slice(0, 12)) };
  await mkdir(dirname(join(o.tree, file.path)), { recursive: true });
  await writeFile(join(o.tree, file.path), file.content);
  const failing = o.proof.status === 'fails-as-documented';
  const message = [
    `homeostat: regression test for ${d.handler}'s recurring error`,
    '',
    d.rootCause,
    '',
    failing
      ? `Asked for as a failing test: it fails until ${d.handler} stops throwing "${d.evidence['pattern']}" in the flow.`
      : `No code change: the error is provoked on purpose by the flow and handled (the UI shows it). This test holds that handling: the flow's expectations pass and nothing reaches the page uncaught. There is no fixed build to compare with, so it is proven on the base build only.`,
    '',
    'Proof:',
    ...proofLines(o.proof, o.head.slice(0, 12)),
    `Run it: ${testCommandFor(o.build).replace('{path}', file.path)}`,
  ].join('\n');
  const branch = await freeBranchName(o.repo, `homeostat/test-${slug(d.handler)}-errors`);
  const commit = await commitOnBranch(o.tree, branch, message);
  const pr = o.pr ? await openPullRequest(o.tree, branch, `homeostat: regression test for ${d.handler}'s recurring error`, message) : null;
  return { branch, commit, tests: [file], docs: [], pr };
}

export interface DeliverContext {
  repo: string;
  head: string;
  srcDir: string;
  docsDir: string;
  testDir: string;
  flows: readonly Recording[];
  /** The flows' paths relative to the repo (same order as `flows`). */
  flowsInRepo: readonly string[];
  spec: SpecFile | null;
  browser: Browser;
  /** The baseline build the A/B rounds served. */
  baseUrl: string;
  build: AppBuild;
  baseline: Pick<BaselineMeasurement, 'sessions' | 'callsByFlow' | 'flowMs' | 'errorsByFlow'>;
  /** Regression tests for handled errors (default) or failing tests until the error is gone. */
  errorTests?: 'handled' | 'absent';
  pr?: boolean;
  screenshotDir?: string;
  log: (line: string) => void;
}

const perSession = (sessions: readonly SessionFile[]): RunEvidence[] => sessions.map((s) => ({ sessions: [s], pageErrors: [] }));

/**
 * The flow a fix's test replays: the shortest in which the handler runs a few times per run (a
 * proof replays it once per build, so a short flow keeps proving cheap), else the one that runs
 * it most per second.
 */
export function proofFlowFor(handler: string, m: Pick<BaselineMeasurement, 'callsByFlow' | 'flowMs'>, minCalls = 3): number | null {
  let best: number | null = null;
  m.callsByFlow.forEach((calls, k) => {
    if ((calls.get(handler) ?? 0) >= minCalls && (best === null || m.flowMs[k]! < m.flowMs[best]!)) best = k;
  });
  return best ?? bestFlowFor(handler, m);
}

/** The flow an error's test replays: the one that makes the error most per second. */
function errorFlow(ctx: DeliverContext, d: Diagnosis): number | null {
  const key = errorKey(d.handler, String(d.evidence['pattern'] ?? ''));
  let best: number | null = null;
  let bestRate = 0;
  ctx.baseline.errorsByFlow.forEach((m, k) => {
    const rate = (m.get(key) ?? 0) / Math.max(1, ctx.baseline.flowMs[k]!);
    if (rate > bestRate) [best, bestRate] = [k, rate];
  });
  return best;
}

/** What a proof costs: one replay of the longest flow a test may use, both builds at once (×1.5 for sharing two cores). */
export function proofReserveMs(flowMs: readonly number[], flowIndexes: Iterable<number | null>): number {
  let longest = 0;
  for (const k of flowIndexes) if (k !== null) longest = Math.max(longest, flowMs[k] ?? 0);
  return Math.round(longest * 1.5);
}

/**
 * The deliver phase: generate a test per improved fix and per recurring error, prove them all
 * (in parallel where counts decide), then commit each fix with its proven test and docs, and each
 * guarded error's test, on their branches. Fills in the attempts' branch, tests, docs and proofs.
 */
export async function deliverAll(ctx: DeliverContext, attempts: Attempt[], prepared: readonly PreparedFix[]): Promise<void> {
  const improved = attempts.filter((a) => a.verdict === 'improved' && a.verification && !a.supersededBy);
  const errors = attempts.filter((a) => a.diagnosis.rule === 'recurring-error');
  const runCommand = testCommandFor(ctx.build);
  const recordingsIn = (tree: string) => new Map(ctx.flowsInRepo.map((f, k) => [join(tree, f), ctx.flows[k]!]));

  type Job = { attempt: Attempt; tree: string; generated: GeneratedTest | null; notes: string[]; fixedUrl?: string; checked?: string[] };
  const jobs: Job[] = [];
  for (const a of improved) {
    const p = prepared.find((x) => x.diagnosis === a.diagnosis)!;
    const k = proofFlowFor(fixedHandler(a.diagnosis), ctx.baseline) ?? 0;
    const made = fixTest({
      diagnosis: a.diagnosis,
      fix: describeFix(a.diagnosis.fix!),
      flow: ctx.flowsInRepo[k]!,
      testDir: ctx.testDir,
      base: perSession(ctx.baseline.sessions),
      fixed: perSession(a.verification!.sessions),
      runCommand,
    });
    jobs.push({ attempt: a, tree: p.tree!.dir, generated: made.test, notes: made.rejected, fixedUrl: p.server!.url, checked: p.checked ?? [] });
  }
  const errorTrees: Array<{ remove(): Promise<void> }> = [];
  try {
    for (const a of errors) {
      const k = errorFlow(ctx, a.diagnosis);
      if (k === null) {
        a.reasons.push('no regression test: no recorded flow provokes this error');
        continue;
      }
      const tree = await addWorktree(ctx.repo, ctx.head, `test-${a.diagnosis.handler}`);
      errorTrees.push(tree);
      const expectations = ctx.flows[k]!.steps.filter(isExpectation).map((s) => s.description ?? s.type);
      const generated = errorTest({ diagnosis: a.diagnosis, flows: [ctx.flowsInRepo[k]!], testDir: ctx.testDir, mode: ctx.errorTests ?? 'handled', expectations, runCommand });
      jobs.push({ attempt: a, tree: tree.dir, generated, notes: [] });
    }

    const toProve = jobs.filter((j): j is Job & { generated: GeneratedTest } => j.generated !== null);
    if (toProve.length) ctx.log(`proving ${toProve.length} generated test${toProve.length === 1 ? '' : 's'}: each replays its flow once on the base build and once on the fix (tests on the same flow share the base replay)`);
    const proofs = await proveTests(
      toProve.map((j) => ({
        test: j.generated,
        options: { browser: ctx.browser, tree: j.tree, baseUrl: ctx.baseUrl, recordings: recordingsIn(j.tree), ...(j.fixedUrl ? { fixedUrl: j.fixedUrl } : {}), ...(ctx.screenshotDir ? { screenshotDir: ctx.screenshotDir } : {}) },
      })),
    );
    const proofOf = new Map(toProve.map((j, i) => [j, proofs[i]!]));
    for (const [j, p] of proofOf) {
      j.attempt.proofs = [p];
      ctx.log(`  ${p.path}: ${p.status} — ${p.why}`);
      if (!delivers(p)) {
        j.notes.push(`${describeTest(j.generated)}: ${p.why}`);
        j.attempt.reasons.push(`generated test not delivered (${p.status}): ${p.why}`);
      }
    }

    await Promise.all(
      jobs.map(async (j) => {
        const a = j.attempt;
        const p = j.generated ? proofOf.get(j as Job & { generated: GeneratedTest }) : undefined;
        const proven = j.generated && p && delivers(p) ? { generated: j.generated, proof: p } : null;
        let delivered: Delivery;
        if (a.diagnosis.rule === 'recurring-error') {
          if (!proven) return;
          delivered = await deliverErrorTest({ repo: ctx.repo, head: ctx.head, tree: j.tree, diagnosis: a.diagnosis, generated: proven.generated, proof: proven.proof, build: ctx.build, ...(ctx.pr ? { pr: true } : {}) });
        } else {
          delivered = await deliverFix({
            repo: ctx.repo,
            head: ctx.head,
            tree: j.tree,
            srcDir: ctx.srcDir,
            docsDir: ctx.docsDir,
            spec: ctx.spec,
            diagnosis: a.diagnosis,
            verification: a.verification!,
            edits: a.edits,
            build: ctx.build,
            test: proven,
            testNotes: j.notes,
            checked: j.checked ?? [],
            ...(ctx.pr ? { pr: true } : {}),
          });
        }
        Object.assign(a, { branch: delivered.branch, commit: delivered.commit, tests: delivered.tests, docs: delivered.docs, pr: delivered.pr });
        ctx.log(`branch ${delivered.branch} (${delivered.commit.slice(0, 12)}): ${a.diagnosis.rule === 'recurring-error' ? '' : 'code + '}${delivered.tests.map((t) => t.path).join(', ') || 'no test'}${delivered.docs.length ? ` + ${delivered.docs.length} docs files` : ''}`);
        if (ctx.pr) ctx.log(delivered.pr ? `  pull request: ${delivered.pr}` : '  --pr: gh is not installed or the push failed; the branch stays local');
      }),
    );
  } finally {
    for (const t of errorTrees) await t.remove();
  }
}

function describeTest(g: GeneratedTest): string {
  return `${g.path} (${g.test.name})`;
}
