/**
 * A patched tree is checked with the project's own tools before it is built and measured: on
 * the demo (a TypeScript app), the useDeferredValue codemod leaves the type literal's key alone
 * and `tsc --noEmit` is clean; the patch that renamed it (what the codemod used to do) fails
 * with tsc's own errors, file:line first; errors the unpatched tree already had are not held
 * against a fix; the app's test script is the default test command.
 */
import { mkdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { applyFix } from './apply.ts';
import { checksFor, runChecks, tscErrors } from './checks.ts';
import { CodemodError } from './codemods/ast.ts';
import { prepareDemoRepo } from './demo-app.ts';
import { addWorktree, type Worktree } from './git.ts';
import { testDir } from '../test-support/tmp.ts';

const trees: Worktree[] = [];
afterAll(async () => {
  for (const t of trees) await t.remove();
});

const LITERAL = 'useState<{ items: Product[]; query: string }>';

describe('checks on a patched TypeScript tree (the demo)', () => {
  it('defer-value leaves the type literal alone and tsc is clean; the old renaming patch fails with tsc’s errors', async () => {
    const demo = await prepareDemoRepo(await testDir('homeostat-checks-'));
    const tree = await addWorktree(demo.repo, 'HEAD', 'defer');
    trees.push(tree);
    const checks = checksFor(tree.dir, { testCommand: '' });
    expect(checks.map((c) => c.display)).toEqual(['tsc --noEmit -p tsconfig.json']);

    // The state the heavy list renders from: its type argument's `query` key is not a read of any binding.
    const change = await applyFix(tree.dir, 'src', { codemod: 'defer-value', file: 'App.tsx', component: 'App', state: 'results' });
    expect(change.after).toContain(LITERAL);
    expect(change.after).toContain('query={deferredResults.query}');
    const unpatched = async () => {
      await writeFile(join(tree.dir, change.file), change.before);
      return async () => writeFile(join(tree.dir, change.file), change.after);
    };
    expect(await runChecks(tree.dir, checks, unpatched)).toBeNull();

    // `query` itself is read while rendering only by its own input: nothing to defer, and the file is untouched.
    await expect(applyFix(tree.dir, 'src', { codemod: 'defer-value', file: 'App.tsx', component: 'App', state: 'query' })).rejects.toThrow(CodemodError);
    expect(await readFile(join(tree.dir, 'src', 'App.tsx'), 'utf8')).toBe(change.after);

    // What the name-matching codemod did: the type literal's key renamed.
    const broken = change.before.replace(LITERAL, 'useState<{ items: Product[]; deferredQuery: string }>');
    await writeFile(join(tree.dir, change.file), broken);
    const failure = await runChecks(tree.dir, checks, async () => {
      await writeFile(join(tree.dir, change.file), change.before);
      return async () => writeFile(join(tree.dir, change.file), broken);
    });
    expect(failure?.check).toBe('tsc');
    expect(failure!.details).toMatch(/^src\/App\.tsx:\d+:\d+: error TS2353: Object literal may only specify known properties/m);
    expect(failure!.details).toMatch(/^src\/App\.tsx:\d+:\d+: error TS2339: Property 'query' does not exist/m);
    // The patched file is back after the comparison run on the unpatched tree.
    expect(await readFile(join(tree.dir, change.file), 'utf8')).toBe(broken);
  }, 240_000);
});

describe('which checks a tree gets', () => {
  it('tsc only with a tsconfig and TypeScript installed, the lint script, and npm test unless told otherwise', async () => {
    const dir = await testDir('homeostat-checks-pkg-');
    await writeFile(join(dir, 'package.json'), JSON.stringify({ scripts: { test: 'vitest run', lint: 'eslint .' } }));
    expect(checksFor(dir).map((c) => c.display)).toEqual(['npm run lint', 'npm test']);
    expect(checksFor(dir, { testCommand: 'npm run e2e' }).map((c) => c.display)).toEqual(['npm run lint', 'npm run e2e']);
    expect(checksFor(dir, { testCommand: '', lint: false }).map((c) => c.display)).toEqual([]);
    await writeFile(join(dir, 'package.json'), JSON.stringify({ scripts: { test: 'echo "Error: no test specified" && exit 1' } }));
    expect(checksFor(dir)).toEqual([]);
    // A tsconfig without TypeScript installed: nothing to run it with.
    await writeFile(join(dir, 'tsconfig.json'), '{}');
    expect(checksFor(dir)).toEqual([]);
    await rm(join(dir, 'tsconfig.json'));
  });

  it('in a monorepo, the app folder’s tsconfig and scripts, with the TypeScript installed above it', async () => {
    const dir = await testDir('homeostat-checks-mono-');
    await mkdir(join(dir, 'app', 'src'), { recursive: true });
    await writeFile(join(dir, 'package.json'), JSON.stringify({ workspaces: ['app'], scripts: { lint: 'eslint .' } }));
    await writeFile(join(dir, 'app', 'package.json'), JSON.stringify({ scripts: { test: 'vitest run' } }));
    await writeFile(join(dir, 'app', 'tsconfig.json'), '{}');
    await symlink(join(process.cwd(), 'node_modules'), join(dir, 'node_modules'), 'dir');
    expect(checksFor(dir, { from: 'app/src' }).map((c) => c.display)).toEqual(['tsc --noEmit -p tsconfig.json (in app)', 'npm run lint', 'npm test (in app)']);
    expect(checksFor(dir).map((c) => c.display)).toEqual(['npm run lint']);
  });

  it('reads tsc’s errors as file:line:col: message', () => {
    expect(tscErrors("src/a.tsx(3,7): error TS2322: Type 'string' is not assignable to type 'number'.\nFound 1 error.\n")).toEqual([
      "src/a.tsx:3:7: error TS2322: Type 'string' is not assignable to type 'number'.",
    ]);
  });
});
