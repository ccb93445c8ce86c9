import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadRecording, parseRecording, recordingSchema, RecordingFormatError, type Recording } from './index.ts';

const fixture = (p: string) => fileURLToPath(new URL(`../../e2e/fixtures/${p}`, import.meta.url));
const flow = (p: string) => fileURLToPath(new URL(`../demo/flows/${p}`, import.meta.url));

function issuesOf(fn: () => unknown): string[] {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(RecordingFormatError);
    return (e as RecordingFormatError).issues;
  }
  throw new Error('expected a RecordingFormatError');
}

const minimal = (steps: unknown[]): unknown => ({
  format: 'homeostat.recording',
  version: 1,
  title: 't',
  viewport: { width: 800, height: 600, deviceScaleFactor: 1 },
  steps,
});

describe('Homeostat recordings', () => {
  it('loads the demo flows, which the single schema accepts too', async () => {
    for (const name of ['catalogue.json', 'invalid-pattern.json']) {
      const rec = await loadRecording(flow(name));
      expect(rec.format).toBe('homeostat.recording');
      expect(recordingSchema.safeParse(rec).success).toBe(true);
    }
    const rec = await loadRecording(flow('catalogue.json'));
    expect(rec.steps.filter((s) => s.type.startsWith('expect')).length).toBeGreaterThanOrEqual(5);
    expect(rec.steps.find((s) => s.type === 'type')).toMatchObject({ delayMs: 40, replace: true });
  });

  it('names every bad step and field before anything runs', async () => {
    const issues = issuesOf(() => parseRecording(readFileSync(fixture('recordings/malformed.json'), 'utf8'), 'malformed.json'));
    expect(issues).toEqual(
      expect.arrayContaining([
        'steps[1].target.selectors: needs at least one selector',
        expect.stringMatching(/^steps\[2\]\.text: /),
        expect.stringMatching(/^steps\[3\]\.type: unknown step type "teleport"; expected one of navigate, click/),
        expect.stringMatching(/^steps\[4\]\.target\.selectors\[0\]/),
      ]),
    );
    await expect(loadRecording(fixture('recordings/malformed.json'))).rejects.toThrow(/malformed\.json: not a replayable recording:\n {2}steps\[1\]/);
  });

  it('rejects wrong headers, unknown fields, bad patterns and impossible combinations', () => {
    expect(issuesOf(() => parseRecording('{not json', 'x.json'))[0]).toMatch(/^not JSON/);
    expect(issuesOf(() => parseRecording([])).join()).toMatch(/expected a JSON object/);
    expect(issuesOf(() => parseRecording({ format: 'homeostat.session', steps: [] }))).toEqual([
      'format: expected "homeostat.recording", got "homeostat.session"',
    ]);
    expect(issuesOf(() => parseRecording({ ...(minimal([{ type: 'navigate', url: '/' }]) as object), version: 2 }))[0]).toMatch(/^version: 2 is newer/);
    expect(issuesOf(() => parseRecording(minimal([])))).toEqual(['steps: a recording needs at least one step']);
    expect(issuesOf(() => parseRecording(minimal([{ type: 'navigate', url: '/', wait: true }])))[0]).toMatch(/^steps\[0\]: Unrecognized key: "wait"/);
    expect(issuesOf(() => parseRecording(minimal([{ type: 'expectUrl', pattern: '(' }])))).toEqual(['steps[0].pattern: not a valid regular expression']);
    expect(issuesOf(() => parseRecording(minimal([{ type: 'navigate', url: 'javascript:alert(1)' }])))).toEqual([
      'steps[0].url: must be an http(s) URL or a path relative to the app URL',
    ]);
    expect(issuesOf(() => parseRecording(minimal([{ type: 'expectCount', target: { selectors: [{ css: 'li' }] } }])))).toEqual([
      'steps[0]: needs count, min or max',
    ]);
    expect(issuesOf(() => parseRecording(minimal([{ type: 'select', target: { selectors: [{ css: 'select' }] } }])))).toEqual([
      'steps[0]: needs exactly one of value or label',
    ]);
    expect(issuesOf(() => parseRecording(minimal([{ type: 'click', target: { selectors: [{ role: 'button' }], nth: -1 } }])))[0]).toMatch(
      /^steps\[0\]\.target\.nth: /,
    );
    expect(issuesOf(() => parseRecording({ title: 3, foo: 1 }))[0]).toMatch(/neither a Homeostat recording/);
  });

  it('accepts every step type', () => {
    const t = { selectors: [{ role: 'button', name: 'Go' }, { label: 'L' }, { text: 'T' }, { testId: 'x' }, { css: '#a' }], nth: 1 };
    const steps = [
      { type: 'navigate', url: 'https://example.com/a' },
      { type: 'click', target: t, button: 'right', clickCount: 2, offset: { x: 1, y: 2 } },
      { type: 'type', target: t, text: 'abc', delayMs: 30, replace: true, thinkMs: 0 },
      { type: 'fill', target: t, value: 'v' },
      { type: 'key', key: 'Enter' },
      { type: 'scroll', y: 300 },
      { type: 'waitFor', text: 'Ready', state: 'visible', timeoutMs: 2000 },
      { type: 'setViewport', width: 400, height: 300 },
      { type: 'select', target: t, label: 'Rating' },
      { type: 'check', target: t, checked: false },
      { type: 'hover', target: t },
      { type: 'expectText', text: 'ok', exact: true },
      { type: 'expectCount', target: t, min: 1, max: 3 },
      { type: 'expectUrl', includes: '/a' },
    ];
    const rec: Recording = parseRecording(minimal(steps));
    expect(rec.steps.map((s) => s.type)).toEqual(steps.map((s) => s.type));
  });
});
