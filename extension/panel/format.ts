import { formatMs, formatPct } from '../../src/core/format.ts';

/** How the panel prints numbers: "—" for nothing, the one rule for precision every surface shares. */
export function ms(v: number | null | undefined): string {
  return formatMs(v, { unit: true, empty: '—' });
}

export function pct(v: number | null | undefined): string {
  return formatPct(v, { empty: '—' });
}

export function int(v: number): string {
  return v.toLocaleString('en-US');
}
