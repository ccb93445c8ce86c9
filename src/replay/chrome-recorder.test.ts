import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadRecording, mapRecorderSelector, parseRecording, RecordingFormatError } from './index.ts';

const fixture = (p: string) => fileURLToPath(new URL(`../../e2e/fixtures/recorder/${p}`, import.meta.url));

describe('Chrome Recorder import', () => {
  it('maps a Recorder export to our steps', async () => {
    const rec = await loadRecording(fixture('catalogue.json'));
    expect(rec).toMatchObject({
      format: 'homeostat.recording',
      title: 'Catalogue: search, filter and add to cart (recorded in Chrome)',
      viewport: { width: 1280, height: 800, deviceScaleFactor: 1 },
      defaults: { timeoutMs: 8000 },
      source: { kind: 'chrome-recorder' },
    });
    expect(rec.steps).toEqual([
      { type: 'navigate', url: '/' },
      { type: 'expectUrl', includes: '/', description: 'asserted navigation' },
      { type: 'expectCount', target: { selectors: [{ css: "[data-testid='product-row']" }] }, min: 10, description: 'waitForElement >= 10' },
      // XPath and pierce alternatives are dropped when others exist; offsets are dropped.
      { type: 'click', target: { selectors: [{ label: 'Search products', exact: true }, { css: 'header > input' }] } },
      { type: 'fill', target: { selectors: [{ label: 'Search products', exact: true }, { css: 'header > input' }] }, value: 'lamp' },
      { type: 'key', key: 'Enter' },
      { type: 'fill', target: { selectors: [{ label: 'Category', exact: true }, { css: 'aside > label:nth-of-type(1) > select' }] }, value: 'Garden' },
      { type: 'click', target: { selectors: [{ label: 'In stock only', exact: true }, { css: 'label.check > input' }] } },
      { type: 'scroll', x: 0, y: 400 },
      { type: 'click', target: { selectors: [{ css: 'ul.results > li:nth-of-type(1) > button' }, { text: 'Add' }] } },
      { type: 'expectCount', target: { selectors: [{ text: 'Cart: 1' }, { css: 'span.cart-badge' }] }, count: 1, description: 'waitForElement == 1' },
    ]);
  });

  it('maps each selector kind', () => {
    expect(mapRecorderSelector('aria/Checkout[role="button"]')).toEqual({ role: 'button', name: 'Checkout', exact: true });
    expect(mapRecorderSelector(['aria/Search products'])).toEqual({ label: 'Search products', exact: true });
    expect(mapRecorderSelector('text/Order confirmed')).toEqual({ text: 'Order confirmed' });
    expect(mapRecorderSelector('#search')).toEqual({ css: '#search' });
    expect(mapRecorderSelector(['my-app', '#inner'])).toEqual({ css: 'my-app #inner' });
    expect(mapRecorderSelector(['my-app', 'aria/Inner'])).toBeNull();
    expect(mapRecorderSelector('xpath///div')).toBeNull();
    expect(mapRecorderSelector('pierce/#x')).toBeNull();
  });

  it('maps modifiers held across keyDown/keyUp into one chord, and other steps', () => {
    const rec = parseRecording({
      title: 'keys',
      steps: [
        { type: 'keyDown', key: 'ShiftLeft' },
        { type: 'keyDown', key: 'A' },
        { type: 'keyUp', key: 'A' },
        { type: 'keyUp', key: 'ShiftLeft' },
        { type: 'keyDown', key: 'Tab' },
        { type: 'keyUp', key: 'Tab' },
        { type: 'doubleClick', selectors: ['#x'], offsetX: 1, offsetY: 1, button: 'secondary' },
        { type: 'hover', selectors: [['#y']] },
        { type: 'waitForElement', selectors: [['.spinner']], visible: false, timeout: 3000 },
        { type: 'waitForElement', selectors: [['li']], operator: '<=', count: 4 },
        { type: 'setViewport', width: 1000, height: 700, deviceScaleFactor: 2, isMobile: false, hasTouch: false, isLandscape: true },
        { type: 'scroll', selectors: [['#list']], x: 0, y: 50 },
      ],
    });
    expect(rec.viewport).toEqual({ width: 1000, height: 700, deviceScaleFactor: 2 });
    expect(rec.steps).toEqual([
      { type: 'key', key: 'Shift+A' },
      { type: 'key', key: 'Tab' },
      { type: 'click', target: { selectors: [{ css: '#x' }] }, button: 'right', clickCount: 2 },
      { type: 'hover', target: { selectors: [{ css: '#y' }] } },
      { type: 'waitFor', target: { selectors: [{ css: '.spinner' }] }, state: 'hidden', timeoutMs: 3000 },
      { type: 'expectCount', target: { selectors: [{ css: 'li' }] }, max: 4, description: 'waitForElement <= 4' },
      { type: 'scroll', target: { selectors: [{ css: '#list' }] }, x: 0, y: 50 },
    ]);
  });

  it('refuses unsupported steps and unusable selectors, naming step and field', async () => {
    const err = await loadRecording(fixture('unsupported.json')).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RecordingFormatError);
    expect((err as RecordingFormatError).issues).toEqual([
      expect.stringMatching(/^steps\[1\]\.selectors \(click\): none usable .*not XPath or pierce/),
      expect.stringMatching(/^steps\[2\]\.type \(waitForExpression\): waitForExpression is not supported/),
      'steps[3].frame (click): steps inside iframes are not supported',
    ]);
    expect((err as Error).message).toMatch(/unsupported\.json: not a replayable recording/);
  });

  it('reports what @puppeteer/replay finds invalid with the step index', () => {
    const issues = (() => {
      try {
        parseRecording({ title: 'bad', steps: [{ type: 'navigate', url: '/' }, { type: 'click', selectors: [['#a']] }, { type: 'fly' }, 7] });
      } catch (e) {
        return (e as RecordingFormatError).issues;
      }
      return [];
    })();
    expect(issues).toEqual(['steps[1]: Step.offsetX is not a number', 'steps[2]: Step type fly is not supported', 'steps[3]: Step 3 is not an object']);
    expect(() => parseRecording({ title: '', steps: [] })).toThrow(/title: expected a non-empty string/);
  });
});
