/**
 * Where the data comes from, and plainly when there is none: no extension link, no wrapper. And
 * what Homeostat costs the inspected page: the bridge agent's own main-thread time (measured in
 * the page, per second), and the recording wrappers' bound (calls/s × the ≤ 500 ns per call
 * `npm run bench` holds them to; the hot path is not timed, timing it would cost as much again).
 */
import { useLive } from '../context.tsx';
import { int } from '../format.ts';

/** Per-call cost of the recording wrappers that `npm run bench` holds them under. */
export const WRAPPER_NS_BOUND = 500;

export function StatusBar() {
  const link = useLive((s) => s.link);
  const connects = useLive((s) => s.connects);
  const tab = useLive((s) => s.tab);
  const page = useLive((s) => s.page);
  const session = useLive((s) => s.session);
  const total = useLive((s) => s.totalCalls);
  const rate = useLive((s) => s.rate);
  const bridgeMsPerS = useLive((s) => s.bridgeMsPerS);
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
      {session && page === 'present' && (
        <span
          className="muted"
          data-testid="overhead"
          data-bridge={bridgeMsPerS.toFixed(3)}
          title={`Main-thread time Homeostat costs this page per second: the DevTools bridge (measured) and the recording wrappers (at most ${WRAPPER_NS_BOUND} ns per call, npm run bench)`}
        >
          overhead: bridge {bridgeMsPerS.toFixed(2)} ms/s · recording ≤ {((rate * WRAPPER_NS_BOUND) / 1e6).toFixed(2)} ms/s ({(((bridgeMsPerS + (rate * WRAPPER_NS_BOUND) / 1e6) / 1000) * 100).toFixed(2)}% of main thread)
        </span>
      )}
      <span data-testid="rejected" data-count={nRejected} className={nRejected > 0 ? 'bad' : 'muted'} title={rejected.reason}>
        {nRejected} rejected message{nRejected === 1 ? '' : 's'}
        {nRejected > 0 ? `: ${rejected.reason}` : ''}
      </span>
    </footer>
  );
}
