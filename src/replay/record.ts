/**
 * `homeostat record`: opens the app in a headed Chromium with the capture script and writes a
 * recording when the page or browser is closed (or on Ctrl-C).
 */
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../node/browser.ts';
import { CAPTURE_BINDING, captureScript, capturedToRecording, type CapturedStep } from './capture.ts';
import { contextOptions } from './determinism.ts';
import { DEFAULT_VIEWPORT, type Recording, type Viewport } from './recording.ts';

/** True when a headed browser can open a window here. */
export function hasDisplay(env: NodeJS.ProcessEnv = process.env): boolean {
  return Boolean(env['DISPLAY'] || env['WAYLAND_DISPLAY']) || process.platform === 'darwin' || process.platform === 'win32';
}

export const NO_DISPLAY_HELP = `homeostat record needs a display to open a browser window, and none was found (DISPLAY is not set).
Alternatives:
  - Write the recording by hand: a JSON file with format "homeostat.recording" (see src/demo/flows/catalogue.json),
    with steps navigate, click, type, fill, key, scroll, waitFor, setViewport, select, check, hover and the
    expectations expectText, expectCount, expectUrl.
  - Record in Chrome: DevTools → Recorder → record the flow → Export → JSON. Replay that file directly:
    homeostat replay flow.json --url <app url>
  - Run record on a machine with a display, or under a virtual one: xvfb-run homeostat record <url> -o flow.json`;

export interface RecordOptions {
  url: string;
  out: string;
  title?: string;
  viewport?: Viewport;
  log?: (line: string) => void;
  /** For tests: a browser to use instead of launching a headed one. */
  browser?: Browser;
  /** For tests: drives the page in place of a person, then the page is closed. */
  drive?: (page: Page) => Promise<void>;
}

async function write(path: string, recording: Recording): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  await writeFile(`${path}.tmp`, `${JSON.stringify(recording, null, 2)}\n`);
  await rename(`${path}.tmp`, path);
}

/** Records until the page or the browser closes; resolves to the recording written to `out`. */
export async function record(options: RecordOptions): Promise<Recording> {
  const log = options.log ?? (() => {});
  const viewport = options.viewport ?? DEFAULT_VIEWPORT;
  const browser = options.browser ?? (await launchChromium({ headless: false }));
  const captured: CapturedStep[] = [];
  const context = await browser.newContext(contextOptions(viewport));
  await context.exposeBinding(CAPTURE_BINDING, (_source, step: CapturedStep) => {
    captured.push(step);
    log(`  ${step.type}${'target' in step && step.target ? ` ${JSON.stringify(step.target.selectors[0])}` : ''}`);
  });
  await context.addInitScript({ content: captureScript() });
  const page = await context.newPage();
  await page.goto(options.url);
  log(`recording ${options.url}: use the app, then close the window (or press Ctrl-C) to save`);
  let onSigint = (): void => {};
  const closed = new Promise<void>((resolve) => {
    page.once('close', () => resolve());
    browser.once('disconnected', () => resolve());
    onSigint = () => resolve();
    process.once('SIGINT', onSigint);
  });
  if (options.drive) {
    await options.drive(page);
    // Bindings are delivered asynchronously: let the last ones arrive before closing.
    await page.waitForTimeout(100);
    await page.close();
  }
  await closed;
  process.off('SIGINT', onSigint);
  await context.close().catch(() => undefined);
  const recording = capturedToRecording(captured, { url: options.url, viewport, ...(options.title ? { title: options.title } : {}) });
  await write(options.out, recording);
  if (!options.browser) await browser.close().catch(() => undefined);
  log(`${recording.steps.length} steps written to ${options.out}`);
  return recording;
}
