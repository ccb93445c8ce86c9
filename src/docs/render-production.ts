/**
 * What production said about a handler's shipped fix, in HANDLER_SPECS.md: one generated line in
 * the handler's section between `homeostat:production` markers, from the ledger
 * `homeostat.production.json` in the docs directory (written by `homeostat confirm`).
 *
 * Kept apart from render-handlers.ts on purpose: the handler renderer calls `productionLines` once
 * (its only hook), and `confirm` splices the same lines into the markdown on disk without
 * regenerating anything else (`spliceProduction`), so every other byte, human regions included,
 * stays as it was.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { PRODUCTION_VERDICTS, type ProductionVerdict } from '../core/field/confirm.ts';
import { issueLines, jsonValue } from '../core/session.ts';
import { mdName, mdText } from './format.ts';

export const PRODUCTION_FILE = 'homeostat.production.json';
export const PRODUCTION_OPEN = '<!-- homeostat:production -->';
export const PRODUCTION_CLOSE = '<!-- /homeostat:production -->';

const entrySchema = z
  .object({
    date: z.string(),
    before: z.string(),
    after: z.string(),
    verdict: z.enum(PRODUCTION_VERDICTS),
    /** The sentence with the numbers (`ProductionOutcome.why`). */
    why: z.string(),
    sessions: z.object({ before: z.number().int().nonnegative(), after: z.number().int().nonnegative() }).strict(),
    needed: z.number().int().positive().nullable(),
    source: z.string(),
  })
  .strict();
export type ProductionEntry = z.infer<typeof entrySchema>;

const ledgerSchema = z.object({ format: z.literal('homeostat.production'), version: z.literal(1), handlers: z.record(z.string(), entrySchema) }).strict();
export type ProductionLedger = z.infer<typeof ledgerSchema>;

export const emptyLedger = (): ProductionLedger => ({ format: 'homeostat.production', version: 1, handlers: {} });

/** The ledger in `docsDir`; none yet is an empty ledger, a corrupt one an error naming it. */
export async function readProduction(docsDir: string): Promise<ProductionLedger> {
  const path = join(docsDir, PRODUCTION_FILE);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return emptyLedger();
    throw e;
  }
  const value = jsonValue(text, (issues) => new Error(`${path}: ${issues.join('; ')}`));
  const r = ledgerSchema.safeParse(value);
  if (!r.success) throw new Error(`${path}: not a Homeostat production ledger: ${issueLines(r.error, 5).join('; ')}`);
  return r.data;
}

const HEADLINE: Record<ProductionVerdict, (e: ProductionEntry) => string> = {
  confirmed: (e) => `confirmed in production on build ${e.after}`,
  partial: (e) => `partly confirmed in production on build ${e.after} (the page still freezes)`,
  refuted: (e) => `not confirmed in production on build ${e.after}: no change users feel`,
  regressed: (e) => `regressed in production on build ${e.after}`,
  'not-enough-data': (e) => `not enough field data yet on build ${e.after}${e.needed ? ` (need ~${e.needed} sessions per build)` : ''}`,
};

/**
 * The ledger's entry for `handler`, own keys only: handler names are the app's code, and a handler
 * named `constructor` or `toString` must not read Object's prototype (the hostile-names test found
 * `handlers['constructor']` returning a function).
 */
export function productionEntry(ledger: ProductionLedger | undefined, handler: string): ProductionEntry | undefined {
  return ledger && Object.hasOwn(ledger.handlers, handler) ? ledger.handlers[handler] : undefined;
}

/** Sets `handler`'s entry as an own property, whatever the name (`__proto__` included). */
export function setProductionEntry(ledger: ProductionLedger, handler: string, entry: ProductionEntry): void {
  Object.defineProperty(ledger.handlers, handler, { value: entry, enumerable: true, writable: true, configurable: true });
}

/** The handler's production lines (markers included), or none when production has not spoken. */
export function productionLines(entry: ProductionEntry | undefined): string[] {
  if (!entry) return [];
  const text = `- **Production:** ${HEADLINE[entry.verdict](entry)} (vs ${entry.before}): ${mdText(entry.why)}; n = ${entry.sessions.before} / ${entry.sessions.after} sessions, ${entry.source}, ${entry.date.slice(0, 10)}`;
  return [PRODUCTION_OPEN, text, PRODUCTION_CLOSE];
}

/**
 * HANDLER_SPECS.md with `handler`'s production lines replaced (or inserted after its Status
 * line, else at the end of its bullet list); every other line is kept byte for byte. Null when
 * the file has no section for the handler.
 */
export function spliceProduction(markdown: string, handler: string, entry: ProductionEntry): string | null {
  const eol = markdown.includes('\r\n') ? '\r\n' : '\n';
  const lines = markdown.split(eol);
  const heading = `## \`${mdName(handler)}\``;
  const start = lines.findIndex((l) => l === heading);
  if (start < 0) return null;
  let end = lines.findIndex((l, i) => i > start && l.startsWith('## '));
  if (end < 0) end = lines.length;
  const fresh = productionLines(entry);
  const open = lines.findIndex((l, i) => i > start && i < end && l === PRODUCTION_OPEN);
  if (open >= 0) {
    const close = lines.findIndex((l, i) => i > open && i < end && l === PRODUCTION_CLOSE);
    if (close < 0) throw new Error(`${heading}: ${PRODUCTION_OPEN} is never closed`);
    lines.splice(open, close - open + 1, ...fresh);
    return lines.join(eol);
  }
  let at = lines.findIndex((l, i) => i > start && i < end && l.startsWith('- **Status:**'));
  if (at < 0) {
    for (let i = start + 1; i < end; i++) if (lines[i]!.startsWith('- **')) at = i;
  }
  if (at < 0) at = start + 1;
  lines.splice(at + 1, 0, ...fresh);
  return lines.join(eol);
}
