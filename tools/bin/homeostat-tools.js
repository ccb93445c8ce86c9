#!/usr/bin/env node
// The `homeostat` command line, under the package's own name (`npx @homeostat/tools <command>`);
// `npx homeostat <command>` reaches the same through the `homeostat` package.
//
// Installed from a tarball or the registry, only the compiled dist/ is here. In a clone of the
// repository the sources (../../src) are beside it: they run through tsx, a development
// dependency of the repository, so `npx homeostat --help` works right after `npm ci`, and never
// runs a stale build of code that has changed since.
import { existsSync } from 'node:fs';

const built = new URL('../dist/cli/main.js', import.meta.url);
const sources = new URL('../../src/cli/main.ts', import.meta.url);

if (!existsSync(sources) && existsSync(built)) {
  await import(built.href);
} else if (existsSync(sources)) {
  let register;
  try {
    ({ register } = await import('tsx/esm/api'));
  } catch {
    process.stderr.write('homeostat: this checkout is not built and tsx is not installed: run `npm ci` (or `npm run build:node`).\n');
    process.exit(2);
  }
  register();
  await import(sources.href);
} else {
  process.stderr.write(`homeostat: @homeostat/tools has no build (${built.pathname} is missing): reinstall it.\n`);
  process.exit(2);
}
