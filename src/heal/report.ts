/**
 * The heal report: what was measured, what was found, what was tried and what the replays
 * decided, as markdown (for PRs and terminals) and self-contained HTML (inline SVG charts
 * rendered ahead by report-charts.tsx, no scripts, no external requests).
 */
import { formatMs, formatPct } from '../core/format.ts';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describeFix } from './apply.ts';
import { evidenceLines, predictionLines } from './evidence.ts';
import { renderProofsHtml, renderProofsMarkdown } from './report-proofs.ts';
import type { Attempt, HealMetrics, HealResult } from './result.ts';

const pct = (x: number | null | undefined) => formatPct(x, { empty: 'n/a' });
const ms = (x: number | null | undefined) => formatMs(x);
const esc = (s: string) => s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);

function metricsRows(m: HealMetrics): Array<[string, string, string]> {
  return [
    ['Documentation accuracy', pct(m.documentationAccuracy), 'documented handlers whose observed behaviour matches their docs'],
    ['Issue detection rate', pct(m.issueDetectionRate), 'handler discrepancies explained by at least one diagnosis'],
    ['Fix success rate', pct(m.fixSuccessRate), 'fixes tried whose A/B replay verdict is "improved"'],
    ['Auto-applied rate', pct(m.autoAppliedRate), 'fixable suggestions delivered as a branch'],
  ];
}

/**
 * The verdict's sentence, then one line per metric (primary, guards, context), then whatever
 * else the attempt's reasons add. Each sentence once: the verification's reasons are also the
 * attempt's, a broken build's `why` is its reasons joined, and an undecided verdict's reason
 * repeats `why` after its own prefix.
 */
function comparisonLines(a: Attempt): { lines: string[]; reasons: string[] } {
  const v = a.verification;
  const lines = v
    ? [`${v.why} — ${v.rounds} interleaved round${v.rounds === 1 ? '' : 's'} (paired step by step), stopped: ${v.stoppedBy}.`, ...evidenceLines(v, a.diagnosis)]
    : a.reasons.slice(0, 1);
  const said = (x: string) => lines.some((l) => l.includes(x));
  const reasons: string[] = [];
  for (const reason of a.reasons) {
    const own = v && v.why && reason.endsWith(`: ${v.why}`) ? reason.slice(0, -(v.why.length + 2)) : reason;
    if (own && !said(own) && !reasons.includes(own)) reasons.push(own);
  }
  return { lines: lines.filter((l, i) => !lines.slice(0, i).some((earlier) => earlier.includes(l))), reasons };
}

export function renderHealMarkdown(r: HealResult): string {
  const out: string[] = [`# Homeostat heal report`, '', `Healed commit \`${r.head.slice(0, 12)}\`; baseline from ${r.baseline.runs} replay runs.`, ''];
  out.push('## Metrics', '', '| metric | value | meaning |', '|---|---:|---|');
  for (const [k, v, d] of metricsRows(r.metrics)) out.push(`| ${k} | ${v} | ${d} |`);
  out.push('', '## Discrepancies (docs vs baseline replays)', '');
  if (r.check.discrepancies.length === 0) out.push('None.');
  for (const d of r.check.discrepancies) out.push(`- **${d.severity}** \`${d.kind}\` ${d.subject.type} \`${d.subject.name}\`: ${d.message}`);
  out.push('', '## Diagnoses', '');
  if (r.diagnoses.length === 0) out.push('No rule fired on this evidence.');
  for (const d of r.diagnoses) {
    out.push(`### ${d.title}`, '', `- rule \`${d.rule}\`, severity ${d.severity}, confidence ${d.confidence}`, `- root cause: ${d.rootCause}`);
    out.push(`- evidence: ${Object.entries(d.evidence).map(([k, v]) => `${k}=${v}`).join(', ')}`);
    for (const p of predictionLines(d)) out.push(`- predicted: ${p}`);
    out.push(`- ${d.fix ? `fix: ${describeFix(d.fix)}` : `advice: ${d.advice}`}`, '');
  }
  out.push('## Fixes', '');
  for (const a of r.attempts) {
    out.push(`### ${a.diagnosis.id}: ${a.verdict}`, '');
    const { lines: [first, ...lines], reasons } = comparisonLines(a);
    if (first) out.push(first, '');
    if (lines.length) out.push(...lines.map((l) => `- ${l}`), '');
    if (a.branch) out.push(`Branch \`${a.branch}\` (${a.commit?.slice(0, 12)}): code, ${a.tests.map((t) => `\`${t.path}\``).join(', ')}, docs ${a.docs.map((d) => `\`${d}\``).join(', ')}.`, '');
    if (reasons.length) out.push(...reasons.map((x) => `- ${x}`), '');
    if (a.diff) out.push('```diff', a.diff.trimEnd(), '```', '');
    if (!a.diff && a.tests.length) out.push('Generated test:', '', '```json', a.tests[0]!.content.trimEnd(), '```', '');
  }
  out.push(renderProofsMarkdown(r));
  return out.join('\n') + '\n';
}

/** A unified diff with its added lines green and removed lines red (file headers and hunks set apart). */
export function diffHtml(diff: string): string {
  return diff
    .trimEnd()
    .split('\n')
    .map((line) => {
      const cls = /^(\+\+\+|---|diff |index )/.test(line) ? 'file' : line.startsWith('@@') ? 'hunk' : line.startsWith('+') ? 'add' : line.startsWith('-') ? 'del' : '';
      return cls ? `<span class="${cls}">${esc(line)}</span>` : esc(line);
    })
    .join('\n');
}

/** Each attempt's charts (static HTML), in the order of `r.attempts`. */
export type AttemptCharts = readonly string[];

/**
 * Renders the charts of every attempt. The chart module (React, recharts, jsdom) loads only
 * here, and a report without charts beats no report: if it cannot load or draw, each attempt
 * with evidence says why instead.
 */
export async function renderAttemptCharts(r: HealResult, options: { threshold?: number } = {}): Promise<AttemptCharts> {
  try {
    const { renderVerificationCharts } = await import('./report-charts.tsx');
    return await renderVerificationCharts(
      r.attempts.map((a) => a.verification),
      options,
    );
  } catch (e) {
    const why = `<p class="note">Charts could not be drawn: ${esc(e instanceof Error ? e.message : String(e))}</p>`;
    return r.attempts.map((a) => (a.verification?.judgement ? why : ''));
  }
}

export function renderHealHtml(r: HealResult, charts: AttemptCharts = []): string {
  const metrics = metricsRows(r.metrics).map(([k, v, d]) => `<tr><td>${esc(k)}</td><td class="n">${esc(v)}</td><td>${esc(d)}</td></tr>`).join('');
  const discrepancies = r.check.discrepancies.map((d) => `<li><b>${esc(d.severity)}</b> <code>${esc(d.kind)}</code> ${esc(d.subject.name)}: ${esc(d.message)}</li>`).join('') || '<li>None.</li>';
  const diagnoses = r.diagnoses
    .map((d) => `<li><b>${esc(d.title)}</b> <small>(${esc(d.rule)}, ${esc(d.severity)}, confidence ${d.confidence})</small><br>${esc(d.rootCause)}<br><small>${esc(Object.entries(d.evidence).map(([k, v]) => `${k}=${v}`).join(', '))}</small></li>`)
    .join('') || '<li>No rule fired.</li>';
  const attempts = r.attempts
    .map((a, i) => {
      const { lines, reasons } = comparisonLines(a);
      return `<section class="attempt ${esc(a.verdict)}"><h3>${esc(a.diagnosis.id)} — <span class="verdict">${esc(a.verdict)}</span></h3>
${lines.map((l, k) => (k === 0 ? `<p>${esc(l)}</p>` : `<div class="metric">${esc(l)}</div>`)).join('')}${charts[i] ?? ''}
${a.branch ? `<p>Branch <code>${esc(a.branch)}</code> (${esc(a.commit?.slice(0, 12) ?? '')})</p>` : ''}
${reasons.length ? `<ul>${reasons.map((x) => `<li>${esc(x)}</li>`).join('')}</ul>` : ''}
${a.diff ? `<pre class="diff">${diffHtml(a.diff)}</pre>` : ''}</section>`;
    })
    .join('\n');
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Homeostat heal report</title>
<style>body{font:14px system-ui,sans-serif;max-width:960px;margin:2em auto;padding:0 1em;color:#222}
table{border-collapse:collapse}td,th{border-bottom:1px solid #ddd;padding:4px 8px}.n{text-align:right}
.attempt{border:1px solid #ddd;border-radius:6px;padding:0 1em;margin:1em 0}.improved .verdict{color:#27ae60}.partial .verdict{color:#d68910}.metric{font-size:13px;color:#444}
.broke-behaviour .verdict,.regressed .verdict{color:#c0392b}pre.diff{background:#f6f8fa;padding:8px;overflow:auto}
pre.diff .add{color:#1a7f37;background:#e6ffec;display:inline-block;min-width:100%}pre.diff .del{color:#b42318;background:#ffebe9;display:inline-block;min-width:100%}pre.diff .hunk{color:#6e7781}pre.diff .file{font-weight:bold}
.charts{display:flex;flex-wrap:wrap;gap:12px 16px;margin:1em 0}.chart{margin:0;width:440px}.chart.wide{width:900px}.chart figcaption{font-size:12px;color:#444;margin-top:2px}
.recharts-wrapper{max-width:100%}.note{color:#8a6d3b}</style></head>
<body><h1>Homeostat heal report</h1><p>Healed commit <code>${esc(r.head.slice(0, 12))}</code>; baseline from ${r.baseline.runs} replay runs.</p>
<h2>Metrics</h2><table>${metrics}</table>
<h2>Discrepancies</h2><ul>${discrepancies}</ul>
<h2>Diagnoses</h2><ul>${diagnoses}</ul>
<h2>Fixes</h2>${attempts || '<p>No fix was tried.</p>'}
${renderProofsHtml(r)}
</body></html>
`;
}

async function writeAtomic(path: string, content: string): Promise<void> {
  const tmp = `${path}.tmp-${process.pid}`;
  await writeFile(tmp, content);
  await rename(tmp, path);
}

/** Writes report.md, report.html and result.json; `threshold` is the primary's (plan.threshold, default 0.1), for the charts' decision lines. */
export async function writeHealReport(r: HealResult, dir: string, options: { threshold?: number } = {}): Promise<string[]> {
  await mkdir(dir, { recursive: true });
  const md = join(dir, 'report.md');
  const html = join(dir, 'report.html');
  const json = join(dir, 'result.json');
  await writeAtomic(md, renderHealMarkdown(r));
  await writeAtomic(html, renderHealHtml(r, await renderAttemptCharts(r, options)));
  const { baseline, ...rest } = r;
  await writeAtomic(
    json,
    JSON.stringify(
      {
        ...rest,
        baseline: { runs: baseline.runs, snapshot: baseline.snapshot },
        baselineSessions: undefined,
        attempts: r.attempts.map((a) => ({ ...a, verification: a.verification && { ...a.verification, sessions: undefined } })),
      },
      null,
      2,
    ),
  );
  return [md, html, json];
}
