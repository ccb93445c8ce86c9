/** HANDLER_SPECS.md: per handler, what the code says (source, signature, updates) and what telemetry showed. */
import type { HandlerAggregate } from '../core/aggregate.ts';
import type { StateUpdate } from './updates.ts';
import { LONG_FRAME_MS, METRICS } from '../core/metrics.ts';
import { formatBudget, HANDLER_METRICS, STATS, type HandlerSpec } from '../core/spec.ts';
import { GENERATED_NOTE, telemetryLine, type RenderContext } from './context.ts';
import { join } from 'node:path';
import { anchor, code, fmtFrame, fmtMs, fmtPct, mdName, mdText, relPath, table } from './format.ts';
import { formatBudgetLine, formatToleranceLine } from './markdown.ts';
import type { Regions } from './regions.ts';
import { productionEntry, productionLines } from './render-production.ts';
import { HANDLER_BLOCKS, type BlockInput } from './handler-blocks.ts';
import { coverageTable, docsCoverage } from './coverage.ts';

const STATUS_TEXT: Record<string, string> = {
  ok: 'ok',
  'over-budget': 'over budget',
  drifting: 'drifting from baseline',
  undocumented: 'undocumented',
  unseen: 'not seen in the telemetry',
  'insufficient-data': 'too few calls to judge',
};

export function renderHandlerSpecs(ctx: RenderContext, regions: Regions): string {
  const { spec } = ctx;
  const observed = new Map(ctx.snapshot.handlers.map((h) => [h.handler, h]));
  const status = new Map(ctx.report.handlers.map((h) => [h.name, h]));
  const names = Object.keys(spec.handlers).sort();
  const out: string[] = [
    '# Handler specs',
    '',
    GENERATED_NOTE,
    '',
    `Budget lines read \`- **Budget:** <stat> <metric> ≤ <n> ms\` (stat: ${STATS.join(', ')}; metric: ${HANDLER_METRICS.map((m) => METRICS[m].label).join(', ')}) or \`none\`; tolerance lines \`±<n>%\` or \`default\`. When this file and \`homeostat.spec.json\` disagree, this file wins.`,
    '',
    'What the user felt comes first: **interaction** (the input’s latency to the next paint, INP-style), **time to result** (the input to the paint after the handler’s last work, transitions included) and the **longest frame** its work occupied (a frame of 200 ms or more is a visible freeze). The handler’s own duration and blocking (script only: no style or layout, ~0 for a call that only starts a transition) follow.',
    '',
    `Decision defaults (edit them in \`homeostat.spec.json\`): tolerance ±${Math.round(spec.defaults.tolerance * 100)}%, at least ${spec.defaults.minSamples} calls before a verdict, ${Math.round(spec.defaults.confidence * 100)}% confidence.`,
    '',
    regions.region('notes'),
    '',
    `App: ${spec.app ?? '(unnamed)'} · ${names.length} handlers · ${telemetryLine(ctx)}`,
    '',
    table(
      ['handler', 'status', 'calls', 'interaction p95 ms', 'time to result p95 ms', 'longest frame p95 ms', 'budget', 'transitions', 'errors', 'own blocking p95 ms'],
      names.map((name) => {
        const h = spec.handlers[name]!;
        const a = observed.get(name);
        return [
          `[${code(mdName(name))}](#${anchor(mdName(name))})`,
          STATUS_TEXT[status.get(name)?.status ?? 'ok'] ?? 'ok',
          String(a?.count ?? 0),
          fmtMs(a?.interaction?.p95),
          fmtMs(a?.result?.p95),
          fmtFrame(a?.longestFrame?.p95),
          h.budget ? formatBudget(h.budget) : '–',
          fmtPct(a?.transitionShare),
          fmtPct(a?.errorRate),
          fmtMs(a?.blocking.p95),
        ];
      }),
      ['l', 'l', 'r', 'r', 'r', 'r', 'l', 'r', 'r', 'r'],
    ),
    '',
    '### Docs coverage',
    '',
    'Which parts of the design each section documents from evidence (✓), says are missing (–), or cannot have (·, no code found).',
    '',
    coverageTable(docsCoverage(ctx)),
    '',
  ];
  for (const name of names) out.push(...handlerSection(ctx, regions, name, spec.handlers[name]!, observed.get(name)), '');
  const orphans = regions.orphans();
  if (orphans) out.push(orphans);
  return `${out.join('\n').trimEnd()}\n`;
}

function handlerSection(ctx: RenderContext, regions: Regions, name: string, h: HandlerSpec, a: HandlerAggregate | undefined): string[] {
  const src = ctx.sources.get(name);
  const out = [`## \`${mdName(name)}\``, '', regions.region(`handler=${mdName(name)}`), ''];
  if (h.description) out.push(`> ${mdText(h.description)}`, '');
  if (h.source) {
    const where = src ? ` (${code(src.kind)}${src.component ? ` in ${code(src.component)}` : ''})` : '';
    // Labelled relative to the app root (as the analysis reports it); linked relative to the docs.
    const label = src?.file ?? h.source.file.replace(/^(\.\.\/)+/, '');
    out.push(`- **Source:** [${label}:${h.source.line}](${h.source.file}#L${h.source.line})${where}`);
  } else out.push('- **Source:** not found in the analysed code');
  if (src?.definition) {
    const link = relPath(ctx.docsDir, join(ctx.root, src.definition.file));
    out.push(`- **Defined at:** [${src.definition.file}:${src.definition.line}](${link}#L${src.definition.line})`);
  }
  const input: BlockInput = { name, spec: h, observed: a, source: src };
  const block = (id: string): string[] => HANDLER_BLOCKS.find((b) => b.id === id)?.render(ctx, input)?.lines ?? [];
  if (src) {
    out.push(`- **Signature:** ${code(src.signature)}`);
    out.push(...block('parameters'));
    out.push(`- **Returns:** ${code(src.returns)}`);
    out.push(`- **Async:** ${src.async ? 'yes' : 'no'}`);
    out.push(...block('routing'));
    out.push(`- **State updates:** ${src.updates.length === 0 ? 'none found' : src.updates.map((u) => updateText(ctx, src.file, u)).join('; ')}`);
  }
  // The other code blocks in their order (dependencies, error handling, tests, and any added later).
  for (const b of HANDLER_BLOCKS) if (b.placement === 'code' && b.id !== 'parameters' && b.id !== 'routing') out.push(...(b.render(ctx, input)?.lines ?? []));
  out.push(formatBudgetLine(h.budget));
  out.push(formatToleranceLine(h.tolerance, ctx.spec.defaults.tolerance));
  out.push(`- **Status:** ${statusText(ctx, name)}`);
  out.push(...productionLines(productionEntry(ctx.production, name)));
  if (a) {
    const updating = a.modes.blocking + a.modes.transition + a.modes.mixed;
    out.push(`- **What the user felt:** ${feltText(a)}`);
    out.push(
      `- **Transition share:** ${a.transitionShare === null ? 'no React updates seen' : `${fmtPct(a.transitionShare)} of ${plural(updating, 'updating call')} (${a.modes.transition} transition, ${a.modes.mixed} mixed, ${a.modes.blocking} blocking)`}`,
    );
    out.push(`- **Own blocking time** (script only): ${fmtMs(a.blockingTotalMs)} ms in total over ${plural(a.count, 'call')} (mean ${fmtMs(a.blocking.mean)} ms)`);
    out.push(`- **Error rate:** ${fmtPct(a.errorRate)} (${a.errors} of ${a.count})`);
  }
  // What the telemetry adds: observed errors, field scenarios, optimisation notes (and any block added later).
  for (const b of HANDLER_BLOCKS) if (b.placement === 'telemetry') out.push(...(b.render(ctx, input)?.lines ?? []));
  const b = h.baseline;
  if (b) {
    const min = ctx.spec.defaults.minSamples;
    const provisional = b.n < min ? ` **Provisional:** ${b.n} < ${min} calls (\`minSamples\`), too few to describe the handler; \`homeostat check\` judges no drift against it until the docs are regenerated from more telemetry.` : '';
    out.push('', `Baseline: n=${b.n}, ${b.date}${b.build ? `, build ${b.build}` : ''}, error rate ${fmtPct(b.errorRate)}, transition share ${fmtPct(b.transitionShare)}.${provisional}`, '', contextLine(b.context), '');
    const rows = HANDLER_METRICS.flatMap((m) => {
      const s = b.metrics[m];
      return s ? [[METRICS[m].label, fmtMs(s.mean), fmtMs(s.p50), fmtMs(s.p75), fmtMs(s.p95), fmtMs(s.p99)]] : [];
    });
    out.push(table(['metric (ms)', 'mean', 'p50', 'p75', 'p95', 'p99'], rows, ['l', 'r', 'r', 'r', 'r', 'r']));
  } else out.push('', 'Baseline: none yet (no telemetry).');
  if (h.field) out.push(...fieldSection(h.field));
  return out;
}

/**
 * One state update: what is called, the state it changes (reducer action and fields when known),
 * where the call is (a link), and how React schedules it: `dispatch` → `state.todos` (action
 * `add`) at [App.tsx:14](…), blocking, via `App.addTodo`.
 */
function updateText(ctx: RenderContext, handlerFile: string, u: StateUpdate): string {
  const file = u.file ?? handlerFile;
  const fields = u.fields ?? [];
  const state = u.state ? ` → ${fields.length ? fields.map((f) => code(`${u.state}.${f}`)).join(', ') : code(u.state)}` : '';
  const action = u.action ? ` (action ${code(u.action)})` : '';
  const link = `[${file}:${u.line}](${relPath(ctx.docsDir, join(ctx.root, file))}#L${u.line})`;
  const via = u.via ? `, via ${code(u.via)}` : '';
  return `${code(u.setter)}${state}${action} at ${link}, ${u.transition ? 'in a transition' : 'blocking'}${via}`;
}

/** The field baseline: what real users' sessions gave, with where it came from. */
function fieldSection(f: NonNullable<HandlerSpec['field']>): string[] {
  const src = f.source;
  const where = src
    ? `${src.sessions ?? '?'} sessions from ${src.store ?? 'the field'}${src.from ? `, ${src.from.slice(0, 10)} to ${(src.to ?? src.from).slice(0, 10)}` : ''}${src.relativeAccuracy !== undefined ? `, quantiles within ±${fmtPct(src.relativeAccuracy)}` : ''}`
    : 'field data';
  const rows = HANDLER_METRICS.flatMap((m) => {
    const s = f.metrics[m];
    return s ? [[m, fmtMs(s.mean), fmtMs(s.p50), fmtMs(s.p75), fmtMs(s.p95), fmtMs(s.p99)]] : [];
  });
  return [
    '',
    `Field baseline: n=${f.n}, ${where}${f.build ? `, build ${f.build}` : ''}, error rate ${fmtPct(f.errorRate)}, transition share ${fmtPct(f.transitionShare)}.`,
    '',
    table(['field metric (ms)', 'mean', 'p50', 'p75', 'p95', 'p99'], rows, ['l', 'r', 'r', 'r', 'r', 'r']),
  ];
}

/** The machine the baseline was recorded on: what `check` normalises by. */
function contextLine(c: NonNullable<HandlerSpec['baseline']>['context']): string {
  if (!c) return 'Machine: not recorded (a baseline from before machine context): `homeostat check` compares its timings as recorded and says so.';
  const cal = c.calibrationMs === null ? 'no CPU calibration (not replayed)' : `CPU calibration ${fmtMs(c.calibrationMs)} ms (median at replay start)`;
  const load = c.loadAvg === null ? 'load unknown' : `load average up to ${c.loadAvg.toFixed(2)}${c.cpus ? ` on ${c.cpus} CPUs` : ''}`;
  return `Machine: clock step ${c.clockMs} ms, ${cal}, ${load}. \`homeostat check\` scales these timings by the calibration ratio on a faster or slower machine.`;
}

function statusText(ctx: RenderContext, name: string): string {
  const s = ctx.report.handlers.find((h) => h.name === name);
  if (!s) return 'ok';
  const found = ctx.report.discrepancies.filter((d) => d.subject.type === 'handler' && d.subject.name === name);
  const more = s.needed === undefined ? '' : s.needed === null ? '; calls like these would not decide it' : `; ${plural(s.needed, 'more call')} would decide it at the rate seen`;
  const few = `${s.metric ? `${s.n} calls with ${s.metric} < ${ctx.spec.defaults.minSamples}` : `${s.n} < ${ctx.spec.defaults.minSamples}`}${more}`;
  const base = s.reason ? `not judged: ${mdText(s.reason)}` : `${STATUS_TEXT[s.status] ?? s.status}${s.status === 'insufficient-data' ? ` (${few})` : ''}`;
  return found.length === 0 ? base : `${base}: ${found.map((d) => mdText(d.message.replace(`${name}: `, ''))).join('; ')}`;
}

/** "interaction 72 / 608 ms (p50 / p95), time to result 75 / 610 ms, longest frame 67 / 563 ms". */
function feltText(a: HandlerAggregate): string {
  const parts: string[] = [];
  const add = (label: string, s: HandlerAggregate['interaction']) => {
    if (s && s.count > 0) parts.push(`${label} ${fmtMs(s.p50)} / ${fmtMs(s.p95)} ms`);
  };
  add('interaction', a.interaction);
  add('time to result', a.result);
  if (a.longestFrame && a.longestFrame.count > 0 && a.longestFrame.p95 === 0) parts.push(`no frame over ${LONG_FRAME_MS} ms`);
  else add('longest frame', a.longestFrame);
  return parts.length === 0 ? 'no browser evidence in these sessions (recorded before it was kept, or not observable)' : `${parts.join(', ')} (p50 / p95)`;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
