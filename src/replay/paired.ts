/**
 * Interleaved replay: one page per build, all open in the same browser, and every step of the
 * recording run on each page in turn before the next step starts (the order rotated step by
 * step). The samples of one step then share the same moment of the machine: a load spike on a
 * busy runner hits the baseline and the candidate alike, and the paired ratio cancels it. Only
 * one page works at a time (the others have settled), so the builds never compete for the CPU.
 *
 * Each page records the window of every step on its own clock (`performance.now()`, the clock
 * Homeostat stamps calls and frames with), so the analysis can pair what each step caused.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { StepWindow } from '../core/paired.ts';
import type { SessionFile } from '../core/session.ts';
import { collectSession } from './collect.ts';
import { cdpFor, collectGarbage, contextOptions, DEFAULT_SEED, seedContext, throttleCpu } from './determinism.ts';
import { DEFAULT_THINK_MS, DEFAULT_TIMEOUT_MS, isExpectation, type Recording } from './recording.ts';
import { screenshot, settle, SETTLE_TIMEOUT_MS, type ExpectationResult } from './run.ts';
import { checkExpectation, describeExpectation, runAction } from './steps.ts';

export type { StepWindow };

export interface PairedBuild {
  id: string;
  url: string;
}

export interface PairedPageResult {
  id: string;
  session: SessionFile | null;
  steps: StepWindow[];
  expectations: ExpectationResult[];
  error: string | null;
  passed: boolean;
  screenshots: string[];
  pageErrors: string[];
}

export interface PairedRoundResult {
  pages: Map<string, PairedPageResult>;
  /** The round stopped before its end because the deadline passed: its samples are not to be used. */
  aborted: boolean;
  wallMs: number;
}

export interface PairedRoundOptions {
  /** Same seed on every page: the builds differ only by their patch. */
  seed?: number;
  round?: number;
  cpuThrottle?: number;
  screenshotDir?: string;
  timeoutMs?: number;
  /** Checked before every step: past it, the round stops and says `aborted`. */
  deadline?: number;
  now?: () => number;
}

interface Open {
  build: PairedBuild;
  context: BrowserContext;
  page: Page;
  result: PairedPageResult;
}

const pageNow = (page: Page): Promise<number> => page.evaluate('performance.now()') as Promise<number>;

/** Runs the recording once on every build, step by step across the pages. */
export async function pairedRound(browser: Browser, recording: Recording, builds: readonly PairedBuild[], options: PairedRoundOptions = {}): Promise<PairedRoundResult> {
  const now = options.now ?? (() => performance.now());
  const started = performance.now();
  const round = options.round ?? 0;
  const thinkMs = recording.defaults?.thinkMs ?? DEFAULT_THINK_MS;
  const timeoutMs = options.timeoutMs ?? recording.defaults?.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const open: Open[] = [];
  let aborted = false;
  try {
    for (const build of builds) {
      const context = await browser.newContext(contextOptions(recording.viewport));
      await seedContext(context, options.seed ?? DEFAULT_SEED);
      const page = await context.newPage();
      const result: PairedPageResult = { id: build.id, session: null, steps: [], expectations: [], error: null, passed: false, screenshots: [], pageErrors: [] };
      page.on('pageerror', (e) => result.pageErrors.push(e.message));
      open.push({ build, context, page, result });
    }
    for (const o of open) await throttleCpu(await cdpFor(o.page), options.cpuThrottle ?? 1);
    const alive = () => open.filter((o) => o.result.error === null);
    const fail = async (o: Open, why: string, name: string) => {
      o.result.error = why;
      const shot = await screenshot(o.page, options.screenshotDir, `${o.build.id}-round-${round}-${name}`);
      if (shot) o.result.screenshots.push(shot);
    };
    // Page loads are not measured (metrics start at the first interaction): load them side by side.
    const first = recording.steps[0];
    const leadingNavigate = first?.type === 'navigate';
    await Promise.all(
      open.map(async (o) => {
        try {
          if (leadingNavigate) await runAction(o.page, first, { appUrl: o.build.url, timeoutMs });
          else await o.page.goto(o.build.url, { waitUntil: 'load', timeout: timeoutMs });
        } catch (e) {
          await fail(o, (e as Error).message.split('\n')[0] ?? String(e), 'load');
        }
      }),
    );
    for (const o of alive()) {
      await settle(o.page, SETTLE_TIMEOUT_MS);
      await collectGarbage(await cdpFor(o.page));
    }
    for (const [i, step] of recording.steps.entries()) {
      if (i === 0 && leadingNavigate) continue;
      if (options.deadline !== undefined && now() > options.deadline) {
        aborted = true;
        break;
      }
      // One think time for the step on every page: each page has been idle at least that long.
      // Expectations too: skipping it there saves about 6% of a round, but leaves the last
      // action's long frame less time to arrive before the session is read; the one CI run with
      // it read a transition's frozen 10,000-row frame as gone ("improved", not "partial").
      const think = step.thinkMs ?? thinkMs;
      if (think > 0) await new Promise((r) => setTimeout(r, think));
      const pages = alive();
      if (pages.length === 0) break;
      // Rotate who goes first, step by step and round by round, so no build always runs first.
      const shift = (i + round) % pages.length;
      const order = [...pages.slice(shift), ...pages.slice(0, shift)];
      for (const [position, o] of order.entries()) {
        if (isExpectation(step)) {
          const why = await checkExpectation(o.page, step, timeoutMs);
          const r: ExpectationResult = { step: i, description: describeExpectation(step), passed: why === null };
          if (why !== null) {
            r.message = why;
            const shot = await screenshot(o.page, options.screenshotDir, `${o.build.id}-round-${round}-step-${i}`);
            if (shot) {
              r.screenshot = shot;
              o.result.screenshots.push(shot);
            }
          }
          o.result.expectations.push(r);
          continue;
        }
        try {
          const start = await pageNow(o.page);
          await runAction(o.page, step, { appUrl: o.build.url, timeoutMs });
          await settle(o.page, SETTLE_TIMEOUT_MS);
          o.result.steps.push({ step: i, start, end: await pageNow(o.page), position });
        } catch (e) {
          const first = ((e as Error).message ?? String(e)).split('\n')[0];
          await fail(o, `steps[${i}] (${step.type}${step.description ? `: ${step.description}` : ''}): ${first}`, `step-${i}`);
        }
      }
    }
    for (const o of open) {
      try {
        o.result.session = await collectSession(o.page, o.result.error === null ? 5000 : 1000);
      } catch (e) {
        if (o.result.error === null) o.result.error = (e as Error).message.split('\n')[0] ?? String(e);
      }
      o.result.passed = o.result.error === null && o.result.expectations.every((x) => x.passed);
    }
  } finally {
    await Promise.all(open.map((o) => o.context.close().catch(() => undefined)));
  }
  return { pages: new Map(open.map((o) => [o.build.id, o.result])), aborted, wallMs: performance.now() - started };
}
