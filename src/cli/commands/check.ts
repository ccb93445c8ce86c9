import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { CheckReport, Discrepancy } from '../../core/check/index.ts';
import type { Command } from '../command.ts';
import { UsageError } from '../command.ts';
import { expectPath } from '../paths.ts';
import { ms, renderTable, TERMINAL_WIDTH, wrap } from '../../node/table.ts';

export const command: Command = {
  name: 'check',
  summary: 'Hold the docs against telemetry; list discrepancies (exit 1 on errors)',
  usage: `homeostat check [--docs <dir>] [--sessions <file or dir> ...] [--baseline <file or dir> ...]
                [--field <files or store> ...] [--since <date>] [--app <name>] [--json] [--seed <n>]

Compares the documented spec (homeostat.spec.json, with the budget lines of HANDLER_SPECS.md
and SEQUENCE_FLOWS.md) with the telemetry and reports each discrepancy with its evidence:
over budget, drift from baseline, undocumented or unseen handlers, sequence order, error rate
and transition share changes. Decisions use confidence intervals on the raw samples
(order statistics for quantiles, a seeded bootstrap for means) and the spec's minSamples:
fewer calls are "too few to judge", with how many more would decide, unless they already
decide a quantile budget (5 calls all far over a p95 budget cannot happen by chance).

  --docs <dir>       docs directory (default docs)
  --sessions <path>  session JSON files or directories, repeatable (default .homeostat/sessions)
  --field <input>    check field data from real users instead: OTLP/JSON files or directories,
                     clickhouse://user:pass@host:8123/otel or chdb:<dir>; held against the field
                     baselines (\`homeostat docs --field\`) and the budgets, with intervals widened
                     by the histograms' resolution
  --since <date>     only field data from this date on (ISO 8601)
  --app <name>       only field data of this app (service.name; default: the spec's app;
                     other apps found are counted and named, several and none named is an error)
  --baseline <path>  the sessions the baselines came from, if kept: drift is then decided by a
                     Mann–Whitney rank test on their raw samples
  --json             print the report as JSON
  --seed <n>         bootstrap seed (default 1)

Exit codes: 0 no error-severity discrepancy; 1 at least one; 2 bad input: an unknown option, a
missing path, an invalid docs, spec or session file; 130/143 interrupted.`,
  async run(args, io) {
    const { values } = parseArgs({
      args,
      options: {
        docs: { type: 'string' },
        sessions: { type: 'string', multiple: true },
        baseline: { type: 'string', multiple: true },
        field: { type: 'string', multiple: true },
        since: { type: 'string' },
        app: { type: 'string' },
        json: { type: 'boolean' },
        seed: { type: 'string' },
      },
    });
    const seed = values.seed === undefined ? 1 : Number(values.seed);
    if (!Number.isInteger(seed)) throw new UsageError(`--seed must be an integer, got ${values.seed}`);
    const docsDir = resolve(io.cwd, values.docs ?? 'docs');
    expectPath('--docs', docsDir, 'directory', 'the docs directory (the one holding homeostat.spec.json)');
    if (values.field && values.sessions) throw new UsageError('--field and --sessions are checked separately: give one');
    const sessionArgs = (values.field ? [] : (values.sessions ?? ['.homeostat/sessions'])).map((p) => resolve(io.cwd, p));
    for (const p of sessionArgs) expectPath('--sessions', p, 'file or directory', 'a session file or a directory of them');
    const baselineArgs = (values.baseline ?? []).map((p) => resolve(io.cwd, p));
    for (const p of baselineArgs) expectPath('--baseline', p, 'file or directory', 'a session file or a directory of them');
    const [{ readDocs }, { loadSessions }, { checkSpec, checkObserved, observeField }] = await Promise.all([
      import('../../docs/spec-file.ts'),
      import('../../docs/sessions.ts'),
      import('../../core/check/index.ts'),
    ]);
    const spec = await readDocs(docsDir);
    let report;
    if (values.field) {
      const { readField, logOtherApps } = await import('./docs.ts');
      // The spec names the app it documents: only that app's field data is held against it.
      const field = await readField(values.field, io.cwd, values.app ?? spec.app ?? undefined, values.since);
      logOtherApps(field, io);
      if (field.handlers.size === 0) throw new UsageError(`no Homeostat field data${spec.app || values.app ? ` of ${values.app ?? spec.app}` : ''} in ${values.field.join(', ')}`);
      io.log(`field: ${field.sessions} sessions from ${field.source} (quantiles within ±${(field.relativeAccuracy * 100).toFixed(2)}%)`);
      report = checkObserved(spec, observeField(field), { seed });
    } else {
      const sessions = await loadSessions(sessionArgs);
      // With no telemetry every handler would read "unseen": almost certainly a wrong path, so say so.
      if (sessions.length === 0) throw new UsageError(`no session files in ${sessionArgs.join(', ')}`);
      const baselineSessions = baselineArgs.length > 0 ? await loadSessions(baselineArgs) : undefined;
      report = checkSpec(spec, sessions, { seed, ...(baselineSessions ? { baselineSessions } : {}) });
    }
    const failed = report.discrepancies.some((d) => d.severity === 'error');
    if (values.json) {
      io.out(JSON.stringify(report, null, 2));
      return failed ? 1 : 0;
    }
    const order = { error: 0, warning: 1, info: 2 } as const;
    const rows = report.discrepancies.slice().sort((a, b) => order[a.severity] - order[b.severity] || a.subject.name.localeCompare(b.subject.name));
    const lines = [
      rows.length === 0
        ? 'No discrepancies.'
        : renderTable<Discrepancy>(rows, [
            { title: 'severity', value: (d) => d.severity, align: 'left' },
            { title: 'kind', value: (d) => d.kind, align: 'left' },
            { title: 'subject', value: (d) => `${d.subject.type === 'sequence' ? 'seq ' : ''}${d.subject.name}`, align: 'left' },
            { title: 'documented', value: (d) => ms(d.evidence.documented) },
            { title: 'observed', value: (d) => ms(d.evidence.observed) },
            { title: 'CI', value: (d) => (d.evidence.interval ? `${bound(d.evidence.interval.low)}–${bound(d.evidence.interval.high)}` : '') },
            { title: 'n', value: (d) => (d.evidence.n === undefined ? '' : String(d.evidence.n)) },
            { title: 'message', value: (d) => d.message, align: 'left' },
          ]),
      '',
      // Prose lines wrap at the terminal width like the table above.
      ...wrap(`Documentation accuracy: ${report.accuracy.ratio === null ? 'n/a (nothing could be judged)' : `${Math.round(report.accuracy.ratio * 100)}%`} (${report.accuracy.matching} of ${report.accuracy.documented} judged documented handlers match their docs)`, TERMINAL_WIDTH),
      ...wrap(`Handlers: ${summarise(report.handlers.map((h) => h.status))}`, TERMINAL_WIDTH),
      ...comparisonLines(report).flatMap((l) => wrap(l, TERMINAL_WIDTH)),
      ...tooFew(report.handlers).flatMap((l) => wrap(l, TERMINAL_WIDTH)),
    ];
    io.out(lines.join('\n'));
    return failed ? 1 : 0;
  },
};

/** How the telemetry's machine compared with the baselines': what the accuracy above is fair about. */
function comparisonLines(report: CheckReport): string[] {
  const c = report.context;
  if (!c) return [];
  const machine = `Machine: clock step ${c.clockMs} ms, ${c.calibrationMs === null ? 'no CPU calibration' : `CPU calibration ${ms(c.calibrationMs)} ms`}${c.loadAvg === null ? '' : `, load average ${c.loadAvg.toFixed(2)}${c.cpus ? ` on ${c.cpus} CPUs` : ''}`}.`;
  const scaled = report.handlers.filter((h) => h.comparison?.kind === 'normalised');
  const unfair = report.handlers.filter((h) => h.comparison?.kind === 'unfair');
  const out = [machine];
  if (scaled.length) out.push(`Compared like with like: ${scaled.length} baseline${scaled.length === 1 ? '' : 's'} scaled by the machine's speed (${scaled[0]!.comparison!.reason}).`);
  if (unfair.length) out.push(`Not comparable, left out of the accuracy: ${unfair.map((h) => h.name).join(', ')} (${unfair[0]!.comparison!.reason}).`);
  return out;
}

/** An interval bound: Infinity when too few samples bound that side. */
function bound(v: number): string {
  return v === Infinity ? '∞' : ms(v);
}

/** "Too few calls to judge: a (n=1: 1 more would decide), b (n=5: 15 more)". */
function tooFew(handlers: CheckReport['handlers']): string[] {
  const few = handlers.filter((h) => h.status === 'insufficient-data');
  if (few.length === 0) return [];
  const one = (h: CheckReport['handlers'][number]) =>
    `${h.name} (n=${h.n}${h.needed === null ? ': calls like these would not decide' : h.needed !== undefined ? `: ${h.needed} more would decide` : ''})`;
  return [`Too few calls to judge: ${few.map(one).join(', ')}`];
}

function summarise(statuses: string[]): string {
  const counts = new Map<string, number>();
  for (const s of statuses) counts.set(s, (counts.get(s) ?? 0) + 1);
  return [...counts].sort(([a], [b]) => a.localeCompare(b)).map(([s, n]) => `${n} ${s}`).join(', ') || 'none';
}
