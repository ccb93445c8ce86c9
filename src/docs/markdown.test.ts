import { describe, expect, it } from 'vitest';
import { DocsFormatError } from './errors.ts';
import { humanRegion, parseHandlerBudgets, parseHumanRegions, parseSequenceBudgets } from './markdown.ts';

describe('human regions', () => {
  it('round-trips any text verbatim, including markdown that looks like generated lines', () => {
    const text = '  - **Budget:** p50 blocking ≤ 1 ms\n\n```\ncode | with pipes\n```\n';
    const md = `# T\n\n${humanRegion('handler=a', text)}\n\n${humanRegion('notes')}\n`;
    const regions = parseHumanRegions(md, 'T.md');
    expect(regions.get('handler=a')!.text).toBe(text);
    expect(regions.get('notes')!.text).toBe('');
    expect(humanRegion('handler=a', regions.get('handler=a')!.text)).toBe(humanRegion('handler=a', text));
  });

  it('names the line of a stray closing marker, a nested opening and a duplicate key', () => {
    const fail = (md: string) => {
      try {
        parseHumanRegions(md, 'X.md');
      } catch (e) {
        expect(e).toBeInstanceOf(DocsFormatError);
        return [(e as DocsFormatError).line, (e as Error).message];
      }
      throw new Error('expected a DocsFormatError');
    };
    expect(fail('a\n<!-- /homeostat:human -->\n')).toEqual([2, expect.stringContaining('X.md:2: ')]);
    expect(fail('<!-- homeostat:human a -->\n<!-- homeostat:human b -->\n')[0]).toBe(2);
    expect(fail('<!-- homeostat:human a -->\n<!-- /homeostat:human -->\n\n<!-- homeostat:human a -->\n<!-- /homeostat:human -->\n')[0]).toBe(4);
  });
});

describe('budget lines', () => {
  it('reads handler budgets and tolerances per section, ignoring lines quoted in human regions', () => {
    const md = [
      '## `a`',
      humanRegion('handler=a', '- **Budget:** p50 paint ≤ 1 ms'),
      '- **Budget:** p99 blocking <= 12.5 ms',
      '- **Tolerance:** ±15%',
      '## `b`',
      '- **Budget:** none',
      '- **Tolerance:** default (±20%)',
    ].join('\n');
    const budgets = parseHandlerBudgets(md, 'H.md');
    expect(budgets.get('a')).toEqual({ budget: { metric: 'blocking', stat: 'p99', ms: 12.5 }, tolerance: 0.15, line: 5 });
    expect(budgets.get('b')).toEqual({ budget: null, tolerance: null, line: 8 });
  });

  it('rejects unknown stats, metrics and tolerances with the line', () => {
    expect(() => parseHandlerBudgets('## `a`\n- **Budget:** p90 blocking ≤ 5 ms', 'H.md')).toThrow(/H\.md:2: cannot read the budget "p90 blocking ≤ 5 ms"/);
    expect(() => parseHandlerBudgets('## `a`\n- **Budget:** none\n- **Tolerance:** lots', 'H.md')).toThrow(/H\.md:3: cannot read the tolerance/);
    expect(() => parseSequenceBudgets('## `s`\n\n- **Budget:** fast', 'S.md')).toThrow(/S\.md:3: /);
    expect(parseSequenceBudgets('## `s`\n- **Budget:** p95 duration ≤ 100 ms', 'S.md').get('s')!.budget).toEqual({ stat: 'p95', ms: 100 });
  });
});

describe('budget lines are read as written or refused, never dropped', () => {
  const section = (name: string, ...lines: string[]) => [`## \`${name}\``, '', ...lines, ''].join('\n');

  it('reads a budget and tolerance written with any list marker or bold form', () => {
    for (const marker of ['-', '*', '+']) {
      for (const [open, close] of [['**Budget:**', '**Tolerance:**'], ['**Budget**:', '**Tolerance**:'], ['__Budget:__', '__Tolerance:__']] as const) {
        const md = section('addToCart', `${marker} ${open} p95 blocking ≤ 24 ms`, `${marker} ${close} ±15%`);
        const b = parseHandlerBudgets(md, 'H.md').get('addToCart');
        expect(b, `${marker} ${open}`).toMatchObject({ budget: { stat: 'p95', metric: 'blocking', ms: 24 }, tolerance: 0.15, line: 3 });
      }
      expect(parseSequenceBudgets(section('click:add', `${marker} **Budget:** p95 ≤ 100 ms`), 'S.md').get('click:add')!.budget).toEqual({ stat: 'p95', ms: 100 });
    }
  });

  it('refuses a handler section written twice, naming both lines', () => {
    const md = [section('addToCart', '- **Budget:** none'), section('checkout', '- **Budget:** none'), section('addToCart', '- **Budget:** p95 blocking ≤ 24 ms')].join('\n');
    expect(() => parseHandlerBudgets(md, 'H.md')).toThrow(/H\.md:9: a second section for handler "addToCart" \(the first is on line 1\)/);
    expect(() => parseSequenceBudgets(md, 'S.md')).toThrow(/S\.md:9: a second section for sequence "addToCart"/);
  });

  it('refuses two budget lines in one section, and a budget line it cannot read', () => {
    expect(() => parseHandlerBudgets(section('a', '- **Budget:** none', '* **Budget:** p95 blocking ≤ 2 ms'), 'H.md')).toThrow(/H\.md:4: a second Budget line in "a" \(the first is on line 3\)/);
    expect(() => parseHandlerBudgets(section('a', '1. **Budget:** p95 blocking ≤ 2 ms'), 'H.md')).toThrow(/H\.md:3: cannot read this budget line of "a"/);
    expect(() => parseHandlerBudgets(section('a', '- Budget: p95 blocking ≤ 2 ms'), 'H.md')).toThrow(/H\.md:3: cannot read this budget line/);
  });
});
