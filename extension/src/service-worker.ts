/// <reference types="chrome" />
/**
 * The extension's MV3 service worker: routes bridge messages per tab. Listeners are registered
 * synchronously at the top level, so a worker Chrome restarts for a port connection sees it.
 */
import { WAKE } from '../../src/bridge/protocol.ts';
import { Router } from './router.ts';

// Waking a tab needs no "tabs" permission: sendMessage to a tab id reaches our own content script.
const wake = (tabId: number) => void chrome.tabs.sendMessage(tabId, { kind: WAKE }).catch(() => undefined);
const router = new Router(chrome.runtime.id, chrome.runtime.getURL(''), wake);
chrome.runtime.onConnect.addListener((port) => router.connect(port));
