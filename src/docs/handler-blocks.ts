/**
 * The parts of a handler's section a new team member reads before touching it, each a block
 * of markdown lines: routing, parameters, dependencies, error handling, tests and flows, field
 * scenarios and optimisation notes. `HANDLER_BLOCKS` is the order they appear in; a block with
 * nothing to say still says so (a missing fact is written as missing, never left out silently),
 * so the docs coverage report can count what each section has. Another generated block (e.g.
 * production confirmation) is one more entry in the list.
 */
import { join } from 'node:path';
import type { HandlerAggregate } from '../core/aggregate.ts';
import { describePrediction, type Diagnosis } from '../core/diagnose.ts';
import type { HandlerSpec } from '../core/spec.ts';
import type { HandlerSource } from './analyze.ts';
import type { RenderContext } from './context.ts';
import { code, fmtMs, fmtPct, mdName, mdText, relPath } from './format.ts';

/** What a block is given: the handler's name, its spec, what ran, and what the code says. */
export interface BlockInput {
  name: string;
  spec: HandlerSpec;
  observed: HandlerAggregate | undefined;
  source: HandlerSource | undefined;
}

/** The coverage items of the design: a block fills one (or none, when it only adds context). */
export const COVERAGE_ITEMS = ['routing', 'parameters', 'dependencies', 'errors', 'tests', 'optimisation'] as const;
export type CoverageItem = (typeof COVERAGE_ITEMS)[number];

export interface HandlerBlock {
  id: string;
  /**
   * `code`: facts from the code and the repository, rendered before the Budget line (a partial
   * regeneration refreshes them for every handler); `telemetry`: from the sessions, rendered after
   * the observed numbers (kept as they were for handlers a partial regeneration leaves alone).
   */
  placement: 'code' | 'telemetry';
  /** The coverage item the block documents, if any. */
  item?: CoverageItem;
  /** Lines, and whether they document the item from evidence (false: "not found" / "none yet"). */
  render(ctx: RenderContext, input: BlockInput): { lines: string[]; covered: boolean } | null;
}

export const HANDLER_BLOCKS: HandlerBlock[] = [
  { id: 'parameters', placement: 'code', item: 'parameters', render: parametersBlock },
  { id: 'routing', placement: 'code', item: 'routing', render: routingBlock },
  { id: 'dependencies', placement: 'code', item: 'dependencies', render: dependenciesBlock },
  { id: 'errors', placement: 'code', item: 'errors', render: errorsBlock },
  { id: 'tests', placement: 'code', item: 'tests', render: testsBlock },
  { id: 'errors-observed', placement: 'telemetry', render: observedErrorsBlock },
  { id: 'field', placement: 'telemetry', render: fieldScenarioBlock },
  { id: 'optimisation', placement: 'telemetry', item: 'optimisation', render: optimisationBlock },
];

function link(ctx: RenderContext, file: string, line: number): string {
  return `[${file}:${line}](${relPath(ctx.docsDir, join(ctx.root, file))}#L${line})`;
}

function parametersBlock(_ctx: RenderContext, { source }: BlockInput): { lines: string[]; covered: boolean } | null {
  if (!source) return null;
  if (source.params.length === 0) return { lines: ['- **Parameters:** none'], covered: true };
  const described = source.params.filter((p) => p.description).length;
  const items = source.params.map((p) => `  - ${code(`${p.name}: ${p.type}`)}: ${p.description ? mdText(p.description) : 'no `@param` description in the code'}`);
  return { lines: ['- **Parameters:**', ...items], covered: described === source.params.length };
}

/** Callers of `name` among the analysed handlers. */
function callersOf(ctx: RenderContext, name: string): HandlerSource[] {
  return [...ctx.sources.values()].filter((s) => (s.calls ?? []).includes(name));
}

function routingBlock(ctx: RenderContext, { name, source }: BlockInput): { lines: string[]; covered: boolean } | null {
  if (!source) return null;
  const routes = source.routes ?? [];
  const lines: string[] = [];
  if (routes.length > 0) {
    lines.push('- **Routing:** (where the event reaches it)');
    for (const r of routes) {
      const via = r.via.length ? `, through the props ${r.via.map(code).join(' → ')}` : '';
      lines.push(`  - ${code(r.event)} on ${code(r.element)}${r.component ? ` in ${code(r.component)}` : ''} at ${link(ctx, r.file, r.line)}${via}`);
    }
  }
  const callers = callersOf(ctx, name);
  if (callers.length > 0) {
    if (lines.length === 0) lines.push('- **Routing:** no element calls it directly');
    for (const c of callers) lines.push(`  - called by ${code(mdName(c.name))} (${c.file}:${c.line}), so it runs on that handler's events`);
  }
  if (source.renderTime) {
    if (lines.length === 0) lines.push('- **Routing:** no event: it is called while rendering');
    lines.push(`  - runs while ${source.component ? code(source.component) : 'a component'} renders, on every render: render work, not a user step`);
  }
  if (lines.length === 0) return { lines: ['- **Routing:** no element, caller or render found in the analysed code (called from code the analysis does not see, or not at all)'], covered: false };
  return { lines, covered: true };
}

function dependenciesBlock(ctx: RenderContext, { name, source }: BlockInput): { lines: string[]; covered: boolean } | null {
  if (!source) return null;
  const calls = source.calls ?? [];
  const callers = callersOf(ctx, name).map((c) => c.name);
  const states = new Set(source.updates.map((u) => u.state).filter((s): s is string => !!s));
  const shared: string[] = [];
  for (const state of [...states].sort()) {
    const others = [...ctx.sources.values()].filter((s) => s.name !== name && s.updates.some((u) => u.state === state)).map((s) => code(mdName(s.name)));
    if (others.length > 0) shared.push(`${code(state)} with ${[...new Set(others)].sort().join(', ')}`);
  }
  return {
    lines: [
      `- **Dependencies:** calls ${calls.length ? calls.map((c) => code(mdName(c))).join(', ') : 'no other handler'}; called by ${callers.length ? callers.map((c) => code(mdName(c))).join(', ') : 'no other handler'}; shares state ${shared.length ? shared.join('; ') : 'with no other handler'}`,
    ],
    covered: true,
  };
}

function errorsBlock(ctx: RenderContext, { name, source }: BlockInput): { lines: string[]; covered: boolean } | null {
  const lines: string[] = [];
  const eh = source?.errorHandling;
  if (source && eh) {
    if (eh.catches.length === 0) {
      const catching = callersOf(ctx, name).filter((c) => (c.errorHandling?.catches.length ?? 0) > 0);
      lines.push(
        catching.length > 0
          ? `- **Error handling:** no try/catch of its own; what it throws reaches ${catching.map((c) => `${code(mdName(c.name))}'s catch at ${link(ctx, c.errorHandling!.catches[0]!.file, c.errorHandling!.catches[0]!.line)}`).join(', ')}`
          : `- **Error handling:** no try/catch${source.async ? ' (an error rejects its promise)' : ''}`,
      );
    } else {
      lines.push('- **Error handling:**');
      for (const c of eh.catches) {
        const shows = c.shows.length
          ? `; the user sees ${c.shows.map((s) => `${code(s.element)} at ${link(ctx, s.file, s.line)}`).join(', ')}${c.messages.length ? ` (${c.messages.map((m) => `“${mdText(m)}”`).join(', ')})` : ''}`
          : c.sets.length
            ? '; no element found that renders it'
            : '';
        lines.push(`  - catches at ${link(ctx, c.file, c.line)}${c.sets.length ? `: sets ${c.sets.map(code).join(', ')}` : ': sets no state'}${shows}${c.rethrows ? '; rethrows' : ''}`);
      }
    }
    lines.push(
      eh.boundaries.length > 0
        ? `  - error boundaries above ${code(source.component ?? '?')}: ${eh.boundaries.map((b) => `${code(b.name)}${b.line ? ` (${b.file}:${b.line})` : ''}`).join(', ')}`
        : `  - no error boundary above ${source.component ? code(source.component) : 'it'}: an error thrown while rendering unmounts the tree (errors in event handlers never reach a boundary)`,
    );
  }
  if (lines.length === 0) return null;
  return { lines, covered: !!eh };
}

/** The errors the telemetry saw, as ERRORS.md groups them. */
function observedErrorsBlock(_ctx: RenderContext, { observed }: BlockInput): { lines: string[]; covered: boolean } | null {
  if (!observed) return null;
  const patterns = observed.errorPatterns;
  return {
    lines: [`- **Errors observed:** ${patterns.length === 0 ? `none in ${observed.count} calls` : `${patterns.map((p) => `${mdText(p.name)}${p.message ? ` “${mdText(p.message)}”` : ''} ×${p.count}`).join(', ')} (see ERRORS.md)`}`],
    covered: true,
  };
}

function testsBlock(ctx: RenderContext, { name }: BlockInput): { lines: string[]; covered: boolean } | null {
  const found = ctx.evidence?.get(name) ?? [];
  const lines = [`- **Tests and flows:**${found.length === 0 ? ' no test or recorded flow names it or reaches its elements' : ''}`];
  for (const e of found.slice(0, 8)) {
    // A flow's expectations read as prose; a test's are code, shown as code (at most two, shortened).
    const what = e.asserts.length ? `; asserts ${e.kind === 'flow' ? e.asserts.map((a) => `“${mdText(a)}”`).join(', ') : e.asserts.slice(0, 2).map((a) => code(a.length > 110 ? `${a.slice(0, 109)}…` : a)).join(', ')}` : '';
    const steps = e.steps.length ? ` (step${e.steps.length === 1 ? '' : 's'} ${e.steps.join(', ')}${e.via ? `, through ${code(mdName(e.via))}` : ''})` : '';
    lines.push(`  - ${e.kind === 'flow' ? 'flow' : 'test'} [${mdText(e.kind === 'flow' ? e.title : e.file.split('/').pop()!)}](${e.file})${steps}${e.kind === 'test' ? `: ${mdText(e.title)}` : ''}${what}`);
  }
  if (found.length > 8) lines.push(`  - …and ${found.length - 8} more`);
  return { lines, covered: found.length > 0 };
}

function fieldScenarioBlock(_ctx: RenderContext, { spec }: BlockInput): { lines: string[]; covered: boolean } | null {
  const f = spec.field;
  if (!f) return null;
  const m = f.metrics.interaction ?? f.metrics.blocking;
  return {
    lines: [
      `- **Field scenarios:** ${f.n} calls from real users${f.source?.sessions !== undefined ? ` in ${f.source.sessions} sessions` : ''}${m ? `, ${f.metrics.interaction ? 'interaction' : 'blocking'} p50 ${fmtMs(m.p50)} / p95 ${fmtMs(m.p95)} ms` : ''}, error rate ${fmtPct(f.errorRate)}`,
    ],
    covered: true,
  };
}

function optimisationBlock(ctx: RenderContext, { name }: BlockInput): { lines: string[]; covered: boolean } | null {
  if (!ctx.diagnoses) return { lines: ['- **Optimisation notes:** no telemetry to diagnose'], covered: false };
  const mine = ctx.diagnoses.filter((d) => d.handler === name);
  if (mine.length === 0) return { lines: ['- **Optimisation notes:** no diagnosis rule fired on the telemetry (nothing to optimise at this load)'], covered: true };
  return { lines: ['- **Optimisation notes:** (from the diagnosis rules, as `homeostat heal` and the panel read them)', ...mine.map((d) => `  - ${diagnosisText(d)}`)], covered: true };
}

/** "`blocking-update`: title. advice Predicted: p95 interaction 432 → 60 ms (−86%; …)" */
export function diagnosisText(d: Diagnosis): string {
  const change = `${d.impact.predictedChange <= 0 ? '−' : '+'}${Math.round(Math.abs(d.impact.predictedChange) * 100)}%`;
  const predictions = d.impact.predictions.map(describePrediction).join('; ');
  return `${code(d.rule)} (${d.severity}, confidence ${Math.round(d.confidence * 100)}%): ${mdText(d.title)}. ${mdText(d.advice)} Predicted effect (not yet measured): ${fmtMs(d.impact.currentMs)} → ${fmtMs(d.impact.predictedMs)} (${change})${predictions ? `; ${mdText(predictions)}` : ''}${d.fix ? `; codemod ${code(d.fix.codemod)}` : ''}.`;
}
