/**
 * The heal report: what was measured, what was found, what was tried and what the replays
 * decided, as markdown (for PRs and terminals) and self-contained HTML (inline SVG, no
 * external requests).
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

/** The verdict's sentence, then one line per metric (primary, guards, context). */
function comparisonLines(a: Attempt): string[] {
  const v = a.verification;
  if (!v) return a.reasons.slice(0, 1);
  return [`${v.why} — ${v.rounds} interleaved rounds (paired step by step), stopped: ${v.stoppedBy}.`, ...evidenceLines(v, a.diagnosis)];
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
    const [first, ...lines] = comparisonLines(a);
    if (first) out.push(first, '');
    if (lines.length) out.push(...lines.map((l) => `- ${l}`), '');
    if (a.branch) out.push(`Branch \`${a.branch}\` (${a.commit?.slice(0, 12)}): code, ${a.tests.map((t) => `\`${t.path}\``).join(', ')}, docs ${a.docs.map((d) => `\`${d}\``).join(', ')}.`, '');
    if (a.reasons.length) out.push(...a.reasons.map((x) => `- ${x}`), '');
    if (a.diff) out.push('```diff', a.diff.trimEnd(), '```', '');
    if (!a.diff && a.tests.length) out.push('Generated test:', '', '```json', a.tests[0]!.content.trimEnd(), '```', '');
  }
  out.push(renderProofsMarkdown(r));
  return out.join('\n') + '\n';
}

/** Dots per run for A and B on the primary metric: the A/B evidence at a glance. */
function abChart(a: Attempt): string {
  const v = a.verification;
  const key = v?.judgement?.results.find((r) => r.spec.role === 'primary')?.spec.key;
  if (!v || !key || v.runs.A.length === 0) return '';
  const pick = (rows: typeof v.runs.A) => rows.map((r) => r[key]).filter((x): x is number => typeof x === 'number' && Number.isFinite(x));
  const samples = { A: pick(v.runs.A), B: pick(v.runs.B) };
  const all = [...samples.A, ...samples.B];
  const max = Math.max(...all, 1) * 1.1;
  const W = 420;
  const H = 90;
  const x = (val: number) => 60 + (val / max) * (W - 80);
  const row = (vals: number[], y: number, color: string, label: string) =>
    `<text x="4" y="${y + 4}" font-size="11">${label}</text>` +
    vals.map((val) => `<circle cx="${x(val).toFixed(1)}" cy="${y}" r="4" fill="${color}" fill-opacity="0.6"/>`).join('');
  return (
    `<svg width="${W}" height="${H}" role="img" aria-label="A/B samples">` +
    row(samples.A, 25, '#c0392b', 'before') +
    row(samples.B, 55, '#27ae60', 'after') +
    `<line x1="60" y1="75" x2="${W - 20}" y2="75" stroke="#999"/><text x="60" y="88" font-size="10">0</text>` +
    `<text x="${W - 60}" y="88" font-size="10">${max.toFixed(1)} ms</text></svg>`
  );
}

export function renderHealHtml(r: HealResult): string {
  const metrics = metricsRows(r.metrics).map(([k, v, d]) => `<tr><td>${esc(k)}</td><td class="n">${esc(v)}</td><td>${esc(d)}</td></tr>`).join('');
  const discrepancies = r.check.discrepancies.map((d) => `<li><b>${esc(d.severity)}</b> <code>${esc(d.kind)}</code> ${esc(d.subject.name)}: ${esc(d.message)}</li>`).join('') || '<li>None.</li>';
  const diagnoses = r.diagnoses
    .map((d) => `<li><b>${esc(d.title)}</b> <small>(${esc(d.rule)}, ${esc(d.severity)}, confidence ${d.confidence})</small><br>${esc(d.rootCause)}<br><small>${esc(Object.entries(d.evidence).map(([k, v]) => `${k}=${v}`).join(', '))}</small></li>`)
    .join('') || '<li>No rule fired.</li>';
  const attempts = r.attempts
    .map(
      (a) => `<section class="attempt ${esc(a.verdict)}"><h3>${esc(a.diagnosis.id)} — <span class="verdict">${esc(a.verdict)}</span></h3>
${comparisonLines(a).map((l, i) => (i === 0 ? `<p>${esc(l)}</p>` : `<div class="metric">${esc(l)}</div>`)).join('')}${abChart(a)}
${a.branch ? `<p>Branch <code>${esc(a.branch)}</code> (${esc(a.commit?.slice(0, 12) ?? '')})</p>` : ''}
${a.reasons.length ? `<ul>${a.reasons.map((x) => `<li>${esc(x)}</li>`).join('')}</ul>` : ''}
${a.diff ? `<pre class="diff">${esc(a.diff)}</pre>` : ''}</section>`,
    )
    .join('\n');
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Homeostat heal report</title>
<style>body{font:14px system-ui,sans-serif;max-width:960px;margin:2em auto;padding:0 1em;color:#222}
table{border-collapse:collapse}td,th{border-bottom:1px solid #ddd;padding:4px 8px}.n{text-align:right}
.attempt{border:1px solid #ddd;border-radius:6px;padding:0 1em;margin:1em 0}.improved .verdict{color:#27ae60}.partial .verdict{color:#d68910}.metric{font-size:13px;color:#444}
.broke-behaviour .verdict,.regressed .verdict{color:#c0392b}pre.diff{background:#f6f8fa;padding:8px;overflow:auto}</style></head>
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

export async function writeHealReport(r: HealResult, dir: string): Promise<string[]> {
  await mkdir(dir, { recursive: true });
  const md = join(dir, 'report.md');
  const html = join(dir, 'report.html');
  const json = join(dir, 'result.json');
  await writeAtomic(md, renderHealMarkdown(r));
  await writeAtomic(html, renderHealHtml(r));
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
