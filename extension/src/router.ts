/**
 * The service worker's router: one content-script port per tab, any number of panel ports per
 * tab, messages passed between them after validation. The tab of a content script comes from
 * the port's sender, the tab of a panel from its port name (DevTools pages have no `sender.tab`;
 * they name `chrome.devtools.inspectedWindow.tabId`), never from a message. Ports not opened
 * by this extension are refused.
 *
 * State is only a cache of who is connected: when Chrome stops the worker, every port drops,
 * both ends reconnect, and the router rebuilds it.
 */
import {
  PORT_CONTENT,
  PORT_PANEL_PREFIX,
  contentToWorkerSchema,
  panelToWorkerSchema,
  parse,
  type WorkerToContent,
  type WorkerToPanel,
} from '../../src/bridge/protocol.ts';

/** The subset of `chrome.runtime.Port` the router uses. */
export interface RouterPort {
  name: string;
  sender?: { id?: string; url?: string; frameId?: number; tab?: { id?: number } };
  postMessage(msg: unknown): void;
  disconnect(): void;
  onMessage: { addListener(fn: (msg: unknown) => void): void };
  onDisconnect: { addListener(fn: () => void): void };
}

interface TabState {
  content: RouterPort | null;
  panels: Set<RouterPort>;
  /** Rejections reported by the content script (cumulative per document) and by this router. */
  pageRejected: number;
  workerRejected: number;
  reason: string;
}

export class Router {
  private readonly tabs = new Map<number, TabState>();
  private rejectedUnknown = 0;

  /**
   * `extensionId`: `chrome.runtime.id`; `extensionOrigin`: `chrome.runtime.getURL('')`; `wake`
   * asks a tab's content script to connect (content scripts connect lazily).
   */
  constructor(
    private readonly extensionId: string,
    private readonly extensionOrigin: string,
    private readonly wake: (tabId: number) => void = () => undefined,
  ) {}

  /** Ports refused before they were tied to a tab (wrong sender, unknown name). */
  refused(): number {
    return this.rejectedUnknown;
  }

  connect(port: RouterPort): void {
    if (port.sender?.id !== this.extensionId) return this.refuse(port);
    if (port.name === PORT_CONTENT) {
      const tabId = port.sender.tab?.id;
      if (typeof tabId !== 'number' || port.sender.frameId !== 0) return this.refuse(port);
      return this.connectContent(tabId, port);
    }
    if (port.name.startsWith(PORT_PANEL_PREFIX)) {
      // Only the extension's own pages (the panel) may open panel ports: a content script's
      // sender URL is the web page's. (An undocked DevTools window gives its pages a sender.tab.)
      const tabId = Number(port.name.slice(PORT_PANEL_PREFIX.length));
      if (!port.sender.url?.startsWith(this.extensionOrigin) || !Number.isInteger(tabId) || tabId < 0) {
        return this.refuse(port);
      }
      return this.connectPanel(tabId, port);
    }
    this.refuse(port);
  }

  private refuse(port: RouterPort): void {
    this.rejectedUnknown++;
    port.disconnect();
  }

  private tab(tabId: number): TabState {
    let t = this.tabs.get(tabId);
    if (!t) {
      t = { content: null, panels: new Set(), pageRejected: 0, workerRejected: 0, reason: '' };
      this.tabs.set(tabId, t);
    }
    return t;
  }

  private connectContent(tabId: number, port: RouterPort): void {
    const t = this.tab(tabId);
    if (t.content && t.content !== port) safePost(t.content, null); // superseded (new document)
    t.content = port;
    // A new document counts its own rejections from zero.
    t.pageRejected = 0;
    port.onMessage.addListener((raw) => {
      const r = parse(contentToWorkerSchema, raw);
      if (!r.ok) {
        t.workerRejected++;
        t.reason = `from content script: ${r.reason}`;
        return this.toPanels(tabId, this.rejectedMessage(t));
      }
      const msg = r.value;
      if (msg.kind === 'rejected') {
        t.pageRejected = msg.total;
        t.reason = msg.reason;
        return this.toPanels(tabId, this.rejectedMessage(t));
      }
      this.toPanels(tabId, msg.kind === 'page' ? { kind: 'page', msg: msg.msg } : { kind: 'absent' });
    });
    port.onDisconnect.addListener(() => {
      if (t.content !== port) return;
      t.content = null;
      this.toPanels(tabId, { kind: 'tab', connected: false });
      // Navigation: the next document's content script connects only when asked (or when its
      // page runs Homeostat), so ask it while a panel is watching, as it loads.
      if (t.panels.size > 0) this.wakeUntilConnected(tabId);
      this.drop(tabId);
    });
    this.toPanels(tabId, { kind: 'tab', connected: true });
    this.toPanels(tabId, this.rejectedMessage(t));
    this.toContent(tabId, { type: t.panels.size > 0 ? 'subscribe' : 'unsubscribe' });
  }

  private connectPanel(tabId: number, port: RouterPort): void {
    const t = this.tab(tabId);
    t.panels.add(port);
    port.onMessage.addListener((raw) => {
      const r = parse(panelToWorkerSchema, raw);
      if (!r.ok) {
        t.workerRejected++;
        t.reason = `from panel: ${r.reason}`;
        return this.toPanels(tabId, this.rejectedMessage(t));
      }
      this.toContent(tabId, r.value.request);
    });
    port.onDisconnect.addListener(() => {
      t.panels.delete(port);
      if (t.panels.size === 0) this.toContent(tabId, { type: 'unsubscribe' });
      this.drop(tabId);
    });
    safePost(port, { kind: 'tab', connected: t.content !== null } satisfies WorkerToPanel);
    if (t.pageRejected + t.workerRejected > 0) safePost(port, this.rejectedMessage(t));
    if (t.content) this.toContent(tabId, { type: 'subscribe' });
    else this.wake(tabId);
  }

  private wakeUntilConnected(tabId: number): void {
    for (const delay of [300, 1000, 2500, 5000]) {
      setTimeout(() => {
        const t = this.tabs.get(tabId);
        if (t && !t.content && t.panels.size > 0) this.wake(tabId);
      }, delay);
    }
  }

  private rejectedMessage(t: TabState): WorkerToPanel {
    return { kind: 'rejected', page: t.pageRejected, worker: t.workerRejected, reason: t.reason };
  }

  private toPanels(tabId: number, msg: WorkerToPanel): void {
    for (const p of this.tabs.get(tabId)?.panels ?? []) safePost(p, msg);
  }

  private toContent(tabId: number, msg: WorkerToContent): void {
    const c = this.tabs.get(tabId)?.content;
    if (c) safePost(c, msg);
  }

  private drop(tabId: number): void {
    const t = this.tabs.get(tabId);
    if (t && !t.content && t.panels.size === 0) this.tabs.delete(tabId);
  }

  /** For tests and diagnostics: tabs with a content script and how many panels each. */
  describe(): Array<{ tabId: number; content: boolean; panels: number }> {
    return [...this.tabs].map(([tabId, t]) => ({ tabId, content: t.content !== null, panels: t.panels.size }));
  }
}

/** Posting on a port whose other end went away throws; a null message just disconnects it. */
function safePost(port: RouterPort, msg: unknown): void {
  try {
    if (msg === null) port.disconnect();
    else port.postMessage(msg);
  } catch {
    // The other end is gone; its onDisconnect cleans up.
  }
}
