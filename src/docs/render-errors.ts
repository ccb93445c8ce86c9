/** ERRORS.md: normalised error patterns per handler, with counts and first/last seen. */
import { GENERATED_NOTE, telemetryLine, type RenderContext } from './context.ts';
import { code, fmtPct, isoDate, mdName, mdText, table } from './format.ts';
import type { Regions } from './regions.ts';

export function renderErrors(ctx: RenderContext, regions: Regions): string {
  const rows = ctx.snapshot.handlers
    .flatMap((h) => h.errorPatterns.map((p) => ({ handler: h.handler, calls: h.count, ...p })))
    .sort((a, b) => b.count - a.count || a.handler.localeCompare(b.handler) || a.message.localeCompare(b.message));
  const out: string[] = [
    '# Errors',
    '',
    GENERATED_NOTE,
    '',
    'Messages are normalised as they are recorded (quoted text, numbers, URLs, e-mail addresses become placeholders), so equal errors group together and no user input is kept.',
    '',
    regions.region('notes'),
    '',
    telemetryLine(ctx),
    '',
    rows.length === 0
      ? 'No errors were recorded.'
      : table(
          ['handler', 'error', 'message', 'count', 'of calls', 'first seen', 'last seen'],
          rows.map((r) => [code(mdName(r.handler)), mdText(r.name), r.message === '' ? '–' : code(r.message), String(r.count), fmtPct(r.count / r.calls), isoDate(r.firstSeen), isoDate(r.lastSeen)]),
          ['l', 'l', 'l', 'r', 'r', 'l', 'l'],
        ),
  ];
  const orphans = regions.orphans();
  if (orphans) out.push('', orphans);
  return `${out.join('\n').trimEnd()}\n`;
}
