import { mkdir, readFile, symlink, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { testDir } from '../test-support/tmp.ts';
import { addWorktree, branchExists, commitOnBranch, freeBranchName, git, headCommit, repoRoot, statusPorcelain } from './git.ts';

async function repo(): Promise<string> {
  const dir = await testDir('homeostat-git-test-');
  await git(dir, ['init', '--quiet', '-b', 'main']);
  await writeFile(join(dir, 'app.ts'), 'export const x = 1;\n');
  await git(dir, ['add', '-A']);
  await git(dir, ['-c', 'user.name=t', '-c', 'user.email=t@t', 'commit', '--quiet', '-m', 'init']);
  return dir;
}

describe('git worktrees for fixes', () => {
  it('commits a change on a new branch without touching the user’s working tree', async () => {
    const dir = await repo();
    // The user has uncommitted work in progress.
    await writeFile(join(dir, 'app.ts'), 'export const x = 1; // editing\n');
    const head = await headCommit(dir);
    const tree = await addWorktree(dir, head, 'fix');
    await writeFile(join(tree.dir, 'app.ts'), 'export const x = 2;\n');
    const branch = await freeBranchName(dir, 'homeostat/fix-x');
    const commit = await commitOnBranch(tree.dir, branch, 'fix x\n\nevidence: 40 ms → 4 ms');
    await tree.remove();

    expect(existsSync(tree.dir)).toBe(false);
    expect(await branchExists(dir, 'homeostat/fix-x')).toBe(true);
    expect(await git(dir, ['show', `${commit}:app.ts`])).toBe('export const x = 2;');
    expect(await git(dir, ['log', '-1', '--format=%B', branch])).toContain('evidence: 40 ms → 4 ms');
    // The user's tree and branch are exactly as they left them.
    expect(await readFile(join(dir, 'app.ts'), 'utf8')).toBe('export const x = 1; // editing\n');
    expect(await statusPorcelain(dir)).toBe('M app.ts');
    expect(await git(dir, ['rev-parse', '--abbrev-ref', 'HEAD'])).toBe('main');
    expect(await headCommit(dir)).toBe(head);
  });

  it('links the root and workspace packages\' node_modules into a worktree, and commits none of them', async () => {
    const dir = await repo();
    await mkdir(join(dir, 'packages', 'ui'), { recursive: true });
    await writeFile(join(dir, 'packages', 'ui', 'index.ts'), 'export {};\n');
    await writeFile(join(dir, '.gitignore'), 'node_modules\n');
    await git(dir, ['add', '-A']);
    await git(dir, ['-c', 'user.name=t', '-c', 'user.email=t@t', 'commit', '--quiet', '-m', 'ui']);
    for (const m of ['node_modules/react', 'packages/ui/node_modules/lib']) {
      await mkdir(join(dir, m), { recursive: true });
      await writeFile(join(dir, m, 'index.js'), 'x\n');
    }
    const tree = await addWorktree(dir, await headCommit(dir), 'mono');
    expect(await readFile(join(tree.dir, 'packages/ui/node_modules/lib/index.js'), 'utf8')).toBe('x\n');
    expect(await readFile(join(tree.dir, 'node_modules/react/index.js'), 'utf8')).toBe('x\n');
    await writeFile(join(tree.dir, 'app.ts'), 'export const x = 3;\n');
    const commit = await commitOnBranch(tree.dir, 'homeostat/fix-mono', 'fix');
    expect((await git(dir, ['show', '--name-only', '--format=', commit])).split('\n')).toEqual(['app.ts']);
    await tree.remove();
  });

  it('links a node_modules that is itself a link (heal\'s copy of the demo links this package\'s)', async () => {
    const dir = await repo();
    const elsewhere = await testDir('homeostat-modules-');
    await mkdir(join(elsewhere, 'vite'), { recursive: true });
    await writeFile(join(elsewhere, 'vite', 'index.js'), 'v\n');
    await symlink(elsewhere, join(dir, 'node_modules'), 'dir');
    const tree = await addWorktree(dir, await headCommit(dir), 'linked');
    expect(await readFile(join(tree.dir, 'node_modules/vite/index.js'), 'utf8')).toBe('v\n');
    await tree.remove();
  });

  it('never reuses a branch name', async () => {
    const dir = await repo();
    await git(dir, ['branch', 'homeostat/fix-y']);
    expect(await freeBranchName(dir, 'homeostat/fix-y')).toBe('homeostat/fix-y-2');
  });

  it('says clearly when there is no repository', async () => {
    const dir = await testDir('homeostat-nogit-');
    await expect(repoRoot(dir)).rejects.toThrow(/is not inside a git repository/);
  });
});
