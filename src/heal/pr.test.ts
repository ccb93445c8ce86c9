import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { tmpdir } from 'node:os';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hostileName } from '../core/__tests__/hostile.ts';
import { commitOnBranch, freeBranchName, git, headCommit } from './git.ts';
import { fixBranchBase, oneLine, openPullRequest, runFile, slug } from './pr.ts';
import { errorTest } from './testgen.ts';
import { parseTestFile, serializeTest } from './test-file.ts';
import type { Diagnosis } from '../core/diagnose.ts';
import { testDir } from '../test-support/tmp.ts';

async function repoWithOrigin(): Promise<{ repo: string; origin: string; root: string }> {
  const root = await testDir('homeostat-pr-');
  const origin = join(root, 'origin.git');
  const repo = join(root, 'repo');
  await mkdir(repo);
  await git(root, ['init', '--quiet', '--bare', origin]);
  await git(repo, ['init', '--quiet', '-b', 'main']);
  await writeFile(join(repo, 'app.ts'), 'export const x = 1;\n');
  await git(repo, ['add', '-A']);
  await git(repo, ['-c', 'user.name=t', '-c', 'user.email=t@t', 'commit', '--quiet', '-m', 'init']);
  await git(repo, ['remote', 'add', 'origin', origin]);
  return { repo, origin, root };
}

/** A stand-in `gh` that records its arguments as JSON and prints a PR URL, first on PATH. */
async function fakeGh(root: string): Promise<{ env: NodeJS.ProcessEnv; calls: () => Promise<string[][]> }> {
  const bin = join(root, 'bin');
  await mkdir(bin);
  const log = join(root, 'gh-calls.jsonl');
  await writeFile(
    join(bin, 'gh'),
    `#!${process.execPath}\nconst fs = require('node:fs');\nfs.appendFileSync(${JSON.stringify(log)}, JSON.stringify(process.argv.slice(2)) + '\\n');\nif (process.argv[2] === 'pr') console.log('https://github.example/o/r/pull/7');\n`,
  );
  await chmod(join(bin, 'gh'), 0o755);
  return {
    env: { ...process.env, PATH: `${bin}:${process.env['PATH'] ?? ''}` },
    calls: async () => (existsSync(log) ? (await readFile(log, 'utf8')).trim().split('\n').map((l) => JSON.parse(l) as string[]) : []),
  };
}

describe('branch names from handler names', () => {
  it('are valid git branch names for any handler name, and distinct names give distinct branches', async () => {
    const seen = new Map<string, string>();
    await fc.assert(
      fc.asyncProperty(hostileName, async (name) => {
        const branch = fixBranchBase(name);
        const check = await runFile('git', ['check-ref-format', '--branch', branch], tmpdir());
        expect(check.code, `${JSON.stringify(name)} → ${branch}`).toBe(0);
        expect(branch.startsWith('homeostat/fix-')).toBe(true);
        const before = seen.get(branch);
        if (before !== undefined) expect(before).toBe(name);
        seen.set(branch, name);
      }),
      { numRuns: 150 },
    );
  });

  it('keep ordinary names as they are', () => {
    expect(fixBranchBase('renderReact')).toBe('homeostat/fix-renderReact');
    expect(fixBranchBase('Cart.onClick')).toBe('homeostat/fix-Cart.onClick');
    expect(slug('a$b')).toMatch(/^a-b-[0-9a-f]{8}$/);
  });

  it('never leave the temporary directory as a path segment', () => {
    fc.assert(
      fc.property(hostileName, (name) => {
        const s = slug(name, 40);
        const dir = join(tmpdir(), `homeostat-${s}-XXXXXX`);
        expect(relative(tmpdir(), resolve(dir))).toBe(`homeostat-${s}-XXXXXX`);
        expect(s).toMatch(/^[A-Za-z0-9_][A-Za-z0-9._-]*$/);
        expect(s).not.toContain('..');
      }),
    );
  });

  it('name generated test files inside the test directory, and keep the name exact through the JSON', () => {
    fc.assert(
      fc.property(hostileName, (name) => {
        const d = { id: `recurring-error:${name}`, rule: 'recurring-error', handler: name, rootCause: `${name} throws`, evidence: { pattern: `Error: ${name}`, errors: 3, calls: 9 }, impact: { metric: { kind: 'flow', metric: 'errors' } }, fix: null } as unknown as Diagnosis;
        const t = errorTest({ diagnosis: d, flows: ['flows/a.json'], testDir: 'e2e/homeostat', runCommand: 'npx homeostat test {path}' });
        expect(t.path.startsWith('e2e/homeostat/')).toBe(true);
        expect(t.path.slice('e2e/homeostat/'.length)).not.toContain('/');
        const back = parseTestFile(serializeTest(t.test), t.path);
        expect(back.observe).toEqual([{ kind: 'errors', handler: name, pattern: `Error: ${name}` }]);
        expect(back.flows).toEqual(['../../flows/a.json']);
      }),
    );
  });
});

describe('pull requests', () => {
  it('pass hostile handler names to git and gh as plain arguments: nothing runs, nothing is expanded, newlines stay', async () => {
    const { repo, origin, root } = await repoWithOrigin();
    const gh = await fakeGh(root);
    const pwned = join(root, 'pwned');
    const handler = `x\`touch ${pwned}\`$(touch ${pwned})$HOME"'\n;rm -rf /;`;
    const tree = repo;
    await writeFile(join(tree, 'app.ts'), 'export const x = 2;\n');
    const branch = await freeBranchName(repo, fixBranchBase(handler));
    const head = await headCommit(repo);
    const message = `homeostat: fix ${handler}\n\nline two\nline three with $HOME and \`id\``;
    await commitOnBranch(tree, branch, message);
    const url = await openPullRequest(tree, branch, `homeostat: wrap setX in startTransition in ${handler}`, message, { env: gh.env });

    expect(url).toBe('https://github.example/o/r/pull/7');
    expect(existsSync(pwned)).toBe(false);
    const calls = await gh.calls();
    const create = calls.find((c) => c[0] === 'pr')!;
    expect(create).toEqual(['pr', 'create', '--head', branch, '--title', oneLine(`homeostat: wrap setX in startTransition in ${handler}`), '--body', message]);
    expect(create[7]).toContain('\nline two\n');
    expect(create[5]).toContain('$(touch');
    // The branch (with the name's hash, not an empty or truncated name) reached the remote.
    expect(branch).toMatch(/^homeostat\/fix-x-touch-.+-[0-9a-f]{8}$/);
    expect(await git(origin, ['rev-parse', `refs/heads/${branch}`])).not.toBe(head);
  });

  it('returns null, leaving the branch local, when gh is not installed', async () => {
    const { repo, root } = await repoWithOrigin();
    const url = await openPullRequest(repo, 'main', 't', 'b', { env: { ...process.env, PATH: join(root, 'nothing-here') } });
    expect(url).toBeNull();
  });
});
