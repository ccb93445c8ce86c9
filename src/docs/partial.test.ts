import { describe, expect, it } from 'vitest';
import { refreshCodeFacts, type Section } from './partial.ts';

const section = (code: string[], budget = '- **Budget:** p95 interaction ≤ 200 ms'): Section => ({
  heading: '## `checkout`',
  lines: ['## `checkout`', '', '<!-- homeostat:human -->', 'Written by a person.', '<!-- /homeostat:human -->', ...code, budget, '- **Status:** ok', ''],
});

describe("a kept handler section's code facts after a patch elsewhere", () => {
  it('take the moved source positions, keep every other line as written, and add nothing new', () => {
    const old = section([
      '- **Source:** [App.tsx:88](../src/App.tsx#L88) (`auto` in `App`)',
      '- **State updates:** `setOrder` → `order` at [App.tsx:89](../src/App.tsx#L89), blocking',
      '- **Tests and flows:**',
      '  - test [demo.spec.ts](../e2e/demo.spec.ts): a test that exists only here',
    ]);
    const fresh = section(
      [
        '- **Source:** [App.tsx:89](../src/App.tsx#L89) (`auto` in `App`)',
        '- **State updates:** `setOrder` → `order` at [App.tsx:90](../src/App.tsx#L90), blocking',
        '- **Tests and flows:**',
        '  - flow [search](../flows/search.json) (step 3); asserts “a flow added since”',
      ],
      '- **Budget:** none',
    );
    const out = refreshCodeFacts(old, fresh);
    expect(out.lines).toEqual([
      '## `checkout`',
      '',
      '<!-- homeostat:human -->',
      'Written by a person.',
      '<!-- /homeostat:human -->',
      '- **Source:** [App.tsx:89](../src/App.tsx#L89) (`auto` in `App`)',
      '- **State updates:** `setOrder` → `order` at [App.tsx:90](../src/App.tsx#L90), blocking',
      '- **Tests and flows:**',
      '  - test [demo.spec.ts](../e2e/demo.spec.ts): a test that exists only here',
      '- **Budget:** p95 interaction ≤ 200 ms',
      '- **Status:** ok',
      '',
    ]);
  });
});
