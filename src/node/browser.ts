/**
 * Launches Chromium for Homeostat's tools and tests: the browser named by HOMEOSTAT_CHROMIUM,
 * else Debian's /usr/bin/chromium, else Playwright's own, with the flags this kind of machine
 * needs (no sandbox as root, no background networking) and the ones that reduce timing noise.
 */
import { existsSync } from 'node:fs';
import { chromium, type Browser, type LaunchOptions } from 'playwright-core';
import { registerCleanup, signalCleanupInstalled } from './cleanup.ts';

export const CHROMIUM_ARGS: readonly string[] = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
  // Timing stability: never throttle a page because it looks backgrounded.
  '--disable-background-timer-throttling',
  '--disable-renderer-backgrounding',
  '--disable-backgrounding-occluded-windows',
];

/** The Chromium executable to use, or undefined for Playwright's bundled one. */
export function chromiumPath(): string | undefined {
  const fromEnv = process.env['HOMEOSTAT_CHROMIUM'];
  if (fromEnv) {
    if (!existsSync(fromEnv)) throw new Error(`HOMEOSTAT_CHROMIUM points to ${fromEnv}, which does not exist`);
    return fromEnv;
  }
  return existsSync('/usr/bin/chromium') ? '/usr/bin/chromium' : undefined;
}

/**
 * Launches Chromium. The browser is registered for clean-up on interruption; while a long job
 * handles signals itself (`installSignalCleanup`), Playwright's own handlers, which would exit
 * the process before that job cleaned up, are turned off.
 */
export async function launchChromium(options: LaunchOptions = {}): Promise<Browser> {
  const ours = signalCleanupInstalled();
  const browser = await chromium.launch({
    executablePath: chromiumPath(),
    headless: true,
    ...(ours ? { handleSIGINT: false, handleSIGTERM: false, handleSIGHUP: false } : {}),
    ...options,
    args: [...CHROMIUM_ARGS, ...(options.args ?? [])],
  });
  const unregister = registerCleanup('Chromium', () => browser.close());
  browser.on('disconnected', unregister);
  return browser;
}
