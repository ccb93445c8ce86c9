/**
 * The content script's bridge (isolated world): page `window.postMessage` ⇄ a runtime port to
 * the service worker. It is the first gate for what the page sends: only messages from this
 * very window, carrying our channel tag, valid against the protocol and, for responses,
 * answering a request the extension made. Everything else with our tag is refused and counted.
 */
import {
  CHANNEL,
  PORT_CONTENT,
  claimsChannel,
  envelopeSchema,
  pageMessageSchema,
  parse,
  workerToContentSchema,
  type ContentToWorker,
  type ExtensionMessage,
} from '../../src/bridge/protocol.ts';

/** The subset of `chrome.runtime.Port` the bridge uses (so tests can fake it). */
export interface PortLike {
  postMessage(msg: unknown): void;
  disconnect(): void;
  onMessage: { addListener(fn: (msg: unknown) => void): void };
  onDisconnect: { addListener(fn: () => void): void };
}

export interface ContentBridgeOptions {
  win: Window;
  connect: (name: string) => PortLike;
  /** How long the page may stay silent after a subscribe before it is reported as having no wrapper. */
  absentAfterMs?: number;
}

export interface ContentBridge {
  /** Page messages refused so far. */
  rejected(): number;
  /** Connects to the service worker now (a panel opened for this tab). */
  wake(): void;
  stop(): void;
}

export function startContentBridge(options: ContentBridgeOptions): ContentBridge {
  const { win } = options;
  const absentAfterMs = options.absentAfterMs ?? 3000;
  let port: PortLike | null = null;
  let stopped = false;
  let subscribed = false;
  let wrapper: 'unknown' | 'present' | 'absent' = 'unknown';
  let rejected = 0;
  let lastReason = '';
  let rejectTimer: ReturnType<typeof setTimeout> | null = null;
  let helloTimer: ReturnType<typeof setInterval> | null = null;
  let helloSince = 0;
  const pending = new Set<number>();

  /** Posting on a port the service worker dropped throws: guard every send. */
  const send = (msg: ContentToWorker) => {
    try {
      port?.postMessage(msg);
    } catch {
      port = null;
    }
  };

  const toPage = (msg: ExtensionMessage) => {
    const origin = win.location.origin;
    win.postMessage({ channel: CHANNEL, from: 'extension', msg }, origin === 'null' ? '*' : origin);
  };

  const reject = (reason: string) => {
    rejected++;
    lastReason = reason;
    // Coalesced: a page flooding bad messages costs one port message per 250 ms.
    rejectTimer ??= setTimeout(() => {
      rejectTimer = null;
      send({ kind: 'rejected', total: rejected, reason: lastReason });
    }, 250);
  };

  // Repeats the subscribe until the page answers (start-up races), and renews its lease.
  const startHello = () => {
    helloSince = Date.now();
    if (helloTimer !== null) return;
    toPage({ type: 'subscribe' });
    helloTimer = setInterval(() => {
      if (!subscribed) return;
      toPage({ type: 'subscribe' });
      if (wrapper !== 'present' && Date.now() - helloSince > absentAfterMs && wrapper !== 'absent') {
        wrapper = 'absent';
        send({ kind: 'absent' });
      }
    }, 500);
  };
  const stopHello = () => {
    if (helloTimer !== null) clearInterval(helloTimer);
    helloTimer = null;
  };

  const onWorker = (raw: unknown) => {
    const r = parse(workerToContentSchema, raw);
    if (!r.ok) return;
    const msg = r.value;
    if (msg.type === 'subscribe') {
      subscribed = true;
      if (wrapper === 'absent') send({ kind: 'absent' });
      startHello();
    } else if (msg.type === 'unsubscribe') {
      subscribed = false;
      stopHello();
      toPage(msg);
    } else {
      pending.add(msg.id);
      toPage(msg);
    }
  };

  let connecting = false;
  const connect = () => {
    connecting = false;
    if (stopped) return;
    try {
      const p = options.connect(PORT_CONTENT);
      port = p;
      p.onMessage.addListener(onWorker);
      p.onDisconnect.addListener(() => {
        if (port === p) port = null;
        // The MV3 service worker was stopped (idle) or restarted: reconnect, which wakes it.
        connecting = true;
        setTimeout(connect, 200);
      });
      if (rejected > 0) send({ kind: 'rejected', total: rejected, reason: lastReason });
    } catch {
      // The extension was reloaded or removed: this content script is orphaned; stay quiet.
      stopped = true;
    }
  };

  // Lazy: a port only for pages that run Homeostat or that a panel inspects, so ordinary tabs
  // never wake the service worker. Once connected, stay connected (reconnect when it restarts).
  const ensureConnected = () => {
    if (port === null && !connecting) connect();
  };

  const onWindow = (event: MessageEvent) => {
    if (!claimsChannel(event.data)) return;
    const env = parse(envelopeSchema, event.data);
    if (!env.ok) return reject(`bad envelope (${env.reason})`);
    if (env.value.from === 'extension') return; // our own messages to the page
    if (event.source !== win) return reject('message from another window or frame');
    const r = parse(pageMessageSchema, env.value.msg);
    if (!r.ok) return reject(`invalid page message (${r.reason})`);
    const msg = r.value;
    if (msg.type === 'response') {
      if (!pending.delete(msg.id)) return reject(`unsolicited response ${msg.id}`);
    } else {
      if (msg.type === 'ready') {
        wrapper = 'present';
        ensureConnected();
      }
      if (!subscribed) return; // nobody is looking: do not wake the service worker
    }
    send({ kind: 'page', msg });
  };

  win.addEventListener('message', onWindow);
  return {
    rejected: () => rejected,
    wake: ensureConnected,
    stop() {
      stopped = true;
      stopHello();
      win.removeEventListener('message', onWindow);
      port?.disconnect();
    },
  };
}
