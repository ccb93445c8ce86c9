import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { command as check } from '../cli/commands/check.ts';
import { command as docs } from '../cli/commands/docs.ts';
import { UsageError, type CliIO } from '../cli/command.ts';
import { makeSessionFile } from '../core/__tests__/fixtures.ts';

let cwd: string;
let out: string[];
let io: CliIO;

beforeEach(async () => {
  cwd = await mkdtemp(join(tmpdir(), 'homeostat-cli-'));
  out = [];
  io = { out: (t) => out.push(t), log: () => {}, cwd };
  await mkdir(join(cwd, 'src'));
  await writeFile(
    join(cwd, 'src', 'App.tsx'),
    `import { useState } from 'react';\nimport { useHandler } from 'homeostat/react';\nexport function App() {\n  const [, set] = useState(0);\n  const search = useHandler('search', () => set(1));\n  const renderReact = useHandler('renderReact', () => set(2));\n  return null;\n}\n`,
  );
  await mkdir(join(cwd, 'sessions'));
  await writeFile(join(cwd, 'sessions', 'a.json'), JSON.stringify(makeSessionFile(40, 1)));
});
afterEach(async () => {
  await rm(cwd, { recursive: true, force: true });
});

describe('homeostat docs and check commands', () => {
  it('generate docs, then check exits 0 until a human budget is broken, then 1 with the evidence', async () => {
    expect(await docs.run(['--root', 'src', '--docs', 'docs', '--sessions', 'sessions', '--app', 'shop'], io)).toBe(0);
    const md = await readFile(join(cwd, 'docs', 'HANDLER_SPECS.md'), 'utf8');
    expect(md).toContain('- **Source:** [App.tsx:6](../src/App.tsx#L6)');

    out = [];
    expect(await check.run(['--docs', 'docs', '--sessions', 'sessions'], io)).toBe(0);
    expect(out.join('\n')).toContain('Documentation accuracy: 100% (2 of 2');

    // A person sets a budget the telemetry breaks (blocking is 8–18 ms in the fixture).
    await writeFile(join(cwd, 'docs', 'HANDLER_SPECS.md'), md.replace(/(## `renderReact`[\s\S]*?)- \*\*Budget:\*\* none/, '$1- **Budget:** p95 blocking ≤ 5 ms'));
    out = [];
    expect(await check.run(['--docs', 'docs', '--sessions', 'sessions/a.json'], io)).toBe(1);
    const table = out.join('\n');
    expect(table).toMatch(/error\s+over-budget\s+renderReact/);
    // The docs' own baseline (8–18 ms) already breaks the new budget: they describe the handler right.
    expect(table).toContain('Documentation accuracy: 100% (2 of 2');

    out = [];
    expect(await check.run(['--docs', 'docs', '--sessions', 'sessions', '--json'], io)).toBe(1);
    const report = JSON.parse(out.join('\n'));
    expect(report.discrepancies).toHaveLength(1);
    expect(report.discrepancies[0]).toMatchObject({ kind: 'over-budget', subject: { type: 'handler', name: 'renderReact' }, evidence: { metric: 'blocking', stat: 'p95', documented: 5, n: 40 } });
  });

  it('docs --only re-baselines one handler and keeps the others', async () => {
    expect(await docs.run(['--root', 'src', '--docs', 'docs', '--sessions', 'sessions'], io)).toBe(0);
    const before = JSON.parse(await readFile(join(cwd, 'docs', 'homeostat.spec.json'), 'utf8'));
    await writeFile(join(cwd, 'sessions', 'b.json'), JSON.stringify(makeSessionFile(40, 7, 'other')));
    await rm(join(cwd, 'sessions', 'a.json'));
    expect(await docs.run(['--root', 'src', '--docs', 'docs', '--sessions', 'sessions', '--only', 'renderReact'], io)).toBe(0);
    const after = JSON.parse(await readFile(join(cwd, 'docs', 'homeostat.spec.json'), 'utf8'));
    expect(after.handlers.search.baseline).toEqual(before.handlers.search.baseline);
    expect(after.handlers.renderReact.baseline.sessions).toEqual(['other']);
    await expect(docs.run(['--root', 'src', '--docs', 'docs', '--sessions', 'nope', '--only', 'x'], io)).rejects.toThrow(UsageError);
  });

  it('reports usage errors for missing paths and bad options', async () => {
    await expect(check.run(['--docs', 'nope'], io)).rejects.toThrow(UsageError);
    await expect(docs.run(['--root', 'missing'], io)).rejects.toThrow(UsageError);
    await expect(check.run(['--seed', 'x', '--docs', '.'], io)).rejects.toThrow(UsageError);
    await expect(check.run(['--bogus'], io)).rejects.toMatchObject({ code: 'ERR_PARSE_ARGS_UNKNOWN_OPTION' });
  });
});
