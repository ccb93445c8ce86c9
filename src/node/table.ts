/** Plain-text tables for the terminal: right-aligned numbers, no dependencies. */
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
  if (value === null || value === undefined || Number.isNaN(value)) return '–';
  const digits = resolutionMs >= 0.1 ? 1 : value >= 100 ? 1 : 2;
  return value.toFixed(digits);
}

export function pct(value: number | null | undefined): string {
  return value === null || value === undefined || Number.isNaN(value) ? '–' : `${Math.round(value * 100)}%`;
}
