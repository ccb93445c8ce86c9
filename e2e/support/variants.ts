/** Hand-made variants of an app repository for fix verification tests: a worktree with one file edited, built and served. */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { expect } from '@playwright/test';
import { buildAndServe, type AppBuild } from '../../src/heal/app.ts';
import { addWorktree, type Worktree } from '../../src/heal/git.ts';

/**
 * A worktree of `repo` at HEAD with `file` (default `src/App.tsx`) edited by `edit`, built and
 * served. The worktree is pushed onto `trees` for the caller to remove.
 */
export async function servedVariant(
  app: { repo: string; build: AppBuild },
  trees: Worktree[],
  label: string,
  edit: (source: string) => string,
  file = 'src/App.tsx',
) {
  const tree = await addWorktree(app.repo, 'HEAD', label);
  trees.push(tree);
  const path = join(tree.dir, file);
  const before = await readFile(path, 'utf8');
  const after = edit(before);
  expect(after, 'the test edit changed the file').not.toBe(before);
  await writeFile(path, after);
  return buildAndServe(tree.dir, app.build);
}
