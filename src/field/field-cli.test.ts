/**
 * Field data end to end in Node: 100 simulated sessions export OTLP as the page does, the
 * collector's file exporter output (one request per line) goes through `homeostat docs --field`
 * and `homeostat check --field`.
 */
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { command as check } from '../cli/commands/check.ts';
import { command as docs } from '../cli/commands/docs.ts';
import type { CliIO } from '../cli/command.ts';
import { seededRandom } from '../core/check/prng.ts';
import type { HandlerCall } from '../core/model.ts';
import { FieldRecorder } from '../core/field/recorder.ts';
import { call, meta, seq } from '../core/field/test-fixtures.ts';
import { parseSpecText } from '../docs/spec-file.ts';

let cwd: string;
let out: string[];
let io: CliIO;

beforeEach(async () => {
  cwd = await mkdtemp(join(tmpdir(), 'homeostat-field-'));
  out = [];
  io = { out: (t) => out.push(t), log: () => {}, cwd };
  await mkdir(join(cwd, 'src'));
  await writeFile(
    join(cwd, 'src', 'App.tsx'),
    `import { useState } from 'react';\nimport { useHandler } from 'homeostat/react';\nexport function App() {\n  const [, set] = useState(0);\n  const renderReact = useHandler('renderReact', () => set(2));\n  const addToCart = useHandler('addToCart', () => set(3));\n  return null;\n}\n`,
  );
});
afterEach(async () => {
  await rm(cwd, { recursive: true, force: true });
});

/** Raw blocking times per handler, as the sessions recorded them. */
type Raw = Record<string, number[]>;

/**
 * `sessions` sessions of a shop: renderReact lognormal around 8 ms (× `slowdown`), addToCart
 * around 1.5 ms; each session sends mid-way and at the end (cumulative), as the page does.
 */
function simulate(seed: number, sessions: number, slowdown = 1): { lines: string[]; raw: Raw } {
  const random = seededRandom(seed);
  const normal = () => Math.sqrt(-2 * Math.log(Math.max(1e-12, random()))) * Math.cos(2 * Math.PI * random());
  const raw: Raw = { renderReact: [], addToCart: [] };
  const lines: string[] = [];
  for (let s = 0; s < sessions; s++) {
    const rec = new FieldRecorder(meta(`${seed}-${s}`, { startedAt: 1_767_000_000_000 + s * 1000 }));
    const n = 10 + Math.floor(random() * 30);
    for (let i = 0; i < n; i++) {
      const render = 8 * slowdown * Math.exp(0.5 * normal());
      const add = 1.5 * Math.exp(0.3 * normal());
      raw.renderReact!.push(render);
      raw.addToCart!.push(add);
      const c1: HandlerCall = call('renderReact', render, { id: 2 * i + 1, sequence: i });
      const c2: HandlerCall = call('addToCart', add, { id: 2 * i + 2, sequence: i, mode: 'transition' });
      rec.addCall(c1);
      rec.addCall(c2);
      const sq = seq({ id: i, name: 'click:addToCart', trigger: { type: 'click', timeStamp: 0 }, explicit: false, start: 0, end: add + render + 3, calls: [c2.id, c1.id], handlers: ['addToCart', 'renderReact'] });
      rec.addSequence(sq, [c2, c1]);
      if (i === Math.floor(n / 2)) {
        const mid = rec.collect({ now: 1_767_000_000_000 + s * 1000 + 500 })!;
        lines.push(...mid.metrics);
        rec.ack(mid.id, true);
      }
    }
    const last = rec.collect({ now: 1_767_000_000_000 + s * 1000 + 900 })!;
    lines.push(...last.metrics);
  }
  return { lines, raw };
}

function exact(values: number[], q: number): number {
  const sorted = values.slice().sort((a, b) => a - b);
  return sorted[Math.floor(q * (sorted.length - 1))]!;
}

describe('homeostat docs and check with --field', () => {
  it('merges 100 sessions into field baselines within the sketch accuracy, and check flags only a seeded regression', async () => {
    await mkdir(join(cwd, 'otel'));
    const baseline = simulate(1, 100);
    await writeFile(join(cwd, 'otel', 'metrics.jsonl'), `${baseline.lines.join('\n')}\n`);
    expect(await docs.run(['--root', 'src', '--docs', 'docs', '--field', 'otel', '--app', 'shop'], io)).toBe(0);

    const spec = parseSpecText(await readFile(join(cwd, 'docs', 'homeostat.spec.json'), 'utf8'), 'spec');
    for (const name of ['renderReact', 'addToCart']) {
      const field = spec.handlers[name]!.field!;
      expect(field.n).toBe(baseline.raw[name]!.length);
      expect(field.source).toMatchObject({ kind: 'field', sessions: 100 });
      const accuracy = field.source!.relativeAccuracy!;
      expect(accuracy).toBeGreaterThan(0);
      expect(accuracy).toBeLessThan(0.011);
      for (const [stat, q] of [['p50', 0.5], ['p75', 0.75], ['p95', 0.95], ['p99', 0.99]] as const) {
        const truth = exact(baseline.raw[name]!, q);
        // Within the histogram's relative accuracy, plus the spec's rounding to a microsecond.
        expect(Math.abs(field.metrics.blocking![stat] - truth)).toBeLessThanOrEqual(truth * accuracy + 0.0005);
      }
      // No local sessions were given: no local baseline is invented.
      expect(spec.handlers[name]!.baseline).toBeNull();
    }
    expect(spec.handlers['addToCart']!.field!.transitionShare).toBe(1);
    expect(spec.sequences['click:addToCart']!.field).toMatchObject({ n: baseline.raw['addToCart']!.length });
    const md = await readFile(join(cwd, 'docs', 'HANDLER_SPECS.md'), 'utf8');
    expect(md).toMatch(/Field baseline: n=\d+, 100 sessions from .*metrics\.jsonl/);

    // A budget people set between today's p95 and the regression's.
    await writeFile(join(cwd, 'docs', 'HANDLER_SPECS.md'), md.replace(/(## `renderReact`[\s\S]*?)- \*\*Budget:\*\* none/, '$1- **Budget:** p95 blocking ≤ 24 ms'));

    // Same app, new sessions, nothing changed: quiet.
    await mkdir(join(cwd, 'today'));
    await writeFile(join(cwd, 'today', 'metrics.jsonl'), simulate(2, 100).lines.join('\n'));
    out = [];
    expect(await check.run(['--docs', 'docs', '--field', 'today', '--json'], io)).toBe(0);
    const quiet = JSON.parse(out.join('\n'));
    expect(quiet.discrepancies.filter((d: { kind: string }) => d.kind === 'drift' || d.kind === 'over-budget')).toEqual([]);
    expect(quiet.handlers).toEqual(expect.arrayContaining([expect.objectContaining({ name: 'renderReact', status: 'ok' })]));

    // renderReact 1.5× slower in the field: over its budget and drifting; addToCart untouched.
    await mkdir(join(cwd, 'regressed'));
    await writeFile(join(cwd, 'regressed', 'metrics.jsonl'), simulate(3, 100, 1.5).lines.join('\n'));
    out = [];
    expect(await check.run(['--docs', 'docs', '--field', 'regressed', '--json'], io)).toBe(1);
    const loud = JSON.parse(out.join('\n')) as { discrepancies: Array<{ kind: string; subject: { name: string } }> };
    const flagged = loud.discrepancies.filter((d) => d.kind === 'drift' || d.kind === 'over-budget');
    expect(flagged.map((d) => `${d.kind} ${d.subject.name}`).sort()).toEqual(['drift click:addToCart', 'drift renderReact', 'over-budget renderReact']);
  });

  it('says which file and line is not OTLP', async () => {
    await mkdir(join(cwd, 'otel'));
    const good = simulate(1, 1).lines[0]!;
    await writeFile(join(cwd, 'otel', 'metrics.jsonl'), `${good}\n{"resourceMetrics":[{"scopeMetrics":[{"metrics":[{"name":"homeostat.handler.blocking","exponentialHistogram":{"dataPoints":[{"timeUnixNano":"x"}]}}]}]}]}\n`);
    await expect(docs.run(['--root', 'src', '--docs', 'docs', '--field', 'otel'], io)).rejects.toThrow(/metrics\.jsonl:2[\s\S]*timeUnixNano/);
  });
});
