/**
 * The README's picture, taken from a real run: the bundled demo's catalogue flow replayed once,
 * its report.html (per handler: observed against the documented budgets) opened in Chromium and
 * captured to docs/images/replay-report.png. The picture is what the code renders today.
 */
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseSpecFile } from '../src/core/spec.ts';
import { loadRecording, renderReport, replay, summariseRuns } from '../src/replay/index.ts';
import { DEMO_DIR } from './support/builds.ts';
import { expect, test } from './support/test.ts';

const root = (p: string) => fileURLToPath(new URL(`../${p}`, import.meta.url));

test('the replay report of the demo, for the README', async ({ browser, page, serve }) => {
  test.setTimeout(120_000);
  const server = await serve(DEMO_DIR);
  const out = mkdtempSync(join(tmpdir(), 'homeostat-shot-'));
  const recording = await loadRecording(root('src/demo/flows/catalogue.json'));
  const { runs } = await replay(recording, { browser, url: server.url, runs: 1, warmup: false, outDir: out });
  expect(runs.map((r) => r.passed)).toEqual([true]);
  const specPath = root('src/demo/docs/homeostat.spec.json');
  const summary = summariseRuns(runs, parseSpecFile(readFileSync(specPath, 'utf8'), specPath), { title: recording.title });
  const html = join(out, 'report.html');
  writeFileSync(html, renderReport(summary, 'html', { baseDir: out }));

  await page.setViewportSize({ width: 1100, height: 760 });
  await page.goto(pathToFileURL(html).href);
  await expect(page.getByText('renderReact').first()).toBeVisible();
  mkdirSync(root('docs/images'), { recursive: true });
  await page.screenshot({ path: root('docs/images/replay-report.png') });
});
