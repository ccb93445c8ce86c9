/** What the views share: the live store and the bridge to the page. */
import { createContext, useContext } from 'react';
import type { Bridge } from './connection.ts';
import { usePanel, type PanelActions, type PanelState, type PanelStore } from './store.ts';

export interface PanelContextValue {
  store: PanelStore;
  bridge: Bridge;
}

export const PanelContext = createContext<PanelContextValue | null>(null);

export function usePanelContext(): PanelContextValue {
  const v = useContext(PanelContext);
  if (!v) throw new Error('PanelContext missing');
  return v;
}

/** Selects a slice of the live state. */
export function useLive<T>(selector: (s: PanelState & PanelActions) => T): T {
  return usePanel(usePanelContext().store, selector);
}
