/**
 * Verifying a fix: replay the recorded flows alternately on the baseline (A) and the patched
 * (B) build, one number per run (the diagnosis' metric), until the confidence interval on the
 * difference decides or a cap is hit (see core/verdict.ts). Behaviour comes first: a patched
 * build whose replays fail an expectation, or in which the handler no longer runs, is rejected
 * whatever its timings say.
 */
import type { Browser } from 'playwright-core';
import type { HandlerCall } from '../core/model.ts';
import type { SessionFile } from '../core/session.ts';
import { sampleUntilDecided, type CompareOptions, type SampledComparison, type SamplingPlan } from '../core/verdict.ts';
import { replayRun, type Recording, type RunResult } from '../replay/index.ts';
import { measure, type VerifyMetric } from './diagnose.ts';

export type FixVerdict = 'improved' | 'no-effect' | 'regressed' | 'unresolved' | 'broke-behaviour';

export interface Verification {
  verdict: FixVerdict;
  /** Why behaviour broke, or why the comparison could not be made. */
  reasons: string[];
  comparison: SampledComparison | null;
  samples: { A: number[]; B: number[] };
  screenshots: string[];
  sessions: { A: SessionFile[]; B: SessionFile[] };
}

export interface VerifyOptions {
  browser: Browser;
  flows: readonly Recording[];
  urlA: string;
  urlB: string;
  metric: VerifyMetric;
  plan?: SamplingPlan & CompareOptions;
  screenshotDir?: string;
  cpuThrottle?: number;
  onProgress?: (line: string) => void;
}

class BehaviourBroke extends Error {}

function failures(run: RunResult, flow: Recording): string[] {
  const out = run.expectations.filter((e) => !e.passed).map((e) => `${flow.title}: step ${e.step} (${e.description}) failed${e.message ? `: ${e.message}` : ''}`);
  if (run.error && out.length === 0) out.push(`${flow.title}: ${run.error}`);
  if (!run.session) out.push(`${flow.title}: the page exported no Homeostat session`);
  return out;
}

/** Runs every flow once against one build; the calls of all of them form one sample. */
async function runSide(options: VerifyOptions, side: 'A' | 'B', index: number, warmup: boolean): Promise<{ calls: HandlerCall[]; runs: RunResult[] }> {
  const calls: HandlerCall[] = [];
  const runs: RunResult[] = [];
  for (const flow of options.flows) {
    const run = await replayRun(options.browser, flow, {
      url: side === 'A' ? options.urlA : options.urlB,
      // The same seed on both sides: the pair differs only by the patch.
      seed: 0x5eed + index,
      index,
      warmup,
      label: side,
      ...(options.screenshotDir ? { screenshotDir: options.screenshotDir } : {}),
      ...(options.cpuThrottle ? { cpuThrottle: options.cpuThrottle } : {}),
    });
    runs.push(run);
    if (run.session) calls.push(...run.session.calls);
  }
  return { calls, runs };
}

export async function verifyFix(options: VerifyOptions): Promise<Verification> {
  const log = options.onProgress ?? (() => {});
  const sessions: Verification['sessions'] = { A: [], B: [] };
  const screenshots: string[] = [];
  const reasons: string[] = [];
  const samples: Verification['samples'] = { A: [], B: [] };
  const check = (side: 'A' | 'B', runs: RunResult[], calls: HandlerCall[]) => {
    const broke = runs.flatMap((r, i) => failures(r, options.flows[i]!));
    for (const r of runs) screenshots.push(...r.screenshots, ...r.expectations.flatMap((e) => (e.screenshot ? [e.screenshot] : [])));
    if (broke.length > 0) {
      reasons.push(...broke.map((b) => `${side === 'A' ? 'baseline' : 'patched'} build: ${b}`));
      throw new BehaviourBroke();
    }
    if (side === 'B' && !calls.some((c) => c.handler === options.metric.handler) && options.metric.stat !== 'sum') {
      reasons.push(`patched build: ${options.metric.handler} no longer runs in the recorded flows`);
      throw new BehaviourBroke();
    }
  };
  try {
    // Warm-up on both sides (caches, JIT, the worker's first IndexedDB open); also the first behaviour check.
    log('warm-up run on the baseline and the patched build');
    for (const side of ['A', 'B'] as const) {
      const { runs, calls } = await runSide(options, side, 0, true);
      check(side, runs, calls);
    }
    const comparison = await sampleUntilDecided(async (side, index) => {
      const { runs, calls } = await runSide(options, side, index, false);
      check(side, runs, calls);
      for (const r of runs) if (r.session) sessions[side].push(r.session);
      const value = measure(calls, options.metric);
      if (!Number.isFinite(value)) {
        reasons.push(`${side === 'A' ? 'baseline' : 'patched'} build: run ${index} has no ${options.metric.metric} samples for ${options.metric.handler}`);
        throw new BehaviourBroke();
      }
      log(`${side} run ${index + 1}: ${options.metric.handler} ${options.metric.stat} ${options.metric.metric} = ${value.toFixed(2)} ms`);
      samples[side].push(value);
      return value;
    }, options.plan);
    return {
      verdict: comparison.verdict,
      reasons: comparison.verdict === 'unresolved' ? [`undecided after ${comparison.nA} runs per side (${comparison.stoppedBy})`] : [],
      comparison,
      samples,
      screenshots,
      sessions,
    };
  } catch (e) {
    if (!(e instanceof BehaviourBroke)) throw e;
    const baselineBroke = reasons.every((r) => r.startsWith('baseline'));
    return {
      // A baseline that fails its own expectations says nothing about the patch.
      verdict: baselineBroke ? 'unresolved' : 'broke-behaviour',
      reasons,
      comparison: null,
      samples,
      screenshots,
      sessions,
    };
  }
}
