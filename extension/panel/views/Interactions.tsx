/**
 * Who cost what, per interaction: each handler's own work and the React render + commit its
 * updates forced into the same task, ranked culprit first, next to what every handler of the
 * interaction shared (the input's latency, the longest frame). The answer React Profiler users
 * look for when four handlers all show the same 399 ms.
 */
import { useMemo, useState } from 'react';
import { METRICS } from '../../../src/core/metrics.ts';
import type { SpecFile } from '../../../src/core/spec.ts';
import { recentInteractions, type InteractionCost } from '../attribution.ts';
import { useLive } from '../context.tsx';
import { ms, pct } from '../format.ts';
import { useThrottled } from '../throttle.ts';
import { SourceLink } from './SourceLink.tsx';

export function Interactions({ spec }: { spec: SpecFile | null }) {
  // Recomputed at most twice a second under load: the ranking of finished interactions does not change.
  const calls = useThrottled(useLive((s) => s.calls), 500);
  const select = useLive((s) => s.select);
  const interactions = useMemo(() => recentInteractions(calls, 20), [calls]);
  const [open, setOpen] = useState<number | null>(null);
  if (calls.length === 0) return <p className="empty">No calls yet: interact with the page.</p>;
  const shown = interactions.find((i) => i.sequence === open) ?? interactions[0]!;
  return (
    <section aria-label="Interactions" className="interactions">
      <ol
        className="interaction-list"
        aria-label="Recent interactions"
        onKeyDown={(e) => {
          // Up and down walk the interactions, as the Profiler's commit list does.
          if (e.key !== 'ArrowDown' && e.key !== 'ArrowUp') return;
          e.preventDefault();
          const i = interactions.indexOf(shown);
          const next = interactions[Math.min(interactions.length - 1, Math.max(0, i + (e.key === 'ArrowDown' ? 1 : -1)))]!;
          setOpen(next.sequence);
          (e.currentTarget.querySelector(`[data-sequence-id="${next.sequence}"]`) as HTMLElement | null)?.focus();
        }}
      >
        {interactions.map((i) => (
          <li key={i.sequence}>
            <button type="button" data-sequence-id={i.sequence} aria-current={i === shown} onClick={() => setOpen(i.sequence)}>
              <span>{i.trigger}</span>
              <span className="muted">
                {(i.start / 1000).toFixed(2)} s · {i.interactionMs === null ? `${ms(i.totalCausedMs)} caused` : `${ms(i.interactionMs)} felt`}
              </span>
            </button>
          </li>
        ))}
      </ol>
      <Ranked cost={shown} spec={spec} onPick={select} />
    </section>
  );
}

function Ranked({ cost, spec, onPick }: { cost: InteractionCost; spec: SpecFile | null; onPick: (h: string) => void }) {
  const top = cost.calls[0]?.causedMs ?? 0;
  return (
    <article className="ranked" data-interaction={cost.sequence}>
      <header>
        <strong>{cost.trigger}</strong>
        <span className="muted">
          {' '}
          shared by every handler below: interaction {cost.interactionMs === null ? '—' : ms(cost.interactionMs)} · result{' '}
          {cost.resultMs === null ? '—' : ms(cost.resultMs)} · longest frame {cost.longestFrameMs === null ? '—' : ms(cost.longestFrameMs)}
          {cost.styleLayoutMs ? ` (style & layout ${ms(cost.styleLayoutMs)})` : ''}
        </span>
      </header>
      <table className="grid" aria-label="Cost by handler">
        <thead>
          <tr>
            <th>#</th>
            <th>Handler</th>
            <th title="Its own work plus the React work its updates caused in the same task: the rank">Caused</th>
            <th title="Synchronous duration of the call minus the instrumented calls nested in it">Own work</th>
            <th title="Synchronous React render + commit its updates forced after the handler returned (shared with the handlers flushed in the same commit)">React render/commit</th>
            <th title="React's own render time of those commits (Profiler actualDuration), where the build reports it: development and react-dom/profiling">React render (Profiler)</th>
            <th title="React commits its updates caused">Commits</th>
            <th>Share</th>
            <th>React ran it as</th>
            <th>Source</th>
          </tr>
        </thead>
        <tbody>
          {cost.calls.map((x, i) => (
            <tr key={x.id} data-call={x.id} data-cost-handler={x.handler} data-caused={x.causedMs} className="clickable" onClick={() => onPick(x.handler)}>
              <td>{i + 1}</td>
              <td data-col="handler">{x.handler}</td>
              <td data-col="caused">
                <span className="costbar" style={{ width: `${top > 0 ? Math.max(2, (x.causedMs / top) * 100) : 0}%` }} />
                {ms(x.causedMs)}
              </td>
              <td data-col="own">{ms(x.ownMs)}</td>
              <td data-col="react" title={x.sharedWith.length > 0 ? `the same commit as ${x.sharedWith.join(', ')}` : undefined}>
                {x.reactMs > 0 ? ms(x.reactMs) : '—'}
                {x.sharedWith.length > 0 ? <span className="muted"> shared with {x.sharedWith.join(', ')}</span> : null}
              </td>
              <td data-col="render">{x.renderMs === null ? '—' : ms(x.renderMs)}</td>
              <td data-col="commits">{x.commits}</td>
              <td data-col="share">{pct(x.share)}</td>
              <td className={x.mode === 'transition' ? 'good' : x.mode === 'blocking' ? 'warn' : ''}>{x.mode}</td>
              <td onClick={(e) => e.stopPropagation()}>
                <SourceLink handler={x.handler} spec={spec} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </article>
  );
}
