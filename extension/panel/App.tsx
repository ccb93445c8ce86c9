/** The panel: tabs over the views, session controls on top, status at the bottom. */
import { useQuery } from '@tanstack/react-query';
import { usePanelContext, useLive } from './context.tsx';
import type { View } from './store.ts';
import { Commits } from './views/Commits.tsx';
import { Discrepancies } from './views/Discrepancies.tsx';
import { HandlerDetail } from './views/HandlerDetail.tsx';
import { HandlersTable } from './views/HandlersTable.tsx';
import { Interactions } from './views/Interactions.tsx';
import { Replays } from './views/Replays.tsx';
import { Sequences } from './views/Sequences.tsx';
import { SessionControls } from './views/SessionControls.tsx';
import { StatusBar } from './views/StatusBar.tsx';

const TABS: Array<{ view: View; label: string }> = [
  { view: 'handlers', label: 'Handlers' },
  { view: 'interactions', label: 'Interactions' },
  { view: 'commits', label: 'Commits' },
  { view: 'detail', label: 'Handler detail' },
  { view: 'sequences', label: 'Sequences' },
  { view: 'discrepancies', label: 'Discrepancies & suggestions' },
  { view: 'replays', label: 'Recorder replays' },
];

export function App() {
  const { bridge, store } = usePanelContext();
  const view = useLive((s) => s.view);
  const setView = useLive((s) => s.setView);
  const sessionId = useLive((s) => (s.page === 'present' ? (s.session?.id ?? null) : null));
  const link = useLive((s) => s.link);

  // Backfill: whenever a page session appears (panel opened late, reload, reconnect), ask for a snapshot.
  useQuery({
    queryKey: ['snapshot', sessionId, link],
    queryFn: () => bridge.request({ op: 'snapshot' }),
    enabled: sessionId !== null && link === 'connected',
    staleTime: Infinity,
    retry: 2,
  });
  const spec = useQuery({
    queryKey: ['spec', sessionId],
    queryFn: async () => {
      const r = await bridge.request({ op: 'spec' });
      if (r.op !== 'spec') return null;
      store.getState().setSources(r.sources ?? {});
      return r.spec;
    },
    enabled: sessionId !== null,
    staleTime: Infinity,
    retry: 2,
  });
  // Docs loaded in the panel (a spec file written by `homeostat docs`) win over the page's.
  const loaded = useLive((s) => s.docs);
  const docs = loaded?.spec ?? spec.data ?? null;

  return (
    <div className="panel">
      <header className="top">
        <strong className="brand">Homeostat</strong>
        <nav
          role="tablist"
          onKeyDown={(e) => {
            // Arrow keys move between tabs, as in DevTools' own tab strips.
            if (e.key !== 'ArrowRight' && e.key !== 'ArrowLeft') return;
            const i = TABS.findIndex((t) => t.view === view);
            const next = TABS[(i + (e.key === 'ArrowRight' ? 1 : TABS.length - 1)) % TABS.length]!;
            setView(next.view);
            (e.currentTarget.querySelector(`[data-view="${next.view}"]`) as HTMLElement | null)?.focus();
          }}
        >
          {TABS.map((t) => (
            <button key={t.view} role="tab" type="button" data-view={t.view} aria-selected={view === t.view} tabIndex={view === t.view ? 0 : -1} onClick={() => setView(t.view)}>
              {t.label}
            </button>
          ))}
        </nav>
        <SessionControls />
      </header>
      <main>
        {view === 'handlers' && <HandlersTable spec={docs} />}
        {view === 'interactions' && <Interactions spec={docs} />}
        {view === 'commits' && <Commits />}
        {view === 'detail' && <HandlerDetail spec={docs} />}
        {view === 'sequences' && <Sequences />}
        {view === 'discrepancies' && <Discrepancies spec={docs} />}
        {view === 'replays' && <Replays />}
      </main>
      <StatusBar />
    </div>
  );
}
