import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseRecording, RecordingFormatError } from './index.ts';
import { resolveUrl } from './steps.ts';

const recording = (url: string): string =>
  JSON.stringify({ format: 'homeostat.recording', version: 1, title: 't', viewport: { width: 800, height: 600, deviceScaleFactor: 1 }, steps: [{ type: 'navigate', url }] });

/** What the URL parser strips or ignores: leading C0 controls and spaces; tabs and newlines anywhere. */
const junk = fc.array(fc.constantFrom(' ', '\t', '\n', '\r', '\u0000', '\u0001', '\u001f', '\f'), { maxLength: 4 }).map((a) => a.join(''));
const scheme = fc.constantFrom('javascript', 'file', 'data', 'vbscript', 'blob', 'about', 'chrome', 'view-source', 'ftp', 'ws', 'filesystem');
/** A scheme with random case and tabs/newlines inside, as a browser would still read it. */
const disguised = fc
  .tuple(junk, scheme, fc.array(fc.boolean(), { minLength: 16, maxLength: 16 }), fc.array(fc.constantFrom('', '\t', '\n'), { minLength: 16, maxLength: 16 }))
  .map(([lead, s, upper, inner]) => lead + [...s].map((c, i) => (upper[i] ? c.toUpperCase() : c) + inner[i]).join(''));

describe('navigate URLs from recordings', () => {
  it('refuses every non-http(s) scheme, however it is disguised, at validation and again at navigation', () => {
    fc.assert(
      fc.property(disguised, fc.constantFrom(':///etc/hostname', ':alert(document.domain)', ':text/html,<script>x</script>', '://host/x'), (s, rest) => {
        const url = s + rest;
        expect(() => parseRecording(recording(url), 'r.json'), JSON.stringify(url)).toThrow(RecordingFormatError);
        expect(() => resolveUrl(url, 'http://127.0.0.1:4173/'), JSON.stringify(url)).toThrow(/refusing/);
      }),
    );
  });

  it.each([
    ['\tfile:///etc/hostname'],
    [' javascript:alert(1)'],
    ['\u0000file:///etc/passwd'],
    ['jav\tascript:alert(1)'],
    ['java\nscript:alert(1)'],
  ])('refuses %j', (url) => {
    expect(() => parseRecording(recording(url), 'r.json')).toThrow(/navigate|url/);
  });

  it('accepts http(s) and relative paths, which stay on the app', () => {
    fc.assert(
      fc.property(junk, fc.webPath(), (lead, path) => {
        const url = lead + path;
        parseRecording(recording(url), 'r.json');
        const r = new URL(resolveUrl(url, 'http://127.0.0.1:4173/app/'));
        expect(r.origin).toBe('http://127.0.0.1:4173');
      }),
    );
    for (const url of ['https://example.com/x', '  http://localhost:5173/?q=1', '/search', '/a:b', 'search?q=a', '\\\\server/share', '//evil.example/x']) {
      parseRecording(recording(url), 'r.json');
      expect(['http:', 'https:']).toContain(new URL(resolveUrl(url, 'http://127.0.0.1:4173/')).protocol);
    }
    expect(resolveUrl('//evil.example/x', 'http://127.0.0.1:4173/')).toBe('http://127.0.0.1:4173/evil.example/x');
  });
});
