/// <reference types="chrome" />
/** Content script entry (isolated world, top frame, document_start): starts the bridge. */
import { startContentBridge } from './content-bridge.ts';

startContentBridge({ win: window, connect: (name) => chrome.runtime.connect({ name }) });
