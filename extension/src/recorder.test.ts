import { readFileSync } from 'node:fs';
import { describe, expect, it, vi } from 'vitest';
import { parseRecording } from '../../src/replay/parse.ts';
import { RECORDER_EXPORT_NAME, RECORDER_MEDIA_TYPE, recorderExportPlugin, registerRecorderExport } from './recorder.ts';

const recorded = () => JSON.parse(readFileSync(new URL('../../e2e/fixtures/recorder/catalogue.json', import.meta.url), 'utf8')) as Record<string, unknown>;

describe('the Recorder export plugin', () => {
  it('stringifies a Recorder flow as a Homeostat recording that parses in our format', async () => {
    const text = await recorderExportPlugin().stringify(recorded());
    const rec = parseRecording(JSON.parse(text));
    expect(rec.format).toBe('homeostat.recording');
    expect(rec.source).toEqual({ kind: 'chrome-recorder' });
    expect(rec.steps.length).toBeGreaterThan(2);
  });

  it('stringifies one step as the step(s) it becomes', async () => {
    const text = await recorderExportPlugin().stringifyStep({ type: 'click', selectors: [['aria/Add Lamp'], ['#add']], offsetX: 1, offsetY: 1 });
    expect(JSON.parse(`[${text}]`)).toEqual([expect.objectContaining({ type: 'click' })]);
  });

  it('refuses a flow the importer cannot replay, naming the step', async () => {
    await expect(recorderExportPlugin().stringify({ title: 'x', steps: [{ type: 'waitForExpression', expression: 'true' }] })).rejects.toThrow(/steps\[0\]/);
  });

  it('registers under its name where the Recorder API exists, and does nothing where it does not', () => {
    const register = vi.fn();
    expect(registerRecorderExport({ registerRecorderExtensionPlugin: register })).toBe(true);
    expect(register).toHaveBeenCalledWith(expect.objectContaining({ stringify: expect.any(Function) }), RECORDER_EXPORT_NAME, RECORDER_MEDIA_TYPE);
    expect(registerRecorderExport(undefined)).toBe(false);
  });
});
