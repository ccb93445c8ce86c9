/** PERFORMANCE.md: the bottlenecks ranked by what users felt, baselines per handler, sequences by time to result. */
import type { HandlerAggregate } from '../core/aggregate.ts';
import { formatBudget } from '../core/spec.ts';
import { GENERATED_NOTE, telemetryLine, type RenderContext } from './context.ts';
import { code, fmtFrame, fmtMs, fmtPct, mdName, table } from './format.ts';
import type { Regions } from './regions.ts';

/**
 * A handler's own cost: the script it ran with the synchronous React work it caused (its
 * blocking, summed over its calls) plus the style and layout it forced. Frames shared by the
 * handlers of one interaction are not in it: they are shown once per interaction below.
 */
export function ownCostMs(h: HandlerAggregate): number {
  return h.blockingTotalMs + h.forcedStyleLayoutMs;
}

function total(s: { mean: number; count: number } | null | undefined): number | null {
  return s && s.count > 0 ? s.mean * s.count : null;
}

export function renderPerformance(ctx: RenderContext, regions: Regions): string {
  const handlers = ctx.snapshot.handlers.slice().sort((a, b) => ownCostMs(b) - ownCostMs(a) || a.handler.localeCompare(b.handler));
  const sum = handlers.reduce((s, h) => s + ownCostMs(h), 0);
  const sequences = ctx.snapshot.sequences.slice().sort((a, b) => (total(b.frameBlocking) ?? 0) - (total(a.frameBlocking) ?? 0) || a.name.localeCompare(b.name));
  const frozen = sequences.reduce((s, q) => s + (total(q.frameBlocking) ?? 0), 0);
  const nested = handlers.filter((h) => (ctx.sources.get(h.handler)?.calls ?? []).some((c) => ctx.snapshot.handlers.some((x) => x.handler === c)));
  const out: string[] = [
    '# Performance',
    '',
    GENERATED_NOTE,
    '',
    regions.region('notes'),
    '',
    telemetryLine(ctx),
    '',
    "## Bottlenecks by each handler's own cost",
    '',
    "Ranked by each handler's own cost: the script it ran and the synchronous React work it caused (its blocking, summed over its calls), plus the style and layout it forced. A frame several handlers of one interaction share is not counted for each of them: the frozen time of each interaction is in the next table, once. A call that only starts a transition costs ~0 here; its render shows in the interaction's frames." +
      (nested.length ? ` A handler's cost includes the handlers it calls (${nested.map((h) => `${code(mdName(h.handler))} calls ${(ctx.sources.get(h.handler)?.calls ?? []).map((c) => code(mdName(c))).join(', ')}`).join('; ')}).` : ''),
    '',
    table(
      ['rank', 'handler', 'calls', 'own cost ms', 'share', 'own blocking ms', 'of which React render ms', 'forced style/layout ms', 'interaction p95', 'longest frame p95', 'transitions'],
      handlers.map((h, i) => [
        String(i + 1),
        code(mdName(h.handler)),
        String(h.count),
        fmtMs(ownCostMs(h)),
        fmtPct(sum > 0 ? ownCostMs(h) / sum : null),
        fmtMs(h.blockingTotalMs),
        fmtMs(total(h.render)),
        fmtMs(h.forcedStyleLayoutMs),
        fmtMs(h.interaction?.p95),
        fmtFrame(h.longestFrame?.p95),
        fmtPct(h.transitionShare),
      ]),
      ['r', 'l', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r'],
    ),
    '',
    '## Frozen time per interaction (each shared frame once)',
    '',
    'The blocking of the Long Animation Frames between an interaction’s input and its result (script, style and layout), counted once per interaction whatever the number of handlers it ran.',
    '',
    table(
      ['sequence', 'runs', 'frozen ms', 'share', 'longest frame p95', 'handlers'],
      sequences.map((q) => [
        code(mdName(q.name)),
        String(q.count),
        fmtMs(total(q.frameBlocking)),
        fmtPct(frozen > 0 && total(q.frameBlocking) !== null ? total(q.frameBlocking)! / frozen : null),
        fmtFrame(q.longestFrame?.p95),
        [...new Set(q.variants.flatMap((v) => v.handlers))].map((n) => code(mdName(n))).join(', '),
      ]),
      ['l', 'r', 'r', 'r', 'r', 'l'],
    ),
    '',
    '## Baselines',
    '',
    table(
      ['handler', 'n', 'date', 'build', 'interaction p95', 'time to result p95', 'longest frame p95', 'duration p95', 'blocking p95', 'budget'],
      Object.entries(ctx.spec.handlers)
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([name, h]) => {
          const b = h.baseline;
          return [
            code(mdName(name)),
            String(b?.n ?? 0),
            b?.date.slice(0, 10) ?? '–',
            b?.build ?? '–',
            fmtMs(b?.metrics.interaction?.p95),
            fmtMs(b?.metrics.result?.p95),
            fmtFrame(b?.metrics.longestFrame?.p95),
            fmtMs(b?.metrics.duration?.p95),
            fmtMs(b?.metrics.blocking?.p95),
            h.budget ? formatBudget(h.budget) : '–',
          ];
        }),
      ['l', 'r', 'l', 'l', 'r', 'r', 'r', 'r', 'r', 'l'],
    ),
    '',
    '## Sequences by p95 time to result',
    '',
    table(
      ['sequence', 'runs', 'interaction p95 ms', 'time to result p50 ms', 'time to result p95 ms', 'longest frame p95 ms', 'max ms'],
      ctx.snapshot.sequences
        .slice()
        .sort((a, b) => b.duration.p95 - a.duration.p95 || a.name.localeCompare(b.name))
        .map((s) => [code(mdName(s.name)), String(s.count), fmtMs(s.interaction?.p95), fmtMs(s.duration.p50), fmtMs(s.duration.p95), fmtFrame(s.longestFrame?.p95), fmtMs(s.duration.max)]),
      ['l', 'r', 'r', 'r', 'r', 'r', 'r'],
    ),
  ];
  const orphans = regions.orphans();
  if (orphans) out.push('', orphans);
  return `${out.join('\n').trimEnd()}\n`;
}
