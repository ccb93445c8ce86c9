/// <reference types="chrome" />
/** Content script entry (isolated world, top frame, document_start): starts the bridge. */
import { WAKE } from '../../src/bridge/protocol.ts';
import { startContentBridge } from './content-bridge.ts';

const bridge = startContentBridge({ win: window, connect: (name) => chrome.runtime.connect({ name }) });
// The service worker asks for a port when a panel opens on this tab (only it can send this).
chrome.runtime.onMessage.addListener((msg: unknown, sender) => {
  if (sender.id === chrome.runtime.id && (msg as { kind?: unknown } | null)?.kind === WAKE) bridge.wake();
});
