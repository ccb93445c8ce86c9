#!/usr/bin/env node
// The `homeostat` command line, under the package's own name (`npx @homeostat/tools <command>`);
// `npx homeostat <command>` reaches the same through the `homeostat` package.
import '../dist/cli/main.js';
