/** SEQUENCE_FLOWS.md: per sequence, the ordered handlers as a Mermaid flowchart, step timing, frequency, variants. */
import type { SequenceAggregate, SequenceVariant } from '../core/aggregate.ts';
import { FROZEN_FRAME_MS, LONG_FRAME_MS } from '../core/metrics.ts';
import { GENERATED_NOTE, telemetryLine, type RenderContext } from './context.ts';
import { anchor, code, fmtFrame, fmtMs, fmtPct, mdName, table } from './format.ts';
import { formatSequenceBudgetLine } from './markdown.ts';
import type { Regions } from './regions.ts';

export function renderSequenceFlows(ctx: RenderContext, regions: Regions): string {
  const observed = new Map(ctx.snapshot.sequences.map((s) => [s.name, s]));
  const names = Object.keys(ctx.spec.sequences).sort();
  const out: string[] = [
    '# Sequence flows',
    '',
    GENERATED_NOTE,
    '',
    'A sequence is the ordered handlers one interaction triggered. What the user felt: its **interaction** latency (the input to the next paint, from Event Timing), its **time to result** (the input to the paint after its last work, transitions included) and the **longest frame** in between. Budget lines read `- **Budget:** <stat> ≤ <n> ms` (on the time to result) or `none`.',
    '',
    regions.region('notes'),
    '',
    `${names.length} sequences · ${telemetryLine(ctx)}`,
    '',
    table(
      ['sequence', 'runs', 'interaction p95 ms', 'time to result p50 ms', 'time to result p95 ms', 'longest frame p95 ms', 'variants', 'budget'],
      names.map((name) => {
        const s = observed.get(name);
        const b = ctx.spec.sequences[name]!.budget;
        return [
          `[${code(mdName(name))}](#${anchor(mdName(name))})`,
          String(s?.count ?? 0),
          fmtMs(s?.interaction?.p95),
          fmtMs(s?.duration.p50),
          fmtMs(s?.duration.p95),
          fmtFrame(s?.longestFrame?.p95),
          String(s?.variants.length ?? 0),
          b ? `${b.stat} ≤ ${b.ms} ms` : '–',
        ];
      }),
      ['l', 'r', 'r', 'r', 'r', 'r', 'r', 'l'],
    ),
    '',
  ];
  for (const name of names) out.push(...section(ctx, regions, name, observed.get(name)), '');
  const orphans = regions.orphans();
  if (orphans) out.push(orphans);
  return `${out.join('\n').trimEnd()}\n`;
}

function section(ctx: RenderContext, regions: Regions, name: string, s: SequenceAggregate | undefined): string[] {
  const doc = ctx.spec.sequences[name]!;
  const out = [`## \`${mdName(name)}\``, '', regions.region(`sequence=${mdName(name)}`), ''];
  if (s) {
    const triggers = Object.entries(s.triggers).sort(([a], [b]) => a.localeCompare(b)).map(([t, n]) => `${mdName(t)} ${n}`).join(', ');
    out.push(`- **Runs:** ${s.count} (triggers: ${triggers})`);
    if (s.interaction) out.push(`- **Interaction:** p50 ${fmtMs(s.interaction.p50)} ms, p95 ${fmtMs(s.interaction.p95)} ms (the input to its next paint)`);
    out.push(`- **Time to result:** p50 ${fmtMs(s.duration.p50)} ms, p95 ${fmtMs(s.duration.p95)} ms, max ${fmtMs(s.duration.max)} ms`);
    if (s.longestFrame) {
      out.push(
        s.longestFrame.p95 === 0
          ? `- **Longest frame:** no frame over ${LONG_FRAME_MS} ms`
          : `- **Longest frame:** p50 ${fmtFrame(s.longestFrame.p50)} ms, p95 ${fmtMs(s.longestFrame.p95)} ms${s.longestFrame.p95 >= FROZEN_FRAME_MS ? ' (a visible freeze)' : ''}`,
      );
    }
  } else out.push('- **Runs:** none in this telemetry');
  if (doc.field) {
    const f = doc.field;
    out.push(`- **Field:** ${f.n} runs${f.source?.sessions !== undefined ? ` in ${f.source.sessions} sessions` : ''}, p50 ${fmtMs(f.duration.p50)} ms, p95 ${fmtMs(f.duration.p95)} ms`);
  }
  out.push(formatSequenceBudgetLine(doc.budget));
  const isRender = (h: string) => ctx.sources.get(h)?.renderTime === true;
  const steps = doc.handlers.filter((h) => !isRender(h));
  const render = doc.handlers.filter(isRender);
  out.push(`- **Documented order:** ${steps.length === 0 ? '–' : steps.map((h) => code(mdName(h))).join(' → ')}`);
  if (render.length > 0) out.push(`- **Render work:** ${[...new Set(render)].map((h) => `${code(mdName(h))} ×${render.filter((x) => x === h).length}`).join(', ')} (called while components render, not a user step)`);
  const errors = variantErrors(ctx, name);
  const variants = s && s.variants.length > 0 ? s.variants : [{ handlers: doc.handlers, count: 0, steps: [] }];
  out.push('', variantChart(variants, isRender, errors, s?.count ?? 0), '');
  const main = s?.variants.find((v) => v.handlers.join('\u0000') === doc.handlers.join('\u0000'));
  if (main) out.push(stepTable(main, isRender), '');
  if (s && s.variants.length > 0) {
    out.push('Variants (every order seen, with how often; a variant with an error is an error path):', '');
    out.push(
      table(
        ['order', 'runs', 'share', 'runs with an error'],
        s.variants.map((v) => [v.handlers.map((h) => (isRender(h) ? `(render ${mdName(h)})` : mdName(h))).join(' → '), String(v.count), fmtPct(v.count / s.count), String(errors.get(v.handlers.join('\u0000')) ?? 0)]),
        ['l', 'r', 'r', 'r'],
      ),
    );
  }
  return out;
}

/** A left-to-right flowchart; node ids are positional, labels quoted and escaped, so any handler name is safe. */
export function mermaid(handlers: readonly string[]): string {
  const lines = ['```mermaid', 'flowchart LR'];
  if (handlers.length === 0) lines.push('  empty["(no handlers)"]');
  handlers.forEach((h, i) => {
    lines.push(`  s${i}["${mdName(h).replace(/"/g, '#quot;')}"]`);
    if (i > 0) lines.push(`  s${i - 1} --> s${i}`);
  });
  lines.push('```');
  return lines.join('\n');
}

/** Runs of each variant (key: handlers joined by NUL) in which a call failed, from the sessions. */
function variantErrors(ctx: RenderContext, name: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const f of ctx.sessions) {
    const failed = new Set(f.calls.filter((c) => c.error !== null).map((c) => c.id));
    for (const q of f.sequences) {
      if (q.name !== name || !q.calls.some((id) => failed.has(id))) continue;
      const key = q.handlers.join('\u0000');
      out.set(key, (out.get(key) ?? 0) + 1);
    }
  }
  return out;
}

/**
 * Every variant in one left-to-right chart: the variants share their common prefixes (a tree
 * from the trigger), each edge labelled with the runs that took it; render work is drawn as a
 * parallelogram (`render: x`), a step reached only by runs with an error is drawn in red.
 */
export function variantChart(variants: readonly { handlers: readonly string[]; count: number }[], isRender: (h: string) => boolean, errors: ReadonlyMap<string, number>, runs: number): string {
  const lines = ['```mermaid', 'flowchart LR', `  start(("${runs} run${runs === 1 ? '' : 's'}"))`];
  const ids = new Map<string, string>();
  const edges = new Map<string, number>();
  const errorOnly = new Map<string, boolean>();
  const label = (h: string) => mdName(h).replace(/"/g, '#quot;');
  const sorted = variants.slice().sort((a, b) => b.count - a.count || a.handlers.join('\u0000').localeCompare(b.handlers.join('\u0000')));
  for (const v of sorted) {
    const failed = (errors.get(v.handlers.join('\u0000')) ?? 0) >= v.count && v.count > 0;
    let prev = 'start';
    let path = '';
    v.handlers.forEach((h, i) => {
      path += `\u0000${h}`;
      let id = ids.get(path);
      if (!id) {
        id = `n${ids.size}`;
        ids.set(path, id);
        lines.push(isRender(h) ? `  ${id}[/"render: ${label(h)}"/]` : `  ${id}["${label(h)}"]`);
      }
      errorOnly.set(id, (errorOnly.get(id) ?? true) && failed);
      const e = `${prev} ${id}`;
      edges.set(e, (edges.get(e) ?? 0) + v.count);
      prev = id;
      void i;
    });
  }
  if (ids.size === 0) lines.push('  empty["(no handlers)"]', '  start --> empty');
  for (const [e, n] of edges) {
    const [from, to] = e.split(' ');
    lines.push(`  ${from} -->|${n}| ${to}`);
  }
  const red = [...errorOnly].filter(([, v]) => v).map(([id]) => id);
  if (red.length > 0) lines.push('  classDef error stroke:#c00,color:#c00', `  class ${red.join(',')} error`);
  lines.push('```');
  return lines.join('\n');
}

function stepTable(v: SequenceVariant, isRender: (h: string) => boolean): string {
  return table(
    ['step', 'handler', 'starts after (p50 ms)', 'duration p50', 'duration p95', 'blocking p50', 'blocking p95'],
    v.steps.map((st, i) => [String(i + 1), isRender(st.handler) ? `(render) ${mdName(st.handler)}` : mdName(st.handler), fmtMs(st.offset.p50), fmtMs(st.duration.p50), fmtMs(st.duration.p95), fmtMs(st.blocking.p50), fmtMs(st.blocking.p95)]),
    ['r', 'l', 'r', 'r', 'r', 'r', 'r'],
  );
}
