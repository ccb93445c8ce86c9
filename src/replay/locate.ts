/**
 * Finds a target's element on a page: its selectors are tried in order and the first that
 * matches anything wins, so a recording keeps working when one kind of selector goes stale.
 */
import type { Locator, Page } from 'playwright-core';
import type { Selector, Target } from './recording.ts';

/** The Playwright locator for one selector (every match, not narrowed to one). */
export function locatorFor(page: Page, s: Selector): Locator {
  if ('role' in s) {
    const role = s.role as Parameters<Page['getByRole']>[0];
    return s.name === undefined ? page.getByRole(role) : page.getByRole(role, { name: s.name, exact: s.exact === true });
  }
  if ('label' in s) return page.getByLabel(s.label, { exact: s.exact === true });
  if ('text' in s) return page.getByText(s.text, { exact: s.exact === true });
  if ('testId' in s) return page.getByTestId(s.testId);
  return page.locator(s.css);
}

/** How a selector reads in errors and reports. */
export function describeSelector(s: Selector): string {
  if ('role' in s) return s.name === undefined ? `role=${s.role}` : `role=${s.role}[name=${JSON.stringify(s.name)}]`;
  if ('label' in s) return `label=${JSON.stringify(s.label)}`;
  if ('text' in s) return `text=${JSON.stringify(s.text)}`;
  if ('testId' in s) return `testId=${JSON.stringify(s.testId)}`;
  return `css=${s.css}`;
}

export function describeTarget(t: Target): string {
  return `${t.selectors.map(describeSelector).join(' | ')}${t.nth ? ` (#${t.nth})` : ''}`;
}

const POLL_MS = 25;

/**
 * Waits until one of the target's selectors matches more than `nth` elements, trying them in
 * order on every poll; resolves to that match, narrowed to the `nth` element.
 */
export async function resolveTarget(page: Page, target: Target, timeoutMs: number): Promise<{ locator: Locator; all: Locator; selector: Selector }> {
  const nth = target.nth ?? 0;
  const candidates = target.selectors.map((s) => ({ selector: s, all: locatorFor(page, s) }));
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    for (const c of candidates) {
      if ((await c.all.count()) > nth) return { locator: c.all.nth(nth), all: c.all, selector: c.selector };
    }
    if (Date.now() >= deadline) throw new Error(`no element matches ${describeTarget(target)} within ${timeoutMs} ms`);
    await page.waitForTimeout(POLL_MS);
  }
}

/** The first selector that matches anything now (for counts), or null. */
export async function firstMatching(page: Page, target: Target): Promise<{ all: Locator; selector: Selector } | null> {
  for (const s of target.selectors) {
    const all = locatorFor(page, s);
    if ((await all.count()) > 0) return { all, selector: s };
  }
  return null;
}
