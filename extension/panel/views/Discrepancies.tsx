/**
 * Discrepancies between the docs and what runs, and suggested fixes. The statistics and the
 * suggestion engine come with later issues; until then this lists handlers whose observed point
 * estimate is over budget or outside the baseline's tolerance.
 */
import type { SpecFile } from '../../../src/core/spec.ts';
import { useLive } from '../context.tsx';
import { ms } from '../format.ts';
import { standing, VERDICT_LABEL } from '../status.ts';

export function Discrepancies({ spec }: { spec: SpecFile | null }) {
  const handlers = useLive((s) => s.snapshot?.handlers ?? []);
  const found = handlers.map((h) => ({ h, s: standing(h, spec) })).filter((r) => r.s.verdict === 'over' || r.s.verdict === 'drifting');
  return (
    <section aria-label="Discrepancies">
      <h3>Discrepancies</h3>
      {spec === null ? (
        <p className="empty">This page exposes no docs (spec) yet: nothing to compare against. Generate docs with the docs tool and pass them to the wrapper.</p>
      ) : found.length === 0 ? (
        <p className="empty">No discrepancies: every documented handler is within its docs.</p>
      ) : (
        <ul>
          {found.map(({ h, s }) => (
            <li key={h.handler} data-discrepancy={h.handler}>
              <span className={`badge ${s.verdict}`}>{VERDICT_LABEL[s.verdict]}</span> <strong>{h.handler}</strong>: {s.stat} {s.metric}{' '}
              {ms(s.observedMs)}
              {s.budgetMs !== null ? ` (budget ${ms(s.budgetMs)})` : ''}
              {s.baselineMs !== null ? ` (baseline ${ms(s.baselineMs)})` : ''}
            </li>
          ))}
        </ul>
      )}
      <h3>Suggestions</h3>
      <p className="empty">No suggestions yet.</p>
    </section>
  );
}
