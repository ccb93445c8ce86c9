import { describe, expect, it } from 'vitest';
import { capturedToRecording, captureScript, parseRecording, type CapturedStep } from './index.ts';

const search = { selectors: [{ role: 'textbox', name: 'Search products', exact: true }, { css: 'header > input' }] };

describe('capturedToRecording', () => {
  it('starts with a navigate, merges typing into one field, and keeps think time from the gaps', () => {
    const captured: CapturedStep[] = [
      { type: 'type', target: search, text: 'l', replace: true, delayMs: 40, at: 1000 },
      { type: 'type', target: search, text: 'la', replace: true, delayMs: 40, at: 1100 },
      { type: 'type', target: search, text: 'lamp', replace: true, delayMs: 40, at: 1300 },
      { type: 'select', target: { selectors: [{ label: 'Sort', exact: true }] }, value: 'rating', at: 1800 },
      { type: 'click', target: { selectors: [{ css: '#go' }] }, at: 9800 },
    ];
    const rec = capturedToRecording(captured, { url: 'http://127.0.0.1:5173/shop?q=1', viewport: { width: 1280, height: 800, deviceScaleFactor: 1 } });
    expect(rec.steps).toEqual([
      { type: 'navigate', url: '/shop?q=1' },
      { type: 'type', target: search, text: 'lamp', replace: true, delayMs: 40, thinkMs: 100 },
      { type: 'select', target: { selectors: [{ label: 'Sort', exact: true }] }, value: 'rating', thinkMs: 500 },
      { type: 'click', target: { selectors: [{ css: '#go' }] }, thinkMs: 3000 },
    ]);
    expect(rec.source).toEqual({ kind: 'record', url: 'http://127.0.0.1:5173/shop' });
    // What record writes is a valid recording.
    expect(parseRecording(JSON.parse(JSON.stringify(rec)))).toEqual(rec);
  });

  it('ships the page script as plain source (no transpiler helpers)', () => {
    const src = captureScript();
    expect(src).not.toContain('__name');
    expect(() => new Function(src)).not.toThrow();
  });
});
