import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { UsageError, type CliIO } from '../cli/command.ts';
import { command } from '../cli/commands/test.ts';
import { testDir } from '../test-support/tmp.ts';
import { loadTests, testFilePaths } from './run-tests.ts';

const valid = { format: 'homeostat.test', version: 1, name: 't', flows: ['../../flows/a.json'], assert: [{ signal: { kind: 'uncaughtErrors' }, max: 0 }] };
const flow = { format: 'homeostat.recording', version: 1, title: 'a', viewport: { width: 800, height: 600, deviceScaleFactor: 1 }, steps: [{ type: 'navigate', url: '/' }] };

async function app() {
  const cwd = await testDir('homeostat-test-cmd-');
  await mkdir(join(cwd, 'e2e', 'homeostat', 'nested'), { recursive: true });
  await mkdir(join(cwd, 'flows'));
  await writeFile(join(cwd, 'flows', 'a.json'), JSON.stringify(flow));
  await writeFile(join(cwd, 'e2e', 'homeostat', 'b.test.json'), JSON.stringify(valid));
  await writeFile(join(cwd, 'e2e', 'homeostat', 'nested', 'a.test.json'), JSON.stringify({ ...valid, flows: ['../../../flows/a.json'] }));
  await writeFile(join(cwd, 'e2e', 'homeostat', 'notes.json'), '{}');
  const logs: string[] = [];
  const io: CliIO = { out: () => {}, log: (l) => logs.push(l), cwd };
  return { cwd, io, logs };
}

describe('homeostat test', () => {
  it('finds *.test.json files under directories, sorted, and loads their flows relative to each file', async () => {
    const { cwd } = await app();
    const files = await testFilePaths([join(cwd, 'e2e')]);
    expect(files.map((f) => f.slice(cwd.length + 1))).toEqual(['e2e/homeostat/b.test.json', 'e2e/homeostat/nested/a.test.json']);
    const tests = await loadTests(files);
    expect([...tests[1]!.recordings.keys()]).toEqual([join(cwd, 'flows', 'a.json')]);
  });

  it('refuses bad arguments, and bad test or recording files before anything is built or launched', async () => {
    const { cwd, io, logs } = await app();
    await expect(command.run([], io)).rejects.toThrow(UsageError);
    await expect(command.run(['--url', 'file:///etc/passwd'], io)).rejects.toThrow(/http\(s\)/);
    await expect(command.run(['--url', 'http://x/', '--build', 'true'], io)).rejects.toThrow(/not both/);
    await expect(command.run(['nope', '--url', 'http://x/'], io)).rejects.toThrow(/no such test file/);
    await expect(command.run(['flows', '--url', 'http://x/'], io)).rejects.toThrow(/no \*\.test\.json/);
    await writeFile(join(cwd, 'e2e', 'homeostat', 'b.test.json'), JSON.stringify({ ...valid, assert: [{ signal: { kind: 'blockingShare' }, max: 0 }] }));
    // A build that would fail is never run: the file is checked first.
    expect(await command.run(['--build', 'exit 3'], io)).toBe(2);
    expect(logs.join('\n')).toMatch(/b\.test\.json: not a Homeostat test:\n {2}assert\[0\]\.signal\.handler/);
    await writeFile(join(cwd, 'e2e', 'homeostat', 'b.test.json'), JSON.stringify({ ...valid, flows: ['../missing.json'] }));
    expect(await command.run(['--url', 'http://x/'], io)).toBe(2);
    expect(logs.at(-1)).toMatch(/missing\.json: not a replayable recording/);
  });
});
