/** Plain-text tables for the terminal: right-aligned numbers, no dependencies. */
import { formatMs, formatPct } from '../core/format.ts';
export interface Column<T> {
  title: string;
  value: (row: T) => string;
  align?: 'left' | 'right';
}

export function renderTable<T>(rows: readonly T[], columns: readonly Column<T>[]): string {
  const cells = rows.map((r) => columns.map((c) => c.value(r)));
  const widths = columns.map((c, i) => Math.max(c.title.length, ...cells.map((row) => row[i]!.length)));
  const line = (values: string[]) =>
    values.map((v, i) => (columns[i]!.align === 'left' ? v.padEnd(widths[i]!) : v.padStart(widths[i]!))).join('  ').trimEnd();
  return [line(columns.map((c) => c.title)), widths.map((w) => '─'.repeat(w)).join('  '), ...cells.map(line)].join('\n');
}

/** Milliseconds with a precision the clock can support. */
export function ms(value: number | null | undefined, resolutionMs = 0.005): string {
  return formatMs(value, { resolutionMs });
}

export function pct(value: number | null | undefined): string {
  return formatPct(value);
}
