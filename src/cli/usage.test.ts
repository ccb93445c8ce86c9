/**
 * What the command line prints about itself fits a 100-column terminal, and every command states
 * its exit codes (one convention: src/cli/errors.ts and the README's table).
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { allCommands } from './registry.ts';

const tmp = mkdtempSync(join(tmpdir(), 'homeostat-usage-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('usage texts', () => {
  it('every line of every command’s usage is at most 100 columns', async () => {
    for (const c of await allCommands()) {
      const long = c.usage.split('\n').filter((l) => l.length > 100);
      expect(long, c.name).toEqual([]);
    }
  });

  it('every command says its exit codes, with 2 for bad input', async () => {
    for (const c of await allCommands()) expect(c.usage, c.name).toMatch(/Exit codes: 0 [^]*\b2 /);
  });

  it('`homeostat --help` fits 100 columns', async () => {
    const main = fileURLToPath(new URL('./main.ts', import.meta.url));
    const out = await new Promise<string>((resolve, reject) =>
      execFile(process.execPath, ['--import', 'tsx', main, '--help'], { env: { ...process.env, TMPDIR: tmp } }, (e, stdout) => (e ? reject(e) : resolve(stdout))),
    );
    expect(out).toContain('Commands:');
    expect(out.split('\n').filter((l) => l.length > 100)).toEqual([]);
  });
});
