/**
 * When the baseline has been sampled enough: every handler whose calls exceed its documented
 * budget has a decided status in `check` (over budget from a few overwhelming calls, or enough
 * calls to say it is not), and every handler the user felt (an interaction over 200 ms, a frozen
 * frame, an error) has the calls the diagnosis rules need to read its distributions. A fixed
 * `--runs` cannot know that: a handler that runs once per flow (a "create 10,000 rows" button)
 * needs more runs than one that runs on every keystroke.
 */
import { checkSpec } from '../core/check/index.ts';
import { FROZEN_FRAME_MS, metricValue } from '../core/metrics.ts';
import type { SessionFile } from '../core/session.ts';
import type { SpecFile } from '../core/spec.ts';

/** Web Vitals' line for a good interaction: a handler under it everywhere is not a finding. */
const GOOD_INTERACTION_MS = 200;

/** The calls a rule reads a distribution from (`usable()` in core/diagnose.ts asks for 3). */
export const RULE_MIN_CALLS = 3;

export interface BaselineNeeds {
  /** Handlers still short of samples, with what they need ("2 more calls", "a decided budget"). */
  short: Array<{ handler: string; calls: number; need: string }>;
}

/** What is still missing from `sessions` (empty `short`: enough). */
export function baselineNeeds(spec: SpecFile | null, sessions: readonly SessionFile[], minCalls = RULE_MIN_CALLS): BaselineNeeds {
  const calls = new Map<string, number>();
  // The rules only fire on a handler the user felt: more samples of a quiet one change nothing.
  const suspects = new Set<string>();
  for (const s of sessions) {
    for (const c of s.calls) {
      calls.set(c.handler, (calls.get(c.handler) ?? 0) + 1);
      const felt = (metricValue(c, 'interaction') ?? 0) > GOOD_INTERACTION_MS || (metricValue(c, 'longestFrame') ?? 0) >= FROZEN_FRAME_MS;
      if (felt || c.error !== null) suspects.add(c.handler);
    }
  }
  const short: BaselineNeeds['short'] = [];
  const undecided = new Map<string, number | null | undefined>();
  if (spec) {
    for (const h of checkSpec(spec, sessions as SessionFile[]).handlers) {
      const budget = spec.handlers[h.name]?.budget;
      // Only a budget the calls may break matters to heal: calls all within it would need
      // `minSamples` for an "ok", which the diagnosis never asks for.
      if (h.status !== 'insufficient-data' || !budget) continue;
      const over = sessions.some((s) => s.calls.some((c) => c.handler === h.name && (metricValue(c, budget.metric) ?? -Infinity) > budget.ms));
      if (over) undecided.set(h.name, h.needed);
    }
  }
  for (const [handler, n] of [...calls].sort(([a], [b]) => a.localeCompare(b))) {
    if (undecided.has(handler)) {
      const needed = undecided.get(handler);
      // "Calls like these never decide" is a verdict of its own: more of them change nothing.
      if (needed !== null) short.push({ handler, calls: n, need: needed === undefined ? 'a decided budget' : `${needed} more calls to decide its budget` });
      continue;
    }
    if (n < minCalls && suspects.has(handler)) short.push({ handler, calls: n, need: `${minCalls - n} more calls for the rules` });
  }
  return { short };
}
