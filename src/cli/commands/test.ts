import { existsSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { Command } from '../command.ts';
import { UsageError } from '../command.ts';

const USAGE = `homeostat test [<test file or directory> ...]
               (--url <app url> | --build <command> [--dist <dir>] | --dist <dir>) [--json]

Runs Homeostat tests (*.test.json: what \`homeostat heal\` generates with a fix, or your own) in
headless Chromium, with nothing else to install or configure: each test replays its recorded
flows once (their expectations must pass) and holds one signal of the run under its limit
(calls per React commit, the share of blocking updates, uncaught errors, or a timing). Every
assertion prints the value it measured.

  <test file or dir>   files, or directories searched for *.test.json (default e2e/homeostat)
  --url <url>          a running build of the app
  --build <command>    build the app first (run in the current directory through the shell,
                       e.g. "npx vite build"), then serve what it writes, cross-origin isolated
  --dist <dir>         the directory the build writes (default dist); alone, serves it as it is
  --json               print the results as JSON

Exit codes: 0 every test passed; 1 a test failed, or the build failed; 2 bad arguments or an
invalid test or recording file.`;

export const command: Command = {
  name: 'test',
  summary: 'Run Homeostat tests (*.test.json, e.g. those heal generates) against a build of the app',
  usage: USAGE,
  async run(args, io) {
    const { values, positionals } = parseArgs({
      args,
      allowPositionals: true,
      options: {
        url: { type: 'string' },
        build: { type: 'string' },
        dist: { type: 'string' },
        json: { type: 'boolean' },
      },
    });
    if (values.url !== undefined && (values.build !== undefined || values.dist !== undefined)) throw new UsageError('give either --url, or --build / --dist, not both');
    if (values.url === undefined && values.build === undefined && values.dist === undefined) throw new UsageError('give --url <app url>, --build <command> or --dist <dir>');
    if (values.url !== undefined && !/^https?:\/\//.test(values.url)) throw new UsageError(`--url must be an http(s) URL, got ${values.url}`);
    const paths = (positionals.length ? positionals : ['e2e/homeostat']).map((p) => resolve(io.cwd, p));
    for (const p of paths) if (!existsSync(p)) throw new UsageError(`no such test file or directory: ${p}`);

    const { loadTests, runTest, describeTestRun, testFilePaths } = await import('../../heal/run-tests.ts');
    const { TestFormatError } = await import('../../heal/test-file.ts');
    const { RecordingFormatError } = await import('../../replay/index.ts');
    const files = await testFilePaths(paths);
    if (files.length === 0) throw new UsageError(`no *.test.json under ${paths.map((p) => relative(io.cwd, p) || '.').join(', ')}`);
    let tests;
    try {
      tests = await loadTests(files);
    } catch (e) {
      if (e instanceof TestFormatError || e instanceof RecordingFormatError) {
        io.log(e.message);
        return 2;
      }
      throw e;
    }

    const { installSignalCleanup } = await import('../../node/cleanup.ts');
    const uninstall = installSignalCleanup({ log: io.log });
    let server: { url: string; close(): Promise<void> } | null = null;
    const { launchChromium } = await import('../../node/browser.ts');
    try {
      if (values.build !== undefined) {
        const { buildAndServe, BuildError } = await import('../../heal/app.ts');
        io.log(`building with \`${values.build}\`…`);
        try {
          server = await buildAndServe(io.cwd, { command: values.build, outDir: values.dist ?? 'dist' });
        } catch (e) {
          if (e instanceof BuildError) {
            io.log(e.message);
            return 1;
          }
          throw e;
        }
      } else if (values.dist !== undefined) {
        const dist = resolve(io.cwd, values.dist);
        if (!existsSync(resolve(dist, 'index.html'))) throw new UsageError(`--dist ${dist} has no index.html: build the app first, or give --build`);
        const { serveDirectory } = await import('../../node/serve.ts');
        server = await serveDirectory(dist);
      }
      const url = server?.url ?? values.url!;
      io.log(`${tests.length} test${tests.length === 1 ? '' : 's'} against ${url}`);
      const browser = await launchChromium();
      const results = [];
      try {
        for (const t of tests) {
          const r = await runTest(t.test, { browser, url, baseDir: resolve(t.file, '..'), recordings: t.recordings, file: relative(io.cwd, t.file) });
          results.push(r);
          if (!values.json) io.out(describeTestRun(r));
        }
      } finally {
        await browser.close();
      }
      const failed = results.filter((r) => !r.passed).length;
      if (values.json) io.out(JSON.stringify(results.map(({ assertions, ...r }) => ({ ...r, assertions: assertions.map((a) => ({ label: a.label, value: a.value, max: a.assertion.max, passed: a.passed })) })), null, 2));
      else io.out(`${results.length - failed} passed, ${failed} failed`);
      return failed === 0 ? 0 : 1;
    } finally {
      await server?.close();
      uninstall();
    }
  },
};
