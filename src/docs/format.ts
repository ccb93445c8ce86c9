/** Number, date and markdown helpers shared by the docs renderers: fixed precision, so output is diff-friendly. */
import { posix } from 'node:path';

/** Milliseconds with precision that shrinks as values grow: 1.23, 12.3, 123. */
export function fmtMs(v: number | null | undefined): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return v === Infinity ? '∞' : '–';
  return v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v.toFixed(2);
}

export function fmtPct(v: number | null | undefined): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return '–';
  const p = v * 100;
  return `${p === 0 || p >= 10 ? p.toFixed(0) : p.toFixed(1)}%`;
}

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

export function code(text: string): string {
  return text.includes('`') ? `\`\` ${text} \`\`` : `\`${text}\``;
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
