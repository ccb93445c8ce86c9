import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { CliIO, Command } from '../command.ts';
import { UsageError } from '../command.ts';
import { expectPath } from '../paths.ts';
import type { FieldSnapshot } from '../../core/field/merge.ts';

/** `--field` inputs merged; `--since` and `--app` filter them. Shared with `check`. */
export async function readField(inputs: string[], cwd: string, app: string | undefined, since: string | undefined): Promise<FieldSnapshot> {
  const { loadField, FieldSourceError } = await import('../../field/load.ts');
  let from: Date | undefined;
  if (since !== undefined) {
    from = new Date(since);
    if (Number.isNaN(from.getTime())) throw new UsageError(`--since ${since} is not a date`);
  }
  try {
    return await loadField(inputs, cwd, { ...(app ? { app } : {}), ...(from ? { since: from } : {}) });
  } catch (e) {
    if (e instanceof FieldSourceError) throw new UsageError(e.message);
    throw e;
  }
}

/** Says which apps' field data was found beside the one read, and left out. */
export function logOtherApps(field: FieldSnapshot, io: CliIO): void {
  if (field.otherApps.length === 0) return;
  const points = field.otherApps.reduce((a, o) => a + o.points, 0);
  io.log(`field: left out ${points} points of ${field.otherApps.length} other app${field.otherApps.length === 1 ? '' : 's'}: ${field.otherApps.map((o) => `${o.app ?? '(no service.name)'} (${o.points})`).join(', ')}`);
}

/** The app the docs already name (their spec's `app`), if any: field data of other apps is not theirs. */
async function appOfDocs(docsDir: string): Promise<string | undefined> {
  const { readFile } = await import('node:fs/promises');
  const { join } = await import('node:path');
  const { parseSpecText, SPEC_FILE } = await import('../../docs/spec-file.ts');
  const path = join(docsDir, SPEC_FILE);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    return undefined;
  }
  return parseSpecText(text, path).app ?? undefined;
}

export const command: Command = {
  name: 'docs',
  summary: 'Generate living docs (HANDLER_SPECS.md, SEQUENCE_FLOWS.md, ...) from code and telemetry',
  usage: `homeostat docs [--root <dir>] [--docs <dir>] [--sessions <file or dir> ...]
               [--field <files or store> ...] [--since <date>] [--app <name>] [--tsconfig <file>]
               [--include <glob> ...] [--exclude <glob> ...] [--plugin | --no-plugin]
               [--only <handler> ...]

Analyses the app's JavaScript/TypeScript (.js, .jsx, .ts, .tsx) for instrumented handlers,
including what @homeostat/tools/vite or @homeostat/tools/babel instruments, merges the session
files, and (re)writes HANDLER_SPECS.md, SEQUENCE_FLOWS.md, PERFORMANCE.md, ERRORS.md and
homeostat.spec.json in the docs directory. Budget and Tolerance lines and the text between
<!-- homeostat:human --> markers are kept; the markdown budget lines win over the JSON.
Without --only, every handler and sequence seen in the sessions is re-baselined from them.

  --root <dir>       app source root (default src)
  --docs <dir>       docs directory (default docs)
  --sessions <path>  session JSON files or directories, repeatable (default .homeostat/sessions;
                     with --field and no --sessions, none)
  --field <input>    field data from real users, merged into field baselines beside the local
                     ones: OTLP/JSON files or directories (the OpenTelemetry Collector's file
                     exporter), clickhouse://user:pass@host:8123/otel (its ClickHouse exporter)
                     or chdb:<dir> (an embedded ClickHouse store); repeatable for files
  --since <date>     only field data from this date on (ISO 8601)
  --app <name>       app name recorded in the spec; only its field data is read (default: the
                     docs' app; several apps in --field and none named is an error)
  --tsconfig <file>  compiler options for the analysis
  --include <glob>   files to analyse, relative to --root, repeatable
                     (default **/*.{ts,tsx,js,jsx,mts,mjs})
  --exclude <glob>   files to leave out, repeatable (node_modules, tests and .d.ts always are)
  --plugin           document what the build plugin instruments (default: when a vite/babel/next
                     config next to --root or up to three folders above uses
                     @homeostat/tools/vite or @homeostat/tools/babel)
  --no-plugin        only handlers named in the code (instrument, useHandler, sequence)
  --only <handler>   re-baseline only this handler (repeatable): its section, its summary rows and
                     the sequences it is in come from the sessions; every other handler keeps the
                     baseline the docs have (source lines the code moved are still updated). What
                     heal does when it delivers a fix.

Exit codes: 0 written; 1 the analysis or a write failed; 2 bad input: an unknown option, a
missing path, an invalid docs, spec or session file (nothing written); 130/143 interrupted.`,
  async run(args, io) {
    const { values } = parseArgs({
      args,
      options: {
        root: { type: 'string' },
        docs: { type: 'string' },
        sessions: { type: 'string', multiple: true },
        field: { type: 'string', multiple: true },
        since: { type: 'string' },
        app: { type: 'string' },
        tsconfig: { type: 'string' },
        include: { type: 'string', multiple: true },
        exclude: { type: 'string', multiple: true },
        plugin: { type: 'boolean' },
        'no-plugin': { type: 'boolean' },
        only: { type: 'string', multiple: true },
      },
    });
    if (values.plugin && values['no-plugin']) throw new UsageError('--plugin and --no-plugin contradict each other');
    const root = resolve(io.cwd, values.root ?? 'src');
    expectPath('--root', root, 'directory', "the app's source directory");
    const docsOut = resolve(io.cwd, values.docs ?? 'docs');
    if (existsSync(docsOut)) expectPath('--docs', docsOut, 'directory', 'the docs directory to write (created when absent)');
    const sessionArgs = (values.sessions ?? (values.field ? [] : ['.homeostat/sessions'])).map((p) => resolve(io.cwd, p));
    for (const p of sessionArgs) expectPath('--sessions', p, 'file or directory', 'a session file or a directory of them');
    const [{ analyzeProject }, { generateDocs }, { loadSessions }] = await Promise.all([
      import('../../docs/analyze.ts'),
      import('../../docs/generate.ts'),
      import('../../docs/sessions.ts'),
    ]);
    const sessions = sessionArgs.length > 0 ? await loadSessions(sessionArgs) : [];
    const app = values.app ?? (values.field ? await appOfDocs(resolve(io.cwd, values.docs ?? 'docs')) : undefined);
    const field = values.field ? await readField(values.field, io.cwd, app, values.since) : undefined;
    if (field) logOtherApps(field, io);
    if (field) io.log(`field: ${field.sessions} sessions, ${field.handlers.size} handlers from ${field.source}`);
    io.log(`analysing ${root}…`);
    const analysis = await analyzeProject(root, {
      ...(values.tsconfig ? { tsconfig: resolve(io.cwd, values.tsconfig) } : {}),
      ...(values.include ? { include: values.include } : {}),
      ...(values.exclude ? { exclude: values.exclude } : {}),
      ...(values.plugin ? { plugin: true } : values['no-plugin'] ? { plugin: false } : {}),
    });
    const auto = analysis.handlers.filter((h) => h.kind === 'auto').length;
    io.log(`${analysis.handlers.length} instrumented handlers${auto ? ` (${auto} named by the build plugin)` : ''}; ${sessions.length} sessions`);
    if (values.only && sessions.length === 0) throw new UsageError('--only re-baselines from sessions: give --sessions');
    const { files, spec, regenerated, coverage } = await generateDocs({
      root,
      docsDir: resolve(io.cwd, values.docs ?? 'docs'),
      sessions,
      analysis,
      ...(values.app !== undefined ? { app: values.app } : {}),
      ...(field ? { field } : {}),
      ...(values.only ? { only: values.only } : {}),
    });
    if (values.only) {
      const unknown = values.only.filter((h) => !spec.handlers[h]);
      if (unknown.length) io.log(`--only: ${unknown.join(', ')} not in the code or the telemetry: nothing re-baselined for ${unknown.length === 1 ? 'it' : 'them'}`);
      if (regenerated) io.log(`re-baselined ${regenerated.handlers.join(', ') || 'no handler'}${regenerated.sequences.length ? ` and the sequences ${regenerated.sequences.join(', ')}` : ''}; every other handler kept its baseline`);
      else io.log('--only: no docs yet, so everything was generated');
    }
    const { coverageLines } = await import('../../docs/coverage.ts');
    io.log(['docs coverage (✓ documented from evidence, – said missing, · no code found):', ...coverageLines(coverage).map((l) => `  ${l}`)].join('\n'));
    io.out(`Wrote ${files.length} files (${Object.keys(spec.handlers).length} handlers, ${Object.keys(spec.sequences).length} sequences):\n${files.map((f) => `  ${f}`).join('\n')}`);
    return 0;
  },
};
