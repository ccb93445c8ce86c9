/// <reference types="chrome" />
/**
 * Panel entry. Inside DevTools the inspected tab comes from `chrome.devtools.inspectedWindow`;
 * opened as an ordinary extension page (debugging, tests) it takes `?tabId=`.
 */
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { createRoot } from 'react-dom/client';
import { App } from './App.tsx';
import { connectBridge } from './connection.ts';
import { PanelContext } from './context.tsx';
import { listenForReplays } from './replays.ts';
import { createPanelStore } from './store.ts';

function inspectedTabId(): number {
  const fromDevtools = typeof chrome !== "undefined" ? chrome.devtools?.inspectedWindow?.tabId : undefined;
  if (typeof fromDevtools === 'number') return fromDevtools;
  return Number(new URLSearchParams(location.search).get('tabId') ?? -1);
}

/** DevTools' theme ('default' is light); the panel follows it, and its changes where Chrome reports them. */
function followTheme(): void {
  const panels = typeof chrome !== 'undefined' ? chrome.devtools?.panels : undefined;
  const apply = (name: string | undefined) => (document.documentElement.dataset['theme'] = name === 'default' ? 'light' : 'dark');
  apply(panels?.themeName ?? 'dark');
  (panels as { setThemeChangeHandler?: (cb: (name: string) => void) => void } | undefined)?.setThemeChangeHandler?.(apply);
}
followTheme();

// The store exists before the port does, so nothing that arrives early is lost.
const store = createPanelStore();
const bridge = connectBridge({ tabId: inspectedTabId(), store, connect: (name) => chrome.runtime.connect({ name }) });
// Runs of the Recorder's "Replay with Homeostat" in this DevTools window (none outside DevTools).
if (typeof chrome !== 'undefined' && chrome.devtools && chrome.runtime?.onMessage) listenForReplays(inspectedTabId(), store, chrome.runtime);
const queries = new QueryClient({ defaultOptions: { queries: { refetchOnWindowFocus: false } } });

createRoot(document.getElementById('root')!).render(
  <QueryClientProvider client={queries}>
    <PanelContext.Provider value={{ store, bridge }}>
      <App />
    </PanelContext.Provider>
  </QueryClientProvider>,
);
