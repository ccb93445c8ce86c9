/**
 * Chromium with the built extension loaded and DevTools open for every tab, for the panel specs.
 * Playwright drives the inspected pages (connectOverCDP); a raw DevTools-protocol client reaches
 * what Playwright does not list: the DevTools front-end, where we show the Homeostat panel, and
 * the panel's own frame. See ../shared/notes/chromium-extension-devtools.md.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Page } from '@playwright/test';
import { build } from 'vite';
import WebSocket from 'ws';
import { CHROMIUM_ARGS, chromiumPath } from '../../src/node/browser.ts';
import { DEMO_DIR } from './builds.ts';

const root = (p: string) => fileURLToPath(new URL(`../../${p}`, import.meta.url));

/** The built extension (`npm run build:extension`); overridable for development runs. */
export const EXTENSION_DIR = process.env['HOMEOSTAT_E2E_EXTENSION_DIR'] ?? root('dist/extension');
/** The demo the panel specs drive; overridable so a private build can be used. */
export const PANEL_DEMO_DIR = process.env['HOMEOSTAT_E2E_DEMO_DIR'] ?? DEMO_DIR;
const STRESS_SRC = root('e2e/fixtures/stress');
/** The built stress page (10 k instrumented calls per second). */
export const STRESS_DIR = process.env['HOMEOSTAT_E2E_STRESS_DIR'] ?? root('dist/fixtures/stress');

/** Builds the extension into EXTENSION_DIR (pages and service worker, then the classic content script). */
export async function buildExtension(): Promise<void> {
  process.env['HOMEOSTAT_EXTENSION_OUT'] ??= EXTENSION_DIR;
  await build({ configFile: root('extension/vite.config.ts'), logLevel: 'warn' });
  await build({ configFile: root('extension/vite.content.config.ts'), logLevel: 'warn' });
}

/** Builds the stress fixture against Homeostat's sources. */
export async function buildStress(outDir = STRESS_DIR): Promise<void> {
  await build({
    configFile: false,
    root: STRESS_SRC,
    logLevel: 'warn',
    resolve: { alias: [{ find: /^homeostat$/, replacement: root('src/page/index.ts') }] },
    build: { outDir, emptyOutDir: true },
    worker: { format: 'es' },
  });
}

type Json = Record<string, unknown>;

/** A minimal Chrome DevTools Protocol client over one browser-level WebSocket (flat sessions). */
export class Cdp {
  private nextId = 1;
  private readonly waiting = new Map<number, { resolve: (v: Json) => void; reject: (e: Error) => void }>();

  private constructor(private readonly ws: WebSocket) {
    ws.on('message', (data) => {
      const msg = JSON.parse(String(data)) as { id?: number; result?: Json; error?: { message: string } };
      if (msg.id === undefined) return;
      const w = this.waiting.get(msg.id);
      if (!w) return;
      this.waiting.delete(msg.id);
      if (msg.error) w.reject(new Error(msg.error.message));
      else w.resolve(msg.result ?? {});
    });
  }

  static async connect(url: string): Promise<Cdp> {
    const ws = new WebSocket(url, { perMessageDeflate: false, maxPayload: 256 * 1024 * 1024 });
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
    return new Cdp(ws);
  }

  send<T = Json>(method: string, params: Json = {}, sessionId?: string): Promise<T> {
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      this.waiting.set(id, { resolve: resolve as (v: Json) => void, reject });
      this.ws.send(JSON.stringify({ id, method, params, ...(sessionId ? { sessionId } : {}) }));
    });
  }

  /** Evaluates `expression` in a session and returns its value (promises awaited). */
  async evaluate<T>(sessionId: string, expression: string): Promise<T> {
    const r = await this.send<{ result: { value?: T }; exceptionDetails?: { text: string; exception?: { description?: string } } }>(
      'Runtime.evaluate',
      { expression, awaitPromise: true, returnByValue: true },
      sessionId,
    );
    if (r.exceptionDetails) throw new Error(`evaluate failed: ${r.exceptionDetails.exception?.description ?? r.exceptionDetails.text}`);
    return r.result.value as T;
  }

  async targets(): Promise<Array<{ targetId: string; type: string; url: string }>> {
    return (await this.send<{ targetInfos: Array<{ targetId: string; type: string; url: string }> }>('Target.getTargets')).targetInfos;
  }

  async attach(targetId: string): Promise<string> {
    return (await this.send<{ sessionId: string }>('Target.attachToTarget', { targetId, flatten: true })).sessionId;
  }

  close(): void {
    this.ws.close();
  }
}

export interface ExtensionBrowser {
  browser: Browser;
  context: BrowserContext;
  cdp: Cdp;
  extensionId: string;
  /** The tab Chromium opened at start (already has DevTools attached). */
  firstPage(): Promise<Page>;
  close(): Promise<void>;
}

// DevTools can take a long time to show an extension's panel on a busy machine: wait for the
// condition as long as the test allows rather than fail on a slow but healthy run.
async function until<T>(what: string, fn: () => Promise<T | null | undefined | false>, timeoutMs = 45_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  let last: unknown = null;
  for (;;) {
    try {
      const v = await fn();
      if (v) return v;
    } catch (e) {
      last = e;
    }
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Starts Chromium (new headless) with the extension and auto-opened DevTools. */
export async function launchWithExtension(): Promise<ExtensionBrowser> {
  if (!existsSync(join(EXTENSION_DIR, 'manifest.json'))) {
    throw new Error(`no built extension in ${EXTENSION_DIR}: run npm run build:extension`);
  }
  const userDir = mkdtempSync(join(tmpdir(), 'homeostat-ext-'));
  const exe = chromiumPath() ?? chromium.executablePath();
  const proc: ChildProcess = spawn(
    exe,
    [
      ...CHROMIUM_ARGS,
      '--headless',
      `--user-data-dir=${userDir}`,
      '--remote-debugging-port=0',
      `--disable-extensions-except=${EXTENSION_DIR}`,
      `--load-extension=${EXTENSION_DIR}`,
      '--auto-open-devtools-for-tabs',
      '--window-size=1400,1000',
      'about:blank',
    ],
    // Its own process group: closing kills Chromium's helper processes too, not just the browser.
    { stdio: ['ignore', 'ignore', 'pipe'], detached: true },
  );
  let stderr = '';
  proc.stderr?.on('data', (d: Buffer) => {
    if (stderr.length < 20_000) stderr += String(d);
  });
  const activePort = join(userDir, 'DevToolsActivePort');
  const [port, path] = await until(
    `DevToolsActivePort (stderr: ${stderr.slice(-500)})`,
    async () => (existsSync(activePort) ? readFileSync(activePort, 'utf8').trim().split('\n') : null),
  );
  const cdp = await Cdp.connect(`ws://127.0.0.1:${port}${path}`);
  const browser = await chromium.connectOverCDP(`http://127.0.0.1:${port}`);
  const context = browser.contexts()[0]!;
  const worker = await until('the extension service worker', async () =>
    (await cdp.targets()).find((t) => t.type === 'service_worker' && t.url.startsWith('chrome-extension://')),
  );
  const extensionId = new URL(worker.url).host;
  return {
    browser,
    context,
    cdp,
    extensionId,
    firstPage: () => until('the first tab', async () => context.pages().find((p) => !p.url().startsWith('devtools://'))),
    async close() {
      cdp.close();
      await browser.close().catch(() => undefined);
      const exited = proc.exitCode !== null || proc.signalCode !== null ? Promise.resolve() : new Promise((r) => proc.once('exit', r));
      try {
        process.kill(-proc.pid!, 'SIGKILL');
      } catch {
        proc.kill('SIGKILL');
      }
      await exited;
      try {
        rmSync(userDir, { recursive: true, force: true, maxRetries: 20, retryDelay: 100 });
      } catch {
        // A helper still writing the profile: the run's TMPDIR, where it lives, is removed at the end.
      }
    },
  };
}

/** The Homeostat panel shown inside the DevTools window of one tab. */
export interface PanelHandle {
  /** Session attached to the panel's frame. */
  sessionId: string;
  /** Session attached to the DevTools front-end that hosts it. */
  devtoolsSession: string;
  devtoolsTargetId: string;
  evaluate<T>(expression: string): Promise<T>;
  /** Waits until `expression` (evaluated in the panel) is truthy and returns it. */
  waitFor<T>(expression: string, timeoutMs?: number): Promise<T>;
  /** Screenshot of the whole DevTools window, panel shown. */
  screenshot(): Promise<Buffer>;
  /** Chooses files in a file input of the panel, as a user would. */
  setFiles(selector: string, paths: string[]): Promise<void>;
}

// Internal module of Chromium's DevTools front-end: kept in this one place, it may move.
const SHOW_PANEL = (title: string) => `(async () => {
  const UI = await import('./ui/legacy/legacy.js');
  const view = UI.InspectorView.InspectorView.instance();
  const tab = view.tabbedPane.tabs.find((t) => t.id.startsWith('chrome-extension://') && t.id.endsWith(${JSON.stringify(title)}));
  if (!tab) return null;
  await view.showPanel(tab.id);
  return tab.id;
})()`;

/** Gives DevTools its own window (screenshots then show the panel at a useful size); true if it was docked. */
const UNDOCK = `(async () => {
  const UI = await import('./ui/legacy/legacy.js');
  const dock = UI.DockController.DockController.instance();
  if (dock.dockSide() === 'undocked') return false;
  dock.setDockSide('undocked');
  return true;
})()`;

const INSPECTED_URL = `(async () => {
  const SDK = await import('./core/sdk/sdk.js');
  const t = SDK.TargetManager.TargetManager.instance().primaryPageTarget();
  return t ? t.inspectedURL() : '';
})()`;

/**
 * Shows the Homeostat panel in the DevTools window of the tab whose URL starts with `pageUrl`
 * and attaches to the panel's frame.
 */
export async function openPanel(eb: ExtensionBrowser, pageUrl: string): Promise<PanelHandle> {
  const { cdp } = eb;
  const findDevtools = () => until(`DevTools for ${pageUrl}`, async () => {
    for (const t of await cdp.targets()) {
      if (t.type !== 'page' || !t.url.startsWith('devtools://')) continue;
      const s = await cdp.attach(t.targetId);
      const url = await cdp.evaluate<string>(s, INSPECTED_URL).catch(() => '');
      if (url.startsWith(pageUrl)) return { targetId: t.targetId, sessionId: s };
      await cdp.send('Target.detachFromTarget', { sessionId: s });
    }
    return null;
  });
  let devtools = await findDevtools();
  const docked = await cdp.evaluate<boolean>(devtools.sessionId, UNDOCK);
  if (docked) {
    // Undocking moves the front-end to its own window: find it again there, once it is undocked.
    devtools = await until('DevTools in its own window', async () => {
      const d = await findDevtools();
      const side = await cdp.evaluate<string>(d.sessionId, `(async () => (await import('./ui/legacy/legacy.js')).DockController.DockController.instance().dockSide())()`).catch(() => '');
      return side === 'undocked' ? d : null;
    });
  }
  await until('the Homeostat panel tab in DevTools', () => cdp.evaluate<string | null>(devtools.sessionId, SHOW_PANEL('Homeostat')));
  const { windowId } = await cdp.send<{ windowId: number }>('Browser.getWindowForTarget', { targetId: devtools.targetId });
  await cdp.send('Browser.setWindowBounds', { windowId, bounds: { width: 1280, height: 720 } });
  const panelUrl = `chrome-extension://${eb.extensionId}/panel.html`;
  const seen = new Set<string>();
  const panel = await until('the panel frame', async () => {
    for (const t of await cdp.targets()) {
      if (t.type !== 'iframe' || !t.url.startsWith(panelUrl) || seen.has(t.targetId)) continue;
      const s = await cdp.attach(t.targetId);
      const inspected = await cdp
        .evaluate<string>(s, `new Promise((r) => chrome.devtools.inspectedWindow.eval('location.href', (v) => r(String(v))))`)
        .catch(() => '');
      if (inspected.startsWith(pageUrl)) return s;
      seen.add(t.targetId);
      await cdp.send('Target.detachFromTarget', { sessionId: s });
    }
    return null;
  });
  const handle: PanelHandle = {
    sessionId: panel,
    devtoolsSession: devtools.sessionId,
    devtoolsTargetId: devtools.targetId,
    evaluate: (expression) => cdp.evaluate(panel, expression),
    async waitFor(expression, timeoutMs = 15_000) {
      try {
        return await until(`panel: ${expression}`, () => cdp.evaluate(panel, expression), timeoutMs);
      } catch (e) {
        // Say what the panel showed instead.
        const shown = await cdp
          .evaluate<string>(panel, `'rows: ' + [...document.querySelectorAll('tr[data-handler]')].map((tr) => tr.dataset.handler).join(', ') + '\\n' + document.body.innerText.slice(0, 600)`)
          .catch(() => '?');
        throw new Error(`${e instanceof Error ? e.message : String(e)}\npanel showed:\n${shown}`);
      }
    },
    async setFiles(selector, paths) {
      const r = await cdp.send<{ result: { objectId?: string } }>('Runtime.evaluate', { expression: `document.querySelector(${JSON.stringify(selector)})` }, panel);
      if (!r.result.objectId) throw new Error(`no ${selector} in the panel`);
      await cdp.send('DOM.setFileInputFiles', { files: paths, objectId: r.result.objectId }, panel);
    },
    async screenshot() {
      const r = await cdp.send<{ data: string }>('Page.captureScreenshot', { format: 'png' }, devtools.sessionId);
      return Buffer.from(r.data, 'base64');
    },
  };
  return handle;
}

/**
 * Stops the extension's service workers, as Chrome does after ~30 s idle. Sent from the panel's
 * frame, whose storage partition is the extension's (Target.closeTarget does not stop them).
 */
export async function stopExtensionWorker(eb: ExtensionBrowser, panel: PanelHandle): Promise<void> {
  await eb.cdp.send('ServiceWorker.enable', {}, panel.sessionId);
  await eb.cdp.send('ServiceWorker.stopAllWorkers', {}, panel.sessionId);
}

/**
 * Writes a test artifact under test-results/ (created on each write: concurrent Playwright runs
 * in the same checkout may clear the folder meanwhile).
 */
export function saveArtifact(name: string, data: Buffer | string): string {
  mkdirSync('test-results', { recursive: true });
  const path = join('test-results', name);
  writeFileSync(path, data);
  return path;
}

/** The handlers table as the panel renders it: raw values from data-value, text as shown. */
export interface PanelRow {
  handler: string;
  status: string;
  values: Record<string, string>;
  text: Record<string, string>;
}

export const READ_ROWS = `[...document.querySelectorAll('tr[data-handler]')].map((tr) => ({
  handler: tr.dataset.handler,
  status: tr.querySelector('[data-col=status]').textContent,
  values: Object.fromEntries([...tr.querySelectorAll('td[data-value]')].map((td) => [td.dataset.col, td.dataset.value])),
  text: Object.fromEntries([...tr.querySelectorAll('td[data-col]')].map((td) => [td.dataset.col, td.textContent])),
}))`;
