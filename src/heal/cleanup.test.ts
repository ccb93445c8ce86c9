import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fromRoot } from '../node/paths.ts';
import { testDir } from '../test-support/tmp.ts';
import { installSignalCleanup, pendingCleanups, registerCleanup, runCleanups } from '../node/cleanup.ts';
import { addWorktree, git, headCommit } from './git.ts';

/** Polls `cond` until it holds (no fixed sleep: as long as it takes, up to `timeoutMs`). */
async function waitFor<T>(cond: () => T | undefined | false, timeoutMs: number, what: string): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const v = cond();
    if (v) return v;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Processes whose command line contains `needle` (Linux /proc). */
function processesWith(needle: string): number[] {
  const out: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/cmdline`, 'utf8').includes(needle)) out.push(Number(entry));
    } catch {
      // Gone meanwhile.
    }
  }
  return out;
}

async function repo(): Promise<string> {
  const dir = await testDir('homeostat-cleanup-');
  await git(dir, ['init', '--quiet', '-b', 'main']);
  await writeFile(join(dir, 'index.html'), '<!doctype html><title>x</title>\n');
  await git(dir, ['add', '-A']);
  await git(dir, ['-c', 'user.name=t', '-c', 'user.email=t@t', 'commit', '--quiet', '-m', 'init']);
  return dir;
}

describe('clean-up registry', () => {
  it('runs every task newest first, keeps going past failures, and forgets unregistered ones', async () => {
    const order: string[] = [];
    registerCleanup('worktree', () => void order.push('worktree'));
    const done = registerCleanup('finished normally', () => void order.push('never'));
    registerCleanup('broken', () => {
      throw new Error('boom');
    });
    registerCleanup('server', async () => void order.push('server'));
    done();
    expect(pendingCleanups()).toEqual(['worktree', 'broken', 'server']);
    const failures = await runCleanups();
    expect(order).toEqual(['server', 'worktree']);
    expect(failures).toEqual(['broken: boom']);
    expect(pendingCleanups()).toEqual([]);
  });

  it('on a signal, cleans up before exiting with the signal’s code; a second signal exits at once', async () => {
    const exits: number[] = [];
    const lines: string[] = [];
    let release!: () => void;
    const cleaned = new Promise<void>((r) => (release = r));
    registerCleanup('slow', () => cleaned);
    const uninstall = installSignalCleanup({ exit: (c) => exits.push(c), log: (l) => lines.push(l) });
    try {
      process.emit('SIGTERM');
      await Promise.resolve();
      expect(exits).toEqual([]); // still cleaning
      process.emit('SIGINT');
      expect(exits).toEqual([130]);
      release();
      await waitFor(() => exits.length === 2, 5000, 'the first handler to finish');
      expect(exits).toEqual([130, 143]);
      expect(lines[0]).toMatch(/^SIGTERM: cleaning up 1 temporary resource/);
    } finally {
      uninstall();
    }
  });

  it('keeps a worktree labelled with a hostile handler name inside the temporary directory', async () => {
    const dir = await repo();
    const tree = await addWorktree(dir, await headCommit(dir), '../../../etc/x `id` $(id)\n');
    try {
      const parent = dirname(tree.dir);
      expect(relative(tmpdir(), parent)).toMatch(/^homeostat-etc-x-id-id-[0-9a-f]{8}-\w+$/);
      expect(existsSync(join(tree.dir, 'index.html'))).toBe(true);
    } finally {
      await tree.remove();
    }
    expect(existsSync(dirname(tree.dir))).toBe(false);
    expect(pendingCleanups()).toEqual([]);
  });

  it('an interrupted heal leaves no worktree, build process, server or Chromium behind', async () => {
    const dir = await repo();
    // Its own temp dir, so tsx's compile cache goes where this test removes it.
    const tmp = await testDir('homeostat-interrupt-');
    const child = spawn(process.execPath, ['--import', 'tsx', fromRoot('src', 'test-support', 'interrupted-heal.ts'), dir], {
      cwd: fromRoot(),
      env: { ...process.env, TMPDIR: tmp },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
    const held = await waitFor(() => (stdout.includes('\n') ? (JSON.parse(stdout.split('\n')[0]!) as { tree: string; url: string; marker: string }) : undefined), 60_000, `the fixture to start (stderr: ${stderr})`);
    const pidFile = join(held.tree, 'build-child.pid');
    const buildChild = await waitFor(() => existsSync(pidFile) && Number(readFileSync(pidFile, 'utf8').trim()), 30_000, 'the build to start');
    expect(alive(buildChild)).toBe(true);
    expect(processesWith(held.marker).length).toBeGreaterThan(0);
    expect((await fetch(held.url)).ok).toBe(true);

    child.kill('SIGTERM');
    expect(await exited).toBe(143);

    expect(stderr).toContain('SIGTERM: cleaning up');
    expect(existsSync(dirname(held.tree))).toBe(false);
    expect((await git(dir, ['worktree', 'list', '--porcelain'])).match(/^worktree /gm)).toHaveLength(1);
    await waitFor(() => !alive(buildChild), 10_000, 'the build process to go');
    await waitFor(() => processesWith(held.marker).length === 0, 10_000, 'Chromium to go');
    await expect(fetch(held.url)).rejects.toThrow();
  }, 120_000);
});
