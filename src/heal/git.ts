/**
 * The git operations heal needs, all through the `git` CLI: temporary worktrees (so a fix is
 * built and tested without touching the user's working tree) and a branch per fix.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { registerCleanup } from '../node/cleanup.ts';
import { slug } from './names.ts';

const run = promisify(execFile);

export class GitError extends Error {
  override name = 'GitError';
}

export async function git(cwd: string, args: string[]): Promise<string> {
  try {
    const { stdout } = await run('git', args, { cwd, maxBuffer: 64 * 1024 * 1024 });
    return stdout.trim();
  } catch (e) {
    const err = e as { stderr?: string; message: string };
    throw new GitError(`git ${args.join(' ')} (in ${cwd}): ${(err.stderr || err.message).trim()}`);
  }
}

/** The top of the repository containing `dir`, or an error saying it is not one. */
export async function repoRoot(dir: string): Promise<string> {
  try {
    return await git(dir, ['rev-parse', '--show-toplevel']);
  } catch {
    throw new GitError(`${dir} is not inside a git repository: heal needs one to branch from`);
  }
}

export async function headCommit(repo: string): Promise<string> {
  return git(repo, ['rev-parse', 'HEAD']);
}

export async function branchExists(repo: string, branch: string): Promise<boolean> {
  try {
    await git(repo, ['rev-parse', '--verify', '--quiet', `refs/heads/${branch}`]);
    return true;
  } catch {
    return false;
  }
}

/** The first free name among `base`, `base-2`, `base-3`, … */
export async function freeBranchName(repo: string, base: string): Promise<string> {
  for (let i = 1; ; i++) {
    const name = i === 1 ? base : `${base}-${i}`;
    if (!(await branchExists(repo, name))) return name;
  }
}

export interface Worktree {
  dir: string;
  /** Removes the worktree directory (branches committed in it stay in the repository). */
  remove(): Promise<void>;
}

/**
 * The `node_modules` folders of a repository, relative to it: the root's and those of workspace
 * packages (`app/node_modules`, `packages/ui/node_modules`: npm, pnpm and yarn put some there),
 * found up to four levels down, never inside another node_modules or a dot folder.
 */
export async function installedModules(repo: string, depth = 4): Promise<string[]> {
  const out: string[] = [];
  const walk = async (rel: string, left: number) => {
    let entries;
    try {
      entries = await readdir(join(repo, rel), { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      if (e.name.startsWith('.')) continue;
      const child = rel ? `${rel}/${e.name}` : e.name;
      // A linked node_modules counts too (heal's copy of the demo links this package's).
      if (e.name === 'node_modules' && (e.isDirectory() || e.isSymbolicLink())) out.push(child);
      else if (e.isDirectory() && left > 0) await walk(child, left - 1);
    }
  };
  await walk('', depth);
  return out.sort();
}

/**
 * A detached worktree of `ref` in a new temporary directory. The repository's installed
 * `node_modules` folders (never tracked; the root's and workspace packages') are linked in, so
 * the worktree builds like the original.
 * `label` (often a handler name) only names the directory, made safe by `slug`. Until
 * `remove()`, the worktree is registered for clean-up on SIGINT/SIGTERM.
 */
export async function addWorktree(repo: string, ref: string, label: string): Promise<Worktree> {
  const parent = await mkdtemp(join(tmpdir(), `homeostat-${slug(label, 40)}-`));
  const dir = join(parent, 'tree');
  const remove = async () => {
    unregister();
    await git(repo, ['worktree', 'remove', '--force', dir]).catch(() => undefined);
    await rm(parent, { recursive: true, force: true });
    await git(repo, ['worktree', 'prune']).catch(() => undefined);
  };
  const unregister = registerCleanup(`worktree ${dir}`, remove);
  try {
    await git(repo, ['worktree', 'add', '--detach', '--quiet', dir, ref]);
    for (const rel of await installedModules(repo)) {
      const to = join(dir, rel);
      if (!existsSync(to) && existsSync(dirname(to))) await symlink(join(repo, rel), to, 'dir');
    }
  } catch (e) {
    await remove();
    throw e;
  }
  return { dir, remove };
}

/** Commits everything in `dir` on a new branch `branch` (created at the worktree's HEAD). */
export async function commitOnBranch(dir: string, branch: string, message: string): Promise<string> {
  await git(dir, ['checkout', '--quiet', '-b', branch]);
  await git(dir, ['add', '-A']);
  // The linked node_modules is not part of any fix (a symlink escapes a `node_modules/` ignore rule).
  for (const rel of await installedModules(dir)) await git(dir, ['rm', '-r', '-q', '--cached', '--ignore-unmatch', rel]);
  // Commit as the user when git knows who that is; otherwise as Homeostat.
  const named = await git(dir, ['config', 'user.name']).catch(() => '');
  const identity = named ? [] : ['-c', 'user.name=Homeostat', '-c', 'user.email=homeostat@localhost'];
  // A NUL cannot travel in an argument (messages quote handler names, which may hold one): shown as ␀.
  await git(dir, [...identity, 'commit', '--quiet', '--no-verify', '-m', message.replace(/\u0000/g, '\u2400')]);
  return git(dir, ['rev-parse', 'HEAD']);
}

/** `git status --porcelain` of a tree: empty when clean. */
export async function statusPorcelain(dir: string): Promise<string> {
  return git(dir, ['status', '--porcelain']);
}
