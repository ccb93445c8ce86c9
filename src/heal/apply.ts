/** Turns a diagnosis' fix plan into a codemod run on the file it names. */
import { readFile, writeFile, rename } from 'node:fs/promises';
import { join } from 'node:path';
import { deferValue } from './codemods/defer-value.ts';
import { memoizeComponent } from './codemods/memo-component.ts';
import { memoizeValue } from './codemods/memo-value.ts';
import type { CodemodResult } from './codemods/result.ts';
import { wrapUpdatesInPendingTransition } from './codemods/pending-transition.ts';
import { wrapUpdatesInTransition } from './codemods/transition.ts';
import type { FixPlan } from '../core/diagnose.ts';

/** Runs the codemod on source text; throws CodemodError (file and line) when it cannot apply. */
export function runCodemod(plan: FixPlan, source: string, file: string): CodemodResult {
  switch (plan.codemod) {
    case 'transition':
      return wrapUpdatesInTransition(source, file, { handler: plan.handler, setters: plan.setters });
    case 'pending-transition':
      return wrapUpdatesInPendingTransition(source, file, { handler: plan.handler, component: plan.component, setters: plan.setters });
    case 'memo-value':
      return memoizeValue(source, file, { callee: plan.callee });
    case 'memo-component':
      return memoizeComponent(source, file, { component: plan.component });
    case 'defer-value':
      return deferValue(source, file, { component: plan.component, state: plan.state });
  }
}

/**
 * Applies a plan to a tree (a worktree, never the user's): reads `<tree>/<srcDir>/<file>`, runs
 * the codemod, writes the result atomically. The returned result's `file` is repo-relative.
 */
export async function applyFix(tree: string, srcDir: string, plan: FixPlan): Promise<CodemodResult> {
  const rel = join(srcDir, plan.file).replace(/\\/g, '/');
  const path = join(tree, rel);
  const source = await readFile(path, 'utf8');
  const result = runCodemod(plan, source, rel);
  const tmp = `${path}.homeostat-tmp`;
  await writeFile(tmp, result.after);
  await rename(tmp, path);
  return result;
}

/** One line for reports and commit subjects. */
export function describeFix(plan: FixPlan): string {
  switch (plan.codemod) {
    case 'transition':
      return `wrap ${plan.setters.join(', ')} in startTransition in ${plan.handler}`;
    case 'pending-transition':
      return `render ${plan.setters.join(', ')} in a useTransition with an isPending indicator in ${plan.component} (${plan.handler})`;
    case 'memo-value':
      return `memoise ${plan.callee}(…) with useMemo`;
    case 'memo-component':
      return `wrap ${plan.component} in React.memo`;
    case 'defer-value':
      return `render from useDeferredValue(${plan.state}) in ${plan.component}`;
  }
}
