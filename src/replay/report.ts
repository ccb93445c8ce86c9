/**
 * The replay report, as markdown (CI logs, pull requests) or a self-contained HTML page with
 * inline SVG charts (no external requests, so it opens offline and from CI artefacts).
 */
import { formatMs, formatPct } from '../core/format.ts';
import { relative } from 'node:path';
import type { HandlerSummary, ReplaySummary, SequenceSummary } from './summary.ts';
import type { SeriesStats } from './stats.ts';

export interface ReportOptions {
  /** Directory the report is written to: screenshot paths become relative to it. */
  baseDir?: string;
}

// Never finer than the clock could tell apart (an unknown clock is taken as the coarse 100 µs).
const num = (v: number | null | undefined, resolutionMs: number | null): string => formatMs(v, { resolutionMs: resolutionMs ?? 0.1 });
const pct = (v: number | null): string => formatPct(v);

const STATUS: Record<string, string> = { pass: 'pass', fail: 'FAIL', 'no-budget': '–', 'no-data': 'no data' };

function range(s: SeriesStats, res: number | null): string {
  return s.min === null ? '–' : `${num(s.min, res)}–${num(s.max, res)}`;
}

function perRunCalls(calls: number[]): string {
  const distinct = [...new Set(calls)];
  return distinct.length === 1 ? String(distinct[0]) : `${Math.min(...calls)}–${Math.max(...calls)}`;
}

interface Row {
  cells: string[];
}

function handlerRows(s: ReplaySummary): { head: string[]; rows: Row[] } {
  const res = s.clock.resolutionMs;
  return {
    head: [
      'handler', 'calls/run', 'interaction p50 ms', 'time to result p50 ms', 'longest frame p50 ms',
      'own p50 ms', 'blocking p50 ms', 'blocking p50 range', 'CV', 'runs for ±20%', 'geomean CV', 'runs for ±20% (geomean)', 'docs baseline p50', 'budget', 'observed', 'status',
    ],
    rows: s.handlers.map((h: HandlerSummary) => ({
      cells: [
        h.handler,
        perRunCalls(h.calls),
        num(h.interactionP50.mean, res),
        num(h.resultP50.mean, res),
        num(h.frameP50.mean, res),
        num(h.durationP50.mean, res),
        num(h.blockingP50.mean, res),
        range(h.blockingP50, res),
        pct((h.blockingP50.mean ?? 0) > 0 ? h.blockingP50.cv : h.durationP50.cv),
        h.runsFor20 === null ? '–' : String(h.runsFor20),
        pct(h.blockingGeoMean.cv),
        h.runsFor20GeoMean === null ? '–' : String(h.runsFor20GeoMean),
        h.baseline ? `${num(h.baseline.durationP50, res)} / ${num(h.baseline.blockingP50, res)} blk` : '–',
        h.budgetText ?? '–',
        num(h.observed, res),
        STATUS[h.status]!,
      ],
    })),
  };
}

function sequenceRows(s: ReplaySummary): { head: string[]; rows: Row[] } {
  const res = s.clock.resolutionMs;
  return {
    head: ['sequence', 'count/run', 'interaction p50 ms', 'time to result p50 ms (mean of runs)', 'p50 range', 'CV', 'runs for ±20%', 'order', 'budget', 'observed', 'status'],
    rows: s.sequences.map((q: SequenceSummary) => ({
      cells: [
        q.name,
        perRunCalls(q.counts),
        num(q.interactionP50.mean, res),
        num(q.durationP50.mean, res),
        range(q.durationP50, res),
        pct(q.durationP50.cv),
        q.runsFor20 === null ? '–' : String(q.runsFor20),
        q.order.join(' → ') + (q.documentedOrder && q.documentedOrder.join() !== q.order.join() ? ` (docs: ${q.documentedOrder.join(' → ')})` : ''),
        q.budget ? `${q.budget.stat} ≤ ${q.budget.ms} ms` : '–',
        num(q.observed, res),
        STATUS[q.status]!,
      ],
    })),
  };
}

function shotPath(path: string | null, options: ReportOptions): string | null {
  if (!path) return null;
  return options.baseDir ? relative(options.baseDir, path) : path;
}

function headline(s: ReplaySummary): string[] {
  const res = s.clock.resolutionMs;
  return [
    `**${s.passed ? 'PASS' : 'FAIL'}**: ${s.passedRuns}/${s.runs} runs passed, ${s.failures.length} failed expectations, ${s.errors.length} run errors, ${s.budgetFailures} budgets exceeded.`,
    `Clock resolution ${res === null ? 'unknown' : `${Math.round(res * 1000)} µs`}${s.clock.crossOriginIsolated ? ' (cross-origin isolated)' : ''}; a warm-up run is not counted.`,
    ...(s.machine && s.machine.maxLoadAvg > s.machine.cpus
      ? [`Warning: the machine's load average reached ${s.machine.maxLoadAvg.toFixed(1)} on ${s.machine.cpus} CPUs during the runs: other processes competed for the CPU, so timings are noisier than on an idle machine.`]
      : []),
    'Interaction is the latency of the input that ran the handler (Event Timing, to the next paint); time to result runs from the input to the paint after the last work, transitions included; the longest frame is the longest Long Animation Frame the work occupied. Own p50 and blocking are the handler’s own script time: not what the user felt.',
    'CV is the run-to-run coefficient of variation of the per-run p50 (blocking time, or duration for handlers that never block); "runs for ±20%" is how many runs per build a two-sample comparison needs to detect a 20% change (α 0.05, power 0.8). Geomean CV is the spread of each run\'s geometric mean of every call\'s blocking time: steadier than the p50 when calls differ in size, so the better figure for before/after comparisons.',
  ];
}

function markdownTable(t: { head: string[]; rows: Row[] }): string {
  const esc = (c: string) => c.replace(/\|/g, '\\|');
  return [`| ${t.head.join(' | ')} |`, `|${t.head.map(() => '---').join('|')}|`, ...t.rows.map((r) => `| ${r.cells.map(esc).join(' | ')} |`)].join('\n');
}

function markdown(s: ReplaySummary, options: ReportOptions): string {
  const out = [`# Replay report${s.title ? `: ${s.title}` : ''}`, '', ...headline(s).flatMap((l) => [l, '']), '## Handlers', '', markdownTable(handlerRows(s)), '', '## Sequences', '', markdownTable(sequenceRows(s)), ''];
  if (s.failures.length > 0) {
    out.push('## Failed expectations', '');
    for (const f of s.failures) {
      const shot = shotPath(f.screenshot, options);
      out.push(`- run ${f.label ? `${f.label} ` : ''}${f.run}, steps[${f.step}]: ${f.description} — ${f.message}${shot ? ` ([screenshot](${shot}))` : ''}`);
    }
    out.push('');
  }
  if (s.errors.length > 0) {
    out.push('## Run errors', '');
    for (const e of s.errors) {
      const shots = e.screenshots.map((p) => shotPath(p, options)).map((p) => `[screenshot](${p})`);
      out.push(`- run ${e.label ? `${e.label} ` : ''}${e.run}: ${e.error}${shots.length ? ` (${shots.join(', ')})` : ''}`);
    }
    out.push('');
  }
  out.push('## Runs', '', markdownTable({
    head: ['run', 'passed', 'failed expectations', 'wall s', 'session'],
    rows: s.runResults.map((r) => ({ cells: [String(r.index), r.passed ? 'yes' : 'no', String(r.failedExpectations), (r.wallMs / 1000).toFixed(1), r.session ?? '–'] })),
  }), '');
  return out.join('\n');
}

function esc(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** Per-run values as dots on a line, with the mean; an optional budget line. */
function sparkline(stats: SeriesStats, budget: number | null): string {
  const w = 160;
  const h = 28;
  const vals = stats.values.map((v) => (v === null ? null : v));
  const finite = vals.filter((v): v is number => v !== null);
  if (finite.length === 0) return '';
  const top = Math.max(...finite, budget ?? 0) * 1.1 || 1;
  const x = (i: number) => (vals.length === 1 ? w / 2 : 4 + (i * (w - 8)) / (vals.length - 1));
  const y = (v: number) => h - 3 - (v / top) * (h - 6);
  const dots = vals.map((v, i) => (v === null ? '' : `<circle cx="${x(i).toFixed(1)}" cy="${y(v).toFixed(1)}" r="2.5" fill="#2563eb"><title>run ${i + 1}: ${v.toFixed(3)} ms</title></circle>`)).join('');
  const mean = stats.mean === null ? '' : `<line x1="0" x2="${w}" y1="${y(stats.mean).toFixed(1)}" y2="${y(stats.mean).toFixed(1)}" stroke="#94a3b8" stroke-dasharray="3 2"/>`;
  const limit = budget === null ? '' : `<line x1="0" x2="${w}" y1="${y(budget).toFixed(1)}" y2="${y(budget).toFixed(1)}" stroke="#dc2626"><title>budget ${budget} ms</title></line>`;
  return `<svg class="spark" width="${w}" height="${h}" viewBox="0 0 ${w} ${h}" role="img" aria-label="per-run p50">${mean}${limit}${dots}</svg>`;
}

/** Horizontal bars: mean of per-run p50, with a whisker from the lowest to the highest run. */
function barChart(items: { name: string; stats: SeriesStats }[], unit: string): string {
  const rows = items.filter((i) => i.stats.mean !== null).slice(0, 20);
  if (rows.length === 0) return '';
  const labelW = 200;
  const plotW = 460;
  const rowH = 22;
  const h = rows.length * rowH + 24;
  const top = Math.max(...rows.map((r) => r.stats.max ?? 0)) * 1.05 || 1;
  const sx = (v: number) => labelW + (v / top) * plotW;
  const bars = rows
    .map((r, i) => {
      const y = 4 + i * rowH;
      const m = r.stats.mean!;
      return (
        `<text x="${labelW - 6}" y="${y + 14}" text-anchor="end">${esc(r.name)}</text>` +
        `<rect x="${labelW}" y="${y + 4}" width="${(sx(m) - labelW).toFixed(1)}" height="${rowH - 8}" fill="#93c5fd"><title>${esc(r.name)}: mean ${m.toFixed(3)} ${unit}</title></rect>` +
        `<line x1="${sx(r.stats.min!).toFixed(1)}" x2="${sx(r.stats.max!).toFixed(1)}" y1="${y + rowH / 2}" y2="${y + rowH / 2}" stroke="#1e3a8a"/>` +
        `<text x="${(sx(r.stats.max!) + 4).toFixed(1)}" y="${y + 14}" fill="#475569">${m.toFixed(2)}</text>`
      );
    })
    .join('');
  const axis = `<text x="${labelW}" y="${h - 4}" fill="#475569">0</text><text x="${labelW + plotW}" y="${h - 4}" text-anchor="end" fill="#475569">${top.toFixed(1)} ${unit}</text>`;
  return `<svg width="${labelW + plotW + 60}" height="${h}" viewBox="0 0 ${labelW + plotW + 60} ${h}" font-size="12" font-family="system-ui, sans-serif" role="img">${bars}${axis}</svg>`;
}

function htmlTable(t: { head: string[]; rows: Row[] }, extra?: (i: number) => string): string {
  const head = `<tr>${t.head.map((c) => `<th>${esc(c)}</th>`).join('')}${extra ? '<th>per run</th>' : ''}</tr>`;
  const body = t.rows
    .map((r, i) => `<tr>${r.cells.map((c) => `<td${c === 'FAIL' ? ' class="fail"' : c === 'pass' ? ' class="pass"' : ''}>${esc(c)}</td>`).join('')}${extra ? `<td>${extra(i)}</td>` : ''}</tr>`)
    .join('');
  return `<table>${head}${body}</table>`;
}

function html(s: ReplaySummary, options: ReportOptions): string {
  const title = `Replay report${s.title ? `: ${s.title}` : ''}`;
  const parts = [
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${esc(title)}</title>`,
    '<style>body{font:14px/1.4 system-ui,sans-serif;margin:2em;color:#0f172a}table{border-collapse:collapse;margin:1em 0}th,td{border:1px solid #cbd5e1;padding:3px 8px;text-align:right}th:first-child,td:first-child{text-align:left}.fail{color:#b91c1c;font-weight:bold}.pass{color:#15803d}.verdict{font-size:1.3em}img{max-width:640px;border:1px solid #cbd5e1}</style></head><body>',
    `<h1>${esc(title)}</h1>`,
    ...headline(s).map((l, i) => `<p${i === 0 ? ' class="verdict"' : ''}>${esc(l).replace(/\*\*(.+?)\*\*/g, '<strong class="$1">$1</strong>').replace('class="FAIL"', 'class="fail"').replace('class="PASS"', 'class="pass"')}</p>`),
    '<h2>Handlers</h2>',
    '<p>What the user felt per handler: interaction latency (time to result for handlers no input runs), mean of the per-run p50, whisker from the lowest to the highest run.</p>',
    barChart(s.handlers.map((h) => ({ name: h.handler, stats: h.interactionP50.mean !== null ? h.interactionP50 : h.resultP50 })), 'ms'),
    htmlTable(handlerRows(s), (i) => {
      const h = s.handlers[i]!;
      const useBlocking = (h.blockingP50.mean ?? 0) > 0;
      const budget = h.budget && h.budget.stat === 'p50' && h.budget.metric === (useBlocking ? 'blocking' : 'duration') ? h.budget.ms : null;
      return sparkline(useBlocking ? h.blockingP50 : h.durationP50, budget);
    }),
    '<h2>Sequences</h2>',
    barChart(s.sequences.map((q) => ({ name: q.name, stats: q.durationP50 })), 'ms'),
    htmlTable(sequenceRows(s), (i) => {
      const q = s.sequences[i]!;
      return sparkline(q.durationP50, q.budget?.stat === 'p50' ? q.budget.ms : null);
    }),
  ];
  if (s.failures.length > 0) {
    parts.push('<h2>Failed expectations</h2>');
    for (const f of s.failures) {
      const shot = shotPath(f.screenshot, options);
      parts.push(`<h3>Run ${esc(f.label ? `${f.label} ` : '')}${f.run}, steps[${f.step}]: ${esc(f.description)}</h3><p>${esc(f.message)}</p>${shot ? `<img src="${esc(shot)}" alt="screenshot of the failure">` : ''}`);
    }
  }
  if (s.errors.length > 0) {
    parts.push('<h2>Run errors</h2>');
    for (const e of s.errors) {
      parts.push(`<h3>Run ${esc(e.label ? `${e.label} ` : '')}${e.run}</h3><p>${esc(e.error)}</p>${e.screenshots.map((p) => `<img src="${esc(shotPath(p, options)!)}" alt="screenshot">`).join('')}`);
    }
  }
  parts.push(
    '<h2>Runs</h2>',
    htmlTable({
      head: ['run', 'passed', 'failed expectations', 'wall s', 'session'],
      rows: s.runResults.map((r) => ({ cells: [String(r.index), r.passed ? 'pass' : 'FAIL', String(r.failedExpectations), (r.wallMs / 1000).toFixed(1), r.session ?? '–'] })),
    }),
    '</body></html>',
  );
  return parts.join('\n');
}

/** The report as markdown or self-contained HTML (inline SVG, no external requests). */
export function renderReport(summary: ReplaySummary, format: 'md' | 'html', options: ReportOptions = {}): string {
  return format === 'md' ? markdown(summary, options) : html(summary, options);
}
