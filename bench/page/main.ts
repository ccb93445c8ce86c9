/**
 * The in-page half of `npm run bench`: per-call cost of `instrument` against an uninstrumented
 * call and against a User Timing wrapper, the main-thread cost per recorded event, and the
 * worker's aggregation throughput. Variants alternate round by round so drift (JIT tiers, GC,
 * other load on the machine) hits all of them alike; medians over rounds are reported.
 */
// The React adapter first, as in an app: it must see react-dom load (the mount bench renders).
import '../../src/react/index.tsx';
import * as Comlink from 'comlink';
import { getClient, init, instrument } from '../../src/page/index.ts';
import { measureMount, type MountResults } from './mount.tsx';
import { getRecorder } from '../../src/page/instrument.ts';
import type { BenchWorker } from './worker.ts';
import { syntheticBatches } from './synthetic.ts';
import { batcherOf } from '../../src/page/batcher.ts';

export interface PageResults {
  crossOriginIsolated: boolean;
  clockStepUs: number;
  calls: { chunk: number; rounds: number; rawNs: number; instrumentNs: number; userTimingNs: number };
  mainThread: { records: number; recordNs: number; flushNs: number; perEventNs: number };
  worker: { inWorker: { records: number; ms: number; calls: number }; endToEnd: { records: number; ms: number; calls: number } };
  mount: MountResults;
}

const CHUNK = 5_000;
const ROUNDS = 60;

function work(x: number): number {
  return (x * 31 + 7) | 0;
}

function userTiming<F extends (x: number) => number>(name: string, fn: F): F {
  const startMark = `${name}:start`;
  return function (this: unknown, x: number): number {
    // Measuring from the mark's own time avoids a by-name lookup, the fastest fair use of the API.
    const start = performance.mark(startMark).startTime;
    try {
      return fn.call(this, x);
    } finally {
      performance.measure(name, { start });
    }
  } as F;
}

// One loop per variant keeps each call site monomorphic, as it would be in an app.
function loopRaw(n: number): number {
  let acc = 0;
  for (let i = 0; i < n; i++) acc = work(acc + i);
  return acc;
}
const instrumented = instrument('bench', work);
function loopInstrumented(n: number): number {
  let acc = 0;
  for (let i = 0; i < n; i++) acc = instrumented(acc + i);
  return acc;
}
const timed = userTiming('bench', work);
function loopUserTiming(n: number): number {
  let acc = 0;
  for (let i = 0; i < n; i++) acc = timed(acc + i);
  return acc;
}

const median = (xs: number[]): number => {
  const s = xs.slice().sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};
const tick = () => new Promise<void>((r) => setTimeout(r, 0));

function clockStepUs(): number {
  let min = Infinity;
  for (let i = 0; i < 200; i++) {
    const a = performance.now();
    let b = performance.now();
    while (b === a) b = performance.now();
    min = Math.min(min, b - a);
  }
  return min * 1000;
}

let sink = 0;

async function measureCalls(): Promise<{ calls: PageResults['calls']; mainThread: PageResults['mainThread'] }> {
  const recorder = getRecorder();
  const raw: number[] = [];
  const inst: number[] = [];
  const ut: number[] = [];
  const flush: number[] = [];
  const variants: Array<[(n: number) => number, number[]]> = [
    [loopRaw, raw],
    [loopInstrumented, inst],
    [loopUserTiming, ut],
  ];
  for (let round = -5; round < ROUNDS; round++) {
    for (let k = 0; k < variants.length; k++) {
      const [loop, out] = variants[(k + round + 5) % variants.length]!;
      batcherOf(recorder).flush();
      const t0 = performance.now();
      sink ^= loop(CHUNK);
      const t1 = performance.now();
      if (loop === loopInstrumented) {
        // Shipping what the chunk wrote is part of the page's cost per event.
        const f0 = performance.now();
        batcherOf(recorder).flush();
        if (round >= 0) flush.push(performance.now() - f0);
      }
      if (loop === loopUserTiming) {
        performance.clearMarks();
        performance.clearMeasures();
      }
      if (round >= 0) out.push(((t1 - t0) * 1e6) / CHUNK);
      await tick();
    }
  }
  const rawNs = median(raw);
  const instrumentNs = median(inst);
  const flushNs = (median(flush) * 1e6) / CHUNK;
  const recordNs = instrumentNs - rawNs;
  return {
    calls: { chunk: CHUNK, rounds: ROUNDS, rawNs, instrumentNs, userTimingNs: median(ut) },
    mainThread: { records: CHUNK, recordNs, flushNs, perEventNs: recordNs + flushNs },
  };
}

async function measureWorker(): Promise<PageResults['worker']> {
  const worker = Comlink.wrap<BenchWorker>(new Worker(new URL('./worker.ts', import.meta.url), { type: 'module' }));
  await worker.inWorker(60_000, 4_096); // warm-up: JIT the attribution path
  const inWorker = await worker.inWorker(1_200_000, 4_096);
  const batches = syntheticBatches(1_200_000, 4_096);
  await worker.begin();
  const t0 = performance.now();
  const sends: Promise<void>[] = [];
  for (const b of batches) sends.push(worker.ingest(Comlink.transfer(b, [b.records.buffer])));
  await Promise.all(sends);
  const calls = await worker.end();
  const ms = performance.now() - t0;
  return { inWorker, endToEnd: { records: batches.reduce((a, b) => a + b.count, 0), ms, calls } };
}

async function run(): Promise<PageResults> {
  init({ app: 'bench' });
  await getClient().flush();
  const step = clockStepUs();
  const { calls, mainThread } = await measureCalls();
  const mount = await measureMount();
  const worker = await measureWorker();
  if (sink === 42) console.log(sink);
  return { crossOriginIsolated: globalThis.crossOriginIsolated, clockStepUs: step, calls, mainThread, worker, mount };
}

(globalThis as unknown as { __bench: () => Promise<PageResults> }).__bench = run;
document.getElementById('status')!.textContent = 'ready';
