/**
 * Plain-text tables for the terminal: right-aligned numbers, no dependencies, no colour (so
 * NO_COLOR and piped output need nothing special). A table wider than `maxWidth` (100 columns by
 * default, what a terminal shows beside an editor) wraps its widest text columns onto
 * continuation lines instead of running off the screen; the reports keep the full detail.
 */
import { formatMs, formatPct } from '../core/format.ts';
export interface Column<T> {
  title: string;
  value: (row: T) => string;
  align?: 'left' | 'right';
}

export const TERMINAL_WIDTH = 100;
/** A wrapped text column keeps at least this many characters a line. */
const MIN_WRAPPED = 16;
const GAP = 2;

export function renderTable<T>(rows: readonly T[], columns: readonly Column<T>[], maxWidth = TERMINAL_WIDTH): string {
  const cells = rows.map((r) => columns.map((c) => c.value(r).replace(/\s*\n\s*/g, ' ')));
  const widths = columns.map((c, i) => Math.max(c.title.length, ...cells.map((row) => row[i]!.length)));
  fit(widths, columns, maxWidth);
  const line = (values: string[]) =>
    values.map((v, i) => (columns[i]!.align === 'left' ? v.padEnd(widths[i]!) : v.padStart(widths[i]!))).join(' '.repeat(GAP)).trimEnd();
  const physical = (values: string[]): string[] => {
    const wrapped = values.map((v, i) => wrap(v, widths[i]!));
    const height = Math.max(...wrapped.map((w) => w.length));
    return Array.from({ length: height }, (_v, k) => line(wrapped.map((w) => w[k] ?? '')));
  };
  return [...physical(columns.map((c) => c.title)), widths.map((w) => '─'.repeat(w)).join(' '.repeat(GAP)), ...cells.flatMap(physical)].join('\n');
}

/** Narrows the widest left-aligned (text) columns until the table fits, or none can give more. */
function fit<T>(widths: number[], columns: readonly Column<T>[], maxWidth: number): void {
  const total = () => widths.reduce((a, w) => a + w, 0) + GAP * (widths.length - 1);
  while (total() > maxWidth) {
    let widest = -1;
    columns.forEach((c, i) => {
      if (c.align === 'left' && widths[i]! > MIN_WRAPPED && (widest < 0 || widths[i]! > widths[widest]!)) widest = i;
    });
    if (widest < 0) return; // Numbers do not wrap: wider than maxWidth it stays.
    widths[widest] = Math.max(MIN_WRAPPED, widths[widest]! - (total() - maxWidth));
  }
}

/** `text` in lines of at most `width`, broken at spaces where it can, else mid-word. */
export function wrap(text: string, width: number): string[] {
  if (text.length <= width) return [text];
  const lines: string[] = [];
  let rest = text;
  while (rest.length > width) {
    const space = rest.lastIndexOf(' ', width);
    const cut = space > 0 ? space : width;
    lines.push(rest.slice(0, cut).trimEnd());
    rest = rest.slice(cut).trimStart();
  }
  if (rest) lines.push(rest);
  return lines;
}

/** Milliseconds with a precision the clock can support. */
export function ms(value: number | null | undefined, resolutionMs = 0.005): string {
  return formatMs(value, { resolutionMs });
}

export function pct(value: number | null | undefined): string {
  return formatPct(value);
}
