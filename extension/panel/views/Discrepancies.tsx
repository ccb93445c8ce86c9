/**
 * Discrepancies between the docs and what runs (point estimates against budgets and baselines;
 * `homeostat check` makes the statistical call on exported sessions), and the suggestion
 * engine's diagnoses computed from the live aggregates. Without static analysis in the panel
 * they are advice with evidence; `homeostat heal` turns them into verified fixes.
 */
import { useMemo } from 'react';
import type { SpecFile } from '../../../src/core/spec.ts';
import { describePrediction, diagnose } from '../../../src/core/diagnose.ts';
import { describeRunMetric } from '../../../src/core/run-metrics.ts';
import { useLive } from '../context.tsx';
import { ms } from '../format.ts';
import { standing, VERDICT_LABEL } from '../status.ts';
import { SourceLink } from './SourceLink.tsx';
import { useJudged } from '../judged.ts';

export function Discrepancies({ spec }: { spec: SpecFile | null }) {
  const handlers = useLive((s) => s.snapshot?.handlers ?? []);
  const judged = useJudged(spec);
  const found = handlers.map((h) => ({ h, s: standing(h, spec, judged?.get(h.handler)) })).filter((r) => r.s.verdict === 'over' || r.s.verdict === 'drifting');
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
              {s.baselineMs !== null ? ` (baseline ${ms(s.baselineMs)})` : ''} <SourceLink handler={h.handler} spec={spec} />
            </li>
          ))}
        </ul>
      )}
      <Suggestions spec={spec} />
    </section>
  );
}

function Suggestions({ spec }: { spec: SpecFile | null }) {
  const snapshot = useLive((s) => s.snapshot);
  const found = useMemo(() => (snapshot ? diagnose({ spec, aggregates: snapshot, analysis: [] }) : []), [snapshot, spec]);
  return (
    <>
      <h3>Suggestions</h3>
      {found.length === 0 ? (
        <p className="empty">No suggestions: no rule found evidence of a problem in what ran so far.</p>
      ) : (
        <ul>
          {found.map((d) => (
            <li key={d.id} data-suggestion={d.id}>
              <span className={`badge ${d.severity === 'high' ? 'over' : 'drifting'}`}>{d.severity}</span> <strong>{d.title}</strong>{' '}
              <small>
                ({d.rule}, confidence {Math.round(d.confidence * 100)}%)
              </small>{' '}
              <SourceLink handler={d.handler} spec={spec} />
              <div>{d.rootCause}</div>
              <div>
                <em>Suggested:</em> {d.advice}
              </div>
              {d.impact.predictions.length > 0 && (
                <ul className="predictions" aria-label="Predicted effect">
                  {d.impact.predictions.map((p) => (
                    <li key={describeRunMetric(p.metric)}>{describePrediction(p)}</li>
                  ))}
                </ul>
              )}
            </li>
          ))}
        </ul>
      )}
    </>
  );
}
