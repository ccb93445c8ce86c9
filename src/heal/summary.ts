/** The terminal summary of a heal run: outcomes per fix, the seed's metrics, where things went. */
import { renderTable } from '../node/table.ts';
import { formatPct, formatQuantity } from '../core/format.ts';
import { formatRatio } from '../core/verdict.ts';
import { describeFix } from './apply.ts';
import type { HealResult } from './result.ts';

const pct = (x: number | null) => formatPct(x, { empty: 'n/a' });

export function renderHealSummary(r: HealResult, repo: string): string {
  const rows = r.attempts.map((a) => {
    const v = a.verification;
    const p = v?.judgement?.results.find((x) => x.spec.role === 'primary');
    const c = p?.comparison;
    return {
      fix: a.diagnosis.fix ? describeFix(a.diagnosis.fix) : `regression test for ${a.diagnosis.handler}'s recurring error`,
      verdict: a.verdict,
      effect: c && p ? `${p.spec.label}: ${formatQuantity(c.meanA, p.spec.unit)} → ${formatQuantity(c.meanB, p.spec.unit)} (${formatRatio(c.ratio)})` : '–',
      runs: v ? `${v.rounds}+${v.rounds}` : '–',
      branch: a.branch ?? '–',
    };
  });
  const why = r.attempts.filter((a) => a.verification).map((a) => `${a.diagnosis.handler}: ${a.verdict} — ${a.verification!.why}`);
  const table = rows.length
    ? renderTable(rows, [
        { title: 'fix', value: (x) => x.fix, align: 'left' },
        { title: 'verdict', value: (x) => x.verdict, align: 'left' },
        { title: 'effect (A → B)', value: (x) => x.effect },
        { title: 'runs', value: (x) => x.runs },
        { title: 'branch', value: (x) => x.branch, align: 'left' },
      ])
    : 'No fix was tried.';
  const m = r.metrics;
  return [
    table,
    '',
    ...why,
    '',
    `documentation accuracy ${pct(m.documentationAccuracy)} · issue detection ${pct(m.issueDetectionRate)} · fix success ${pct(m.fixSuccessRate)} · auto-applied ${pct(m.autoAppliedRate)}`,
    `report: ${r.reportFiles[1] ?? r.reportFiles[0] ?? '–'}`,
    ...r.attempts.filter((a) => a.branch).map((a) => `git -C ${repo} show ${a.branch}`),
    '',
  ].join('\n');
}
