/** Which files `--sessions <dir>` reads: a replay's output directory holds more than sessions. */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { sessionPaths } from './sessions.ts';

const dir = mkdtempSync(join(tmpdir(), 'homeostat-sessions-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function files(base: string, names: string[]): void {
  for (const n of names) {
    mkdirSync(join(base, n, '..'), { recursive: true });
    writeFileSync(join(base, n), '{}');
  }
}

describe('sessionPaths', () => {
  it("a replay's directory gives its run sessions, not its summary.json", async () => {
    const replay = join(dir, 'replays', '2026-12-02T10-00-00-000Z');
    files(replay, ['run-1.session.json', 'run-2.session.json', 'summary.json', 'report.md']);
    expect(await sessionPaths([replay])).toEqual([join(replay, 'run-1.session.json'), join(replay, 'run-2.session.json')]);
  });

  it('a directory of replays gives every replay’s sessions', async () => {
    const second = join(dir, 'replays', '2026-12-02T11-00-00-000Z');
    files(second, ['run-1.session.json', 'summary.json']);
    const all = await sessionPaths([join(dir, 'replays')]);
    expect(all).toHaveLength(3);
    expect(all.every((p) => p.endsWith('.session.json'))).toBe(true);
  });

  it('any other directory gives its *.json files (the demo writes <id>.json)', async () => {
    const exported = join(dir, 'sessions');
    files(exported, ['b.json', 'a.json', '.hidden.json', 'notes.txt']);
    expect(await sessionPaths([exported])).toEqual([join(exported, 'a.json'), join(exported, 'b.json')]);
  });
});
