/**
 * Pull requests for delivered fixes, and the command runner heal uses for programs it names
 * itself. Handler names (any string, including `` ` ``, `$( )`, `../` and control characters)
 * only ever reach a program as one element of an argument array (`execFile`, never a shell).
 */
import { execFile } from 'node:child_process';
import { git } from './git.ts';
import { oneLine } from './names.ts';

export { fixBranchBase, oneLine, slug } from './names.ts';

export interface CommandResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `file` with `args` (no shell); resolves with the exit code, or code -1 when it is not installed. */
export function runFile(file: string, args: readonly string[], cwd: string, env: NodeJS.ProcessEnv = process.env): Promise<CommandResult> {
  return new Promise((resolve) => {
    execFile(file, args, { cwd, env, maxBuffer: 16 * 1024 * 1024, shell: false }, (error, stdout, stderr) => {
      if (!error) return resolve({ code: 0, stdout, stderr });
      const e = error as NodeJS.ErrnoException & { code?: number | string };
      resolve({ code: typeof e.code === 'number' ? e.code : e.code === 'ENOENT' ? -1 : 1, stdout, stderr: stderr || e.message });
    });
  });
}

export interface PullRequestOptions {
  /** Environment for `gh` (tests put a stand-in first on PATH). */
  env?: NodeJS.ProcessEnv;
  /** Remote to push to (default origin). */
  remote?: string;
}

/**
 * Pushes `branch` and opens a pull request for it with the GitHub CLI. Returns the PR's URL, or
 * null when `gh` is not installed or refused (the branch then stays local). Title and body are
 * passed as single arguments: newlines in the body stay newlines, nothing in them is expanded.
 */
export async function openPullRequest(dir: string, branch: string, title: string, body: string, options: PullRequestOptions = {}): Promise<string | null> {
  const env = options.env ?? process.env;
  const probe = await runFile('gh', ['--version'], dir, env);
  if (probe.code !== 0) return null;
  await git(dir, ['push', '--quiet', '-u', options.remote ?? 'origin', `refs/heads/${branch}:refs/heads/${branch}`]);
  // A NUL cannot travel in an argument: shown as ␀ (newlines stay newlines).
  const r = await runFile('gh', ['pr', 'create', '--head', branch, '--title', oneLine(title), '--body', body.replace(/\u0000/g, '\u2400')], dir, env);
  if (r.code !== 0) return null;
  return r.stdout.trim().split('\n').pop() || null;
}
