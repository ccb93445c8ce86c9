/** One row per handler: docs (budget, baseline) next to live numbers, sortable and filterable. */
import { useMemo, useState } from 'react';
import type { HandlerAggregate } from '../../../src/core/aggregate.ts';
import { FROZEN_FRAME_MS, METRICS } from '../../../src/core/metrics.ts';
import type { SpecFile } from '../../../src/core/spec.ts';
import { formatBudget } from '../../../src/core/spec.ts';
import { useLive } from '../context.tsx';
import { int, ms, pct } from '../format.ts';
import { standing, VERDICT_LABEL, type Standing, type Verdict } from '../status.ts';
import { useJudged } from '../judged.ts';
import { FieldCell, FieldHeader } from './FieldCell.tsx';
import { SourceLink } from './SourceLink.tsx';

interface Row {
  h: HandlerAggregate;
  s: Standing;
}

type Key = 'handler' | 'status' | 'interaction' | 'result' | 'frame' | 'n' | 'transition' | 'p50' | 'p95' | 'blocking' | 'blockingTotal' | 'errors';

// What the user felt comes first; the handler's own work after it.
const COLUMNS: Array<{ key: Key; label: string; title: string }> = [
  { key: 'handler', label: 'Handler', title: 'Instrumented handler name' },
  { key: 'status', label: 'Status', title: 'Observed against the docs' },
  { key: 'interaction', label: 'Interaction p95', title: METRICS.interaction.description },
  { key: 'result', label: 'Result p95', title: METRICS.result.description },
  { key: 'frame', label: 'Longest frame p95', title: METRICS.longestFrame.description },
  { key: 'n', label: 'n', title: 'Calls recorded in this session' },
  { key: 'transition', label: 'Transition', title: 'Share of React-updating calls whose updates were transitions' },
  { key: 'p50', label: 'Own p50', title: 'Median synchronous duration of the call itself (its own work, not what the user felt)' },
  { key: 'p95', label: 'Own p95', title: '95th percentile synchronous duration of the call itself' },
  { key: 'blocking', label: 'Blocking p95', title: METRICS.blocking.description },
  { key: 'blockingTotal', label: 'Blocking total', title: 'Sum of blocking time' },
  { key: 'errors', label: 'Errors', title: 'Calls that threw or rejected' },
];

/** p95 of a felt metric, or -1 (sorts last) when the handler has no samples of it. */
const p95 = (s: { p95: number } | null) => s?.p95 ?? -1;

const ORDER: Record<Verdict, number> = { over: 0, drifting: 1, within: 2, 'too-few': 3, undocumented: 4 };

function sortValue(r: Row, key: Key): number | string {
  switch (key) {
    case 'handler':
      return r.h.handler;
    case 'status':
      return ORDER[r.s.verdict];
    case 'interaction':
      return p95(r.h.interaction);
    case 'result':
      return p95(r.h.result);
    case 'frame':
      return p95(r.h.longestFrame);
    case 'p50':
      return r.h.duration.p50;
    case 'p95':
      return r.h.duration.p95;
    case 'n':
      return r.h.count;
    case 'transition':
      return r.h.transitionShare ?? -1;
    case 'blocking':
      return r.h.blocking.p95;
    case 'blockingTotal':
      return r.h.blockingTotalMs;
    case 'errors':
      return r.h.errors;
  }
}

export function HandlersTable({ spec }: { spec: SpecFile | null }) {
  const handlers = useLive((s) => s.snapshot?.handlers);
  const select = useLive((s) => s.select);
  const judged = useJudged(spec);
  const [filter, setFilter] = useState('');
  const [only, setOnly] = useState<Verdict | 'all'>('all');
  // The culprit first: what the handler's own work and the React work it caused blocked. Every
  // handler of one interaction shares its latency, so sorting by that ranks bystanders first.
  const [sort, setSort] = useState<{ key: Key; desc: boolean }>({ key: 'blocking', desc: true });

  const rows = useMemo(() => {
    const needle = filter.trim().toLowerCase();
    const out: Row[] = (handlers ?? [])
      .map((h) => ({ h, s: standing(h, spec, judged?.get(h.handler)) }))
      .filter((r) => (needle === '' || r.h.handler.toLowerCase().includes(needle)) && (only === 'all' || r.s.verdict === only));
    out.sort((a, b) => {
      const x = sortValue(a, sort.key);
      const y = sortValue(b, sort.key);
      const c = typeof x === 'string' ? x.localeCompare(String(y)) : x - (y as number);
      if (c !== 0) return sort.desc ? -c : c;
      // Ties (handlers of one interaction share its latency): the one that blocked longer first.
      return b.h.blocking.p95 - a.h.blocking.p95 || a.h.handler.localeCompare(b.h.handler);
    });
    return out;
  }, [handlers, spec, judged, filter, only, sort]);

  if (!handlers) return <p className="empty">Waiting for data from the page…</p>;

  return (
    <section aria-label="Handlers">
      <div className="toolbar">
        <input aria-label="Filter handlers" placeholder="Filter handlers" value={filter} onChange={(e) => setFilter(e.target.value)} />
        <select aria-label="Status filter" value={only} onChange={(e) => setOnly(e.target.value as Verdict | 'all')}>
          <option value="all">all statuses</option>
          {(Object.keys(VERDICT_LABEL) as Verdict[]).map((v) => (
            <option key={v} value={v}>
              {VERDICT_LABEL[v]}
            </option>
          ))}
        </select>
        <span className="muted">
          {rows.length} of {handlers.length} handlers
        </span>
      </div>
      <table className="grid handlers">
        <thead>
          <tr>
            {COLUMNS.slice(0, 2).map((c) => header(c, sort, setSort))}
            <th title="Documented budget">Budget</th>
            <th title="Documented baseline for the budget's metric">Baseline</th>
            <FieldHeader />
            {COLUMNS.slice(2).map((c) => header(c, sort, setSort))}
            <th title="Where the handler is defined (opens Sources)">Source</th>
          </tr>
        </thead>
        <tbody>
          {rows.map(({ h, s }) => {
            const budget = spec?.handlers[h.handler]?.budget ?? null;
            return (
              <tr
                key={h.handler}
                data-handler={h.handler}
                onClick={() => select(h.handler)}
                tabIndex={0}
                onKeyDown={(e) => {
                  if (e.target === e.currentTarget && (e.key === 'Enter' || e.key === ' ')) {
                    e.preventDefault();
                    select(h.handler);
                  }
                }}
                className="clickable"
              >
                <td data-col="handler">{h.handler}</td>
                <td data-col="status">
                  <span className={`badge ${s.verdict}`}>{VERDICT_LABEL[s.verdict]}</span>
                </td>
                <td data-col="budget">{budget ? formatBudget(budget) : '—'}</td>
                <td data-col="baseline">{s.baselineMs === null ? '—' : `${s.stat} ${METRICS[s.metric].label} ${ms(s.baselineMs)}`}</td>
                <FieldCell doc={spec?.handlers[h.handler]} metric={s.metric} />
                <td data-col="interaction" data-value={h.interaction?.p95 ?? ''}>{h.interaction ? ms(h.interaction.p95) : '—'}</td>
                <td data-col="result" data-value={h.result?.p95 ?? ''}>{h.result ? ms(h.result.p95) : '—'}</td>
                <td data-col="frame" data-value={h.longestFrame?.p95 ?? ''} className={(h.longestFrame?.p95 ?? 0) >= FROZEN_FRAME_MS ? 'bad' : ''}>
                  {h.longestFrame ? ms(h.longestFrame.p95) : '—'}
                </td>
                <td data-col="n" data-value={h.count}>{int(h.count)}</td>
                <td data-col="transition" data-value={h.transitionShare ?? ''}>{pct(h.transitionShare)}</td>
                <td data-col="p50" data-value={h.duration.p50}>{ms(h.duration.p50)}</td>
                <td data-col="p95" data-value={h.duration.p95}>{ms(h.duration.p95)}</td>
                <td data-col="blocking" data-value={h.blocking.p95}>{ms(h.blocking.p95)}</td>
                <td data-col="blockingTotal" data-value={h.blockingTotalMs}>{ms(h.blockingTotalMs)}</td>
                <td data-col="errors" data-value={h.errors} className={h.errors > 0 ? 'bad' : ''}>{int(h.errors)}</td>
                <td data-col="source" onClick={(e) => e.stopPropagation()}>
                  <SourceLink handler={h.handler} spec={spec} />
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </section>
  );
}

function header(
  c: { key: Key; label: string; title: string },
  sort: { key: Key; desc: boolean },
  setSort: (s: { key: Key; desc: boolean }) => void,
) {
  const active = sort.key === c.key;
  return (
    <th key={c.key} title={c.title} aria-sort={active ? (sort.desc ? 'descending' : 'ascending') : 'none'}>
      <button type="button" onClick={() => setSort({ key: c.key, desc: active ? !sort.desc : c.key !== 'handler' && c.key !== 'status' })}>
        {c.label}
        {active ? (sort.desc ? ' ▾' : ' ▴') : ''}
      </button>
    </th>
  );
}
