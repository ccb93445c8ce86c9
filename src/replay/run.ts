/**
 * One replay run: a fresh browser context of an existing browser, the recording's steps with
 * think time, expectations checked, then the page's telemetry exported. The A/B loop of the
 * suggestion engine calls this alternately for two builds, so it never launches a browser.
 */
import { mkdir } from 'node:fs/promises';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import type { SessionFile } from '../core/session.ts';
import { calibrationSamples, loadNow, machineContext } from './calibrate.ts';
import { collectSession } from './collect.ts';
import { cdpFor, collectGarbage, contextOptions, DEFAULT_SEED, seedContext, throttleCpu } from './determinism.ts';
import { DEFAULT_THINK_MS, DEFAULT_TIMEOUT_MS, isExpectation, type Recording } from './recording.ts';
import { checkExpectation, describeExpectation, runAction } from './steps.ts';

export interface ExpectationResult {
  /** Index of the step in the recording. */
  step: number;
  description: string;
  passed: boolean;
  message?: string;
  /** Path of the screenshot taken when it failed (when a screenshot directory was given). */
  screenshot?: string;
}

export interface RunResult {
  index: number;
  warmup: boolean;
  label: string | null;
  url: string;
  /** The page's session, validated; null when the page had no Homeostat client or never loaded. */
  session: SessionFile | null;
  expectations: ExpectationResult[];
  /** No failed expectation and no error. */
  passed: boolean;
  /** Why the run stopped early (`steps[3] (click): …`), or a missing client; null when it ran through. */
  error: string | null;
  screenshots: string[];
  /** The machine's 1-minute load average when the run ended, and its CPU count: context for noisy timings. */
  machine: { loadAvg: number; cpus: number };
  /** Uncaught errors the page threw (they do not fail the run: an app may throw on purpose). */
  pageErrors: string[];
  wallMs: number;
}

export interface RunOptions {
  /** The app's URL: the first page when the recording does not start with navigate, and the base of relative URLs. */
  url: string;
  /** Seed for Math.random and crypto.getRandomValues (default 0x5eed). */
  seed?: number;
  /** CPU slowdown through the DevTools protocol (1 = none). */
  cpuThrottle?: number;
  /** Serve requests from this HAR file; requests it lacks go to the network. */
  har?: string;
  /** Where screenshots of failures go; none are taken without it. */
  screenshotDir?: string;
  /** Names the build in results and screenshot names (A/B runs). */
  label?: string;
  /** Default per-step timeout in ms (overrides the recording's `defaults.timeoutMs`). */
  timeoutMs?: number;
}

/**
 * Waits for two frames and an idle period, so the next step's think time starts once the app
 * has finished the previous step's work (renders, transitions) whatever the machine's speed.
 * Source text: transpiler helpers must not leak into the page.
 */
export async function settle(page: Page, timeoutMs: number): Promise<void> {
  await page
    .evaluate(
      `new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(() =>
        typeof requestIdleCallback === 'function' ? requestIdleCallback(() => r(true), { timeout: ${Math.round(timeoutMs)} }) : setTimeout(r, 0))))`,
    )
    .catch(() => undefined);
}

export async function screenshot(page: Page, dir: string | undefined, name: string): Promise<string | undefined> {
  if (!dir) return undefined;
  await mkdir(dir, { recursive: true });
  const path = join(dir, `${name}.png`);
  try {
    await page.screenshot({ path, fullPage: false, timeout: 5000 });
    return path;
  } catch {
    return undefined;
  }
}

/** Longest wait for the page to go idle after a step (a busy page still moves on). */
export const SETTLE_TIMEOUT_MS = 2000;

/** One run in a fresh browser context of an existing browser — the A/B loop calls this alternately for two builds. */
export async function replayRun(
  browser: Browser,
  recording: Recording,
  options: RunOptions & { index?: number; warmup?: boolean },
): Promise<RunResult> {
  const started = performance.now();
  const index = options.index ?? 0;
  const warmup = options.warmup === true;
  const name = `${options.label ? `${options.label}-` : ''}${warmup ? 'warmup' : `run-${index}`}`;
  const thinkMs = recording.defaults?.thinkMs ?? DEFAULT_THINK_MS;
  const timeoutMs = options.timeoutMs ?? recording.defaults?.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const result: RunResult = {
    index,
    warmup,
    label: options.label ?? null,
    url: options.url,
    session: null,
    expectations: [],
    passed: false,
    error: null,
    screenshots: [],
    pageErrors: [],
    machine: { loadAvg: 0, cpus: cpus().length },
    wallMs: 0,
  };

  const context = await browser.newContext(contextOptions(recording.viewport));
  try {
    if (options.har) await context.routeFromHAR(options.har, { notFound: 'fallback' });
    await seedContext(context, options.seed ?? DEFAULT_SEED);
    const page = await context.newPage();
    page.on('pageerror', (e) => result.pageErrors.push(e.message));
    const cdp = await cdpFor(page);
    await throttleCpu(cdp, options.cpuThrottle ?? 1);

    const ctx = { appUrl: options.url, timeoutMs };
    // Calibration samples: five at replay start, one after each step (off the measured path: after its settle).
    const calibration: number[] = [];
    const loadAtStart = loadNow();
    try {
      if (recording.steps[0]?.type !== 'navigate') await page.goto(options.url, { waitUntil: 'load', timeout: timeoutMs });
      let gcDone = false;
      for (const [i, step] of recording.steps.entries()) {
        if (step.type !== 'navigate' && !gcDone) {
          gcDone = true;
          await collectGarbage(cdp);
          // The machine's speed at replay start, in the page itself: baselines and checks compare like with like.
          calibration.push(...(await calibrationSamples(page).catch(() => [])));
        }
        const think = step.thinkMs ?? thinkMs;
        if (think > 0) await page.waitForTimeout(think);
        if (isExpectation(step)) {
          const why = await checkExpectation(page, step, timeoutMs);
          const r: ExpectationResult = { step: i, description: describeExpectation(step), passed: why === null };
          if (why !== null) {
            r.message = why;
            const shot = await screenshot(page, options.screenshotDir, `${name}-step-${i}`);
            if (shot) {
              r.screenshot = shot;
              result.screenshots.push(shot);
            }
          }
          result.expectations.push(r);
          continue;
        }
        try {
          await runAction(page, step, ctx);
          await settle(page, SETTLE_TIMEOUT_MS);
          if (gcDone) calibration.push(...(await calibrationSamples(page, 1).catch(() => [])));
        } catch (e) {
          const first = ((e as Error).message ?? String(e)).split('\n')[0];
          result.error = `steps[${i}] (${step.type}${step.description ? `: ${step.description}` : ''}): ${first}`;
          const shot = await screenshot(page, options.screenshotDir, `${name}-step-${i}`);
          if (shot) result.screenshots.push(shot);
          break;
        }
      }
    } catch (e) {
      // The first page did not load, or the page crashed.
      result.error = (e as Error).message.split('\n')[0] ?? String(e);
    }
    // A run that stopped early still has telemetry worth keeping, when the client exists.
    try {
      const session = await collectSession(page, result.error === null ? 5000 : 1000);
      result.session = calibration.length > 0 ? { ...session, machine: machineContext(calibration, loadAtStart) } : session;
    } catch (e) {
      if (result.error === null) result.error = (e as Error).message.split('\n')[0] ?? String(e);
    }
  } finally {
    await context.close().catch(() => undefined);
  }
  result.passed = result.error === null && result.expectations.every((x) => x.passed);
  result.wallMs = performance.now() - started;
  result.machine.loadAvg = loadavg()[0] ?? 0;
  return result;
}
