#!/usr/bin/env node
/**
 * Runs an open-source React project's own Vitest suite without and with Homeostat's build plugin
 * (this checkout's src/vite, test files included, start-up code included), and compares every
 * test's outcome. Not part of `npm test`: it needs the project checked out and installed.
 *
 *   node scripts/oss-suite-compare.mjs [--checkout /work/scratch/jotai] [--timeout-min 20]
 *
 * The checkout must have its dependencies installed (`npm install --ignore-scripts`). A config
 * `vitest.homeostat.config.mts` is written into it (extending the project's own); results go to
 * `homeostat-compare/` there. Exit status: 0 when every test has the same outcome, 1 when any
 * differs (listed), 2 when a run failed to produce results or hung (killed at the timeout).
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const repo = resolve(here, '..');

function arg(name, fallback) {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1] : fallback;
}

const checkout = resolve(arg('checkout', '/work/scratch/jotai'));
const timeoutMs = Number(arg('timeout-min', '20')) * 60_000;
const baseConfig = ['vitest.config.mts', 'vitest.config.ts', 'vitest.config.mjs', 'vitest.config.js', 'vite.config.ts', 'vite.config.mts'].find((f) => existsSync(join(checkout, f)));
if (!existsSync(join(checkout, 'node_modules'))) {
  console.error(`${checkout}: no node_modules (install the project's dependencies first)`);
  process.exit(2);
}
if (!baseConfig) {
  console.error(`${checkout}: no vitest/vite config found`);
  process.exit(2);
}
const out = join(checkout, 'homeostat-compare');
mkdirSync(out, { recursive: true });

// The project's config plus our plugin; Homeostat's own modules come from this checkout, React
// from the project (one copy). Test files are instrumented too: that is where a library's
// React components live.
const config = `import { mergeConfig } from 'vitest/config';
import { writeFileSync } from 'node:fs';
import base from './${baseConfig}';
import homeostat from ${JSON.stringify(join(repo, 'src/vite/index.ts'))};

const plugin = homeostat({ exclude: ['**/node_modules/**', '**/*.d.ts'], worker: 'package', app: 'oss-suite' });
const transform = plugin.transform;
const handler = typeof transform === 'function' ? transform : transform.handler;
const changed = new Set();
const wrapped = async function (code, id, ...rest) {
  const r = await handler.call(this, code, id, ...rest);
  if (r) changed.add(id);
  return r;
};
plugin.transform = typeof transform === 'function' ? wrapped : { ...transform, handler: wrapped };
process.on('exit', () => writeFileSync(${JSON.stringify(join(out, 'instrumented.json'))}, JSON.stringify([...changed].sort(), null, 1)));

export default mergeConfig(base, {
  plugins: [plugin],
  resolve: {
    alias: [
      { find: /^homeostat\\/auto$/, replacement: ${JSON.stringify(join(repo, 'src/page/auto.ts'))} },
      { find: /^homeostat\\/react$/, replacement: ${JSON.stringify(join(repo, 'src/react/index.tsx'))} },
    ],
    dedupe: ['react', 'react-dom'],
  },
  server: { fs: { allow: [${JSON.stringify(repo)}, '.'] } },
});
`;
writeFileSync(join(checkout, 'vitest.homeostat.config.mts'), config);

/** Runs the suite once; resolves with per-test outcomes, or null (with why) when it produced none. */
function runSuite(label, extraArgs) {
  const file = join(out, `${label}.json`);
  const started = Date.now();
  return new Promise((done) => {
    const child = execFile(
      process.execPath,
      [join(checkout, 'node_modules/vitest/vitest.mjs'), 'run', '--reporter=json', `--outputFile=${file}`, ...extraArgs],
      { cwd: checkout, timeout: timeoutMs, killSignal: 'SIGKILL', maxBuffer: 64 * 1024 * 1024, env: { ...process.env, CI: '1' } },
      (error) => {
        const seconds = Math.round((Date.now() - started) / 1000);
        if (error && error.killed) return done({ label, seconds, hung: true, tests: null });
        if (!existsSync(file)) return done({ label, seconds, hung: false, tests: null, why: String(error?.message ?? 'no report') });
        const report = JSON.parse(readFileSync(file, 'utf8'));
        const tests = new Map();
        for (const suite of report.testResults) {
          const f = relative(checkout, suite.name);
          if (suite.assertionResults.length === 0) tests.set(`${f} › (file)`, suite.status);
          for (const t of suite.assertionResults) tests.set(`${f} › ${t.fullName}`, t.status);
        }
        done({ label, seconds, hung: false, tests });
      },
    );
    child.stdout?.resume();
    child.stderr?.resume();
  });
}

function counts(tests) {
  const c = {};
  for (const s of tests.values()) c[s] = (c[s] ?? 0) + 1;
  return c;
}

const head = await new Promise((r) => execFile('git', ['-C', checkout, 'rev-parse', 'HEAD'], (e, so) => r(e ? 'unknown' : so.trim())));
const without = await runSuite('without', []);
const withPlugin = await runSuite('with', ['--config', 'vitest.homeostat.config.mts']);
for (const r of [without, withPlugin]) {
  if (r.hung) {
    console.error(`${r.label} the plugin: HUNG (killed after ${timeoutMs / 60000} min)`);
    process.exit(2);
  }
  if (!r.tests) {
    console.error(`${r.label} the plugin: no results (${r.why})`);
    process.exit(2);
  }
}
const instrumented = existsSync(join(out, 'instrumented.json')) ? JSON.parse(readFileSync(join(out, 'instrumented.json'), 'utf8')).length : 0;
const differences = [];
for (const key of new Set([...without.tests.keys(), ...withPlugin.tests.keys()])) {
  const a = without.tests.get(key) ?? 'absent';
  const b = withPlugin.tests.get(key) ?? 'absent';
  if (a !== b) differences.push(`${key}: ${a} → ${b}`);
}
const summary = {
  checkout,
  commit: head,
  tests: without.tests.size,
  without: { ...counts(without.tests), seconds: without.seconds },
  with: { ...counts(withPlugin.tests), seconds: withPlugin.seconds, modulesInstrumented: instrumented },
  differences,
};
writeFileSync(join(out, 'summary.json'), JSON.stringify(summary, null, 2));
console.log(JSON.stringify(summary, null, 2));
process.exit(differences.length === 0 ? 0 : 1);
