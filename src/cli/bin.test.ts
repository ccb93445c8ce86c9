// bin/homeostat.js, the `homeostat` command the browser package installs: it finds
// @homeostat/tools from the app (through the tools' "exports", conditions and all) and runs
// their command line, or says plainly what is missing.
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const bin = fileURLToPath(new URL('../../bin/homeostat.js', import.meta.url));
const tmp = mkdtempSync(join(tmpdir(), 'homeostat-bin-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** An app with a stand-in @homeostat/tools whose command line echoes its arguments. */
function app(name: string, cli: string | null): string {
  const dir = join(tmp, name);
  const tools = join(dir, 'node_modules/@homeostat/tools');
  mkdirSync(tools, { recursive: true });
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name, private: true }));
  writeFileSync(
    join(tools, 'package.json'),
    JSON.stringify({ name: '@homeostat/tools', type: 'module', exports: { './cli': { types: './cli.d.ts', default: './cli.js' }, './package.json': './package.json' } }),
  );
  if (cli !== null) writeFileSync(join(tools, 'cli.js'), cli);
  return dir;
}

function run(cwd: string, args: string[]): Promise<{ code: number; out: string }> {
  return new Promise((resolve) => {
    // tsx (a clone without its build) caches compiled sources in TMPDIR: keep them in ours.
    execFile(process.execPath, [bin, ...args], { cwd, env: { ...process.env, TMPDIR: tmp } }, (err, stdout, stderr) => resolve({ code: err ? Number(err.code ?? 1) : 0, out: stdout + stderr }));
  });
}

describe('bin/homeostat.js', () => {
  it("runs the app's @homeostat/tools command line with the arguments given", async () => {
    const r = await run(app('with-tools', "process.stdout.write('tools: ' + process.argv.slice(2).join(' '));\n"), ['--version']);
    expect(r).toEqual({ code: 0, out: 'tools: --version' });
  });

  it('says the tools are installed but not built, and exits 2', async () => {
    const r = await run(app('unbuilt', null), ['docs']);
    expect(r.code).toBe(2);
    expect(r.out).toMatch(/@homeostat\/tools is installed .* but not built/);
  });
});

describe('the command line in a clone of the repository', () => {
  const repo = fileURLToPath(new URL('../..', import.meta.url));

  it('names itself `homeostat <version>` whether or not tools/dist is built', async () => {
    const r = await run(repo, ['--version']);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^homeostat \d+\.\d+\.\d+\n$/);
  });

  it('prints the command list for `help` and --help, exit 0', async () => {
    for (const arg of ['help', '--help']) {
      const r = await run(repo, [arg]);
      expect(r.code).toBe(0);
      expect(r.out).toMatch(/^homeostat <command> \[options\]/);
      expect(r.out).toContain('  replay ');
    }
  });
});
