/**
 * The heal report as a reader meets it: each verdict sentence once (the verification's reasons
 * are also the attempt's), the diff coloured line by line, and the charts inline in one file that
 * needs no script and fetches nothing.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Diagnosis } from '../core/diagnose.ts';
import { synthetic } from './__tests__/verification.ts';
import { diffHtml, renderHealHtml, renderHealMarkdown, writeHealReport } from './report.ts';
import type { Attempt, HealResult } from './result.ts';
import type { Verification } from './verify.ts';

const diagnosis = {
  id: 'blocking-update:renderReact',
  rule: 'blocking-update',
  handler: 'renderReact',
  title: 'renderReact blocks input',
  impact: { metric: { kind: 'handler', handler: 'renderReact', metric: 'interaction', stat: 'p95' }, currentMs: 400, predictedMs: 120, predictedChange: -0.7, predictions: [] },
} as unknown as Diagnosis;

const attempt = (verification: Verification | null, extra: Partial<Attempt> = {}): Attempt => ({
  diagnosis,
  verdict: verification?.verdict ?? 'not-applicable',
  reasons: verification?.reasons.slice() ?? [],
  diff: null,
  edits: [],
  verification,
  branch: null,
  commit: null,
  tests: [],
  docs: [],
  pr: null,
  ...extra,
});

const result = (attempts: Attempt[]): HealResult => ({
  head: '0123456789abcdef',
  baseline: { runs: 2, snapshot: {} as HealResult['baseline']['snapshot'], sessions: [] },
  check: { discrepancies: [] } as unknown as HealResult['check'],
  spec: null,
  diagnoses: [],
  attempts,
  metrics: { documentationAccuracy: 1, issueDetectionRate: 1, fixSuccessRate: 0, autoAppliedRate: 0 },
  timings: {},
  reportFiles: [],
});

const count = (text: string, part: string) => text.split(part).length - 1;
const esc = (s: string) => s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);

describe('heal report', () => {
  it('prints an undecided verdict sentence once, keeping its reason’s own words', () => {
    const v = synthetic();
    v.verdict = 'unresolved';
    v.stoppedBy = 'max-runs';
    v.reasons = [`undecided after 6 paired rounds (max-runs): ${v.why}`];
    const r = result([attempt(v)]);
    for (const text of [renderHealMarkdown(r), renderHealHtml(r)]) {
      expect(count(text, text.startsWith('#') ? v.why : esc(v.why))).toBe(1);
      expect(count(text, 'undecided after 6 paired rounds (max-runs)')).toBe(1);
    }
  });

  it('prints each reason of a broken build once, though `why` joins them and the attempt repeats them', () => {
    const reasons = ['patched build: flow: step 3 (results appear) failed', 'patched build: flow: the page exported no Homeostat session'];
    const v: Verification = { ...synthetic(), verdict: 'broke-behaviour', judgement: null, why: reasons.join('; '), reasons, rounds: 0, stoppedBy: 'dropped', paired: {} };
    const r = result([attempt(v)]);
    const html = renderHealHtml(r);
    const md = renderHealMarkdown(r);
    for (const reason of reasons) {
      expect(count(html, esc(reason))).toBe(1);
      expect(count(md, reason)).toBe(1);
    }
  });

  it('prints an attempt without verification once, however many reasons it has', () => {
    const r = result([attempt(null, { verdict: 'build-failed', reasons: ['vite build failed', 'vite build failed', 'no bundle'] })]);
    const html = renderHealHtml(r);
    expect(count(html, 'vite build failed')).toBe(1);
    expect(count(html, 'no bundle')).toBe(1);
  });

  it('colours the diff: added lines green, removed red, headers and hunks apart', () => {
    const diff = ['--- a/src/App.tsx', '+++ b/src/App.tsx', '@@ -1,3 +1,3 @@', ' const a = 1;', '-setItems(x);', '+startTransition(() => setItems(x));', ''].join('\n');
    const html = diffHtml(diff);
    expect(html).toContain('<span class="del">-setItems(x);</span>');
    expect(html).toContain('<span class="add">+startTransition(() =&gt; setItems(x));</span>');
    expect(html).toContain('<span class="file">--- a/src/App.tsx</span>');
    expect(html).toContain('<span class="file">+++ b/src/App.tsx</span>');
    expect(html).toContain('<span class="hunk">@@ -1,3 +1,3 @@</span>');
    expect(html).toContain('\n const a = 1;\n');
    const page = renderHealHtml(result([attempt(synthetic(), { diff })]));
    expect(page).toMatch(/pre\.diff \.add\{color:#[0-9a-f]+/);
    expect(page).toContain('<span class="add">');
  });

  describe('written to disk', () => {
    let dir = '';
    beforeAll(async () => {
      dir = await mkdtemp(join(tmpdir(), 'homeostat-report-'));
    });
    afterAll(async () => {
      if (dir) await rm(dir, { recursive: true, force: true });
    });

    it('draws the charts inline: one self-contained file, no script, no external request', async () => {
      // Two attempts with charts (only the primary's rounds: each chart costs a render), one without.
      const primaryOnly = () => {
        const v = synthetic();
        v.paired = { 'h:interaction': v.paired['h:interaction']! };
        return v;
      };
      const r = result([attempt(primaryOnly()), attempt(primaryOnly()), attempt(null, { verdict: 'build-failed', reasons: ['vite build failed'] })]);
      await writeHealReport(r, dir);
      const html = await readFile(join(dir, 'report.html'), 'utf8');
      expect(count(html, '<figure')).toBe(6);
      expect(html).toContain('<svg');
      expect(html).not.toContain('<script');
      expect(html).not.toMatch(/\b(src|href)="(https?:)?\/\//);
      expect(html).not.toContain('Charts could not be drawn');
      // The chart ids (clip paths) are unique in the page, across attempts too.
      const ids = [...html.matchAll(/\sid="([^"]+)"/g)].map((m) => m[1]);
      expect(new Set(ids).size).toBe(ids.length);
    }, 60_000);

    it('still writes the report when the charts cannot be drawn, and says why where they would be', async () => {
      vi.resetModules();
      vi.doMock('./report-charts.tsx', () => ({
        renderVerificationCharts: async () => {
          throw new Error('Cannot find package jsdom');
        },
      }));
      try {
        const { writeHealReport: write } = await import('./report.ts');
        const r = result([attempt(synthetic()), attempt(null, { verdict: 'build-failed', reasons: ['vite build failed'] })]);
        await write(r, dir);
        const html = await readFile(join(dir, 'report.html'), 'utf8');
        expect(count(html, 'Charts could not be drawn: Cannot find package jsdom')).toBe(1);
        expect(html).toContain(esc(synthetic().why));
      } finally {
        vi.doUnmock('./report-charts.tsx');
        vi.resetModules();
      }
    });
  });
});
