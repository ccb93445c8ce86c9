/**
 * The docs coverage report: per handler, which items of the design its section documents from
 * evidence. Computed by running the same blocks the section is rendered from, so the report
 * cannot claim what the docs do not say.
 */
import type { RenderContext } from './context.ts';
import { code, mdName, table } from './format.ts';
import { COVERAGE_ITEMS, HANDLER_BLOCKS, type CoverageItem } from './handler-blocks.ts';

/** Per item: documented from evidence, documented as missing, or not applicable (no code found). */
export type CoverageMark = 'yes' | 'missing' | 'n/a';

export interface HandlerCoverage {
  name: string;
  items: Record<CoverageItem, CoverageMark>;
}

export interface DocsCoverage {
  handlers: HandlerCoverage[];
  /** Per item, the share of handlers documented from evidence. */
  share: Record<CoverageItem, number>;
}

export function docsCoverage(ctx: RenderContext): DocsCoverage {
  const observed = new Map(ctx.snapshot.handlers.map((h) => [h.handler, h]));
  const handlers = Object.keys(ctx.spec.handlers)
    .sort()
    .map((name): HandlerCoverage => {
      const input = { name, spec: ctx.spec.handlers[name]!, observed: observed.get(name), source: ctx.sources.get(name) };
      const items = Object.fromEntries(COVERAGE_ITEMS.map((i) => [i, 'n/a'])) as Record<CoverageItem, CoverageMark>;
      for (const b of HANDLER_BLOCKS) {
        if (!b.item) continue;
        const r = b.render(ctx, input);
        if (r) items[b.item] = r.covered ? 'yes' : 'missing';
      }
      return { name, items };
    });
  const share = Object.fromEntries(COVERAGE_ITEMS.map((i) => [i, handlers.length === 0 ? 0 : handlers.filter((h) => h.items[i] === 'yes').length / handlers.length])) as Record<CoverageItem, number>;
  return { handlers, share };
}

const MARK: Record<CoverageMark, string> = { yes: '✓', missing: '–', 'n/a': '·' };

/** The report as a markdown table, one row per handler and a total row. */
export function coverageTable(c: DocsCoverage): string {
  return table(
    ['handler', ...COVERAGE_ITEMS],
    [
      ...c.handlers.map((h) => [code(mdName(h.name)), ...COVERAGE_ITEMS.map((i) => MARK[h.items[i]])]),
      ['all', ...COVERAGE_ITEMS.map((i) => `${Math.round(c.share[i] * 100)}%`)],
    ],
    ['l', ...COVERAGE_ITEMS.map(() => 'l' as const)],
  );
}

/** The report as terminal lines (`homeostat docs` prints it). */
export function coverageLines(c: DocsCoverage): string[] {
  const width = Math.max(7, ...c.handlers.map((h) => h.name.length));
  const col = Math.max(...COVERAGE_ITEMS.map((i) => i.length)) + 2;
  const head = `${'handler'.padEnd(width)}  ${COVERAGE_ITEMS.map((i) => i.padEnd(col)).join('')}`;
  const rows = c.handlers.map((h) => `${h.name.padEnd(width)}  ${COVERAGE_ITEMS.map((i) => MARK[h.items[i]].padEnd(col)).join('')}`);
  const total = `${'all'.padEnd(width)}  ${COVERAGE_ITEMS.map((i) => `${Math.round(c.share[i] * 100)}%`.padEnd(col)).join('')}`;
  return [head.trimEnd(), ...rows.map((r) => r.trimEnd()), total.trimEnd()];
}
