/// <reference types="chrome" />
/** The DevTools page: its only job is to create the "Homeostat" panel. */
chrome.devtools.panels.create('Homeostat', '', 'panel.html');
