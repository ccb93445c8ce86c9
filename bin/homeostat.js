#!/usr/bin/env node
// Published entry point: the compiled CLI (npm run build). In this repository, `npm start` and
// `npx tsx src/cli/main.ts` run the sources directly.
import '../dist/node/cli/main.js';
