/**
 * The terminal summary of a heal run, within 100 columns: one row per fix (verdict, the primary
 * metric's before → after and ratio, rounds, branch), then each verdict's sentence wrapped, the
 * seed's metrics and where the report and branches are. The intervals and every guard are in the
 * report and the commit messages.
 */
import { renderTable } from '../node/table.ts';
import { formatFactor, formatPct, formatQuantity } from '../core/format.ts';
import { describeFix } from './apply.ts';
import type { HealResult } from './result.ts';

export const SUMMARY_COLUMNS = 100;

const pct = (x: number | null) => formatPct(x, { empty: 'n/a' });

/** Cuts `s` to `n` columns with an ellipsis. */
const fit = (s: string, n: number) => (s.length <= n ? s : `${s.slice(0, n - 1)}…`);

/** Wraps words to `width` columns; continuation lines are indented by `indent`. */
export function wrap(text: string, width = SUMMARY_COLUMNS, indent = '  '): string[] {
  const out: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    const next = line === '' ? word : `${line} ${word}`;
    if (next.length <= width || line === '' || line === indent.trimEnd()) line = next;
    else {
      out.push(line);
      line = `${indent}${word}`;
    }
  }
  if (line !== '') out.push(line);
  return out.map((l) => fit(l, width));
}

export function renderHealSummary(r: HealResult, repo: string): string {
  const rows = r.attempts.map((a) => {
    const v = a.verification;
    const p = v?.judgement?.results.find((x) => x.spec.role === 'primary');
    const c = p?.comparison;
    const [before, after] = c && p ? (p.spec.unit === 'count' ? [c.meanA, c.meanB] : [c.geoA, c.geoB]) : [0, 0];
    return {
      // Whole: the table wraps it at spaces within its column (cut, it read "memoise computeFacets(…) with use…").
      fix: a.diagnosis.fix ? describeFix(a.diagnosis.fix) : `test for ${a.diagnosis.handler}'s recurring error`,
      verdict: a.verdict,
      effect: c && p ? `${formatQuantity(before, p.spec.unit)} → ${formatQuantity(after, p.spec.unit)} (${formatFactor(c.ratio.estimate)}×)` : '–',
      rounds: v ? String(v.rounds) : '–',
      branch: a.branch ?? '–',
    };
  });
  const why = r.attempts.filter((a) => a.verification).flatMap((a) => wrap(`${a.diagnosis.handler}: ${a.verdict} — ${a.verification!.why}`));
  const table = rows.length
    ? renderTable(rows, [
        { title: 'fix', value: (x) => x.fix, align: 'left' },
        { title: 'verdict', value: (x) => x.verdict, align: 'left' },
        { title: 'primary (A → B)', value: (x) => x.effect },
        { title: 'rounds', value: (x) => x.rounds },
        { title: 'branch', value: (x) => x.branch, align: 'left' },
      ])
    : 'No fix was tried.';
  const m = r.metrics;
  return [
    table,
    '',
    ...why,
    '',
    ...wrap(`documentation accuracy ${pct(m.documentationAccuracy)} · issue detection ${pct(m.issueDetectionRate)} · fix success ${pct(m.fixSuccessRate)} · auto-applied ${pct(m.autoAppliedRate)}`),
    `report: ${r.reportFiles[1] ?? r.reportFiles[0] ?? '–'}`,
    ...r.attempts.filter((a) => a.branch).map((a) => `git -C ${repo} show ${a.branch}`),
    '',
  ].join('\n');
}
