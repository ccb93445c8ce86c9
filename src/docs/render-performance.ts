/** PERFORMANCE.md: baselines per handler, and the bottlenecks ranked by total blocking time. */
import { GENERATED_NOTE, telemetryLine, type RenderContext } from './context.ts';
import { code, fmtMs, fmtPct, mdName, table } from './format.ts';
import type { Regions } from './regions.ts';

export function renderPerformance(ctx: RenderContext, regions: Regions): string {
  const handlers = ctx.snapshot.handlers.slice().sort((a, b) => b.blockingTotalMs - a.blockingTotalMs || a.handler.localeCompare(b.handler));
  const total = handlers.reduce((s, h) => s + h.blockingTotalMs, 0);
  const out: string[] = [
    '# Performance',
    '',
    GENERATED_NOTE,
    '',
    regions.region('notes'),
    '',
    telemetryLine(ctx),
    '',
    '## Bottlenecks by total blocking time',
    '',
    'Blocking time is the longest uninterrupted main-thread span a call caused (the call and any synchronous React render and commit it forced). Summed over calls, it ranks what hurts responsiveness most.',
    '',
    table(
      ['rank', 'handler', 'calls', 'total blocking ms', 'share', 'blocking p50', 'blocking p95', 'duration p95', 'long frames', 'transitions'],
      handlers.map((h, i) => [
        String(i + 1),
        code(mdName(h.handler)),
        String(h.count),
        fmtMs(h.blockingTotalMs),
        fmtPct(total > 0 ? h.blockingTotalMs / total : null),
        fmtMs(h.blocking.p50),
        fmtMs(h.blocking.p95),
        fmtMs(h.duration.p95),
        String(h.longFrames),
        fmtPct(h.transitionShare),
      ]),
      ['r', 'l', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r'],
    ),
    '',
    '## Baselines',
    '',
    table(
      ['handler', 'n', 'date', 'build', 'duration p50', 'duration p95', 'blocking p50', 'blocking p95', 'blocking p99', 'paint p95', 'budget'],
      Object.entries(ctx.spec.handlers)
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([name, h]) => {
          const b = h.baseline;
          return [
            code(mdName(name)),
            String(b?.n ?? 0),
            b?.date.slice(0, 10) ?? '–',
            b?.build ?? '–',
            fmtMs(b?.metrics.duration?.p50),
            fmtMs(b?.metrics.duration?.p95),
            fmtMs(b?.metrics.blocking?.p50),
            fmtMs(b?.metrics.blocking?.p95),
            fmtMs(b?.metrics.blocking?.p99),
            fmtMs(b?.metrics.paint?.p95),
            h.budget ? `${h.budget.stat} ${h.budget.metric} ≤ ${h.budget.ms} ms` : '–',
          ];
        }),
      ['l', 'r', 'l', 'l', 'r', 'r', 'r', 'r', 'r', 'r', 'l'],
    ),
    '',
    '## Sequences by p95 duration',
    '',
    table(
      ['sequence', 'runs', 'p50 ms', 'p95 ms', 'max ms'],
      ctx.snapshot.sequences
        .slice()
        .sort((a, b) => b.duration.p95 - a.duration.p95 || a.name.localeCompare(b.name))
        .map((s) => [code(mdName(s.name)), String(s.count), fmtMs(s.duration.p50), fmtMs(s.duration.p95), fmtMs(s.duration.max)]),
      ['l', 'r', 'r', 'r', 'r'],
    ),
  ];
  const orphans = regions.orphans();
  if (orphans) out.push('', orphans);
  return `${out.join('\n').trimEnd()}\n`;
}
