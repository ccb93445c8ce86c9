/** Where the data comes from, and plainly when there is none: no extension link, no wrapper. */
import { useLive } from '../context.tsx';
import { int } from '../format.ts';

export function StatusBar() {
  const link = useLive((s) => s.link);
  const connects = useLive((s) => s.connects);
  const tab = useLive((s) => s.tab);
  const page = useLive((s) => s.page);
  const session = useLive((s) => s.session);
  const total = useLive((s) => s.totalCalls);
  const rate = useLive((s) => s.rate);
  const dropped = useLive((s) => s.dropped);
  const ticks = useLive((s) => s.ticks);
  const rejected = useLive((s) => s.rejected);
  const nRejected = rejected.page + rejected.worker;

  let state: string;
  if (link !== 'connected') state = 'Connecting to the extension…';
  else if (tab === false) state = 'Waiting for the page (loading or reloading)…';
  else if (page === 'absent') state = 'This page has no Homeostat wrapper: nothing to show. Add homeostat to the app (see the README) and reload.';
  else if (page === 'unknown') state = 'Looking for Homeostat on the page…';
  else state = `${session?.app ?? 'app'} · ${session?.url ?? ''}`;

  return (
    <footer className="statusbar">
      <span data-testid="page-state" data-connects={connects} data-state={link !== 'connected' ? 'connecting' : tab === false ? 'waiting' : page}>
        {state}
      </span>
      {session && page === 'present' && (
        <span className="muted" data-testid="stream" data-total={total} data-ticks={ticks} data-rate={Math.round(rate)}>
          session {session.id.slice(0, 8)} · {session.transport}/{session.storage} · {int(total)} calls · {int(Math.round(rate))}/s
          {dropped > 0 ? ` · ${int(dropped)} dropped in page` : ''}
        </span>
      )}
      <span data-testid="rejected" data-count={nRejected} className={nRejected > 0 ? 'bad' : 'muted'} title={rejected.reason}>
        {nRejected} rejected message{nRejected === 1 ? '' : 's'}
        {nRejected > 0 ? `: ${rejected.reason}` : ''}
      </span>
    </footer>
  );
}
