import { parseArgs } from 'node:util';
import { resolve } from 'node:path';
import type { Command } from '../command.ts';

export const command: Command = {
  name: 'demo',
  summary: 'Build and drive the bundled demo headless; print per-handler timing',
  usage: `homeostat demo [--no-build] [--out <dir>] [--json]

Builds the bundled demo, serves it cross-origin isolated, drives a realistic flow in headless
Chromium and prints what Homeostat measured per handler and per sequence.

  --no-build     reuse dist/demo
  --out <dir>    where the session JSON goes (default .homeostat/sessions)
  --json         print machine-readable output

Exit codes: 0 the flow ran and was measured; 1 the build, the browser or the flow failed;
2 an unknown option; 130/143 interrupted.`,
  async run(args, io) {
    const { values } = parseArgs({
      args,
      options: { 'no-build': { type: 'boolean' }, out: { type: 'string' }, json: { type: 'boolean' } },
    });
    const { runDemo } = await import('../demo.ts');
    return runDemo({
      build: !values['no-build'],
      out: resolve(io.cwd, values.out ?? '.homeostat/sessions'),
      json: values.json === true,
      log: io.log,
    });
  },
};
