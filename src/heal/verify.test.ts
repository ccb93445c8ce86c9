/**
 * The sequential paired loop without a browser: a fake round runner on a fake clock. It pins what
 * the budget means (no round starts that cannot finish; a round cut by the deadline is discarded,
 * so the loop never overruns by more than one step) and that decided candidates leave.
 */
import { describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { makeCall, makeMeta } from '../core/__tests__/fixtures.ts';
import type { Diagnosis } from '../core/diagnose.ts';
import type { HandlerCall } from '../core/model.ts';
import { SESSION_FORMAT, SESSION_VERSION, type SessionFile } from '../core/session.ts';
import type { Recording } from '../replay/index.ts';
import type { PairedBuild, PairedPageResult, PairedRoundOptions, PairedRoundResult } from '../replay/paired.ts';
import { plannedLooks, verifyFixes } from './verify.ts';

const STEPS = 12;
const STEP_MS = 1000;

const diagnosis = (id: string, handler: string): Diagnosis =>
  ({
    id,
    rule: 'blocking-update',
    handler,
    impact: { metric: { kind: 'handler', handler, metric: 'interaction', stat: 'p95' }, currentMs: 300, predictedMs: 50, predictedChange: -0.8, predictions: [] },
  }) as unknown as Diagnosis;

function session(handler: string, values: number[]): SessionFile {
  const calls: HandlerCall[] = values.map((v, i) => makeCall({ id: i + 1, handler, start: i * STEP_MS + 1, interactionMs: v, resultMs: v }));
  return { format: SESSION_FORMAT, version: SESSION_VERSION, session: makeMeta(), calls, sequences: [], commits: [], vitals: [], frames: [], events: [], truncated: { calls: 0, sequences: 0, commits: 0 } };
}

/** A round runner whose builds answer with `valueOf(build, round, step)`, each step costing STEP_MS of the fake clock. */
function fakeRounds(clock: { t: number }, valueOf: (build: string, round: number, step: number) => number) {
  const started: number[] = [];
  const run = async (_b: Browser, _r: Recording, builds: readonly PairedBuild[], o: PairedRoundOptions = {}): Promise<PairedRoundResult> => {
    started.push(clock.t);
    const round = o.round ?? 0;
    const pages = new Map<string, PairedPageResult>();
    for (const b of builds) pages.set(b.id, { id: b.id, session: null, steps: [], expectations: [], error: null, passed: true, screenshots: [], pageErrors: [] });
    const values = new Map(builds.map((b) => [b.id, [] as number[]]));
    for (let s = 0; s < STEPS; s++) {
      if (o.deadline !== undefined && clock.t > o.deadline) return { pages, aborted: true, wallMs: 0 };
      for (const b of builds) {
        values.get(b.id)!.push(valueOf(b.id, round, s));
        pages.get(b.id)!.steps.push({ step: s, start: s * STEP_MS, end: s * STEP_MS + 10, position: 0 });
      }
      clock.t += STEP_MS * builds.length;
    }
    for (const b of builds) pages.get(b.id)!.session = session('h', values.get(b.id)!);
    return { pages, aborted: false, wallMs: 0 };
  };
  return { run, started };
}

const flow = { format: 'homeostat.recording', version: 1, title: 'flow', viewport: { width: 800, height: 600, deviceScaleFactor: 1 }, steps: [] } as unknown as Recording;
const browser = {} as Browser;
/** A little load noise shared by the builds of a step, and a little of their own. */
const noise = (build: string, round: number, step: number) => 1 + 0.3 * Math.sin(round * 7 + step * 3) + 0.02 * Math.cos(build.length * 11 + step * 5 + round);

describe('verifyFixes (paired rounds)', () => {
  it('decides a large effect after the first look, and a no-op leaves undecided at the cap rather than improved', async () => {
    const clock = { t: 0 };
    const { run } = fakeRounds(clock, (b, r, s) => (b === 'fast' ? 40 : 200) * noise(b, r, s));
    const out = await verifyFixes({
      browser, flows: [flow], measured: [flow], baselineUrl: 'http://a', now: () => clock.t, runRound: run,
      candidates: [{ diagnosis: diagnosis('fast', 'h'), url: 'http://b' }, { diagnosis: diagnosis('same', 'h'), url: 'http://c' }],
      plan: { maxRuns: 6, deadline: 10_000_000 },
    });
    const fast = out.get('fast')!;
    expect(fast.verdict).toBe('improved');
    expect(fast.rounds).toBe(4);
    expect(fast.stoppedBy).toBe('decided');
    const primary = fast.judgement!.results.find((r) => r.spec.role === 'primary')!.comparison!;
    expect(primary.clusters).toBe(4);
    expect(primary.ratio.high).toBeLessThan(0.9);
    const same = out.get('same')!;
    expect(['no-effect', 'unresolved']).toContain(same.verdict);
    // Two looks: at the fourth round and at the last (the caller's sixth), each at 97.5%.
    expect(same.looks).toMatchObject({ planned: 2, confidence: 0.975 });
    expect(fast.looks.at).toEqual([4]);
  });

  it('takes no decision between the looks: a call that settles after the first look waits for the last', async () => {
    // 0.85× with round-to-round scatter: not settled at the first look (four rounds), settled by the ninth.
    // With the last look at 9 it is decided there; with the last look at 12, rounds 9–11 take no decision.
    const close = (b: string, r: number, s: number) => (b === 'baseline' ? 100 : 85 * (1 + 0.08 * Math.sin(r * 2.1))) * noise(b, r, s);
    const verify = async (maxRuns: number) => {
      const clock = { t: 0 };
      const { run } = fakeRounds(clock, close);
      return (await verifyFixes({
        browser, flows: [flow], measured: [flow], baselineUrl: 'http://a', now: () => clock.t, runRound: run,
        candidates: [{ diagnosis: diagnosis('close', 'h'), url: 'http://b' }],
        plan: { maxRuns, deadline: 10_000_000 },
      })).get('close')!;
    };
    for (const maxRuns of [9, 12]) expect(await verify(maxRuns), `last look at ${maxRuns}`).toMatchObject({ rounds: maxRuns, stoppedBy: 'decided', verdict: 'improved' });
  });

  it('decides a close call at the last look when the rounds cost less than estimated, and never overruns', async () => {
    const clock = { t: 0 };
    // 0.85× with round-to-round scatter: undecided at four rounds, decided with a dozen.
    const { run, started } = fakeRounds(clock, (b, r, s) => (b === 'baseline' ? 100 : 85 * (1 + 0.08 * Math.sin(r * 2.1))) * noise(b, r, s));
    const deadline = 300_000;
    // Estimated at 0.85 × 2 × 24 s = 41 s a round: about 7 rounds. They cost 24 s: the plan is made again after the first.
    const logs: string[] = [];
    const v = (await verifyFixes({
      browser, flows: [flow], measured: [flow], baselineUrl: 'http://a', now: () => clock.t, runRound: run, onProgress: (l) => logs.push(l),
      candidates: [{ diagnosis: diagnosis('close', 'h'), url: 'http://b' }],
      plan: { deadline, roundMs: 24 * STEP_MS },
    })).get('close')!;
    expect(started.length).toBe(12);
    expect(v.rounds).toBe(12);
    expect(v.looks.at).toEqual([4, 12]);
    expect(v.stoppedBy).toBe('decided');
    expect(v.verdict).toBe('improved');
    expect(clock.t).toBeLessThanOrEqual(deadline);
    expect(logs.join('\n')).toMatch(/a round costs 24 s here/);
  });

  it('gives the time of decided candidates to the rest: later rounds are cheaper and more of them fit', async () => {
    const clock = { t: 0 };
    const { run, started } = fakeRounds(clock, (b, r, s) => (b === 'fast' ? 40 : b === 'baseline' ? 100 : 92 * (1 + 0.08 * Math.sin(r * 2.1))) * noise(b, r, s));
    const out = await verifyFixes({
      browser, flows: [flow], measured: [flow], baselineUrl: 'http://a', now: () => clock.t, runRound: run,
      candidates: [{ diagnosis: diagnosis('fast', 'h'), url: 'http://b' }, { diagnosis: diagnosis('close', 'h'), url: 'http://c' }],
      plan: { deadline: 300_000 },
    });
    expect(out.get('fast')).toMatchObject({ verdict: 'improved', rounds: 4, stoppedBy: 'decided' });
    // Three pages (36 s) for four rounds, then two (24 s): 144 s + 6 × 24 s, not the 8 rounds 36 s ones would buy.
    const gaps = started.slice(1).map((t, i) => t - started[i]!);
    expect(gaps.slice(0, 4)).toEqual([36_000, 36_000, 36_000, 36_000]);
    expect(new Set(gaps.slice(4))).toEqual(new Set([24_000]));
    expect(out.get('close')!.rounds).toBe(10);
  });

  it('never starts a round it cannot finish, and never overruns the deadline by more than one step', async () => {
    const clock = { t: 0 };
    // 1.1× with round-to-round scatter: near the threshold, never decided in a few rounds.
    const { run, started } = fakeRounds(clock, (b, r, s) => (b === 'baseline' ? 100 : 110 * (1 + 0.15 * Math.sin(r * 2.1))) * noise(b, r, s));
    const deadline = 110_000;
    const out = await verifyFixes({
      browser, flows: [flow], measured: [flow], baselineUrl: 'http://a', now: () => clock.t, runRound: run,
      candidates: [{ diagnosis: diagnosis('close', 'h'), url: 'http://b' }],
      // A round costs 2 pages × 12 steps × 1 s = 24 s, as estimated.
      plan: { maxRuns: 10, deadline, roundMs: 12 * STEP_MS },
    });
    const v = out.get('close')!;
    expect(v.stoppedBy).toBe('deadline');
    // The plan buys 5 (at 0.85 × 24 s); 24 s rounds at 0, 24, 48, 72: the fifth (96 s) would end at 120 s: never started.
    expect(started).toEqual([0, 24_000, 48_000, 72_000]);
    expect(clock.t).toBeLessThanOrEqual(deadline + 2 * STEP_MS);
    expect(v.rounds).toBe(4);
  });

  it('discards a round the deadline cut short: its samples are never judged', async () => {
    const clock = { t: 0 };
    const { run } = fakeRounds(clock, (b, r, s) => (b === 'baseline' ? 100 : 98) * noise(b, r, s));
    // No estimate: the first round is started, the second is cut by the deadline at 30 s.
    const v = (await verifyFixes({ browser, flows: [flow], measured: [flow], baselineUrl: 'http://a', now: () => clock.t, runRound: run, candidates: [{ diagnosis: diagnosis('cut', 'h'), url: 'http://b' }], plan: { maxRuns: 10, deadline: 30_000 } })).get('cut')!;
    expect(v.rounds).toBe(1);
    expect(v.verdict).toBe('unresolved');
    expect(clock.t).toBeLessThanOrEqual(30_000 + 2 * STEP_MS);
  });
});

describe('plannedLooks', () => {
  it('plans the first look at four rounds and the last at the last round the cap buys (or the maximum)', () => {
    expect(plannedLooks({}, 120_000, 20_000)).toMatchObject({ minRuns: 4, maxRuns: 6 });
    expect(plannedLooks({ maxRuns: 5 }, 1e9, 1000)).toMatchObject({ minRuns: 4, maxRuns: 5 });
    expect(plannedLooks({}, Infinity, 0)).toMatchObject({ minRuns: 4, maxRuns: 20 });
    // Rounds known (re-planned from a measured round): the cost estimate is not used.
    expect(plannedLooks({}, 0, 1e9, 9)).toEqual({ minRuns: 4, maxRuns: 9, affordable: 9 });
  });

  it('looks once at the three rounds a short budget buys, never at fewer, and says what it can afford', () => {
    // Three rounds affordable: one look there (two degrees of freedom), not a plan of four it cannot pay for.
    expect(plannedLooks({}, 75_000, 25_000)).toEqual({ minRuns: 3, maxRuns: 3, affordable: 3 });
    // Fewer than three: still three (a look at two rounds decides nothing), and the shortfall is reported.
    expect(plannedLooks({}, 10_000, 20_000)).toEqual({ minRuns: 3, maxRuns: 3, affordable: 0 });
    // A caller's larger first look is kept.
    expect(plannedLooks({ minRuns: 5 }, 75_000, 25_000)).toMatchObject({ minRuns: 5, maxRuns: 5 });
  });
});
