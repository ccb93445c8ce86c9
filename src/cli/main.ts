#!/usr/bin/env node
/**
 * The `homeostat` command line. It only finds the command and hands it the arguments; each
 * command lives in src/cli/commands/<name>.ts and calls the modules that do the work.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CliIO } from './command.ts';
import { commandNames, loadCommand as load } from './registry.ts';
import { runCommand } from './run.ts';

const here = dirname(fileURLToPath(import.meta.url));

async function usage(): Promise<string> {
  const lines = ['homeostat <command> [options]', '', 'Commands:'];
  for (const name of commandNames()) {
    const c = await load(name);
    if (c) lines.push(`  ${c.name.padEnd(10)} ${c.summary}`);
  }
  lines.push('', "Run 'homeostat <command> --help' for a command's options, 'homeostat --version' for the version.", '', 'Environment:');
  lines.push('  HOMEOSTAT_CHROMIUM   Chromium executable (default /usr/bin/chromium, else Playwright\'s)', '');
  return lines.join('\n');
}

/**
 * `homeostat <version>`, the same however it runs: built from @homeostat/tools, or from the
 * sources of a clone (the repository's `homeostat` package). The two packages share one version.
 */
function version(): string {
  for (let dir = here; ; dir = dirname(dir)) {
    const file = join(dir, 'package.json');
    if (existsSync(file)) {
      const pkg = JSON.parse(readFileSync(file, 'utf8')) as { name?: string; version?: string };
      if (pkg.name === '@homeostat/tools' || pkg.name === 'homeostat') return `homeostat ${pkg.version ?? '(version unknown)'}`;
    }
    if (dirname(dir) === dir) return 'homeostat (version unknown)';
  }
}

const io: CliIO = {
  out: (text) => process.stdout.write(text.endsWith('\n') ? text : `${text}\n`),
  log: (line) => process.stderr.write(`${line}\n`),
  cwd: process.cwd(),
};

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === '--version' || name === '-v' || name === 'version') {
    io.out(version());
    return 0;
  }
  if (name === undefined || name === 'help' || name === '--help' || name === '-h') {
    io.out(await usage());
    return name === undefined ? 2 : 0;
  }
  const command = await load(name);
  if (!command) {
    io.log(`homeostat: unknown command "${name}"; run 'homeostat --help' for the commands`);
    return 2;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    io.out(command.usage);
    return 0;
  }
  return runCommand(command, rest, io);
}

void main(process.argv.slice(2)).then((code) => process.exit(code));
