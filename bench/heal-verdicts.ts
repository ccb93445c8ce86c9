/**
 * `npm run bench:heal`: does `npm start` decide, and mean what it says, on an idle and on a busy
 * machine? Clones this repository's HEAD into a temporary directory (a fresh clone, its own
 * `npm ci`), then runs `npm start` there N times: the first half as the machine is, the second
 * with every core kept busy (one bounded CPU hog per core, ended by its PID). For every run it
 * reads the heal result and checks what issue 18 asks of a verdict:
 *
 *   - every candidate decided (improved, partial, no effect, regressed: not unresolved);
 *   - the same verdict for the same candidate in every run;
 *   - the run's wall time within 180 s;
 *   - every guard reported as holding has its interval's upper bound within the tolerance;
 *   - at least one delivered fix proven on a felt primary (interaction, longest frame, result)
 *     with every guard proven.
 *
 * Prints one row per run and the checks; writes .homeostat/bench/heal-verdicts.json.
 *
 *   npm run bench:heal [-- --runs 10] [--budget 165] [--repo .]
 */
import { execFile, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { parseArgs, promisify } from 'node:util';
import { renderTable } from '../src/node/table.ts';
import { startHogs, stopHogs } from './support/hogs.ts';

const run = promisify(execFile);
const WALL_LIMIT_S = 180;
const FELT = new Set(['interaction', 'longestFrame', 'result']);

interface MetricOut {
  spec: { key: string; label: string; role: string; tolerance?: number };
  comparison: { ratio: { estimate: number; low: number; high: number }; geoA: number; geoB: number; nA: number; clusters?: number } | null;
  state: string;
}
interface AttemptOut {
  diagnosis: { id: string; handler: string; impact: { metric: { kind: string; metric: string } } };
  verdict: string;
  branch: string | null;
  verification: { rounds: number; stoppedBy: string; judgement: { results: MetricOut[] } | null } | null;
}
interface RunOut {
  phase: 'idle' | 'busy';
  wallS: number;
  exit: number | null;
  load: [number, number];
  attempts: Array<{ id: string; verdict: string; rounds: number; branch: string | null; primary: string; guardsProven: boolean; guardsHonest: boolean; felt: boolean }>;
  error?: string;
}

const fmtRatio = (c: MetricOut['comparison']) => (c ? `${c.ratio.estimate.toPrecision(2)}× (${c.ratio.low.toPrecision(2)}–${c.ratio.high.toPrecision(2)})` : '–');

async function npmStart(cwd: string, budget: number | null): Promise<{ code: number | null; out: string; wallS: number }> {
  const t0 = performance.now();
  const args = budget === null ? ['start'] : ['start', '--', '--time-budget', String(budget)];
  return new Promise((done) => {
    // npm is the user's own tool here, started without a shell.
    const child = spawn('npm', args, { cwd, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1' } });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    child.on('close', (code) => done({ code, out, wallS: (performance.now() - t0) / 1000 }));
  });
}

function judgeRun(result: { attempts: AttemptOut[] }): RunOut['attempts'] {
  return result.attempts
    .filter((a) => a.verification)
    .map((a) => {
      const results = a.verification!.judgement?.results ?? [];
      const guards = results.filter((r) => r.spec.role === 'guard' && r.comparison);
      const primary = results.find((r) => r.spec.role === 'primary');
      return {
        id: a.diagnosis.id,
        verdict: a.verdict,
        rounds: a.verification!.rounds,
        branch: a.branch,
        primary: primary ? `${primary.spec.label} ${fmtRatio(primary.comparison)}` : '–',
        guardsProven: guards.every((g) => g.state === 'ok'),
        // "Holds" must mean the interval's upper bound is within the tolerance.
        guardsHonest: guards.every((g) => g.state !== 'ok' || g.comparison!.ratio.high <= 1 + (g.spec.tolerance ?? 0) + 1e-12),
        felt: a.diagnosis.impact.metric.kind === 'handler' && FELT.has(a.diagnosis.impact.metric.metric),
      };
    });
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { runs: { type: 'string' }, budget: { type: 'string' }, repo: { type: 'string' }, keep: { type: 'boolean' } } });
  const runs = Number(values.runs ?? 10);
  if (!Number.isInteger(runs) || runs < 1) throw new Error(`--runs needs a positive integer, got ${values.runs}`);
  const budget = values.budget === undefined ? null : Number(values.budget);
  const repo = resolve(values.repo ?? '.');
  const dir = await mkdtemp(join(tmpdir(), 'homeostat-bench-heal-'));
  const clone = join(dir, 'clone');
  console.log(`cloning ${repo} into ${clone} and installing (npm ci)…`);
  await run('git', ['clone', '--quiet', repo, clone]);
  await run('npm', ['ci', '--no-audit', '--no-fund', '--prefer-offline'], { cwd: clone, maxBuffer: 64 * 1024 * 1024 });
  const out: RunOut[] = [];
  const idle = Math.ceil(runs / 2);
  try {
    for (let i = 0; i < runs; i++) {
      const phase = i < idle ? 'idle' : 'busy';
      const hogs = phase === 'busy' ? startHogs(availableParallelism(), WALL_LIMIT_S * 3) : [];
      const before = loadavg()[0]!;
      try {
        console.log(`run ${i + 1}/${runs} (${phase}, load ${before.toFixed(2)})…`);
        const r = await npmStart(clone, budget);
        const report = /report: (\S+report\.html)/.exec(r.out)?.[1];
        const resultPath = report ? join(dirname(report), 'result.json') : null;
        const entry: RunOut = { phase, wallS: r.wallS, exit: r.code, load: [before, loadavg()[0]!], attempts: [] };
        if (resultPath && existsSync(resultPath)) entry.attempts = judgeRun(JSON.parse(await readFile(resultPath, 'utf8')) as { attempts: AttemptOut[] });
        else entry.error = r.out.split('\n').slice(-5).join(' | ');
        out.push(entry);
        for (const a of entry.attempts) console.log(`  ${a.id}: ${a.verdict} after ${a.rounds} rounds, ${a.primary}${a.branch ? ` → ${a.branch}` : ''}`);
      } finally {
        stopHogs(hogs);
      }
    }
  } finally {
    if (!values.keep) await rm(dir, { recursive: true, force: true });
  }

  const decided = (r: RunOut) => r.attempts.length > 0 && r.attempts.every((a) => a.verdict !== 'unresolved');
  const verdicts = new Map<string, Set<string>>();
  for (const r of out) for (const a of r.attempts) (verdicts.get(a.id) ?? verdicts.set(a.id, new Set()).get(a.id)!).add(a.verdict);
  console.log(
    renderTable(out, [
      { title: 'run', value: (r) => `${out.indexOf(r) + 1} ${r.phase}` , align: 'left' },
      { title: 'load', value: (r) => `${r.load[0].toFixed(1)}→${r.load[1].toFixed(1)}` },
      { title: 'wall', value: (r) => `${Math.round(r.wallS)} s` },
      { title: 'exit', value: (r) => String(r.exit) },
      { title: 'verdicts', value: (r) => r.error ?? r.attempts.map((a) => `${a.id.split(':')[1]}=${a.verdict}`).join(' '), align: 'left' },
    ]),
  );
  const checks = {
    'every candidate decided': `${out.filter(decided).length} of ${out.length} runs (asked: ≥ 9 of 10)`,
    'same verdict per candidate': [...verdicts].map(([id, v]) => `${id.split(':')[1]}: ${[...v].join('/')}`).join('; '),
    [`wall ≤ ${WALL_LIMIT_S} s`]: `${out.filter((r) => r.wallS <= WALL_LIMIT_S).length} of ${out.length} runs (max ${Math.round(Math.max(...out.map((r) => r.wallS)))} s)`,
    'every "holds" has its upper bound within tolerance': out.every((r) => r.attempts.every((a) => a.guardsHonest)) ? 'yes' : 'NO',
    'a delivered fix proven on a felt primary, every guard proven': `${out.filter((r) => r.attempts.some((a) => a.branch && a.felt && a.guardsProven && a.verdict === 'improved')).length} of ${out.length} runs`,
  };
  for (const [k, v] of Object.entries(checks)) console.log(`${k}: ${v}`);
  await mkdir('.homeostat/bench', { recursive: true });
  await writeFile('.homeostat/bench/heal-verdicts.json', `${JSON.stringify({ date: new Date().toISOString(), runs: out, checks }, null, 2)}\n`);
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exitCode = 1;
});
