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
    expect(() => parseSessionFile(newer)).toThrowError(/version: 9 is newer than this Homeostat reads \(1\)/);
    expect(() => parseSessionFile({ format: 'har', log: {} })).toThrowError(/format: expected "homeostat.session"/);
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
