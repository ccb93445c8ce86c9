#!/usr/bin/env node
// `homeostat` on the command line. The page package stays small: the tools (docs, check, replay,
// record, heal and their Playwright, ts-morph and Babel) are in @homeostat/tools, a development
// dependency. This finds them from the current project (or next to this package) and runs them.
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';

const own = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
const args = process.argv.slice(2);

/** The tools' command-line entry, resolved through their package.json "exports" (the app's copy first). */
function toolsEntry() {
  for (const from of [join(process.cwd(), 'package.json'), import.meta.url]) {
    const require = createRequire(from);
    try {
      require.resolve('@homeostat/tools/package.json');
    } catch {
      continue; // Not installed there.
    }
    // The tools' own bin: it runs their build, or in a clone of this repository the sources
    // through tsx (built or not, so a stale build never answers).
    const toolsBin = join(dirname(require.resolve('@homeostat/tools/package.json')), 'bin', 'homeostat-tools.js');
    if (existsSync(toolsBin)) return toolsBin;
    try {
      return require.resolve('@homeostat/tools/cli');
    } catch {
      process.stderr.write(`homeostat: @homeostat/tools is installed (${require.resolve('@homeostat/tools/package.json')}) but not built: run \`npm run build:node\`.\n`);
      process.exit(2);
    }
  }
  return null;
}

const pkg = toolsEntry();
if (pkg === null) {
  if (args[0] === '--version' || args[0] === '-v' || args[0] === 'version') {
    process.stdout.write(`homeostat ${own.version} (tools not installed)\n`);
    process.exit(0);
  }
  process.stderr.write(
    `homeostat ${args[0] ?? ''}: the command line is in @homeostat/tools, kept out of what pages install.\n` +
      `  npm install --save-dev @homeostat/tools@${own.version}\n` +
      `or, without installing it: npx @homeostat/tools@${own.version} ${args.join(' ')}\n`,
  );
  process.exit(2);
}
await import(pathToFileURL(pkg).href);
