/**
 * Replays on the built demo: the demo flow and its telemetry, a Chrome Recorder export, a
 * failing expectation with its screenshot, record → replay round trip, and the CLI's exit codes.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { aggregateSession } from '../src/core/aggregate.ts';
import { parseSessionFile, type SessionFile } from '../src/core/session.ts';
import { loadRecording, parseRecording, renderReport, replay, replayRun, summariseRuns, type Recording } from '../src/replay/index.ts';
import { record } from '../src/replay/record.ts';
import { DEMO_DIR } from './support/builds.ts';
import { expect, test } from './support/test.ts';

const root = (p: string) => fileURLToPath(new URL(`../${p}`, import.meta.url));
const run = promisify(execFile);

function counts(session: SessionFile): Record<string, number> {
  return Object.fromEntries(aggregateSession(session).snapshot().handlers.map((h) => [h.handler, h.count]));
}

test.describe('replays', () => {
  test.describe.configure({ timeout: 180_000 });

  test('the demo flow replays, passes its expectations and yields sessions with the handlers', async ({ browser, serve }) => {
    const server = await serve(DEMO_DIR);
    const out = mkdtempSync(join(tmpdir(), 'homeostat-replay-'));
    const recording = await loadRecording(root('src/demo/flows/catalogue.json'));
    const phases: string[] = [];
    const { runs, files } = await replay(recording, { browser, url: server.url, runs: 2, warmup: false, outDir: out, onProgress: (e) => phases.push(e.phase) });
    expect(runs.map((r) => [r.passed, r.error])).toEqual([[true, null], [true, null]]);
    expect(phases).toEqual(['launch', 'run', 'run', 'run', 'run', 'done']);
    expect(files).toEqual([join(out, 'run-1.session.json'), join(out, 'run-2.session.json')]);
    for (const [i, file] of files.entries()) {
      const session = parseSessionFile(readFileSync(file, 'utf8'), file);
      expect(session.session).toMatchObject({ source: 'replay', crossOriginIsolated: true, clockResolutionMs: 0.005, app: 'homeostat-demo' });
      const c = counts(session);
      // 12 keystrokes (lamp, pro, drone) plus the two clears between words.
      expect(c).toMatchObject({ handleSearchInput: 14, renderReact: 14, parseQuery: 14, applyFilters: 3, 'App.handleSort': 2, addToCart: 3, checkout: 1, 'App.confirmOrder': 1 });
      expect(runs[i]!.expectations.every((e) => e.passed)).toBe(true);
      expect(runs[i]!.expectations.length).toBe(8);
    }
    const summary = summariseRuns(runs, null, { title: recording.title });
    expect(summary.passed).toBe(true);
    const render = summary.handlers.find((h) => h.handler === 'renderReact')!;
    expect(render.blockingP50.n).toBe(2);
    expect(render.blockingP50.mean).toBeGreaterThan(render.durationP50.mean!);
    expect(renderReport(summary, 'html')).toContain('renderReact');
  });

  test('a Chrome Recorder export replays on the demo', async ({ browser, serve }) => {
    const server = await serve(DEMO_DIR);
    const recording = await loadRecording(root('e2e/fixtures/recorder/catalogue.json'));
    const r = await replayRun(browser, recording, { url: server.url });
    expect(r.error).toBeNull();
    expect(r.expectations).toEqual([
      expect.objectContaining({ description: 'asserted navigation', passed: true }),
      expect.objectContaining({ description: 'waitForElement >= 10', passed: true }),
      expect.objectContaining({ description: 'waitForElement == 1', passed: true }),
    ]);
    expect(r.passed).toBe(true);
    // One change event for the search box, the category and the checkbox as filters, one add.
    expect(counts(r.session!)).toMatchObject({ handleSearchInput: 1, renderReact: 1, applyFilters: 2, addToCart: 1 });
  });

  test('a failing expectation fails the run and leaves a screenshot', async ({ browser, serve }) => {
    const server = await serve(DEMO_DIR);
    const out = mkdtempSync(join(tmpdir(), 'homeostat-replay-'));
    const recording = await loadRecording(root('e2e/fixtures/recordings/failing-expectation.json'));
    const { runs } = await replay(recording, { browser, url: server.url, runs: 1, warmup: false, outDir: out });
    const [r] = runs;
    expect(r!.passed).toBe(false);
    expect(r!.error).toBeNull();
    expect(r!.expectations).toEqual([
      { step: 3, description: 'five items in the cart', passed: false, message: 'text not found', screenshot: join(out, 'screenshots', 'run-1-step-3.png') },
      { step: 4, description: 'lamps are listed', passed: true },
    ]);
    const png = readFileSync(join(out, 'screenshots', 'run-1-step-3.png'));
    expect(png.subarray(1, 4).toString()).toBe('PNG');
    // The run still delivers its telemetry.
    expect(counts(r!.session!).handleSearchInput).toBe(4);
    const md = renderReport(summariseRuns(runs), 'md', { baseDir: out });
    expect(md).toContain('[screenshot](screenshots/run-1-step-3.png)');
  });

  test('an action whose element never appears stops the run with the step named', async ({ browser, serve }) => {
    const server = await serve(DEMO_DIR);
    const recording = parseRecording({
      format: 'homeostat.recording',
      version: 1,
      title: 'missing button',
      viewport: { width: 1280, height: 800, deviceScaleFactor: 1 },
      steps: [
        { type: 'waitFor', target: { selectors: [{ testId: 'product-row' }] } },
        { type: 'click', target: { selectors: [{ role: 'button', name: 'Teleport' }, { css: '#teleport' }] }, timeoutMs: 500, description: 'teleport' },
        { type: 'expectText', text: 'never checked' },
      ],
    });
    const r = await replayRun(browser, recording, { url: server.url });
    expect(r.passed).toBe(false);
    expect(r.error).toBe('steps[1] (click: teleport): no element matches role=button[name="Teleport"] | css=#teleport within 500 ms');
    expect(r.expectations).toEqual([]);
    expect(r.session).not.toBeNull();
  });

  test('a page without a Homeostat client fails the run with a clear message', async ({ browser, serve }) => {
    const dir = mkdtempSync(join(tmpdir(), 'homeostat-plain-'));
    writeFileSync(join(dir, 'index.html'), '<!doctype html><title>plain</title><button>Go</button>');
    const server = await serve(dir);
    const recording = parseRecording({
      format: 'homeostat.recording',
      version: 1,
      title: 'plain',
      viewport: { width: 800, height: 600, deviceScaleFactor: 1 },
      defaults: { thinkMs: 0 },
      steps: [{ type: 'click', target: { selectors: [{ role: 'button', name: 'Go' }] } }],
    });
    const r = await replayRun(browser, recording, { url: server.url });
    expect(r.passed).toBe(false);
    expect(r.session).toBeNull();
    expect(r.error).toMatch(/has no Homeostat client \(globalThis.__HOMEOSTAT__ is missing/);
  });

  test('record → replay round trip: captured steps replay with the same handlers', async ({ browser, serve }) => {
    const server = await serve(DEMO_DIR);
    const out = join(mkdtempSync(join(tmpdir(), 'homeostat-record-')), 'flow.json');
    const recorded = await record({
      url: server.url,
      out,
      browser,
      drive: async (page) => {
        await page.getByTestId('product-row').first().waitFor();
        await page.getByLabel('Search products').pressSequentially('lamp', { delay: 30 });
        await page.getByLabel('Category').selectOption('Garden');
        await page.getByLabel('In stock only').check();
        const add = page.getByRole('button', { name: /^Add / });
        await add.nth(0).click();
        await add.nth(1).click();
        await page.getByLabel('Search products').press('Enter');
      },
    });
    const fromDisk = await loadRecording(out);
    expect(fromDisk).toEqual(recorded);
    const steps = recorded.steps.map(({ thinkMs: _t, ...s }) => s);
    expect(steps[0]).toEqual({ type: 'navigate', url: '/' });
    expect(steps[1]).toEqual({
      type: 'type',
      target: { selectors: [{ role: 'textbox', name: 'Search products', exact: true }, { label: 'Search products', exact: true }, { css: '#root > div > header > input' }] },
      text: 'lamp',
      replace: true,
      delayMs: 40,
    });
    expect(steps[2]).toMatchObject({ type: 'select', value: 'Garden', target: { selectors: expect.arrayContaining([{ role: 'combobox', name: 'Category', exact: true }]) } });
    expect(steps[3]).toMatchObject({ type: 'check', checked: true, target: { selectors: expect.arrayContaining([{ label: 'In stock only', exact: true }]) } });
    expect(steps[4]).toMatchObject({ type: 'click' });
    const add = (steps[4] as { target: { selectors: object[] } }).target.selectors;
    expect(add[0]).toEqual({ role: 'button', name: expect.stringMatching(/^Add .* to cart$/), exact: true });
    expect(add[add.length - 1]).toEqual({ css: expect.stringMatching(/li:nth-of-type\(1\) > button$/) });
    expect(steps[5]).toMatchObject({ type: 'click' });
    expect(steps[6]).toMatchObject({ type: 'key', key: 'Enter' });
    expect(steps).toHaveLength(7);

    // Replay it with an expectation added, as QA would.
    const withCheck: Recording = { ...recorded, steps: [...recorded.steps, { type: 'expectText', text: 'Cart: 2', exact: true }] };
    const r = await replayRun(browser, withCheck, { url: server.url });
    expect(r.error).toBeNull();
    expect(r.passed).toBe(true);
    expect(counts(r.session!)).toMatchObject({ handleSearchInput: 4, renderReact: 4, applyFilters: 2, addToCart: 2 });
  });

  test('network from a HAR file and CPU throttling through the DevTools protocol', async ({ browser, serve }) => {
    const server = await serve(DEMO_DIR);
    const dir = mkdtempSync(join(tmpdir(), 'homeostat-har-'));
    const har = join(dir, 'checkout.har');
    const body = JSON.stringify({ orderId: 'H-4242', etaDays: 9 });
    const url = new URL('api/checkout.json', server.url).toString();
    writeFileSync(
      har,
      JSON.stringify({
        log: {
          version: '1.2',
          creator: { name: 'homeostat-test', version: '1' },
          entries: [
            {
              startedDateTime: new Date(0).toISOString(),
              time: 1,
              request: { method: 'GET', url, httpVersion: 'HTTP/1.1', headers: [], queryString: [], cookies: [], headersSize: -1, bodySize: 0 },
              response: {
                status: 200,
                statusText: 'OK',
                httpVersion: 'HTTP/1.1',
                headers: [{ name: 'Content-Type', value: 'application/json' }],
                cookies: [],
                content: { size: body.length, mimeType: 'application/json', text: body },
                redirectURL: '',
                headersSize: -1,
                bodySize: body.length,
              },
              cache: {},
              timings: { send: 0, wait: 1, receive: 0 },
            },
          ],
        },
      }),
    );
    const recording = parseRecording({
      format: 'homeostat.recording',
      version: 1,
      title: 'checkout from a HAR',
      viewport: { width: 1280, height: 800, deviceScaleFactor: 1 },
      defaults: { thinkMs: 20 },
      steps: [
        { type: 'navigate', url: '/' },
        { type: 'click', target: { selectors: [{ role: 'button', name: 'to cart' }] } },
        { type: 'click', target: { selectors: [{ role: 'button', name: 'Checkout', exact: true }] } },
        { type: 'expectText', text: 'Order H-4242 confirmed, arriving in 9 days.', target: { selectors: [{ role: 'status' }] } },
      ],
    });
    const r = await replayRun(browser, recording, { url: server.url, har, cpuThrottle: 2, seed: 7 });
    expect(r.expectations).toEqual([expect.objectContaining({ passed: true })]);
    expect(r.passed).toBe(true);
    expect(counts(r.session!)).toMatchObject({ addToCart: 1, checkout: 1, 'App.confirmOrder': 1 });
  });

  test('homeostat replay: exit 1 with a report on a failed expectation, 2 on a malformed recording', async ({ serve }) => {
    const server = await serve(DEMO_DIR);
    const out = mkdtempSync(join(tmpdir(), 'homeostat-cli-'));
    const cli = (args: string[]) =>
      run(process.execPath, ['--import', 'tsx', root('src/cli/main.ts'), 'replay', ...args], { cwd: root('.') }).then(
        (r) => ({ code: 0, ...r }),
        (e: { code: number; stdout: string; stderr: string }) => e,
      );
    const bad = await cli([root('e2e/fixtures/recordings/malformed.json'), '--url', server.url]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/malformed\.json: not a replayable recording: steps\[1\]\.target\.selectors: needs at least one selector/);
    const usage = await cli([root('src/demo/flows/catalogue.json')]);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toMatch(/give either --url <app url> or --demo/);

    const failed = await cli([root('e2e/fixtures/recordings/failing-expectation.json'), '--url', server.url, '--runs', '1', '--no-warmup', '--out', out]);
    expect(failed.code).toBe(1);
    expect(failed.stderr).toMatch(/run 1\/1: FAILED in [\d.]+ s, 1 failed expectations/);
    expect(failed.stdout).toContain('FAIL: 0/1 runs passed, 1 failed expectations');
    expect(failed.stdout.split('\n').filter((l) => l.length > 100)).toEqual([]);
    for (const f of ['report.md', 'report.html', 'summary.json', 'run-1.session.json', 'screenshots/run-1-step-3.png']) expect(existsSync(join(out, f)), f).toBe(true);
  });
});
