/**
 * Runs one recording step on a page: actions through Playwright's input APIs (real input
 * events, so the app's handlers run as for a person), expectations by polling until they hold
 * or time out.
 */
import type { Page } from 'playwright-core';
import { describeTarget, firstMatching, locatorFor, resolveTarget } from './locate.ts';
import type { ActionStep, ExpectStep } from './recording.ts';
import { resolveHttpUrl } from './urls.ts';

/**
 * Resolves a navigate URL: absolute as is; otherwise relative to the app URL (a leading `/` too).
 * Throws for anything that is not http(s) once parsed as the browser parses it, whatever
 * validated the recording before.
 */
export function resolveUrl(url: string, appUrl: string): string {
  const resolved = resolveHttpUrl(url, appUrl);
  if (resolved === null) throw new Error(`navigate: refusing ${JSON.stringify(url)}: only http(s) URLs and paths relative to the app URL are opened`);
  return resolved;
}

export async function runAction(page: Page, step: ActionStep, ctx: { appUrl: string; timeoutMs: number }): Promise<void> {
  const timeout = step.timeoutMs ?? ctx.timeoutMs;
  const el = async (t: NonNullable<Extract<ActionStep, { target?: unknown }>['target']>) => (await resolveTarget(page, t, timeout)).locator;
  switch (step.type) {
    case 'navigate':
      await page.goto(resolveUrl(step.url, ctx.appUrl), { waitUntil: 'load', timeout });
      return;
    case 'click':
      await (await el(step.target)).click({
        timeout,
        ...(step.button ? { button: step.button } : {}),
        ...(step.clickCount ? { clickCount: step.clickCount } : {}),
        ...(step.offset ? { position: step.offset } : {}),
      });
      return;
    case 'type': {
      const input = await el(step.target);
      if (step.replace) await input.fill('', { timeout });
      await input.pressSequentially(step.text, { delay: step.delayMs ?? 0, timeout });
      return;
    }
    case 'fill': {
      const input = await el(step.target);
      const tag = await input.evaluate((e) => e.tagName);
      if (tag === 'SELECT') await input.selectOption(step.value, { timeout });
      else await input.fill(step.value, { timeout });
      return;
    }
    case 'key':
      if (step.target) await (await el(step.target)).press(step.key, { timeout });
      else await page.keyboard.press(step.key);
      return;
    case 'scroll': {
      const to = { x: step.x ?? 0, y: step.y ?? 0 };
      if (step.target) await (await el(step.target)).evaluate((e, p) => e.scrollTo(p.x, p.y), to);
      else await page.evaluate((p) => window.scrollTo(p.x, p.y), to);
      return;
    }
    case 'waitFor': {
      const state = step.state ?? 'visible';
      if (step.text !== undefined) {
        await page.getByText(step.text).first().waitFor({ state, timeout });
      } else if (step.target && (state === 'visible' || state === 'attached')) {
        await (await el(step.target)).waitFor({ state, timeout });
      } else if (step.target) {
        // Absence: the primary selector is the one that names the element's identity.
        await locatorFor(page, step.target.selectors[0]!).nth(step.target.nth ?? 0).waitFor({ state, timeout });
      }
      return;
    }
    case 'setViewport':
      await page.setViewportSize({ width: step.width, height: step.height });
      return;
    case 'select':
      await (await el(step.target)).selectOption(step.value !== undefined ? step.value : { label: step.label! }, { timeout });
      return;
    case 'check':
      await (await el(step.target)).setChecked(step.checked ?? true, { timeout });
      return;
    case 'hover':
      await (await el(step.target)).hover({ timeout });
      return;
  }
}

/** A check's verdict now: null when it holds, else why not. */
type Probe = () => Promise<string | null>;

async function poll(page: Page, probe: Probe, timeoutMs: number): Promise<string | null> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const why = await probe();
    if (why === null || Date.now() >= deadline) return why;
    await page.waitForTimeout(50);
  }
}

/** A human description of an expectation, for reports. */
export function describeExpectation(step: ExpectStep): string {
  if (step.description) return step.description;
  switch (step.type) {
    case 'expectText':
      return `text ${JSON.stringify(step.text)} visible${step.target ? ` in ${describeTarget(step.target)}` : ''}`;
    case 'expectCount': {
      const parts = [
        step.count !== undefined ? `= ${step.count}` : null,
        step.min !== undefined ? `≥ ${step.min}` : null,
        step.max !== undefined ? `≤ ${step.max}` : null,
      ].filter(Boolean);
      return `count of ${describeTarget(step.target)} ${parts.join(', ')}`;
    }
    case 'expectUrl':
      return step.pattern !== undefined ? `URL matches /${step.pattern}/` : `URL contains ${JSON.stringify(step.includes)}`;
  }
}

/** Waits up to the step's timeout for the expectation to hold; resolves to null or the reason it failed. */
export async function checkExpectation(page: Page, step: ExpectStep, timeoutMs: number): Promise<string | null> {
  const timeout = step.timeoutMs ?? timeoutMs;
  switch (step.type) {
    case 'expectText':
      return poll(
        page,
        async () => {
          const scope = step.target ? await firstMatching(page, step.target) : null;
          if (step.target && !scope) return `no element matches ${describeTarget(step.target)}`;
          const root = scope ? scope.all.nth(step.target?.nth ?? 0) : page.locator('body');
          const found = root.getByText(step.text, { exact: step.exact === true });
          const n = await found.count();
          for (let i = 0; i < n; i++) if (await found.nth(i).isVisible()) return null;
          // The scope itself may hold the text directly (getByText finds descendants).
          if (scope && (await root.isVisible())) {
            const text = (await root.innerText()).trim();
            if (step.exact ? text === step.text : text.toLowerCase().includes(step.text.toLowerCase())) return null;
            return `found ${JSON.stringify(text.slice(0, 200))}`;
          }
          return n === 0 ? 'text not found' : 'text found but not visible';
        },
        timeout,
      );
    case 'expectCount':
      return poll(
        page,
        async () => {
          const m = await firstMatching(page, step.target);
          const n = m ? await m.all.count() : 0;
          if (step.count !== undefined && n !== step.count) return `found ${n}, expected ${step.count}`;
          if (step.min !== undefined && n < step.min) return `found ${n}, expected at least ${step.min}`;
          if (step.max !== undefined && n > step.max) return `found ${n}, expected at most ${step.max}`;
          return null;
        },
        timeout,
      );
    case 'expectUrl':
      return poll(
        page,
        async () => {
          const url = page.url();
          const ok = step.pattern !== undefined ? new RegExp(step.pattern).test(url) : url.includes(step.includes ?? '');
          return ok ? null : `URL is ${url}`;
        },
        timeout,
      );
  }
}
