/**
 * The deployment gate on synthetic production data (the collector's file exporter output):
 * a fixed build is promoted (exit 0), a build with a seeded regression is rolled back (exit 1),
 * too few sessions hold, and the seed's five metrics come out in one report.
 */
import { mkdtemp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CliIO } from '../cli/command.ts';
import { command as gate } from '../cli/commands/gate.ts';
import { command as confirm } from '../cli/commands/confirm.ts';
import { emptySpec, type HandlerSpec } from '../core/spec.ts';
import { syntheticJsonLines, type SyntheticBuild } from '../test-support/field-builds.ts';
import { emptyHistory, readHistory, writeHistory } from './history.ts';

let cwd: string;
let out: string[];
let io: CliIO;

const handler = (budget: HandlerSpec['budget']): HandlerSpec => ({ budget, baseline: null, tolerance: null, source: null, description: null });

beforeEach(async () => {
  cwd = await mkdtemp(join(tmpdir(), 'homeostat-gate-'));
  out = [];
  io = { out: (t) => out.push(t), log: () => {}, cwd };
  await mkdir(join(cwd, 'docs'));
  const spec = { ...emptySpec('demo'), handlers: { renderReact: handler({ metric: 'interaction', stat: 'p95', ms: 400 }), computeFacets: handler(null), addTodo: handler({ metric: 'interaction', stat: 'p95', ms: 100 }) } };
  await writeFile(join(cwd, 'docs', 'homeostat.spec.json'), JSON.stringify(spec));
  await writeHistory(join(cwd, '.homeostat', 'history.json'), {
    ...emptyHistory(),
    outcomes: [
      {
        date: '2026-12-01T10:00:00.000Z',
        id: 'blocking-update:renderReact',
        rule: 'blocking-update',
        handler: 'renderReact',
        verdict: 'improved',
        predictedChange: -0.8,
        measuredChange: -0.77,
        metrics: [{ key: 'renderReact:p95:interaction', label: 'renderReact interaction, per call', role: 'primary', predicted: 0.2, measured: 0.23, low: 0.2, high: 0.27 }],
        branch: 'homeostat/fix-renderReact',
      },
    ],
  });
});
afterEach(async () => {
  await rm(cwd, { recursive: true, force: true });
});

const build = (id: string, sessions: number, seed: number, ms: { renderReact: number; computeFacets: number; addTodo: number }, exportFailureRate = 0): SyntheticBuild => ({
  build: id,
  sessions,
  seed,
  exportFailureRate,
  handlers: { renderReact: { interactionMs: ms.renderReact }, computeFacets: { interactionMs: ms.computeFacets }, addTodo: { interactionMs: ms.addTodo } },
});

const BASE = { renderReact: 430, computeFacets: 90, addTodo: 30 };

async function run(args: string[]): Promise<{ code: number; text: string }> {
  out = [];
  const code = await gate.run(args, io);
  return { code, text: out.join('\n') };
}

describe('homeostat gate', () => {
  it('promotes the fixed build (exit 0) and rolls back a seeded regression (exit 1), with the five metrics in one report', async () => {
    await writeFile(
      join(cwd, 'field.jsonl'),
      syntheticJsonLines([build('b1', 150, 11, BASE), build('b2', 150, 12, { ...BASE, renderReact: 95 }, 0.02), build('b3', 150, 13, { ...BASE, renderReact: 95, addTodo: 75 })]),
    );
    const ok = await run(['--field', 'field.jsonl', '--candidate', 'b2', '--previous', 'b1']);
    expect(ok.text).toMatch(/PROMOTE/);
    expect(ok.code).toBe(0);
    expect(ok.text).toMatch(/renderReact: faster, p95 interaction \d+ → \d+ ms/);
    expect(ok.text).toMatch(/Shipped fixes:\n {2}renderReact: confirmed/);
    for (const m of ['documentation accuracy', 'issue detection rate', 'fix success rate', 'auto-deployment rate', 'uptime']) expect(ok.text).toContain(m);
    expect(ok.text).toMatch(/fix success rate\s+100%/);
    expect(ok.text).toMatch(/auto-deployment rate\s+100%/);
    // 2% of the candidate's sessions could not export: uptime is the share without a Homeostat error.
    const uptime = Number(/uptime\s+([\d.]+)%/.exec(ok.text)![1]);
    expect(uptime).toBeGreaterThan(95);
    expect(uptime).toBeLessThan(100);

    const bad = await run(['--field', 'field.jsonl', '--candidate', 'b3', '--previous', 'b2', '--json']);
    expect(bad.code).toBe(1);
    const report = JSON.parse(bad.text) as { decision: string; reasons: string[]; metrics: Record<string, number | null> };
    expect(report.decision).toBe('rollback');
    expect(report.reasons.join('\n')).toMatch(/addTodo slower than on b2/);
    expect(report.reasons.join('\n')).toMatch(/new budget break: addTodo/);
    // One of two decided builds was promoted; addTodo's regression is an issue heal never saw.
    expect(report.metrics['autoDeploymentRate']).toBe(0.5);
    expect(report.metrics['issueDetectionRate']).toBe(0);
    const log = JSON.parse(await readFile(join(cwd, '.homeostat', 'deployments.json'), 'utf8')) as { decisions: Array<{ candidate: string; decision: string }> };
    expect(log.decisions.map((d) => [d.candidate, d.decision])).toEqual([['b2', 'promote'], ['b3', 'rollback']]);
  });

  it('holds a candidate with too few sessions (exit 0, "not enough field data yet")', async () => {
    await writeFile(join(cwd, 'field.jsonl'), syntheticJsonLines([build('b1', 60, 21, BASE), build('b2', 6, 22, { ...BASE, renderReact: 400 })]));
    const r = await run(['--field', 'field.jsonl', '--candidate', 'b2', '--no-record']);
    expect(r.code).toBe(0);
    expect(r.text).toMatch(/vs b1 .*HOLD: not enough field data yet/);
    expect(r.text).toMatch(/6 sessions of b2, need 20/);
  });

  it('confirm writes production into history; --json and exit codes follow the verdicts', async () => {
    await writeFile(join(cwd, 'field.jsonl'), syntheticJsonLines([build('b1', 120, 31, BASE), build('b2', 120, 32, { ...BASE, renderReact: 95 })]));
    out = [];
    const code = await confirm.run(['--field', 'field.jsonl', '--before', 'b1', '--after', 'b2'], io);
    expect(code).toBe(0);
    const text = out.join('\n');
    expect(text).toMatch(/predicted\s+│?\s*measured locally\s+│?\s*in production/);
    expect(text).toMatch(/renderReact: p95 interaction \d+ → \d+ ms/);
    const h = await readHistory(join(cwd, '.homeostat', 'history.json'));
    expect(h.outcomes[0]!.production?.verdict).toBe('confirmed');
    const ledger = JSON.parse(await readFile(join(cwd, 'docs', 'homeostat.production.json'), 'utf8')) as { handlers: Record<string, { verdict: string }> };
    expect(ledger.handlers['renderReact']!.verdict).toBe('confirmed');
  });
});

describe('homeostat gate and settled fixes', () => {
  it('does not re-judge a fix production already confirmed on an earlier build', async () => {
    await writeFile(join(cwd, 'field.jsonl'), syntheticJsonLines([build('b1', 60, 41, BASE), build('b2', 60, 42, { ...BASE, renderReact: 95 }), build('b3', 60, 43, { ...BASE, renderReact: 95 })]));
    out = [];
    expect(await confirm.run(['--field', 'field.jsonl', '--before', 'b1', '--after', 'b2'], io)).toBe(0);
    const r = await run(['--field', 'field.jsonl', '--candidate', 'b3', '--previous', 'b2', '--json', '--no-record']);
    const report = JSON.parse(r.text) as { decision: string; fixes: unknown[]; metrics: Record<string, number | null> };
    expect(report.fixes).toEqual([]);
    expect(report.decision).toBe('promote');
    // The confirmed fix still counts in the fix success rate.
    expect(report.metrics['fixSuccessRate']).toBe(1);
  });
});
