/** Number, date and markdown helpers shared by the docs renderers: fixed precision, so output is diff-friendly. */
import { posix } from 'node:path';
import { formatMs, formatPct } from '../core/format.ts';
import { LONG_FRAME_MS } from '../core/metrics.ts';

/** Milliseconds with precision that shrinks as values grow: 1.23, 12.3, 123. */
export function fmtMs(v: number | null | undefined): string {
  return formatMs(v);
}

/** A longest-frame value: 0 means no frame reached the Long Animation Frame threshold. */
export function fmtFrame(v: number | null | undefined): string {
  return v === 0 ? `< ${LONG_FRAME_MS}` : fmtMs(v);
}

export const fmtPct = (v: number | null | undefined): string => formatPct(v);

/** Rounds for storage in the spec: 3 decimals (a microsecond), enough for any browser clock. */
export function round3(v: number): number {
  return Math.round(v * 1000) / 1000;
}

export function isoDate(epochMs: number): string {
  return new Date(epochMs).toISOString();
}

/** The anchor GitHub derives from a "## `name`" heading. */
export function anchor(name: string): string {
  return name.toLowerCase().replace(/[^\w\- ]/g, '').replace(/ /g, '-');
}

export function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

/** An inline code span for any one-line text: a fence longer than any backtick run inside. */
export function code(text: string): string {
  const t = oneLine(text);
  const longest = Math.max(0, ...[...t.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = '`'.repeat(longest + 1);
  return longest === 0 ? `${fence}${t}${fence}` : `${fence} ${t} ${fence}`;
}

/**
 * Characters a name must not bring into the markdown as they are: they would end a code span,
 * a table cell, an HTML comment (a human region's marker) or a line, inject HTML, or reorder
 * text (bidirectional controls). `%` too, so the escape can be undone.
 */
function unsafeInName(c: number): boolean {
  return (
    c < 0x20 || c === 0x25 || c === 0x26 || c === 0x3c || c === 0x3e || c === 0x5c || c === 0x60 || c === 0x7c ||
    (c >= 0x7f && c <= 0x9f) || (c >= 0x200b && c <= 0x200f) || (c >= 0x2028 && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069) || c === 0xfeff
  );
}

/**
 * A handler or sequence name as it appears in the markdown (headings, human-region keys, code
 * spans, Mermaid labels): ordinary names unchanged, unsafe characters and unpaired surrogates
 * as `%XX` / `%uXXXX`. `mdNameDecode` reverses it exactly, so budgets read back by name.
 */
export function mdName(name: string): string {
  let out = '';
  for (let i = 0; i < name.length; i++) {
    const c = name.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < name.length && (name.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      out += name[i]! + name[i + 1]!;
      i++;
    } else if (unsafeInName(c) || (c >= 0xd800 && c <= 0xdfff)) {
      out += c < 0x100 ? `%${c.toString(16).toUpperCase().padStart(2, '0')}` : `%u${c.toString(16).toUpperCase().padStart(4, '0')}`;
    } else out += name[i]!;
  }
  return out;
}

/** The name `mdName` encoded. */
export function mdNameDecode(text: string): string {
  return text.replace(/%u([0-9A-Fa-f]{4})|%([0-9A-Fa-f]{2})/g, (_, u: string | undefined, b: string | undefined) => String.fromCharCode(parseInt(u ?? b!, 16)));
}

/** Free text in markdown (messages that quote names): one line, no HTML. */
export function mdText(text: string): string {
  return oneLine(text).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Control characters and line breaks become spaces. */
export function oneLine(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g, ' ');
}

/** A markdown table; `align` per column ('r' for numbers). */
export function table(header: string[], rows: string[][], align: Array<'l' | 'r'> = []): string {
  const sep = header.map((_, i) => (align[i] === 'r' ? '---:' : '---'));
  return [header, sep, ...rows].map((r) => `| ${r.map(cell).join(' | ')} |`).join('\n');
}

/** A posix path from `fromDir` to `target` (both absolute). */
export function relPath(fromDir: string, target: string): string {
  const r = posix.relative(toPosix(fromDir), toPosix(target));
  return r === '' ? '.' : r;
}

export function toPosix(p: string): string {
  return p.replace(/\\/g, '/');
}
