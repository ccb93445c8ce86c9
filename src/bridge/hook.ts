/**
 * The page's side of the DevTools bridge until a panel asks: it announces the wrapper to a
 * listening content script and waits. The agent (and its validation) loads on the first message
 * that claims to come from the extension, which then gets every message that arrived meanwhile.
 * Pages nobody inspects never load it.
 */
import type { SpecFile } from '../core/spec.ts';
import { sessionInfo, type BridgeClient } from './client.ts';
import { CHANNEL } from './limits.ts';

/** Starts listening on `window`; does nothing outside a browser. */
export function hookBridge(client: BridgeClient, spec: () => SpecFile | null): void {
  if (typeof window === 'undefined' || typeof window.addEventListener !== 'function') return;
  let waiting: MessageEvent[] | null = null;
  const onMessage = (event: MessageEvent) => {
    const d = event.data as { channel?: unknown; from?: unknown } | null;
    // Cheap checks only: the agent validates everything it handles.
    if (event.source !== window || typeof d !== 'object' || d === null || d.channel !== CHANNEL || d.from !== 'extension') return;
    if (waiting) {
      waiting.push(event);
      return;
    }
    waiting = [event];
    import('./agent.ts').then(
      (m) => {
        window.removeEventListener('message', onMessage);
        m.startAgent(client, { get spec() { return spec(); } }, waiting ?? []);
        waiting = null;
      },
      // Not loaded (offline, a CSP): no panel this time; the next request tries again.
      () => void (waiting = null),
    );
  };
  window.addEventListener('message', onMessage);
  try {
    // A content script already listening learns the page runs Homeostat.
    const origin = window.location.origin;
    window.postMessage({ channel: CHANNEL, from: 'page', msg: { type: 'ready', session: sessionInfo(client.status().session) } }, origin === 'null' ? '*' : origin);
  } catch {
    // No announcement: the panel still finds the page when it asks.
  }
}
