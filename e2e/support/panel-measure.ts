/**
 * Measures the DevTools panel from inside its own frame: frame rate, long tasks, and how many
 * calls per second its live counter shows. Shared by the panel stress test (which asserts
 * behaviour under load) and `npm run bench:panel` (which reports the numbers as ratios).
 */
import { openPanel, type ExtensionBrowser, type PanelHandle } from './extension.ts';

const MEASURE = `(ms) => new Promise((resolve) => {
  const long = [];
  const obs = new PerformanceObserver((list) => { for (const e of list.getEntries()) long.push(e.duration); });
  obs.observe({ type: 'longtask' });
  const stream = () => document.querySelector('[data-testid=stream]');
  const start = { total: Number(stream().dataset.total), ticks: Number(stream().dataset.ticks) };
  let frames = 0, worstGap = 0, last = performance.now();
  const t0 = last;
  const frame = (now) => {
    frames++;
    worstGap = Math.max(worstGap, now - last);
    last = now;
    if (now - t0 < ms) return requestAnimationFrame(frame);
    obs.disconnect();
    const secs = (now - t0) / 1000;
    resolve({
      seconds: secs,
      fps: frames / secs,
      worstFrameGapMs: worstGap,
      longTasks: long.length,
      longTaskMs: long.reduce((a, b) => a + b, 0),
      longestTaskMs: Math.max(0, ...long),
      callsPerSecondShown: (Number(stream().dataset.total) - start.total) / secs,
      ticksPerSecond: (Number(stream().dataset.ticks) - start.ticks) / secs,
    });
  };
  requestAnimationFrame(frame);
})`;

export interface Measurement {
  seconds: number;
  fps: number;
  worstFrameGapMs: number;
  longTasks: number;
  longTaskMs: number;
  longestTaskMs: number;
  callsPerSecondShown: number;
  ticksPerSecond: number;
}

export async function measurePanel(panel: PanelHandle, ms: number): Promise<Measurement> {
  return panel.evaluate<Measurement>(`(${MEASURE})(${ms})`);
}

export interface StressMeasurement {
  /** Calls per second the stress page actually made while the table was measured. */
  pageRate: number;
  table: Measurement;
  detail: Measurement;
  panel: PanelHandle;
}

/**
 * The stress page (served at `pageUrl`) at `rate` calls/s with the panel open: after a 2 s
 * warm-up, measures the handlers table, then the detail view of `medium` (two charts), each for
 * `ms`. `after` runs once per view (screenshots); the panel stays open for more checks.
 */
export async function measureStress(
  eb: ExtensionBrowser,
  pageUrl: string,
  rate: number,
  ms: number,
  after: (view: 'table' | 'detail', panel: PanelHandle) => Promise<void> = async () => {},
): Promise<StressMeasurement> {
  const page = await eb.firstPage();
  // Open the panel while the page is light, then load it: DevTools can take longer than any
  // sane timeout to show an extension's panel tab while the inspected page saturates a core.
  await page.goto(`${pageUrl}?rate=100`);
  const panel = await openPanel(eb, pageUrl);
  await page.goto(`${pageUrl}?rate=${rate}`);
  // The panel has followed the reload: it shows the new session, with its handlers.
  const id = await page.evaluate(async () => {
    for (;;) {
      const c = (globalThis as unknown as { __HOMEOSTAT__?: { session: { id: string } } }).__HOMEOSTAT__;
      if (c) return c.session.id;
      await new Promise((r) => requestAnimationFrame(r));
    }
  });
  await panel.waitFor(`document.body.innerText.includes(${JSON.stringify(`session ${id.slice(0, 8)}`)}) && document.querySelector('tr[data-handler=tiny]') !== null`, 30_000);
  // Measurement warm-up (steady state before sampling), not a wait for anything: no assertion depends on its length.
  await new Promise((r) => setTimeout(r, 2000));
  const calls = () => page.evaluate(() => (globalThis as unknown as { stressCalls(): number }).stressCalls());
  const c0 = await calls();
  const t0 = Date.now();
  const table = await measurePanel(panel, ms);
  const pageRate = ((await calls()) - c0) / ((Date.now() - t0) / 1000);
  await after('table', panel);
  await panel.evaluate(`document.querySelector('tr[data-handler=medium]').click()`);
  await panel.waitFor(`document.querySelectorAll('.recharts-surface').length === 2`);
  const detail = await measurePanel(panel, ms);
  await after('detail', panel);
  return { pageRate, table, detail, panel };
}
