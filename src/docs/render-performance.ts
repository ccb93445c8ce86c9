/** PERFORMANCE.md: the bottlenecks ranked by what users felt, baselines per handler, sequences by time to result. */
import type { HandlerAggregate } from '../core/aggregate.ts';
import { formatBudget } from '../core/spec.ts';
import { GENERATED_NOTE, telemetryLine, type RenderContext } from './context.ts';
import { code, fmtFrame, fmtMs, fmtPct, mdName, table } from './format.ts';
import type { Regions } from './regions.ts';

/**
 * Time the page stayed frozen during a handler's work: the blocking of the long frames it
 * occupied (script, style and layout), summed over its calls. Without frame evidence (an older
 * session, a browser without Long Animation Frames) its own blocking stands in.
 */
function frozenMs(h: HandlerAggregate): number {
  return h.frameBlocking && h.frameBlocking.count > 0 ? h.frameBlocking.mean * h.frameBlocking.count : h.blockingTotalMs;
}

export function renderPerformance(ctx: RenderContext, regions: Regions): string {
  const handlers = ctx.snapshot.handlers.slice().sort((a, b) => frozenMs(b) - frozenMs(a) || a.handler.localeCompare(b.handler));
  const total = handlers.reduce((s, h) => s + frozenMs(h), 0);
  const out: string[] = [
    '# Performance',
    '',
    GENERATED_NOTE,
    '',
    regions.region('notes'),
    '',
    telemetryLine(ctx),
    '',
    '## Bottlenecks by what users felt',
    '',
    "Ranked by the time the page stayed frozen during each handler's work: the blocking of the Long Animation Frames it occupied, script, style and layout included (frames shared by several handlers of one interaction count for each). Interaction is the input's latency to the next paint; time to result runs to the paint after the handler's last work. The handler's own blocking (script only, ~0 for a call that only starts a transition) comes last.",
    '',
    table(
      ['rank', 'handler', 'calls', 'frozen ms', 'share', 'interaction p95', 'time to result p95', 'longest frame p95', 'transitions', 'own blocking ms'],
      handlers.map((h, i) => [
        String(i + 1),
        code(mdName(h.handler)),
        String(h.count),
        fmtMs(frozenMs(h)),
        fmtPct(total > 0 ? frozenMs(h) / total : null),
        fmtMs(h.interaction?.p95),
        fmtMs(h.result?.p95),
        fmtFrame(h.longestFrame?.p95),
        fmtPct(h.transitionShare),
        fmtMs(h.blockingTotalMs),
      ]),
      ['r', 'l', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r'],
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
