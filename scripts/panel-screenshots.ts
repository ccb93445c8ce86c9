/**
 * Screenshots of every view of the DevTools panel for docs/panel.md, taken inside real DevTools
 * (headless Chromium with the built extension) on the bundled demo:
 *   npm run build:extension && npm run build:demo && npx tsx scripts/panel-screenshots.ts
 * Writes docs/images/panel-*.png. Uses the e2e helpers, so what the pictures show is what the
 * panel specs test.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { launchWithExtension, openPanel, type PanelHandle } from '../e2e/support/extension.ts';
import { DEMO_DIST } from '../src/node/demo.ts';
import { fromRoot } from '../src/node/paths.ts';
import { serveDirectory } from '../src/node/serve.ts';

const OUT = fromRoot('docs', 'images');

async function until(what: string, fn: () => Promise<unknown>, ms = 20_000): Promise<void> {
  for (const end = Date.now() + ms; Date.now() < end; ) {
    if (await fn().catch(() => false)) return;
    await new Promise((r) => setTimeout(r, 150));
  }
  throw new Error(`timed out waiting for ${what}`);
}

async function main(): Promise<void> {
  mkdirSync(OUT, { recursive: true });
  const eb = await launchWithExtension();
  const server = await serveDirectory(DEMO_DIST);
  const shot = async (panel: PanelHandle, name: string) => {
    writeFileSync(join(OUT, name), await panel.screenshot());
    process.stderr.write(`docs/images/${name}\n`);
  };
  try {
    const page = await eb.firstPage();
    await page.goto(server.url);
    await page.getByTestId('product-row').first().waitFor();
    const search = page.getByLabel('Search products');
    await search.pressSequentially('lamp', { delay: 30 });
    await page.getByLabel('Category').selectOption('Garden');
    await page.getByLabel('Sort').selectOption('price-asc');
    await page.getByRole('button', { name: /^Add / }).first().click();
    await search.fill('/(');
    await page.evaluate(() => (globalThis as unknown as { __HOMEOSTAT__: { flush(): Promise<void> } }).__HOMEOSTAT__.flush());
    const panel = await openPanel(eb, server.url);
    const tab = (label: string) => panel.evaluate(`[...document.querySelectorAll('[role=tab]')].find((b) => b.textContent === ${JSON.stringify(label)}).click()`);
    const has = (selector: string) => () => panel.evaluate<boolean>(`document.querySelector(${JSON.stringify(selector)}) !== null`);

    await until('the handlers table', has('tr[data-handler=renderReact] [data-col=source] button'));
    // The badges follow check's verdicts once a second.
    await new Promise((r) => setTimeout(r, 1500));
    await shot(panel, 'panel-handlers.png');

    await tab('Interactions');
    await until('the interactions', has('[aria-label="Recent interactions"] button'));
    // The newest keystroke that rendered results (the last one, '/(', is the parse error).
    const ids = await panel.evaluate<string[]>(`[...document.querySelectorAll('[aria-label="Recent interactions"] button')].map((b) => b.dataset.sequenceId)`);
    for (const id of ids) {
      await panel.evaluate(`document.querySelector('[data-sequence-id="${id}"]').click()`);
      await until('the interaction', () => panel.evaluate<boolean>(`document.querySelector('.ranked')?.dataset.interaction === '${id}'`));
      if (await has('.ranked tr[data-cost-handler=renderReact]')()) break;
    }
    await until('a ranked keystroke', has('.ranked tr[data-cost-handler=renderReact]'));
    await shot(panel, 'panel-interactions.png');

    await tab('Sequences');
    await until('the sequences', has('[data-sequence] .axis [data-tick]'));
    await shot(panel, 'panel-sequences.png');

    await tab('Discrepancies & suggestions');
    await until('the suggestions', has('[data-suggestion]'));
    await shot(panel, 'panel-suggestions.png');

    await tab('Handlers');
    await until('the handlers table', has('tr[data-handler=renderReact]'));
    await panel.evaluate(`document.querySelector('tr[data-handler=renderReact]').click()`);
    await until('the charts', () => panel.evaluate<boolean>(`document.querySelectorAll('.recharts-surface').length === 2`));
    await new Promise((r) => setTimeout(r, 1200));
    await shot(panel, 'panel-detail.png');

    // Performance panel: tracks on, record a few keystrokes with DevTools' own recorder.
    await tab('Handlers');
    const toggle = `[...document.querySelectorAll('[aria-label="Session controls"] button')].find((b) => /^Tracks/.test(b.textContent))`;
    await panel.evaluate(`${toggle}.click()`);
    await until('tracks on', () => panel.evaluate<boolean>(`${toggle}.textContent === 'Tracks on'`));
    const action = (id: string) =>
      eb.cdp.evaluate(panel.devtoolsSession, `(async () => { const UI = await import('./ui/legacy/legacy.js'); await UI.ActionRegistry.ActionRegistry.instance().getAction(${JSON.stringify(id)}).execute(); return true; })()`);
    await eb.cdp.evaluate(panel.devtoolsSession, `(async () => { const UI = await import('./ui/legacy/legacy.js'); await UI.ViewManager.ViewManager.instance().showView('timeline'); return true; })()`);
    await action('timeline.toggle-recording');
    await new Promise((r) => setTimeout(r, 1500));
    await search.fill('');
    await search.pressSequentially('pro', { delay: 60 });
    await page.evaluate(() => (globalThis as unknown as { __HOMEOSTAT__: { flush(): Promise<void> } }).__HOMEOSTAT__.flush());
    // Two agent ticks: the calls are drawn.
    await new Promise((r) => setTimeout(r, 1200));
    await action('timeline.toggle-recording');
    await new Promise((r) => setTimeout(r, 6000));
    // Close the first-run shortcuts dialog, then expand the "Homeostat" track group (its header row).
    const press = async (type: string, extra: Record<string, unknown>) => eb.cdp.send('Input.dispatchMouseEvent', { type, button: 'left', clickCount: 1, ...extra }, panel.devtoolsSession);
    await eb.cdp.send('Input.dispatchKeyEvent', { type: 'keyDown', key: 'Escape', code: 'Escape', windowsVirtualKeyCode: 27 }, panel.devtoolsSession);
    await eb.cdp.send('Input.dispatchKeyEvent', { type: 'keyUp', key: 'Escape', code: 'Escape', windowsVirtualKeyCode: 27 }, panel.devtoolsSession);
    const header = { x: Number(process.env['HOMEOSTAT_TRACK_X'] ?? 251), y: Number(process.env['HOMEOSTAT_TRACK_Y'] ?? 224) };
    await press('mousePressed', header);
    await press('mouseReleased', header);
    await new Promise((r) => setTimeout(r, 1500));
    await shot(panel, 'panel-performance-tracks.png');
  } finally {
    await server.close();
    await eb.close();
  }
}

main().catch((e: unknown) => {
  process.stderr.write(`screenshots failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exit(1);
});
