/// <reference types="chrome" />
/**
 * The DevTools page: creates the "Homeostat" panel and adds Homeostat's export and replay to the
 * Recorder panel.
 */
import { registerRecorderExport } from './recorder.ts';
import { installReplayHost } from './replay-host.ts';

chrome.devtools.panels.create('Homeostat', '', 'panel.html');
registerRecorderExport(chrome.devtools.recorder);
installReplayHost();
