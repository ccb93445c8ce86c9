/// <reference types="chrome" />
/** The DevTools page: creates the "Homeostat" panel and adds Homeostat's export to the Recorder panel. */
import { registerRecorderExport } from './recorder.ts';

chrome.devtools.panels.create('Homeostat', '', 'panel.html');
registerRecorderExport(chrome.devtools.recorder);
