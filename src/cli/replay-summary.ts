/**
 * What `homeostat replay` prints on a terminal: the verdict, one row per handler (what the user
 * felt, and the budget), the failed expectations, and where the full report is. Fits 100
 * columns; report.md and report.html keep every number (run-to-run spread, sequences, charts).
 */
import type { ReplaySummary } from '../replay/summary.ts';
import { ms, renderTable, TERMINAL_WIDTH, wrap } from '../node/table.ts';

export function terminalSummary(s: ReplaySummary, outDir: string): string {
  const lines = [
    `${s.passed ? 'PASS' : 'FAIL'}: ${s.passedRuns}/${s.runs} runs passed, ${s.failures.length} failed expectations, ${s.errors.length} run errors, ${s.budgetFailures} budgets exceeded.`,
  ];
  if (s.machine && s.machine.maxLoadAvg > s.machine.cpus) {
    lines.push(...wrap(`Load average reached ${s.machine.maxLoadAvg.toFixed(1)} on ${s.machine.cpus} CPUs: timings are noisier than on an idle machine.`, TERMINAL_WIDTH));
  }
  if (s.handlers.length > 0) {
    const rows = s.handlers.slice().sort((a, b) => (a.status === 'fail' ? 0 : 1) - (b.status === 'fail' ? 0 : 1) || a.handler.localeCompare(b.handler));
    lines.push(
      '',
      renderTable(rows, [
        { title: 'handler', value: (h) => h.handler, align: 'left' },
        { title: 'calls', value: (h) => String(h.pooled.count) },
        { title: 'interaction p95 ms', value: (h) => ms(h.pooled.interactionP95) },
        { title: 'result p95 ms', value: (h) => ms(h.pooled.resultP95) },
        { title: 'frame p95 ms', value: (h) => ms(h.pooled.longestFrameP95) },
        { title: 'budget', value: (h) => h.budgetText ?? '', align: 'left' },
        { title: 'status', value: (h) => (h.status === 'no-budget' ? '' : h.status), align: 'left' },
      ]),
    );
  }
  for (const f of s.failures) {
    lines.push('', ...wrap(`✗ run ${f.label ? `${f.label} ` : ''}${f.run}, steps[${f.step}]: ${f.description} — ${f.message}`, TERMINAL_WIDTH));
  }
  for (const e of s.errors) lines.push('', ...wrap(`✗ run ${e.label ? `${e.label} ` : ''}${e.run}: ${e.error}`, TERMINAL_WIDTH));
  lines.push('', `Full report: ${outDir}/report.md and report.html`);
  return lines.join('\n');
}
