import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { Command } from '../command.ts';
import { UsageError } from '../command.ts';
import { renderTable, TERMINAL_WIDTH, wrap } from '../../node/table.ts';

export const command: Command = {
  name: 'confirm',
  summary: 'Confirm shipped fixes with field data of the builds before and after (service.version)',
  usage: `homeostat confirm --field <files or store> ... --before <build> --after <build>
                  [--handler <name> ...] [--branch <fix branch>] [--docs <dir>] [--history <file>]
                  [--app <name>] [--since <date>] [--looks <n>] [--min-sessions <n>]
                  [--dry-run] [--json]

Compares real users' sessions of the build before a fix with the build after it (their
service.version) for every fix the history says was delivered (or the handlers named), with the
statistics of local verification: one number per session (the p95 of its calls), a log-ratio
with a Welch interval over sessions, guards (time to result, errors) proven within tolerance,
Pocock's per-look confidence over --looks planned looks. Fewer than --min-sessions sessions per
build decide only when overwhelming; otherwise "not enough field data yet (need ~N sessions)".
Writes the outcome into the handler's section of HANDLER_SPECS.md (a generated Production line,
ledger homeostat.production.json) and into the fix's history entry, which heal's rankings use.

  --field <input>       OTLP/JSON files or directories (the collector's file exporter),
                        clickhouse://user:pass@host:8123/otel or chdb:<dir>
  --before, --after     the builds (service.version) before and after the fix
  --handler <name>      confirm these handlers (default: every delivered fix in the history)
  --branch <name>       only the fix delivered on this branch (homeostat/fix-<handler>)
  --docs <dir>          docs directory to write into (default docs, when it exists)
  --history <file>      heal's history (default .homeostat/history.json)
  --looks <n>           times confirm is planned to look as data grows (default 5)
  --min-sessions <n>    sessions per build before an unremarkable difference decides (default 20)
  --dry-run             print, write nothing
  --json                print the outcomes as JSON

Exit codes: 0 every fix confirmed (or partial); 1 one refuted or regressed; 3 one still lacks
data; 2 bad input.`,
  async run(args, io) {
    const { values } = parseArgs({
      args,
      options: {
        field: { type: 'string', multiple: true },
        before: { type: 'string' },
        after: { type: 'string' },
        handler: { type: 'string', multiple: true },
        branch: { type: 'string' },
        docs: { type: 'string' },
        history: { type: 'string' },
        app: { type: 'string' },
        since: { type: 'string' },
        looks: { type: 'string' },
        'min-sessions': { type: 'string' },
        'dry-run': { type: 'boolean' },
        json: { type: 'boolean' },
      },
    });
    if (!values.field?.length) throw new UsageError('--field is required: where the field data is');
    if (!values.before || !values.after) throw new UsageError('--before and --after are required: the builds (service.version) before and after the fix');
    const looks = positiveInt('--looks', values.looks, 5);
    const minSessions = positiveInt('--min-sessions', values['min-sessions'], 20);
    const since = values.since === undefined ? undefined : new Date(values.since);
    if (since && Number.isNaN(since.getTime())) throw new UsageError(`--since must be a date, got ${values.since}`);
    const [{ existsSync }, { loadBuilds }, { readHistory }, production] = await Promise.all([
      import('node:fs'),
      import('../../field/by-build.ts'),
      import('../../heal/history.ts'),
      import('../../heal/production.ts'),
    ]);
    const historyPath = resolve(io.cwd, values.history ?? '.homeostat/history.json');
    const docsDir = resolve(io.cwd, values.docs ?? 'docs');
    if (values.docs && !existsSync(docsDir)) throw new UsageError(`--docs ${docsDir} does not exist`);
    const history = await readHistory(historyPath);
    const field = await loadBuilds(values.field, io.cwd, [values.before, values.after], { ...(values.app ? { app: values.app } : {}), ...(since ? { since } : {}) });
    const req = { field, before: values.before, after: values.after, history, options: { looks, minSessions }, ...(values.handler ? { handlers: values.handler } : {}), ...(values.branch ? { branch: values.branch } : {}) };
    const fixes = production.confirmFixes(req);
    if (fixes.length === 0) throw new UsageError(`no delivered fix in ${historyPath}${values.branch ? ` on branch ${values.branch}` : ''}: name the handlers with --handler`);
    io.log(`field: ${field.source}; build ${values.before}: ${field.builds.get(values.before)!.sessions.length} sessions, build ${values.after}: ${field.builds.get(values.after)!.sessions.length} sessions`);
    if (!values['dry-run']) {
      const written = await production.recordConfirmations(fixes, req, { ...(existsSync(docsDir) ? { docsDir } : {}), historyPath });
      for (const w of written) io.log(`wrote ${w}`);
    }
    const code = fixes.some((f) => f.verdict === 'refuted' || f.verdict === 'regressed') ? 1 : fixes.some((f) => f.verdict === 'not-enough-data') ? 3 : 0;
    if (values.json) {
      io.out(JSON.stringify(fixes.map(({ judgement: _j, ...f }) => f), null, 2));
      return code;
    }
    const ratio = (x: number | null | undefined, lo?: number | null, hi?: number | null) =>
      x === null || x === undefined ? '–' : `${x.toFixed(2)}×${lo != null && hi != null ? ` (${lo.toFixed(2)}–${hi.toFixed(2)})` : ''}`;
    io.out(
      [
        renderTable(fixes, [
          { title: 'handler', value: (f) => f.handler, align: 'left' },
          { title: 'rule', value: (f) => f.outcome?.rule ?? '–', align: 'left' },
          { title: 'predicted', value: (f) => ratio(f.outcome?.metrics.find((m) => m.role === 'primary')?.predicted) },
          { title: 'measured locally', value: (f) => { const m = f.outcome?.metrics.find((x) => x.role === 'primary'); return ratio(m?.measured, m?.low, m?.high); } },
          { title: 'in production', value: (f) => ratio(f.primary.ratio?.estimate, f.primary.ratio?.low, f.primary.ratio?.high) },
          { title: 'sessions', value: (f) => `${f.sessions.before} / ${f.sessions.after}` },
          { title: 'production', value: (f) => f.verdict, align: 'left' },
        ]),
        '',
        ...fixes.flatMap((f) => wrap(`${f.handler}: ${f.why}`, TERMINAL_WIDTH)),
      ].join('\n'),
    );
    return code;
  },
};

function positiveInt(name: string, v: string | undefined, dflt: number): number {
  if (v === undefined) return dflt;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new UsageError(`${name} must be a positive integer, got ${v}`);
  return n;
}
