/**
 * Trying a fix: a fresh worktree of the healed commit, the diagnosis' codemod applied there, the
 * tree built and served (and the app's own tests run). Nothing here measures: the builds of all
 * candidates run side by side before any replay starts, so they never disturb a measurement.
 */
import type { Diagnosis } from '../core/diagnose.ts';
import { buildAndServe, BuildError, runCommand, type AppBuild } from './app.ts';
import { applyFix, describeFix } from './apply.ts';
import { CodemodError } from './codemods/ast.ts';
import { unifiedDiff } from './codemods/result.ts';
import { addWorktree, type Worktree } from './git.ts';

export interface PreparedFix {
  diagnosis: Diagnosis;
  tree: Worktree | null;
  /** Set when the candidate could not be built or tested: why, and the verdict it gets. */
  failed: { verdict: 'not-applicable' | 'build-failed' | 'broke-behaviour'; reason: string } | null;
  diff: string | null;
  edits: string[];
  server: { url: string; close(): Promise<void> } | null;
}

/** Patches a worktree for the diagnosis (cheap: parse, transform, print). */
export async function patchCandidate(repo: string, head: string, srcDir: string, d: Diagnosis, log: (s: string) => void): Promise<PreparedFix> {
  const out: PreparedFix = { diagnosis: d, tree: null, failed: null, diff: null, edits: [], server: null };
  log(`fix ${d.id}: ${describeFix(d.fix!)}`);
  out.tree = await addWorktree(repo, head, `fix-${d.handler}`);
  try {
    const change = await applyFix(out.tree.dir, srcDir, d.fix!);
    out.diff = unifiedDiff(change);
    out.edits = change.edits;
    log(`  patched ${change.file}: ${change.edits.join('; ')}`);
  } catch (e) {
    if (!(e instanceof CodemodError)) throw e;
    out.failed = { verdict: 'not-applicable', reason: e.message };
    log(`  not applicable: ${e.message}`);
  }
  return out;
}

/** Builds, serves and tests the patched trees, at most `concurrency` at a time. */
export async function buildCandidates(fixes: readonly PreparedFix[], build: AppBuild, testCommand: string | undefined, concurrency: number, log: (s: string) => void): Promise<void> {
  const queue = fixes.filter((f) => f.tree && !f.failed);
  const worker = async () => {
    for (let f = queue.shift(); f; f = queue.shift()) {
      try {
        f.server = await buildAndServe(f.tree!.dir, build);
      } catch (e) {
        if (!(e instanceof BuildError)) throw e;
        f.failed = { verdict: 'build-failed', reason: e.message };
        log(`  ${f.diagnosis.id}: build failed`);
        continue;
      }
      if (testCommand) {
        const t = await runCommand(testCommand, f.tree!.dir);
        if (t.code !== 0) {
          f.failed = { verdict: 'broke-behaviour', reason: `the app's tests (\`${testCommand}\`) fail on the patched tree:\n${t.output.split('\n').slice(-10).join('\n')}` };
          log(`  ${f.diagnosis.id}: the app's tests fail`);
        }
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, concurrency) }, worker));
}
