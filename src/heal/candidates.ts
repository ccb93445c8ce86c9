/**
 * Trying a fix: a fresh worktree of the healed commit, the diagnosis' codemod applied there, the
 * tree checked with the project's own tools (tsc on a TypeScript app, its lint script, its
 * tests: see checks.ts), then built and served. A candidate that fails a check is reported with
 * the tool's own error and never measured. Nothing here measures: the builds of all candidates
 * run side by side before any replay starts, so they never disturb a measurement.
 */
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Diagnosis } from '../core/diagnose.ts';
import { buildAndServe, BuildError, type AppBuild } from './app.ts';
import { applyFix, describeFix } from './apply.ts';
import { checksFor, runChecks, type CheckFailure } from './checks.ts';
import { CodemodError } from './codemods/ast.ts';
import { unifiedDiff, type CodemodResult } from './codemods/result.ts';
import { addWorktree, type Worktree } from './git.ts';

export interface PreparedFix {
  diagnosis: Diagnosis;
  tree: Worktree | null;
  /** Set when the candidate could not be built or tested: why, and the verdict it gets. */
  failed: { verdict: 'not-applicable' | 'build-failed' | 'broke-behaviour'; reason: string } | null;
  diff: string | null;
  edits: string[];
  server: { url: string; close(): Promise<void> } | null;
  /** The change applied (repo-relative paths), so a check can be run on the tree without it. */
  change?: CodemodResult | null;
  /** The check that failed, with the tool's own messages. */
  check?: CheckFailure | null;
  /** The checks the patched tree passed (`\`tsc --noEmit …\`: clean`), for the commit message. */
  checked?: string[];
}

/** Patches a worktree for the diagnosis (cheap: parse, transform, print). */
export async function patchCandidate(repo: string, head: string, srcDir: string, d: Diagnosis, log: (s: string) => void): Promise<PreparedFix> {
  const out: PreparedFix = { diagnosis: d, tree: null, failed: null, diff: null, edits: [], server: null, change: null, check: null };
  log(`fix ${d.id}: ${describeFix(d.fix!)}`);
  out.tree = await addWorktree(repo, head, `fix-${d.handler}`);
  try {
    const change = await applyFix(out.tree.dir, srcDir, d.fix!);
    out.change = change;
    out.diff = unifiedDiff(change);
    out.edits = change.edits;
    log(`  patched ${change.file}${change.also?.length ? ` (+ ${change.also.map((a) => a.file).join(', ')})` : ''}: ${change.edits.join('; ')}`);
  } catch (e) {
    if (!(e instanceof CodemodError)) throw e;
    out.failed = { verdict: 'not-applicable', reason: e.message };
    log(`  not applicable: ${e.message}`);
  }
  return out;
}

/** Puts a patched tree back as it was (files created removed); returns what re-applies the patch. */
function unpatch(dir: string, change: CodemodResult): () => Promise<() => Promise<void>> {
  return async () => {
    await writeFile(join(dir, change.file), change.before);
    for (const f of change.also ?? []) {
      if (f.before === null) await rm(join(dir, f.file), { force: true });
      else await writeFile(join(dir, f.file), f.before);
    }
    return async () => {
      for (const f of change.also ?? []) {
        await mkdir(dirname(join(dir, f.file)), { recursive: true });
        await writeFile(join(dir, f.file), f.after);
      }
      await writeFile(join(dir, change.file), change.after);
    };
  };
}

/**
 * Checks, builds and serves the patched trees, at most `concurrency` at a time. `testCommand`:
 * the user's (`--test-command`), undefined for the app's `npm test` when it has a test script,
 * '' for none.
 */
export async function buildCandidates(fixes: readonly PreparedFix[], build: AppBuild, testCommand: string | undefined, concurrency: number, log: (s: string) => void): Promise<void> {
  const queue = fixes.filter((f) => f.tree && !f.failed);
  const worker = async () => {
    for (let f = queue.shift(); f; f = queue.shift()) {
      const dir = f.tree!.dir;
      const checks = checksFor(dir, { testCommand, ...(f.change ? { from: dirname(f.change.file) } : {}) });
      if (checks.length > 0) log(`  ${f.diagnosis.id}: checking with ${checks.map((c) => `\`${c.display}\``).join(', ')}`);
      // Typecheck and lint before the build (a tree that does not compile is not worth building); tests after it.
      const before = checks.filter((c) => c.name !== 'tests');
      const after = checks.filter((c) => c.name === 'tests');
      const noChange = async () => async () => undefined;
      const unpatched = f.change ? unpatch(dir, f.change) : noChange;
      f.checked = [];
      const failedCheck = await runChecks(dir, before, unpatched, log, f.checked);
      if (failedCheck) {
        reject(f, failedCheck, log);
        continue;
      }
      try {
        f.server = await buildAndServe(dir, build);
      } catch (e) {
        if (!(e instanceof BuildError)) throw e;
        f.failed = { verdict: 'build-failed', reason: e.message };
        log(`  ${f.diagnosis.id}: build failed`);
        continue;
      }
      const failedTests = await runChecks(dir, after, unpatched, log, f.checked);
      if (failedTests) {
        reject(f, failedTests, log);
        await f.server.close();
        f.server = null;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, concurrency) }, worker));
}

function reject(f: PreparedFix, failure: CheckFailure, log: (s: string) => void): void {
  f.check = failure;
  if (failure.check === 'tests') {
    f.failed = { verdict: 'broke-behaviour', reason: `the app's tests (\`${failure.display}\`) fail on the patched tree:\n${failure.details}` };
    log(`  ${f.diagnosis.id}: the app's tests fail`);
    return;
  }
  const what = failure.check === 'tsc' ? 'does not typecheck' : 'fails the lint script';
  f.failed = { verdict: 'build-failed', reason: `the patched tree ${what} (\`${failure.display}\`):\n${failure.details}` };
  log(`  ${f.diagnosis.id}: ${what}:\n${failure.details.split('\n').map((l) => `    ${l}`).join('\n')}`);
}
