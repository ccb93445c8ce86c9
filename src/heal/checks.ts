/**
 * What a patched tree must pass before it is built and measured, with the project's own tools:
 * - `tsc --noEmit -p tsconfig.json` when the app is TypeScript (a tsconfig.json at its root and
 *   TypeScript installed): Vite builds without typechecking, so a codemod that breaks types would
 *   otherwise be measured and delivered;
 * - the app's `lint` script, when package.json has one;
 * - its tests: `--test-command`, else `npm test` when package.json has a real test script.
 * A check that also fails on the unpatched tree does not reject the fix (for tsc: only errors the
 * patch adds count, compared by file, code and message, since lines move). Failures carry the
 * tool's own messages, tsc's as `file:line:col: error TSxxxx: message`.
 *
 * Commands we build run without a shell (argv); only a command the user gave (`--test-command`)
 * goes through one.
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { registerCleanup } from '../node/cleanup.ts';
import { runCommand } from './app.ts';

export interface CheckCommand {
  /** `tsc`, `lint`, `tests`: what the report calls it. */
  name: 'tsc' | 'lint' | 'tests';
  /** As shown to the user. */
  display: string;
  run(cwd: string): Promise<{ code: number; output: string }>;
}

export interface CheckFailure {
  check: CheckCommand['name'];
  display: string;
  /** The tool's own messages, trimmed to what says why. */
  details: string;
}

/** Runs `file args…` in `cwd` without a shell, in its own process group (killed on interruption). */
export function runArgv(file: string, args: readonly string[], cwd: string): Promise<{ code: number; output: string }> {
  return new Promise((resolve, reject) => {
    const group = process.platform !== 'win32';
    const child = spawn(file, args, { cwd, detached: group, env: { ...process.env, FORCE_COLOR: '0', CI: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
    const unregister = registerCleanup(`${file} ${args.join(' ')} (pid ${child.pid ?? '?'})`, () => {
      try {
        if (child.pid !== undefined) process.kill(group ? -child.pid : child.pid, 'SIGTERM');
      } catch {
        // Already gone.
      }
    });
    let output = '';
    const keep = (d: Buffer) => {
      output = (output + d.toString()).slice(-256_000);
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

function scripts(dir: string): Record<string, string> | null {
  try {
    const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { scripts?: Record<string, string> };
    return pkg.scripts ?? {};
  } catch {
    return null;
  }
}

/** npm's placeholder test script (`npm init`): not a test suite. */
const NO_TESTS = /no test specified/;

/** `from` (relative to the tree) and each folder above it up to the tree's root, nearest first. */
function foldersUp(tree: string, from: string): string[] {
  const out: string[] = [];
  let rel = from.replace(/\\/g, '/').replace(/\/+$/, '');
  for (;;) {
    out.push(rel === '' || rel === '.' ? tree : join(tree, rel));
    if (rel === '' || rel === '.') return out;
    rel = dirname(rel);
  }
}

/** The TypeScript compiler installed for `dir` (its node_modules or one above, up to the tree). */
function tscFor(folders: readonly string[]): string | null {
  for (const d of folders) {
    const tsc = join(d, 'node_modules', 'typescript', 'bin', 'tsc');
    if (existsSync(tsc)) return tsc;
  }
  return null;
}

export interface ChecksOptions {
  /** The user's test command; undefined: `npm test` when package.json has a test script; '' : none. */
  testCommand?: string | undefined;
  /** Typecheck a TypeScript tree (default true). */
  typecheck?: boolean;
  /** Run the app's lint script when it has one (default true). */
  lint?: boolean;
  /**
   * Where the changed code is, relative to the tree (default its root): the nearest tsconfig.json
   * and package.json at or above it are the app's (a monorepo's app is often in a folder).
   */
  from?: string;
}

/** The checks a tree of this app gets, in order (cheapest first: they run before the build). */
export function checksFor(tree: string, options: ChecksOptions = {}): CheckCommand[] {
  const out: CheckCommand[] = [];
  const folders = foldersUp(tree, options.from ?? '');
  const tsconfigDir = folders.find((d) => existsSync(join(d, 'tsconfig.json')));
  const tsc = tsconfigDir ? tscFor(folders.slice(folders.indexOf(tsconfigDir))) : null;
  const where = (d: string) => (d === tree ? '' : ` (in ${relative(tree, d).split(sep).join('/')})`);
  if (options.typecheck !== false && tsconfigDir && tsc) {
    out.push({ name: 'tsc', display: `tsc --noEmit -p tsconfig.json${where(tsconfigDir)}`, run: () => runArgv(process.execPath, [tsc, '--noEmit', '-p', 'tsconfig.json', '--pretty', 'false'], tsconfigDir) });
  }
  // The nearest package.json that has the script.
  const withScript = (name: string) => folders.find((d) => scripts(d)?.[name]);
  const lintDir = withScript('lint');
  if (options.lint !== false && lintDir) out.push({ name: 'lint', display: `npm run lint${where(lintDir)}`, run: () => runArgv('npm', ['run', '--silent', 'lint'], lintDir) });
  if (options.testCommand) {
    const command = options.testCommand;
    out.push({ name: 'tests', display: command, run: (cwd) => runCommand(command, cwd) });
  } else if (options.testCommand === undefined) {
    const testDir = withScript('test');
    if (testDir && !NO_TESTS.test(scripts(testDir)!['test']!)) out.push({ name: 'tests', display: `npm test${where(testDir)}`, run: () => runArgv('npm', ['test'], testDir) });
  }
  return out;
}

/** tsc's `file(line,col): error TS1234: message` lines as `file:line:col: error TS1234: message`. */
export function tscErrors(output: string): string[] {
  const out: string[] = [];
  for (const line of output.split('\n')) {
    const m = /^(.+?)\((\d+),(\d+)\): (error TS\d+: .*)$/.exec(line.trim());
    if (m) out.push(`${m[1]}:${m[2]}:${m[3]}: ${m[4]}`);
  }
  return out;
}

/** An error without its position, for telling a patch's errors from those the tree already had. */
const withoutPosition = (e: string) => e.replace(/^(.+?):\d+:\d+: /, '$1: ');

function lastLines(output: string, n = 15): string {
  return output.trimEnd().split('\n').slice(-n).join('\n');
}

/**
 * Runs the checks on a patched tree. When one fails, `unpatched` (which puts the tree back as it
 * was, and returns a function that re-applies the patch) lets it run on the original too: only
 * what the patch broke is a failure. Each check that did not fail is described in `passed`
 * (for the commit message: a reviewer sees what the patched tree went through).
 */
export async function runChecks(
  tree: string,
  checks: readonly CheckCommand[],
  unpatched: () => Promise<() => Promise<void>>,
  log: (s: string) => void = () => undefined,
  passed: string[] = [],
): Promise<CheckFailure | null> {
  for (const check of checks) {
    const r = await check.run(tree);
    if (r.code === 0) {
      passed.push(`\`${check.display}\`: clean`);
      continue;
    }
    const restore = await unpatched();
    let base: { code: number; output: string };
    try {
      base = await check.run(tree);
    } finally {
      await restore();
    }
    if (check.name === 'tsc') {
      const before = new Set(tscErrors(base.output).map(withoutPosition));
      const added = tscErrors(r.output).filter((e) => !before.has(withoutPosition(e)));
      if (added.length > 0 || (base.code === 0 && tscErrors(r.output).length === 0)) {
        return { check: 'tsc', display: check.display, details: added.length > 0 ? added.slice(0, 20).join('\n') : lastLines(r.output) };
      }
      log(`  \`${check.display}\` fails on the unpatched tree too, with the same errors: not held against the fix`);
      passed.push(`\`${check.display}\`: no new errors (the unpatched tree has the same ${tscErrors(base.output).length})`);
      continue;
    }
    if (base.code === 0) return { check: check.name, display: check.display, details: lastLines(r.output) };
    log(`  \`${check.display}\` fails on the unpatched tree too: not held against the fix`);
    passed.push(`\`${check.display}\`: fails on the unpatched tree too (not held against the fix)`);
  }
  return null;
}
