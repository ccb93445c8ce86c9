import { describe, expect, it } from 'vitest';
import { decideProof, proofLines } from './prove.ts';
import type { TestRunResult } from './run-tests.ts';
import type { GeneratedTest } from './testgen.ts';
import type { Signal } from './test-file.ts';

const signal: Signal = { kind: 'blockingShare', handler: 'renderReact' };
const thrown: Signal = { kind: 'errors', handler: 'parseQuery' };
const fixTest: GeneratedTest = {
  path: 'e2e/homeostat/renderReact.fix.test.json', kind: 'fix', deterministic: true,
  test: { format: 'homeostat.test', version: 1, name: 't', about: [], flows: ['../../flows/search.json'], assert: [{ signal, max: 0.5 }], observe: [] },
};
const errorTest: GeneratedTest = { ...fixTest, path: 'e2e/homeostat/parseQuery.errors.test.json', kind: 'error', test: { ...fixTest.test, assert: [{ signal: { kind: 'uncaughtErrors' }, max: 0 }], observe: [thrown] } };

/** A run whose one assertion measured `value` (against the test's limit) and whose flow ran through unless `error`. */
function run(t: GeneratedTest, value: number | null, o: { error?: string; observed?: number } = {}): TestRunResult {
  const a = t.test.assert[0]!;
  const passed = value !== null && value <= a.max;
  return {
    name: t.test.name, file: null, url: 'http://x/', passed: passed && !o.error,
    assertions: [{ assertion: a, label: 'l', value, passed }],
    observed: t.test.observe.map((s) => ({ signal: s, label: 'thrown', value: o.observed ?? null })),
    flows: [{ flow: '../../flows/search.json', passed: !o.error, error: o.error ?? null, failedExpectations: [], wallMs: 3000 }],
    pageErrors: [], wallMs: 3000, loadAvg: 8,
  };
}

describe('deciding a proof', () => {
  it('proves a test that fails on the base build and passes on the fix, with the values', () => {
    const p = decideProof(fixTest, run(fixTest, 1), run(fixTest, 0));
    expect(p.status).toBe('proven');
    expect(p.why).toBe('fails on the base build: l 100% (> 50%); passes on the fixed build: l 0% (≤ 50%)');
    expect(proofLines(p, 'abc')).toEqual([
      'e2e/homeostat/renderReact.fix.test.json (proven; one replay of flows/search.json per build):',
      '- base build abc: fails: l 100% (> 50%) (3.0 s, load 8.0)',
      '- fixed build: passes: l 0% (≤ 50%) (3.0 s, load 8.0)',
    ]);
  });

  it('refuses a test that cannot tell the builds apart, or whose base failure is not the bug', () => {
    expect(decideProof(fixTest, run(fixTest, 0.2), run(fixTest, 0)).why).toMatch(/^passes on the base build too/);
    expect(decideProof(fixTest, run(fixTest, 1), run(fixTest, 0.9)).why).toMatch(/^fails on the fixed build too/);
    expect(decideProof(fixTest, run(fixTest, 1, { error: 'steps[3] (click): timeout' }), run(fixTest, 0)).why).toMatch(/did not run the flow through/);
    expect(decideProof(fixTest, run(fixTest, null), run(fixTest, 0)).status).toBe('proven');
    expect(decideProof(fixTest, run(fixTest, 1), run(fixTest, null)).status).toBe('not-proven');
  });

  it('guards a handled error only when the flow reaches it and nothing escapes', () => {
    expect(decideProof(errorTest, run(errorTest, 0, { observed: 2 }), null).status).toBe('guards');
    expect(decideProof(errorTest, run(errorTest, 0, { observed: 0 }), null).why).toMatch(/no longer reaches the error/);
    expect(decideProof(errorTest, run(errorTest, 1, { observed: 2 }), null).why).toMatch(/not handled today/);
    const failing: GeneratedTest = { ...errorTest, test: { ...errorTest.test, assert: [{ signal: thrown, max: 0 }], observe: [] } };
    expect(decideProof(failing, run(failing, 2), null).status).toBe('fails-as-documented');
    expect(decideProof(failing, run(failing, 0), null).status).toBe('not-proven');
  });
});

describe('the report section', () => {
  it('lists each proof with both builds’ values, and says why a test was not delivered', async () => {
    const { renderProofsMarkdown, renderProofsHtml } = await import('./report-proofs.ts');
    const proven = decideProof(fixTest, run(fixTest, 1), run(fixTest, 0));
    const refused = decideProof(fixTest, run(fixTest, 0.2), run(fixTest, 0));
    const attempt = (id: string, branch: string | null, p: ReturnType<typeof decideProof>) => ({ diagnosis: { id }, branch, proofs: [p] });
    const r = { head: 'abcdef0123456789', attempts: [attempt('a', 'homeostat/fix-a', proven), attempt('b', 'homeostat/fix-b', refused)] } as unknown as import('./result.ts').HealResult;
    const md = renderProofsMarkdown(r);
    expect(md).toContain('Proven, delivered on `homeostat/fix-a`: fails on the base build: l 100% (> 50%); passes on the fixed build: l 0% (≤ 50%).');
    expect(md).toContain('- base build abcdef012345: fails: l 100% (> 50%)');
    expect(md).toContain('Not proven, not delivered: passes on the base build too: l 20% (≤ 50%).');
    expect(renderProofsHtml(r)).toContain('<li>fixed build: passes: l 0% (≤ 50%) (3.0 s, load 8.0)</li>');
  });
});
