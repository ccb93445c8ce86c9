/**
 * 10 k instrumented calls per second into the panel, shown inside real DevTools: the panel keeps
 * up and keeps judging correctly under that load. How smooth it stays is a measurement, not an
 * assertion: `npm run bench:panel` reports it against a light-load baseline from the same run
 * (this test also saves what it saw to test-results/panel-stress.json).
 */
import { expect, test } from './support/test.ts';
import { launchWithExtension, saveArtifact, STRESS_DIR } from './support/extension.ts';
import { measureStress } from './support/panel-measure.ts';

test('at 10 k events/s the panel keeps receiving, charting and judging every handler', async ({ serve }) => {
  test.setTimeout(120_000);
  const eb = await launchWithExtension();
  try {
    const server = await serve(STRESS_DIR);
    const { pageRate, table, detail, panel } = await measureStress(eb, server.url, 10_000, 8000, async (view, p) => {
      saveArtifact(view === 'table' ? 'panel-stress.png' : 'panel-stress-detail.png', await p.screenshot());
    });

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
