import { describe, expect, it } from 'vitest';
import { synthetic } from './__tests__/verification.ts';
import type { HealResult } from './result.ts';
import { renderHealSummary, SUMMARY_COLUMNS } from './summary.ts';

const attempt = (handler: string, fix: object, branch: string | null) => ({
  diagnosis: { id: `x:${handler}`, rule: 'repeated-computation', handler, fix },
  verdict: 'improved',
  verification: synthetic(),
  branch,
});

describe('the heal summary', () => {
  it('fits 100 columns and keeps every fix name whole, wrapped at spaces', () => {
    const r = {
      attempts: [
        attempt('computeFacets', { codemod: 'memo-value', file: 'App.tsx', callee: 'computeFacets' }, 'homeostat/fix-computeFacets'),
        attempt('renderReact', { codemod: 'memo-component', file: 'CartPanel.tsx', component: 'CartPanel' }, null),
      ],
      metrics: { documentationAccuracy: 1, issueDetectionRate: null, fixSuccessRate: 0.5, autoAppliedRate: 0.5 },
      reportFiles: ['/tmp/r/report.md', '/tmp/r/report.html'],
    } as unknown as HealResult;
    const text = renderHealSummary(r, '/tmp/r/app');
    for (const line of text.split('\n')) expect(line.length, line).toBeLessThanOrEqual(SUMMARY_COLUMNS);
    const table = text.split('\n\n')[0]!;
    // The first column's pieces, row by row, read back as the whole fix names.
    const firstColumn = table.split('\n').slice(2).map((l) => l.split(/\s{2,}/)[0]!.trim()).filter(Boolean).join(' ');
    expect(firstColumn).toContain('memoise computeFacets(…) with useMemo');
    expect(firstColumn).toContain('wrap CartPanel in React.memo');
    expect(table).not.toMatch(/\w…(\s|$)/);
  });
});
