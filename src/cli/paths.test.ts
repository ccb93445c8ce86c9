/** Every path a command is given is checked first, and any file-system error names its path and what was expected. */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { CliIO } from './command.ts';
import { command as check } from './commands/check.ts';
import { command as docs } from './commands/docs.ts';
import { runCommand } from './run.ts';

const cwd = mkdtempSync(join(tmpdir(), 'homeostat-paths-'));
afterAll(() => rmSync(cwd, { recursive: true, force: true }));
writeFileSync(join(cwd, 'README.md'), '# not docs\n');
mkdirSync(join(cwd, 'data.json'));

function io(lines: string[]): CliIO {
  return { out: (t) => lines.push(t), log: (l) => lines.push(l), cwd };
}

describe('path arguments', () => {
  it('check --docs pointing at a file says it is a file and what was expected (no raw ENOTDIR)', async () => {
    const lines: string[] = [];
    expect(await runCommand(check, ['--docs', 'README.md'], io(lines))).toBe(2);
    expect(lines.join('\n')).toMatch(/--docs .*README\.md is a file; expected the docs directory/);
    expect(lines.join('\n')).not.toMatch(/ENOTDIR/);
  });

  it('check --docs below a file, docs --root at a file, a missing --sessions: each named with what was expected', async () => {
    await expect(check.run(['--docs', 'README.md/docs'], io([]))).rejects.toThrow(/README\.md\/docs: a part of this path is a file, not a directory; expected the docs directory/);
    await expect(docs.run(['--root', 'README.md'], io([]))).rejects.toThrow(/--root .*README\.md is a file; expected the app's source directory/);
    await expect(docs.run(['--root', '.', '--docs', 'README.md'], io([]))).rejects.toThrow(/--docs .*README\.md is a file; expected the docs directory to write/);
    mkdirSync(join(cwd, 'docs'), { recursive: true });
    await expect(check.run(['--docs', 'docs', '--sessions', 'nope'], io([]))).rejects.toThrow(/--sessions .*nope does not exist; expected a session file or a directory of them/);
  });

  it('any other file-system error a command meets is reported with its path and what was expected', async () => {
    const lines: string[] = [];
    const reads = { name: 'reads', summary: '', usage: '', run: async () => (await readFile(join(cwd, 'README.md', 'spec.json'), 'utf8')).length };
    expect(await runCommand(reads, [], io(lines))).toBe(1);
    expect(lines.join('\n')).toMatch(/README\.md\/spec\.json was expected to be a directory, but a part of it is a file \(open\)/);
  });
});
