#!/usr/bin/env node
/** The `homeostat` command line. It only parses arguments and calls the modules that do the work. */
import { parseArgs } from 'node:util';
import { resolve } from 'node:path';

const USAGE = `homeostat <command> [options]

Commands:
  demo     Build and drive the bundled demo in headless Chromium; print per-handler timing.
           --no-build     reuse dist/demo
           --out <dir>    where the session JSON goes (default .homeostat/sessions)
           --json         print machine-readable output

Environment:
  HOMEOSTAT_CHROMIUM   Chromium executable (default /usr/bin/chromium, else Playwright's)
`;

const log = (line: string) => process.stderr.write(`${line}\n`);

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'demo': {
      const { values } = parseArgs({
        args: rest,
        options: { 'no-build': { type: 'boolean' }, out: { type: 'string' }, json: { type: 'boolean' } },
      });
      const { runDemo } = await import('./demo.ts');
      return runDemo({
        build: !values['no-build'],
        out: resolve(values.out ?? '.homeostat/sessions'),
        json: values.json === true,
        log,
      });
    }
    case undefined:
    case 'help':
    case '--help':
    case '-h':
      process.stdout.write(USAGE);
      return command === undefined ? 2 : 0;
    default:
      log(`homeostat: unknown command "${command}"\n`);
      process.stdout.write(USAGE);
      return 2;
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (e: unknown) => {
    log(`homeostat: ${e instanceof Error ? e.message : String(e)}`);
    process.exit(1);
  },
);
