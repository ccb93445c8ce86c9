import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { Command } from '../command.ts';
import { UsageError } from '../command.ts';

export const command: Command = {
  name: 'docs',
  summary: 'Generate living docs (HANDLER_SPECS.md, SEQUENCE_FLOWS.md, ...) from code and telemetry',
  usage: `homeostat docs [--root <dir>] [--docs <dir>] [--sessions <file or dir> ...] [--app <name>] [--tsconfig <file>]
               [--include <glob> ...] [--exclude <glob> ...] [--plugin | --no-plugin]

Analyses the app's JavaScript/TypeScript (.js, .jsx, .ts, .tsx) for instrumented handlers,
including what homeostat/vite or homeostat/babel instruments, merges the session files, and
(re)writes HANDLER_SPECS.md, SEQUENCE_FLOWS.md, PERFORMANCE.md, ERRORS.md and
homeostat.spec.json in the docs directory. Budget and Tolerance lines and the text between
<!-- homeostat:human --> markers are kept; the markdown budget lines win over the JSON.

  --root <dir>       app source root (default src)
  --docs <dir>       docs directory (default docs)
  --sessions <path>  session JSON files or directories, repeatable (default .homeostat/sessions)
  --app <name>       app name recorded in the spec
  --tsconfig <file>  compiler options for the analysis
  --include <glob>   files to analyse, relative to --root, repeatable (default **/*.{ts,tsx,js,jsx,mts,mjs})
  --exclude <glob>   files to leave out, repeatable (node_modules, tests and .d.ts always are)
  --plugin           document what the build plugin instruments (default: when a vite/babel/next
                     config next to --root or up to three folders above uses homeostat/vite or /babel)
  --no-plugin        only handlers named in the code (instrument, useHandler, sequence)

Exit codes: 0 written, 1 bad docs/spec/session file (nothing written), 2 usage error.`,
  async run(args, io) {
    const { values } = parseArgs({
      args,
      options: {
        root: { type: 'string' },
        docs: { type: 'string' },
        sessions: { type: 'string', multiple: true },
        app: { type: 'string' },
        tsconfig: { type: 'string' },
        include: { type: 'string', multiple: true },
        exclude: { type: 'string', multiple: true },
        plugin: { type: 'boolean' },
        'no-plugin': { type: 'boolean' },
      },
    });
    if (values.plugin && values['no-plugin']) throw new UsageError('--plugin and --no-plugin contradict each other');
    const root = resolve(io.cwd, values.root ?? 'src');
    if (!existsSync(root)) throw new UsageError(`--root ${root} does not exist`);
    const sessionArgs = (values.sessions ?? ['.homeostat/sessions']).map((p) => resolve(io.cwd, p));
    for (const p of sessionArgs) if (!existsSync(p)) throw new UsageError(`--sessions ${p} does not exist`);
    const [{ analyzeProject }, { generateDocs }, { loadSessions }] = await Promise.all([
      import('../../docs/analyze.ts'),
      import('../../docs/generate.ts'),
      import('../../docs/sessions.ts'),
    ]);
    const sessions = await loadSessions(sessionArgs);
    io.log(`analysing ${root}…`);
    const analysis = await analyzeProject(root, {
      ...(values.tsconfig ? { tsconfig: resolve(io.cwd, values.tsconfig) } : {}),
      ...(values.include ? { include: values.include } : {}),
      ...(values.exclude ? { exclude: values.exclude } : {}),
      ...(values.plugin ? { plugin: true } : values['no-plugin'] ? { plugin: false } : {}),
    });
    const auto = analysis.handlers.filter((h) => h.kind === 'auto').length;
    io.log(`${analysis.handlers.length} instrumented handlers${auto ? ` (${auto} named by the build plugin)` : ''}; ${sessions.length} sessions`);
    const { files, spec } = await generateDocs({
      root,
      docsDir: resolve(io.cwd, values.docs ?? 'docs'),
      sessions,
      analysis,
      ...(values.app !== undefined ? { app: values.app } : {}),
    });
    io.out(`Wrote ${files.length} files (${Object.keys(spec.handlers).length} handlers, ${Object.keys(spec.sequences).length} sequences):\n${files.map((f) => `  ${f}`).join('\n')}`);
    return 0;
  },
};
