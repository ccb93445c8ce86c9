/**
 * Building and serving one version of the app under test (the baseline or a patched worktree).
 * The build is the app's own command; its output is served cross-origin isolated, like the
 * demo, so both sides of an A/B comparison get the same 5 µs clock.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { serveDirectory, type RunningServer } from '../node/serve.ts';
import { registerCleanup } from '../node/cleanup.ts';

export interface AppBuild {
  /** Shell command run in the tree (e.g. `npx vite build --outDir dist`). */
  command: string;
  /** Directory the command writes, relative to the tree. */
  outDir: string;
}

export class BuildError extends Error {
  constructor(
    readonly dir: string,
    readonly command: string,
    readonly output: string,
  ) {
    super(`Building ${dir} with \`${command}\` failed:\n${output.split('\n').slice(-15).join('\n')}`);
    this.name = 'BuildError';
  }
}

/**
 * Runs a command the user gave (`--build`, `--test-command`) through the shell in `cwd`; resolves
 * with its output. Only the user's own command text reaches the shell, never a handler name.
 * The command runs in its own process group, killed as a whole if heal is interrupted.
 */
export function runCommand(command: string, cwd: string, env: NodeJS.ProcessEnv = {}): Promise<{ code: number; output: string }> {
  return new Promise((resolve, reject) => {
    const group = process.platform !== 'win32';
    const child = spawn(command, { cwd, shell: true, detached: group, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    const unregister = registerCleanup(`\`${command}\` (pid ${child.pid ?? '?'})`, () => {
      try {
        if (child.pid !== undefined) process.kill(group ? -child.pid : child.pid, 'SIGTERM');
      } catch {
        // Already gone.
      }
    });
    let output = '';
    const keep = (d: Buffer) => {
      output = (output + d.toString()).slice(-64_000);
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    child.on('error', (e) => {
      unregister();
      reject(e);
    });
    child.on('close', (code) => {
      unregister();
      resolve({ code: code ?? 1, output });
    });
  });
}

export async function buildApp(dir: string, build: AppBuild): Promise<string> {
  const { code, output } = await runCommand(build.command, dir);
  const out = join(dir, build.outDir);
  if (code !== 0) throw new BuildError(dir, build.command, output);
  if (!existsSync(join(out, 'index.html'))) throw new BuildError(dir, build.command, `${output}\n(no index.html in ${out})`);
  return out;
}

/** Builds and serves a tree; `close()` stops the server. */
export async function buildAndServe(dir: string, build: AppBuild): Promise<RunningServer & { outDir: string }> {
  const outDir = await buildApp(dir, build);
  const server = await serveDirectory(outDir);
  const unregister = registerCleanup(`server ${server.url}`, () => server.close());
  return {
    ...server,
    outDir,
    close() {
      unregister();
      return server.close();
    },
  };
}
