/** One exit-code convention and one human line for every kind of bad input. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import type { CliIO } from './command.ts';
import { command as check } from './commands/check.ts';
import { command as docs } from './commands/docs.ts';
import { command as replay } from './commands/replay.ts';
import { describeError, humanIssue } from './errors.ts';
import { runCommand, usageOptions } from './run.ts';

const cwd = mkdtempSync(join(tmpdir(), 'homeostat-errors-'));
afterAll(() => rmSync(cwd, { recursive: true, force: true }));

function io(lines: string[]): CliIO {
  return { out: (t) => lines.push(`OUT ${t}`), log: (l) => lines.push(l), cwd };
}

function parseError(args: string[]): unknown {
  try {
    parseArgs({ args, options: { runs: { type: 'string' }, json: { type: 'boolean' } } });
  } catch (e) {
    return e;
  }
  throw new Error('parseArgs accepted the arguments');
}

describe('parseArgs errors', () => {
  it('an option without its value, followed by another option: one line naming the option', () => {
    expect(describeError(parseError(['--runs', '--json']), ['runs', 'json'])).toEqual({
      code: 2,
      message: "--runs needs a value; the next argument starts with '-' (write --runs=<value> if that is the value)",
      usage: true,
    });
  });

  it('an unknown option suggests the nearest one', () => {
    expect(describeError(parseError(['--rnus', '3']), ['runs', 'json']).message).toBe('unknown option --rnus; did you mean --runs?');
    expect(describeError(parseError(['--xyzzy']), ['runs', 'json']).message).toBe('unknown option --xyzzy');
  });

  it('a positional where none is taken, a value given to a flag', () => {
    expect(describeError(parseError(['extra']), []).message).toBe('unexpected argument "extra": this command takes options only');
    expect(describeError(parseError(['--json=yes']), []).message).toBe('--json takes no value');
  });
});

describe('invalid files', () => {
  it('zod issues become "missing; expected a string" / "expected a number, got a string"', () => {
    expect(humanIssue('session.id: Invalid input: expected string, received undefined')).toBe('session.id: missing; expected a string');
    expect(humanIssue('calls[0].duration: Invalid input: expected number, received string')).toBe('calls[0].duration: expected a number, got a string');
  });

  it('check with an invalid session file exits 2 with one line: the file, the field, what was expected', async () => {
    const bad = join(cwd, 'bad.json');
    writeFileSync(bad, JSON.stringify({ format: 'homeostat.session', version: 1, session: {} }));
    const lines: string[] = [];
    // The docs are read after the sessions' paths are checked: the demo's spec is a valid one.
    const code = await runCommand(check, ['--docs', join(process.cwd(), 'src/demo/docs'), '--sessions', bad], io(lines));
    expect(code).toBe(2);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^homeostat check: .*bad\.json: not a valid Homeostat session: session\.id: missing; expected a string \(and \d+ more problems\)$/);
  });

  it('replay with an invalid recording exits 2 with one line', async () => {
    const rec = join(cwd, 'rec.json');
    writeFileSync(rec, JSON.stringify({ format: 'homeostat.recording', version: 1, title: 't', steps: [{ type: 'click' }] }));
    const lines: string[] = [];
    expect(await runCommand(replay, [rec, '--url', 'http://localhost:1'], io(lines))).toBe(2);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^homeostat replay: .*rec\.json: not a replayable recording: viewport: missing; expected an object \(and 1 more problem\)$/);
  });

  it('an unknown option prints one line and where the options are, not the whole usage on stdout', async () => {
    const lines: string[] = [];
    expect(await runCommand(docs, ['--rot', 'src'], io(lines))).toBe(2);
    expect(lines).toEqual(['homeostat docs: unknown option --rot; did you mean --root?', "Run 'homeostat docs --help' for its options."]);
  });
});

describe('usageOptions', () => {
  it('reads the long options a usage names', () => {
    expect(usageOptions('x [--docs <dir>] [--no-plugin]\n  --runs <n>  e.g. a-b--c')).toEqual(['docs', 'no-plugin', 'runs']);
  });
});
