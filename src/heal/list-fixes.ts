/**
 * "Less work per frame" as codemods: a `long-frame` diagnosis (core/diagnose.ts: a frozen frame a
 * transition cannot shorten) names no fix, because the fix needs the long list's place in the
 * source, which only the Node side can find. Here each such diagnosis becomes one candidate per
 * way of rendering less per frame that applies to its list: virtualised (only the rows in view;
 * fewer elements at all, so the result comes sooner too) and progressive (the first screenful at
 * once, the rest in chunks; every row stays in the DOM, so flows that count rows still pass, but
 * the last row arrives later). Both are verified like every fix, on the longest frame, with time
 * to result, interaction, errors and the flows' expectations guarded: the replays decide which
 * one the app can take.
 *
 * When a list fix exists for a handler, its blocking-update transition is not tried: it would
 * leave the frame frozen, so at best it is partial, never the fix.
 */
import type { Diagnosis, FixPlan } from '../core/diagnose.ts';
import { CodemodError } from './codemods/ast.ts';
import { progressiveListPlan, virtualListPlan, type ListHandlerFacts } from './list-locator.ts';

/** A way to render a handler's list with less work per frame: its plan, or a CodemodError why not. */
export interface ListPlanner {
  kind: string;
  /** How reports name the change ("virtualise the list"). */
  label: string;
  plan(root: string, analysis: readonly ListHandlerFacts[], handler: string): Promise<FixPlan>;
}

/**
 * Both are tried side by side: virtualised first (fewer elements at all, so the result comes
 * sooner too, but rows out of view leave the DOM: a flow that counts every row, or finds text
 * far down the list, fails on it and heal rejects it), then progressive (every row stays).
 */
export const LIST_PLANNERS: readonly ListPlanner[] = [
  { kind: 'virtual', label: 'virtualise the list: only the rows in view are in the DOM', plan: virtualListPlan },
  { kind: 'progressive', label: 'render the list progressively', plan: progressiveListPlan },
];

export interface ListFixes {
  /** The diagnoses with each located list fix as a candidate of its own (ids `long-frame:<kind>:<handler>`). */
  diagnoses: Diagnosis[];
  /** Why a planner did not apply, per handler: for the log and the report. */
  skipped: string[];
}

export async function locateListFixes(diagnoses: readonly Diagnosis[], root: string, analysis: readonly ListHandlerFacts[], planners: readonly ListPlanner[] = LIST_PLANNERS): Promise<ListFixes> {
  const out: Diagnosis[] = [];
  const skipped: string[] = [];
  const fixed = new Set<string>();
  for (const d of diagnoses) {
    if (d.rule !== 'long-frame' || d.fix !== null) {
      out.push(d);
      continue;
    }
    const variants: Diagnosis[] = [];
    for (const p of planners) {
      try {
        const plan = await p.plan(root, analysis, d.handler);
        variants.push({ ...d, id: `long-frame:${p.kind}:${d.handler}`, title: `${d.title} (${p.label})`, fix: plan });
      } catch (e) {
        if (!(e instanceof CodemodError)) throw e;
        skipped.push(`${d.handler}: ${p.label} does not apply: ${e.message}`);
      }
    }
    if (variants.length === 0) out.push(d);
    else {
      out.push(...variants);
      fixed.add(d.handler);
    }
  }
  // A transition would leave these frames frozen: keep the finding, as advice.
  const result = out.map((d) =>
    d.rule === 'blocking-update' && d.fix !== null && fixed.has(d.handler)
      ? { ...d, fix: null, advice: `${d.advice} Not tried as the fix: the frame would stay frozen; heal tries rendering less per frame instead (long-frame).` }
      : d,
  );
  return { diagnoses: result, skipped };
}
