/**
 * What makes runs comparable: a fixed viewport and scale, seeded randomness, no service
 * workers, optional CPU throttling. The clock is deliberately left alone: Playwright's
 * page.clock would fake performance.now, the very clock Homeostat measures with.
 */
import type { BrowserContext, BrowserContextOptions, CDPSession, Page } from 'playwright-core';
import type { Viewport } from './recording.ts';

export const DEFAULT_SEED = 0x5eed;

/** Context options for a measuring run. */
export function contextOptions(viewport: Viewport): BrowserContextOptions {
  return {
    viewport: { width: viewport.width, height: viewport.height },
    deviceScaleFactor: viewport.deviceScaleFactor,
    // Service workers could answer requests past HAR routes and cache between runs.
    serviceWorkers: 'block',
    reducedMotion: 'reduce',
    colorScheme: 'light',
    locale: 'en-US',
    timezoneId: 'UTC',
  };
}

/**
 * Runs in the page before any of its scripts: replaces Math.random and crypto.getRandomValues
 * with a seeded mulberry32, so generated data and ids are the same in every run. Kept as source
 * text, not a function: transpilers (tsx, vitest) inject helpers such as `__name` into
 * functions, which do not exist in the page.
 */
export function seedScript(seed: number): string {
  return `(() => {
  let s = ${seed >>> 0};
  const next = () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  Math.random = next;
  const c = globalThis.crypto;
  if (c && typeof c.getRandomValues === 'function') {
    c.getRandomValues = (array) => {
      if (array) {
        const bytes = new Uint8Array(array.buffer, array.byteOffset, array.byteLength);
        for (let i = 0; i < bytes.length; i++) bytes[i] = Math.floor(next() * 256);
      }
      return array;
    };
  }
})();`;
}

export async function seedContext(context: BrowserContext, seed: number): Promise<void> {
  await context.addInitScript({ content: seedScript(seed) });
}

/** Slows the page's CPU by `rate` (1 = none) through the DevTools protocol. */
export async function throttleCpu(cdp: CDPSession, rate: number): Promise<void> {
  if (rate > 1) await cdp.send('Emulation.setCPUThrottlingRate', { rate });
}

/** Asks V8 for a full GC, so garbage from loading is not collected in the middle of a measured step. */
export async function collectGarbage(cdp: CDPSession): Promise<void> {
  await cdp.send('HeapProfiler.collectGarbage').catch(() => undefined);
}

export async function cdpFor(page: Page): Promise<CDPSession> {
  return page.context().newCDPSession(page);
}
