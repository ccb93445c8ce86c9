/**
 * 10 k instrumented calls per second into the panel, shown inside real DevTools: the panel keeps
 * up and keeps judging correctly under that load. How smooth it stays is a measurement, not an
 * assertion: `npm run bench:panel` reports it against a light-load baseline from the same run
 * (this test also saves what it saw to test-results/panel-stress.json).
 */
import { expect, test } from './support/test.ts';
import { launchWithExtension, openPanel, saveArtifact, STRESS_DIR } from './support/extension.ts';
import { measurePanel as measure } from './support/panel-measure.ts';

test('at 10 k events/s the panel keeps receiving, charting and judging every handler', async ({ serve }) => {
  test.setTimeout(120_000);
  const eb = await launchWithExtension();
  try {
    const server = await serve(STRESS_DIR);
    const page = await eb.firstPage();
    await page.goto(`${server.url}?rate=10000`);
    const panel = await openPanel(eb, server.url);
    await panel.waitFor(`document.querySelector('tr[data-handler=tiny]') !== null`);
    await new Promise((r) => setTimeout(r, 2000)); // warm-up

    const pageCalls = () => page.evaluate(() => (globalThis as unknown as { stressCalls(): number }).stressCalls());
    const c0 = await pageCalls();
    const t0 = Date.now();
    const table = await measure(panel, 8000);
    const pageRate = ((await pageCalls()) - c0) / ((Date.now() - t0) / 1000);
    saveArtifact('panel-stress.png', await panel.screenshot());

    await panel.evaluate(`document.querySelector('tr[data-handler=medium]').click()`);
    await panel.waitFor(`document.querySelectorAll('.recharts-surface').length === 2`);
    const detail = await measure(panel, 8000);
    saveArtifact('panel-stress-detail.png', await panel.screenshot());

    const statuses = await panel.evaluate<Record<string, string>>(
      `(document.querySelector('[role=tab]').click(), new Promise((r) => setTimeout(() => r(Object.fromEntries([...document.querySelectorAll('tr[data-handler]')].map((tr) => [tr.dataset.handler, tr.querySelector('[data-col=status]').textContent]))), 500)))`,
    );
    const report = { pageCallsPerSecond: pageRate, table, detail, statuses };
    saveArtifact('panel-stress.json', JSON.stringify(report, null, 2));
    console.log(JSON.stringify(report, null, 2));

    // Behaviour under load: live data keeps arriving in both views, and every status is right.
    expect(table.callsPerSecondShown).toBeGreaterThan(0);
    expect(table.ticksPerSecond).toBeGreaterThan(0);
    expect(detail.callsPerSecondShown).toBeGreaterThan(0);
    expect(statuses).toMatchObject({ tiny: 'within docs', heavy: 'over budget', medium: 'drifting', flaky: 'undocumented' });
  } finally {
    await eb.close();
  }
});
