import { describe, expect, it } from 'vitest';
import { demoInput, demoSession } from '../core/__tests__/demo-shape.ts';
import { diagnose, type Diagnosis } from '../core/diagnose.ts';
import type { SessionFile } from '../core/session.ts';
import { describeSignal, signalValue, type RunEvidence } from './signals.ts';
import { parseTestFile, serializeTest, TestFormatError } from './test-file.ts';
import { errorTest, fixTest, placeLimit, signalCandidates, TIMING_MARGIN } from './testgen.ts';

const runs = (sessions: SessionFile[]): RunEvidence[] => sessions.map((s) => ({ sessions: [s], pageErrors: [] }));
const blocking = [1, 2, 3].map((seed) => demoSession({ renderMs: 300, mode: 'blocking', n: 20 }, seed));
const transition = [4, 5, 6].map((seed) => demoSession({ renderMs: 300, mode: 'transition', n: 20 }, seed));
/** The fixed build of a memoised value: it no longer runs once the user interacts. */
const memoised = (s: SessionFile): SessionFile => ({ ...s, calls: s.calls.filter((c) => c.handler !== 'computeFacets') });
const findings = diagnose(demoInput(blocking[0]!));
const find = (rule: string) => findings.find((d) => d.rule === rule)!;

describe('signals', () => {
  it('count calls per commit, blocking update requests and errors from the first interaction on', () => {
    const run = runs(blocking)[0]!;
    expect(signalValue({ kind: 'callsPerCommit', handler: 'computeFacets' }, run)).toBe(1);
    expect(signalValue({ kind: 'callsPerCommit', handler: 'computeFacets' }, runs([memoised(blocking[0]!)])[0]!)).toBe(0);
    expect(signalValue({ kind: 'blockingShare', handler: 'renderReact' }, run)).toBe(1);
    expect(signalValue({ kind: 'blockingShare', handler: 'renderReact' }, runs(transition)[0]!)).toBe(0);
    // A handler that never asks React for an update has no share to read.
    expect(signalValue({ kind: 'blockingShare', handler: 'computeFacets' }, run)).toBeNull();
    expect(signalValue({ kind: 'errors', handler: 'parseQuery', pattern: 'SyntaxError: Invalid regular expression: /(/: Unterminated group' }, run)).toBe(2);
    expect(signalValue({ kind: 'errors', handler: 'parseQuery', pattern: 'TypeError' }, run)).toBe(0);
    expect(signalValue({ kind: 'uncaughtErrors' }, { sessions: [], pageErrors: ['boom'] })).toBe(1);
    expect(signalValue({ kind: 'metric', metric: { kind: 'handler', handler: 'renderReact', metric: 'interaction', stat: 'p95' } }, run)).toBeGreaterThan(300);
  });
});

describe('placing the limit', () => {
  it('puts a count half-way between the builds, and refuses when they overlap', () => {
    const s = { kind: 'callsPerCommit', handler: 'f' } as const;
    expect(placeLimit(s, [1, 0.96, 1], [0, 0])).toMatchObject({ max: 0.48 });
    expect(placeLimit(s, [0.5, 1], [0.45])).toMatchObject({ none: expect.stringContaining('does not separate') });
    expect(placeLimit({ kind: 'uncaughtErrors' }, [3, 4], [0])).toMatchObject({ max: 1 });
    expect(placeLimit({ kind: 'uncaughtErrors' }, [1], [0])).toMatchObject({ max: 0 });
    expect(placeLimit(s, [null], [0])).toMatchObject({ none: expect.stringContaining('no sample on the base build') });
  });

  it('puts a timing at the geometric middle only with the margin on both sides', () => {
    const s = { kind: 'metric', metric: { kind: 'handler', handler: 'h', metric: 'interaction', stat: 'p95' } } as const;
    const placed = placeLimit(s, [800, 950, 900], [150, 200]);
    expect(placed).toMatchObject({ max: 400 });
    if (!('max' in placed)) throw new Error('placed');
    expect(200 * TIMING_MARGIN).toBeLessThan(placed.max);
    expect(800 / TIMING_MARGIN).toBeGreaterThan(placed.max);
    // 1.3× apart: load alone can cross any line in between.
    expect(placeLimit(s, [260], [200])).toMatchObject({ none: expect.stringContaining('margin') });
    // Sub-frame values are floored: 1 ms → 3 ms is no margin at all.
    expect(placeLimit(s, [3], [1])).toMatchObject({ none: expect.any(String) });
  });
});

describe('generated fix tests', () => {
  it('hold a transition on the share of blocking updates, not on a timing the machine moves', () => {
    const d = find('blocking-update');
    expect(signalCandidates(d)[0]).toEqual({ kind: 'blockingShare', handler: 'renderReact' });
    const made = fixTest({ diagnosis: d, fix: 'wrap setResults in startTransition', flow: 'flows/search.json', testDir: 'e2e/homeostat', base: runs(blocking), fixed: runs(transition), runCommand: 'npx homeostat test {path} --url http://localhost:4173/' });
    expect(made.test).not.toBeNull();
    const t = made.test!;
    expect(t.path).toBe('e2e/homeostat/renderReact.fix.test.json');
    expect(t.deterministic).toBe(true);
    expect(t.test.flows).toEqual(['../../flows/search.json']);
    expect(t.test.assert).toEqual([{ signal: { kind: 'blockingShare', handler: 'renderReact' }, max: 0.5, why: expect.stringContaining('a count, not a timing') }]);
    expect(t.test.about.join('\n')).toContain('100% over 3 runs on the base build, 0% over 3 runs with the fix');
    expect(t.test.about.join('\n')).toContain('npx homeostat test e2e/homeostat/renderReact.fix.test.json');
    // What it writes reads back exactly.
    expect(parseTestFile(serializeTest(t.test), t.path)).toEqual(t.test);
  });

  it('hold a memoised value on its calls per commit', () => {
    const d = find('repeated-computation');
    const made = fixTest({ diagnosis: d, fix: 'memoise', flow: 'flows/a.json', testDir: 't', base: runs(blocking), fixed: runs(blocking.map(memoised)) });
    expect(made.test!.test.assert[0]).toMatchObject({ signal: { kind: 'callsPerCommit', handler: 'computeFacets' }, max: 0.5 });
  });

  it('fall back to the verified timing only with margin, and say why there is no test otherwise', () => {
    const d = find('blocking-update');
    // The fix did not change the lanes (still blocking) and barely the timing: nothing to hold.
    const made = fixTest({ diagnosis: d, fix: 'x', flow: 'flows/a.json', testDir: 't', base: runs(blocking), fixed: runs([demoSession({ renderMs: 280, mode: 'blocking', n: 20 }, 9)]) });
    expect(made.test).toBeNull();
    expect(made.rejected).toEqual([expect.stringContaining(describeSignal({ kind: 'blockingShare', handler: 'renderReact' })), expect.stringContaining('margin')]);
    // A fix with no countable signal (useDeferredValue) is held on its timing when the gap is wide.
    const deferred = { ...find('heavy-input-handler') } as Diagnosis;
    const fast = fixTest({ diagnosis: deferred, fix: 'defer', flow: 'flows/a.json', testDir: 't', base: runs(blocking), fixed: runs(transition) });
    expect(fast.test!.deterministic).toBe(false);
    // Held as the median of the replay's calls (the fix was verified on the p95: one spike moves a replay's p95).
    expect(fast.test!.test.assert[0]!.signal).toEqual({ kind: 'metric', metric: { ...deferred.impact.metric, stat: 'p50' } });
    expect(fast.test!.test.assert[0]!.why).toContain('geometric middle');
  });
});

describe('generated error tests', () => {
  it('hold a handled error: nothing uncaught, the error counted but not asserted; or, asked for, its absence', () => {
    const d = find('recurring-error');
    const t = errorTest({ diagnosis: d, flows: ['flows/invalid-pattern.json'], testDir: 'e2e/homeostat', expectations: ['text "not a valid regular expression" in the alert'] });
    expect(t.path).toBe('e2e/homeostat/parseQuery.errors.test.json');
    expect(t.test.assert).toEqual([{ signal: { kind: 'uncaughtErrors' }, max: 0, why: expect.any(String) }]);
    expect(t.test.observe).toEqual([{ kind: 'errors', handler: 'parseQuery', pattern: 'SyntaxError: Invalid regular expression: /(/: Unterminated group' }]);
    expect(t.test.about.join(' ')).toContain('not a valid regular expression');
    const failing = errorTest({ diagnosis: d, flows: ['flows/invalid-pattern.json'], testDir: 'e2e/homeostat', mode: 'absent' });
    expect(failing.test.assert[0]!.signal).toMatchObject({ kind: 'errors', handler: 'parseQuery' });
    expect(failing.test.about.join(' ')).toContain('fails while');
  });
});

describe('test files', () => {
  it('name the file and every bad field', () => {
    expect(() => parseTestFile('{', 'a.test.json')).toThrow(/a\.test\.json: not a Homeostat test:\n {2}not JSON/);
    expect(() => parseTestFile('{"format":"homeostat.spec"}', 'a.test.json')).toThrow(/format: expected "homeostat.test"/);
    const bad = JSON.stringify({ format: 'homeostat.test', version: 1, name: 'x', flows: [], assert: [{ signal: { kind: 'nope' }, max: 'a' }] });
    const err = (() => {
      try {
        parseTestFile(bad, 'b.test.json');
      } catch (e) {
        return e as TestFormatError;
      }
      return null;
    })();
    expect(err).toBeInstanceOf(TestFormatError);
    expect(err!.issues.join('\n')).toMatch(/flows: /);
    expect(err!.issues.join('\n')).toMatch(/assert\[0\]\.(signal|max)/);
  });
});

describe('the flow a proof replays', () => {
  it('is the shortest flow that runs the handler a few times, and its cost is reserved out of the A/B rounds', async () => {
    const { proofFlowFor, proofReserveMs } = await import('./deliver.ts');
    const m = { callsByFlow: [new Map([['h', 40]]), new Map([['h', 4]]), new Map([['h', 1]])], flowMs: [9000, 3500, 1000] };
    expect(proofFlowFor('h', m)).toBe(1);
    // Nowhere often enough: the flow that runs it most per second.
    expect(proofFlowFor('h', m, 100)).toBe(0);
    expect(proofFlowFor('nobody', m)).toBeNull();
    expect(proofReserveMs(m.flowMs, [1, null, 2])).toBe(5250);
  });
});
