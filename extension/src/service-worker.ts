/// <reference types="chrome" />
/**
 * The extension's MV3 service worker: routes bridge messages per tab. Listeners are registered
 * synchronously at the top level, so a worker Chrome restarts for a port connection sees it.
 */
import { Router } from './router.ts';

const router = new Router(chrome.runtime.id, chrome.runtime.getURL(''));
chrome.runtime.onConnect.addListener((port) => router.connect(port));
