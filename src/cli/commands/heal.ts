import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { UsageError, type Command } from '../command.ts';
import { expectPath } from '../paths.ts';

export const command: Command = {
  name: 'heal',
  summary: 'Replay, check the docs, diagnose, fix, verify by A/B replay; a branch per verified fix',
  usage: `homeostat heal --flow <recording> --build <command> [options]
homeostat heal --demo

The whole loop on the app in the current git repository (its HEAD): replay the recorded flows
on a baseline build, check the docs, diagnose, apply each fix as a codemod in a temporary git
worktree and build them all, then replay the baseline and every patched build in interleaved
rounds (pages of one browser, step by step, so paired samples share the machine's load) until
each verdict is decided on what the user feels (the fix's primary metric, e.g. interaction
latency, with guards proven on time to result, long frames and errors), and for each
verified improvement commit code + generated test + regenerated docs on a branch
homeostat/fix-<handler>. The generated test (*.test.json, run with \`homeostat test\`) is proven
first: it must fail on the base build and pass on the fix, or it is left out and the report says
why. The docs re-baseline only the fixed handler. A recurring error gets a regression test on a
branch homeostat/test-<handler>-errors. Your working tree is never modified.

  --flow <file>        recording to replay (repeatable; our format or Chrome Recorder JSON)
  --build <command>    builds the app (run in each worktree), e.g. "npx vite build"
  --dist <dir>         what the build writes (default dist)
  --src <dir>          source root for analysis and codemods (default src)
  --docs <dir>         docs directory (default docs)
  --tests <dir>        where generated tests go (default e2e/homeostat)
  --error-tests <m>    a recurring error's regression test: handled (default: the UI shows it and
                       nothing escapes uncaught) or absent (fails until the error no longer occurs)
  --test-command <c>   the app's own tests; a fix that fails them is rejected (default: npm test
                       when package.json has a test script; "" for none). Before that, a patched
                       TypeScript tree must pass tsc --noEmit (its tsconfig.json) and the app's
                       lint script, when it has one
  --runs <n>           baseline rounds of every flow (default 2, 1 with a time budget; after a
                       warm-up); then only the flows of handlers still short of samples, until
                       none is (at most 6 rounds)
  --max-runs <n>       A/B rounds at most (default 20; the time budget usually stops them first)
  --time-cap <s>       seconds the A/B rounds may take in all (default 150)
  --time-budget <s>    seconds for the whole loop: the rounds stop in time to deliver (--demo: 165)
  --tolerance <x>      how much worse a guard may get, e.g. 0.1 for 10%
                       (default: the docs' tolerance, else 0.2)
  --max-fixes <n>      fixes to try (default 3)
  --rule <id>          only this rule (repeatable)
  --handler <name>     only this handler (repeatable)
  --cpu-throttle <x>   CPU slowdown for replays (DevTools protocol)
  --out <dir>          report directory (default .homeostat/heal/<timestamp>)
  --pr                 open a pull request per branch with gh, when installed
  --demo               heal a fresh copy of the bundled demo (what npm start runs)

Exit codes: 0 when every tried fix reached a decided verdict and none made things worse;
1 when a tried fix regressed or broke behaviour (or the loop could not run); 2 usage or bad
input; 3 when a verdict stayed unresolved within the budget; 130/143 interrupted. --demo
exits 0 once the loop has run to the end: its verdicts are what it shows.`,
  async run(args, io) {
    const { values } = parseArgs({
      args,
      options: {
        flow: { type: 'string', multiple: true },
        build: { type: 'string' },
        dist: { type: 'string' },
        src: { type: 'string' },
        docs: { type: 'string' },
        tests: { type: 'string' },
        'error-tests': { type: 'string' },
        'test-command': { type: 'string' },
        runs: { type: 'string' },
        'max-runs': { type: 'string' },
        'time-cap': { type: 'string' },
        'time-budget': { type: 'string' },
        tolerance: { type: 'string' },
        'max-fixes': { type: 'string' },
        rule: { type: 'string', multiple: true },
        handler: { type: 'string', multiple: true },
        'cpu-throttle': { type: 'string' },
        out: { type: 'string' },
        pr: { type: 'boolean' },
        demo: { type: 'boolean' },
      },
    });
    const int = (name: string, v: string | undefined): number | undefined => {
      if (v === undefined) return undefined;
      const n = Number(v);
      if (!Number.isInteger(n) || n < 1) throw new UsageError(`--${name} needs a positive integer, got "${v}"`);
      return n;
    };
    const stamp = new Date().toISOString().replace(/[:.]/g, '-');
    const out = resolve(io.cwd, values.out ?? join('.homeostat', 'heal', stamp));
    const { heal } = await import('../../heal/loop.ts');
    let target: { repo: string; srcDir: string; docsDir: string; flows: string[]; build: { command: string; outDir: string } };
    if (values.demo) {
      const { prepareDemoRepo } = await import('../../heal/demo-app.ts');
      await mkdir(out, { recursive: true });
      target = await prepareDemoRepo(out);
      io.log(`demo copied to ${target.repo} (a git repository of its own)`);
    } else {
      if (!values.flow?.length) throw new UsageError('--flow is required (a recording of a user flow to replay)');
      if (!values.build) throw new UsageError('--build is required (the command that builds the app)');
      target = {
        repo: io.cwd,
        srcDir: values.src ?? 'src',
        docsDir: values.docs ?? 'docs',
        flows: values.flow.map((f) => resolve(io.cwd, f)),
        build: { command: values.build, outDir: values.dist ?? 'dist' },
      };
      // A missing recording is bad input (exit 2), said before anything is built.
      for (const f of target.flows) expectPath('--flow', f, 'file', 'a recording (Homeostat JSON or a Chrome Recorder export)');
    }
    const errorTests = values['error-tests'];
    if (errorTests !== undefined && errorTests !== 'handled' && errorTests !== 'absent') throw new UsageError(`--error-tests is handled or absent, got "${errorTests}"`);
    const maxRuns = int('max-runs', values['max-runs']);
    const timeCap = int('time-cap', values['time-cap']);
    // The demo's promise: the whole loop in under three minutes on two cores.
    const timeBudget = int('time-budget', values['time-budget']) ?? (values.demo ? 165 : undefined);
    const tolerance = values.tolerance === undefined ? undefined : Number(values.tolerance);
    if (tolerance !== undefined && !(tolerance >= 0 && tolerance < 10)) throw new UsageError(`--tolerance needs a number ≥ 0, got "${values.tolerance}"`);
    const throttle = values['cpu-throttle'] === undefined ? undefined : Number(values['cpu-throttle']);
    if (throttle !== undefined && !(throttle >= 1)) throw new UsageError('--cpu-throttle needs a number ≥ 1');
    // Ctrl-C or a CI timeout must not leave worktrees, builds, servers or Chromium behind.
    const { installSignalCleanup } = await import('../../node/cleanup.ts');
    const uninstall = installSignalCleanup({ log: io.log });
    const result = await heal({
      ...target,
      ...(values.tests ? { testDir: values.tests } : {}),
      ...(errorTests ? { errorTests } : {}),
      ...(values['test-command'] !== undefined ? { testCommand: values['test-command'] } : {}),
      ...(int('runs', values.runs) ? { baselineRuns: int('runs', values.runs)! } : {}),
      plan: { ...(maxRuns ? { maxRuns } : {}), ...(timeCap ? { timeCapMs: timeCap * 1000 } : {}), ...(tolerance !== undefined ? { tolerance } : {}) },
      ...(int('max-fixes', values['max-fixes']) ? { maxFixes: int('max-fixes', values['max-fixes'])! } : {}),
      ...(values.rule ? { rules: values.rule } : {}),
      ...(values.handler ? { handlers: values.handler } : {}),
      ...(throttle ? { cpuThrottle: throttle } : {}),
      ...(timeBudget ? { timeBudgetMs: timeBudget * 1000 } : {}),
      historyPath: resolve(io.cwd, '.homeostat', 'history.json'),
      outDir: out,
      pr: values.pr === true,
      onProgress: io.log,
    }).finally(uninstall);
    const { renderHealSummary } = await import('../../heal/summary.ts');
    io.out(renderHealSummary(result, target.repo));
    if (values.demo) return 0;
    return healExitCode(result.attempts);
  },
};

/** 1 when a tried fix made things worse, else 3 when a verdict stayed unresolved, else 0. */
export function healExitCode(attempts: ReadonlyArray<{ verdict: string }>): 0 | 1 | 3 {
  if (attempts.some((a) => a.verdict === 'broke-behaviour' || a.verdict === 'regressed')) return 1;
  if (attempts.some((a) => a.verdict === 'unresolved')) return 3;
  return 0;
}
