import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { Command } from '../command.ts';
import { UsageError } from '../command.ts';
import { TERMINAL_WIDTH, wrap } from '../../node/table.ts';

export const command: Command = {
  name: 'gate',
  summary: 'Deployment gate: a candidate build’s field data vs budgets and the previous build',
  usage: `homeostat gate --field <files or store> ... --candidate <build> [--previous <build>]
               [--docs <dir>] [--history <file>] [--deployments <file>] [--app <name>]
               [--since <date>] [--min-uptime <share>] [--min-sessions <n>] [--looks <n>]
               [--no-record] [--json]

For a canary or staged rollout: the candidate build's real-user sessions (service.version) are
held against the docs' budgets and against the previous build, per documented handler, with
the statistics of \`confirm\` (per-session log-ratio, Welch interval, Pocock looks). Prints the
decision (promote / hold: not enough field data yet / rollback) and the seed's five metrics:
documentation accuracy, issue detection rate, fix success rate (in production), auto-deployment
rate and uptime (share of sessions without a Homeostat error).

  --candidate <build>   the build being rolled out
  --previous <build>    the build it replaces (default: the only other build in the data)
  --docs <dir>          docs directory with homeostat.spec.json (default docs)
  --history <file>      heal's history (default .homeostat/history.json): which fixes shipped
  --deployments <file>  the gate's decision log (default .homeostat/deployments.json)
  --min-uptime <share>  roll back below this uptime (e.g. 0.99; default none)
  --min-sessions <n>    candidate sessions before promoting (default: the spec's minSamples)
  --no-record           do not append this decision to the log
  --json                print the report as JSON

Exit codes: 0 promote or hold (the decision is printed, and is "decision" in --json); 1 rollback:
a regression; 2 bad input.`,
  async run(args, io) {
    const { values } = parseArgs({
      args,
      options: {
        field: { type: 'string', multiple: true },
        candidate: { type: 'string' },
        previous: { type: 'string' },
        docs: { type: 'string' },
        history: { type: 'string' },
        deployments: { type: 'string' },
        app: { type: 'string' },
        since: { type: 'string' },
        'min-uptime': { type: 'string' },
        'min-sessions': { type: 'string' },
        looks: { type: 'string' },
        'no-record': { type: 'boolean' },
        json: { type: 'boolean' },
      },
    });
    if (!values.field?.length) throw new UsageError('--field is required: where the field data is');
    if (!values.candidate) throw new UsageError('--candidate is required: the build (service.version) being rolled out');
    const minUptime = values['min-uptime'] === undefined ? undefined : Number(values['min-uptime']);
    if (minUptime !== undefined && !(minUptime >= 0 && minUptime <= 1)) throw new UsageError(`--min-uptime must be a share between 0 and 1, got ${values['min-uptime']}`);
    const int = (name: string, v: string | undefined) => {
      if (v === undefined) return undefined;
      const n = Number(v);
      if (!Number.isInteger(n) || n < 1) throw new UsageError(`${name} must be a positive integer, got ${v}`);
      return n;
    };
    const minSessions = int('--min-sessions', values['min-sessions']);
    const looks = int('--looks', values.looks);
    const since = values.since === undefined ? undefined : new Date(values.since);
    if (since && Number.isNaN(since.getTime())) throw new UsageError(`--since must be a date, got ${values.since}`);
    const [{ readDocs }, { loadBuilds }, { readHistory }, g] = await Promise.all([
      import('../../docs/spec-file.ts'),
      import('../../field/by-build.ts'),
      import('../../heal/history.ts'),
      import('../../heal/gate.ts'),
    ]);
    const spec = await readDocs(resolve(io.cwd, values.docs ?? 'docs'));
    const filter = { ...(values.app ?? spec.app ? { app: values.app ?? spec.app! } : {}), ...(since ? { since } : {}) };
    let previous = values.previous;
    let field;
    if (previous) field = await loadBuilds(values.field, io.cwd, [previous, values.candidate], filter);
    else {
      field = await loadBuilds(values.field, io.cwd, [], filter);
      const others = field.seen.filter((s) => s.build !== values.candidate);
      if (others.length !== 1) throw new UsageError(`--previous is needed: the data holds ${others.length === 0 ? 'no build but the candidate' : `builds ${others.map((o) => o.build).join(', ')}`} beside ${values.candidate}`);
      previous = others[0]!.build;
    }
    const historyPath = resolve(io.cwd, values.history ?? '.homeostat/history.json');
    const deploymentsPath = resolve(io.cwd, values.deployments ?? '.homeostat/deployments.json');
    const [history, deployments] = await Promise.all([readHistory(historyPath), g.readDeployments(deploymentsPath)]);
    const report = g.gate(spec, field, previous, values.candidate, history, deployments, {
      ...(minUptime !== undefined ? { minUptime } : {}),
      ...(minSessions !== undefined ? { minSessions } : {}),
      ...(looks !== undefined ? { looks } : {}),
    });
    if (!values['no-record']) await g.appendDeployment(deploymentsPath, deployments, report);
    const code = report.decision === 'rollback' ? 1 : 0;
    if (values.json) {
      const strip = <T extends { judgement: unknown }>({ judgement: _j, ...rest }: T) => rest;
      io.out(JSON.stringify({ ...report, handlers: report.handlers.map(strip), fixes: report.fixes.map(strip) }, null, 2));
      return code;
    }
    const word = { promote: 'PROMOTE: deploy automatically', hold: 'HOLD: not enough field data yet; keep the rollout where it is', rollback: 'ROLLBACK: a regression; do not deploy' }[report.decision];
    const lines = [
      `Candidate ${report.candidate} (${report.sessions.candidate} sessions) vs ${report.previous} (${report.sessions.previous} sessions): ${word}`,
      ...report.reasons.flatMap((r) => wrap(`  - ${r}`, TERMINAL_WIDTH)),
      '',
      'Handlers vs the previous build:',
      ...report.handlers.flatMap((h) => wrap(`  ${h.handler}: ${COMPARED[h.verdict]}, ${h.why}`, TERMINAL_WIDTH)),
      ...(report.budgets.length > 0 ? ['', 'Budgets broken on the candidate:', ...report.budgets.flatMap((b) => wrap(`  ${b.new ? 'NEW ' : 'known '}${b.discrepancy.message}`, TERMINAL_WIDTH))] : []),
      ...(report.fixes.length > 0 ? ['', 'Shipped fixes:', ...report.fixes.flatMap((f) => wrap(`  ${f.handler}: ${f.verdict}, ${f.why}`, TERMINAL_WIDTH))] : []),
      '',
      'Metrics:',
      ...g.formatSeedMetrics(report.metrics).map((l) => `  ${l}`),
    ];
    io.out(lines.join('\n'));
    return code;
  },
};

/** A handler compared with the previous build (no fix claimed): what each verdict means here. */
const COMPARED = { confirmed: 'faster', partial: 'faster, still freezing', refuted: 'same', regressed: 'SLOWER', 'not-enough-data': 'no change proven yet' } as const;
