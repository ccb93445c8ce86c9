import { describe, expect, it } from 'vitest';
import { parseSessionFile, SessionFormatError } from './session.ts';
import { makeSessionFile } from './__tests__/fixtures.ts';

describe('parseSessionFile', () => {
  it('accepts what the tools write, from an object or JSON text', () => {
    const file = makeSessionFile(3, 1);
    expect(parseSessionFile(file)).toEqual(file);
    expect(parseSessionFile(JSON.stringify(file))).toEqual(file);
  });

  it('names the bad field and its index', () => {
    const file = makeSessionFile(3, 1) as unknown as { calls: Array<Record<string, unknown>> };
    file.calls[3]!['duration'] = 'fast';
    expect(() => parseSessionFile(file, 'flow.json')).toThrowError(/flow\.json: .*\n\s+calls\[3\]\.duration: /);
  });

  it('explains a newer version and a foreign format instead of listing every field', () => {
    const newer = { ...makeSessionFile(1, 1), version: 9 };
    expect(() => parseSessionFile(newer)).toThrowError(/version: 9 is newer than this Homeostat reads \(2\)/);
    expect(() => parseSessionFile({ format: 'har', log: {} })).toThrowError(/format: expected "homeostat.session"/);
  });

  it('reads version 1 files: what they could not know reads as no evidence', () => {
    const v2 = makeSessionFile(2, 1);
    const v1 = JSON.parse(JSON.stringify({ ...v2, version: 1 })) as Record<string, unknown> & { calls: Array<Record<string, unknown>>; sequences: Array<Record<string, unknown>> };
    delete v1['frames'];
    delete v1['events'];
    for (const r of [...v1.calls, ...v1.sequences]) {
      delete r['interactionMs'];
      delete r['resultMs'];
      delete r['frames'];
    }
    const read = parseSessionFile(v1, 'old.json');
    expect(read.version).toBe(2);
    expect(read.frames).toEqual([]);
    expect(read.events).toEqual([]);
    expect(read.calls[0]).toMatchObject({ interactionMs: null, resultMs: null, frames: null, duration: v2.calls[0]!.duration });
    expect(read.sequences[1]).toMatchObject({ interactionMs: null, resultMs: null, frames: null });
  });

  it('rejects text that is not JSON, with the parser message', () => {
    try {
      parseSessionFile('{"format":', 'broken.json');
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(SessionFormatError);
      expect((e as SessionFormatError).issues[0]).toMatch(/^not JSON: /);
    }
  });

  it('rejects unknown fields (no silent data) and sequences whose lists disagree', () => {
    const extra = { ...makeSessionFile(1, 1), secret: 1 };
    expect(() => parseSessionFile(extra)).toThrowError(/Unrecognized key/);
    const bad = makeSessionFile(2, 1);
    bad.sequences[1]!.handlers.pop();
    expect(() => parseSessionFile(bad)).toThrowError(/sequences\[1\]: calls and handlers must have the same length/);
  });
});
