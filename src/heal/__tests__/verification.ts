/**
 * A synthetic verification, judged by the real paired statistics: the primary clearly faster,
 * one guard clearly slower, one guard noisy (not yet proven), errors none on both sides.
 */
import { comparePaired, type RoundSample } from '../../core/paired.ts';
import { confidenceFor, judgeComparisons, type MetricSpec } from '../../core/verdict.ts';
import type { Verification } from '../verify.ts';

export const CONFIDENCE = 0.975;

/** A round whose paired samples average `before` ms on A and `before × ratio` on B. */
export const round = (before: number, ratio: number, pairs = 6): RoundSample => {
  const a = Math.log(before);
  const b = Math.log(before * ratio);
  return { a, b, d: b - a, rawA: before, rawB: before * ratio, pairs };
};

export const specs: MetricSpec[] = [
  { key: 'h:interaction', label: 'renderReact interaction, per call', role: 'primary', floor: 16 },
  { key: 'h:result', label: 'renderReact result, per call', role: 'guard', floor: 16, tolerance: 0.2 },
  { key: 'flow:longestFrame', label: 'longest frame per step', role: 'guard', floor: 50, tolerance: 0.2 },
  { key: 'flow:errors', label: 'errors in the flow', role: 'guard', floor: 0.5, tolerance: 0, unit: 'count' },
];

export function synthetic(rounds = 6): Verification {
  const paired: Record<string, RoundSample[]> = {
    'h:interaction': Array.from({ length: rounds }, (_, i) => round(400 + 37 * i, 0.3 + 0.02 * (i % 3))),
    'h:result': Array.from({ length: rounds }, (_, i) => round(300 + 11 * i, 1.6 + 0.05 * (i % 2))),
    'flow:longestFrame': Array.from({ length: rounds }, (_, i) => round(120, i % 2 ? 0.6 : 1.9)),
    'flow:errors': Array.from({ length: rounds }, () => ({ a: Math.log(0.5), b: Math.log(0.5), d: 0, rawA: 0, rawB: 0, pairs: 1 })),
  };
  const judgement = judgeComparisons(
    specs,
    (spec) => ((paired[spec.key]?.length ?? 0) >= 2 ? comparePaired(paired[spec.key]!, { confidence: confidenceFor(spec, CONFIDENCE), floor: spec.floor }) : null),
    { confidence: CONFIDENCE, threshold: 0.1, tolerance: 0.2 },
  );
  return {
    verdict: 'regressed',
    why: judgement.why,
    reasons: [],
    judgement,
    runs: { A: [], B: [] },
    paired,
    looks: { planned: 2, confidence: CONFIDENCE, at: [4, rounds] },
    rounds,
    stoppedBy: 'decided',
    screenshots: [],
    sessions: [],
  };
}

