/** Turns a diagnosis' fix plan into a codemod run on the file it names. */
import { existsSync } from 'node:fs';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { deferValue } from './codemods/defer-value.ts';
import { formatChanged } from './codemods/format.ts';
import { memoizeComponent } from './codemods/memo-component.ts';
import { memoizeValue } from './codemods/memo-value.ts';
import type { CodemodResult } from './codemods/result.ts';
import { wrapUpdatesInPendingTransition } from './codemods/pending-transition.ts';
import { renderProgressively } from './codemods/progressive-list.ts';
import { wrapUpdatesInTransition } from './codemods/transition.ts';
import { virtualiseList } from './codemods/virtual-list.ts';
import type { FixPlan } from '../core/diagnose.ts';

export interface CodemodContext {
  /** True when a file (repo-relative, like `file`) exists: new modules get names no file has. */
  exists?: (file: string) => boolean;
}

/** Runs the codemod on source text; throws CodemodError (file and line) when it cannot apply. */
export function runCodemod(plan: FixPlan, source: string, file: string, context: CodemodContext = {}): CodemodResult {
  switch (plan.codemod) {
    case 'transition':
      return wrapUpdatesInTransition(source, file, { handler: plan.handler, at: plan.at ?? null, setters: plan.setters });
    case 'pending-transition':
      return wrapUpdatesInPendingTransition(source, file, { handler: plan.handler, at: plan.at ?? null, component: plan.component, setters: plan.setters });
    case 'memo-value':
      return memoizeValue(source, file, { callee: plan.callee });
    case 'memo-component':
      return memoizeComponent(source, file, { component: plan.component });
    case 'defer-value':
      return deferValue(source, file, { component: plan.component, state: plan.state, ...(plan.handler ? { handler: plan.handler } : {}), at: plan.at ?? null });
    case 'progressive-list':
      return renderProgressively(source, file, {
        handler: plan.handler,
        component: plan.component,
        list: plan.list,
        items: plan.items,
        ...(plan.first ? { first: plan.first } : {}),
        ...(plan.chunk ? { chunk: plan.chunk } : {}),
        ...(context.exists ? { exists: context.exists } : {}),
      });
    case 'virtual-list':
      return virtualiseList(source, file, {
        handler: plan.handler,
        component: plan.component,
        list: plan.list,
        items: plan.items,
        ...(plan.overscan !== undefined ? { overscan: plan.overscan } : {}),
        ...(plan.library ? { library: plan.library } : {}),
        ...(context.exists ? { exists: context.exists } : {}),
      });
  }
}

async function writeAtomically(path: string, text: string): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const tmp = `${path}.homeostat-tmp`;
  await writeFile(tmp, text);
  await rename(tmp, path);
}

/**
 * Applies a plan to a tree (a worktree, never the user's): reads `<tree>/<srcDir>/<file>`, runs
 * the codemod, formats what it changed with the project's prettier config when the project has
 * one, and writes the result (and any file it creates) atomically. Paths in the returned result
 * are repo-relative.
 */
export async function applyFix(tree: string, srcDir: string, plan: FixPlan): Promise<CodemodResult> {
  const rel = join(srcDir, plan.file).replace(/\\/g, '/');
  const path = join(tree, rel);
  const source = await readFile(path, 'utf8');
  const raw = runCodemod(plan, source, rel, { exists: (f) => existsSync(join(tree, f)) });
  const result = await formatChanged(tree, raw);
  // Created files first: the changed file imports them.
  for (const extra of result.also ?? []) await writeAtomically(join(tree, extra.file), extra.after);
  await writeAtomically(path, result.after);
  return result;
}

/** One line for reports and commit subjects. */
export function describeFix(plan: FixPlan): string {
  switch (plan.codemod) {
    case 'transition':
      return `wrap ${plan.setters.join(', ')} in startTransition in ${plan.handler}`;
    case 'pending-transition':
      return `render ${plan.setters.join(', ')} in a useTransition with an isPending indicator in ${plan.component ?? `${plan.handler}'s component`} (${plan.handler})`;
    case 'memo-value':
      return `memoise ${plan.callee}(…) with useMemo`;
    case 'memo-component':
      return `wrap ${plan.component} in React.memo`;
    case 'defer-value':
      return `render from useDeferredValue(${plan.state}) in ${plan.component ?? `${plan.handler ?? 'the handler'}'s component`}`;
    case 'progressive-list':
      return `render ${plan.items} progressively in ${plan.component ?? plan.file} (${plan.file}:${plan.list.line}): the first screenful with ${plan.handler}'s update, the rest in transition-sized chunks`;
    case 'virtual-list':
      return `virtualise ${plan.items} in ${plan.component ?? plan.file} (${plan.file}:${plan.list.line}): only the rows in view are rendered, so ${plan.handler}'s update commits a screenful; rows out of view are not in the DOM (find-in-page and tests that count rows see only those in view)`;
  }
}
