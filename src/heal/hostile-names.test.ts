/**
 * Any handler name an app can pass, through the whole pipeline: instrument → worker service →
 * exported session → docs (regenerated around what people wrote) → check → heal's branch and
 * pull-request command lines. Names carry shell metacharacters, control characters, markup and
 * the docs' own marker syntax.
 */
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkSpec } from '../core/check/index.ts';
import { hostileName } from '../core/__tests__/hostile.ts';
import { makeMeta } from '../core/__tests__/fixtures.ts';
import { parseSessionFile } from '../core/session.ts';
import { generateDocs, readDocs } from '../docs/generate.ts';
import { mdName } from '../docs/format.ts';
import { getRecorder, instrument, nameOf, sequence } from '../page/instrument.ts';
import { MemoryStore } from '../store/memory.ts';
import { testDir } from '../test-support/tmp.ts';
import { TelemetryService } from '../worker/service.ts';
import { commitOnBranch, freeBranchName, git } from './git.ts';
import { fixBranchBase, openPullRequest, runFile } from './pr.ts';
import { batcherOf } from '../page/batcher.ts';
import { errorKeyOf } from '../core/errors.ts';

const CALLS = 25;

/** Records `names` with the real wrapper and service; returns the exported session file. */
async function record(names: string[], run: number) {
  const service = new TelemetryService(async () => new MemoryStore());
  await service.start(makeMeta(`hostile-${run}`));
  const pending: Array<Promise<void>> = [];
  const r = getRecorder();
  // As the client's runtime does on load: errors are normalised before anything ships.
  r.normaliseErrorsWith(errorKeyOf);
  batcherOf(r).attach((b) => pending.push(service.ingest(b)));
  try {
    for (const name of names) {
      const f = instrument(name, (x: number) => x * 2, { rewrap: true });
      const fails = instrument(name, () => {
        throw new TypeError(`cannot handle ${name}`);
      }, { rewrap: true });
      for (let i = 0; i < CALLS; i++) {
        expect(sequence(name, () => f(i))).toBe(i * 2);
        expect(() => fails()).toThrow(TypeError);
      }
    }
    batcherOf(r).flush();
    await Promise.all(pending);
    return parseSessionFile(await service.exportSession(), 'exported session');
  } finally {
    batcherOf(r).attach(null);
  }
}

describe('hostile handler names, end to end', () => {
  it('instrument → docs → check → branch and PR never break, never run anything, and keep what people wrote', async () => {
    const root = await testDir('homeostat-hostile-');
    // One repository with a remote and a stand-in `gh` for the heal step.
    const repo = join(root, 'repo');
    await mkdir(repo);
    await git(root, ['init', '--quiet', '--bare', join(root, 'origin.git')]);
    await git(repo, ['init', '--quiet', '-b', 'main']);
    await writeFile(join(repo, 'a.txt'), '0\n');
    await git(repo, ['add', '-A']);
    await git(repo, ['-c', 'user.name=t', '-c', 'user.email=t@t', 'commit', '--quiet', '-m', 'init']);
    await git(repo, ['remote', 'add', 'origin', join(root, 'origin.git')]);
    const bin = join(root, 'bin');
    await mkdir(bin);
    const ghLog = join(root, 'gh.jsonl');
    await writeFile(join(bin, 'gh'), `#!${process.execPath}\nrequire('node:fs').appendFileSync(${JSON.stringify(ghLog)}, JSON.stringify(process.argv.slice(2)) + '\\n');\nconsole.log('https://example.invalid/pull/1');\n`);
    await chmod(join(bin, 'gh'), 0o755);
    const env = { ...process.env, PATH: `${bin}:${process.env['PATH'] ?? ''}` };
    const canary = join(root, 'pwned');

    let run = 0;
    await fc.assert(
      fc.asyncProperty(fc.uniqueArray(hostileName, { minLength: 1, maxLength: 3, selector: nameOf }), async (raw) => {
        run++;
        const names = raw.map(nameOf);
        const file = await record(raw, run);
        expect(new Set(file.calls.map((c) => c.handler))).toEqual(new Set(names));

        // docs
        const docsDir = join(root, `docs-${run}`);
        await generateDocs({ root, docsDir, sessions: [file], app: 'hostile' });
        const specsPath = join(docsDir, 'HANDLER_SPECS.md');
        let md = await readFile(specsPath, 'utf8');
        expect(md).not.toMatch(/<script/i);
        // eslint-disable-next-line no-control-regex
        expect(md).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f\u2028\u2029]/);
        // People write notes in every handler's region and set a budget on the first handler.
        for (const n of names) {
          const marker = `<!-- homeostat:human handler=${mdName(n)} -->\n`;
          expect(md).toContain(marker);
          md = md.replace(marker, `${marker}note ${run} about a handler\n`);
        }
        const heading = `## \`${mdName(names[0]!)}\``;
        const at = md.indexOf(`${heading}\n`);
        expect(at).toBeGreaterThanOrEqual(0);
        const budgetAt = md.indexOf('- **Budget:** none', at);
        md = `${md.slice(0, budgetAt)}- **Budget:** p95 duration ≤ 1000 ms${md.slice(budgetAt + '- **Budget:** none'.length)}`;
        await writeFile(specsPath, md);

        // Regenerating reads everything back: no marker split, notes kept, the budget found by name.
        const again = await generateDocs({ root, docsDir, sessions: [file], app: 'hostile' });
        const md2 = await readFile(specsPath, 'utf8');
        expect(md2.split(`note ${run} about a handler`).length - 1).toBe(names.length);
        expect(again.spec.handlers[names[0]!]!.budget).toEqual({ stat: 'p95', metric: 'duration', ms: 1000 });

        // check, as `homeostat check` does: docs read back, judged against the sessions.
        const spec = await readDocs(docsDir);
        const report = checkSpec(spec, [file]);
        expect(report.handlers.find((h) => h.name === names[0])).toMatchObject({ status: 'ok', n: 2 * CALLS });
        for (const n of names) expect(report.handlers.some((h) => h.name === n)).toBe(true);

        // heal: a valid branch, and the PR command gets the name as plain arguments.
        const branch = await freeBranchName(repo, fixBranchBase(names[0]!));
        expect((await runFile('git', ['check-ref-format', '--branch', branch], repo)).code).toBe(0);
        await git(repo, ['checkout', '--quiet', 'main']);
        await writeFile(join(repo, 'a.txt'), `${run}\n`);
        const body = `fix ${names[0]}\n\nsecond line $(touch ${canary}) \`touch ${canary}\``;
        await commitOnBranch(repo, branch, body);
        expect(await openPullRequest(repo, branch, `homeostat: ${names[0]}`, body, { env })).toBe('https://example.invalid/pull/1');
        const lastCall = JSON.parse((await readFile(ghLog, 'utf8')).trim().split('\n').pop()!) as string[];
        expect(lastCall.slice(0, 4)).toEqual(['pr', 'create', '--head', branch]);
        // The body arrives as one argument, newlines and metacharacters intact; a NUL (which no argument can carry) as ␀.
        expect(lastCall[7]).toBe(body.replace(/\u0000/g, '\u2400'));
        expect(existsSync(canary)).toBe(false);
      }),
      { numRuns: 12 },
    );
  }, 240_000);
});
