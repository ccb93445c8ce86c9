import { describe, expect, it } from 'vitest';
import { renderTable, wrap } from './table.ts';

type Row = { name: string; n: number; message: string };
const columns = [
  { title: 'name', value: (r: Row) => r.name, align: 'left' as const },
  { title: 'n', value: (r: Row) => String(r.n) },
  { title: 'message', value: (r: Row) => r.message, align: 'left' as const },
];

describe('renderTable', () => {
  it('keeps a narrow table as it is: padded columns, a rule under the titles', () => {
    expect(renderTable([{ name: 'add', n: 5, message: 'ok' }], columns)).toBe('name  n  message\n────  ─  ───────\nadd   5  ok');
  });

  it('wraps the widest text column so every line fits 100 columns, losing no word', () => {
    const message = 'p95 interaction latency 412 ms is over its documented budget of 200 ms, by a margin the interval decides on 40 calls';
    const out = renderTable([{ name: 'Catalogue.onSearch', n: 40, message }], columns);
    const lines = out.split('\n');
    expect(Math.max(...lines.map((l) => l.length))).toBeLessThanOrEqual(100);
    expect(lines.length).toBeGreaterThan(3);
    const words = lines.slice(2).map((l) => l.slice(lines[0]!.indexOf('message')).trim()).join(' ');
    expect(words).toBe(message);
    // The other cells are on the row's first line only.
    expect(lines[2]).toMatch(/^Catalogue\.onSearch\s+40\s+p95/);
    expect(lines[3]).toMatch(/^\s+\S/);
  });

  it('honours a narrower width and never breaks a number column', () => {
    const out = renderTable([{ name: 'a', n: 123456, message: 'one two three four five six seven eight nine ten' }], columns, 40);
    expect(Math.max(...out.split('\n').map((l) => l.length))).toBeLessThanOrEqual(40);
    expect(out).toContain('123456');
  });
});

describe('wrap', () => {
  it('breaks at spaces, and inside a word longer than the line', () => {
    expect(wrap('aaa bbb ccc', 7)).toEqual(['aaa bbb', 'ccc']);
    expect(wrap('abcdefghij', 4)).toEqual(['abcd', 'efgh', 'ij']);
  });
});
