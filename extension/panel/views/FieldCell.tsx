/** The field baseline beside the live numbers: what real users' sessions gave, with where it came from. */
import type { HandlerMetric, HandlerSpec } from '../../../src/core/spec.ts';
import { ms } from '../format.ts';

export function FieldHeader() {
  return <th title="p95 of the same metric in the field baseline (homeostat docs --field): real users' sessions">Field p95</th>;
}

/** `metric`: the one the row's budget (else blocking) is measured on. */
export function FieldCell({ doc, metric }: { doc: HandlerSpec | undefined; metric: HandlerMetric }) {
  const field = doc?.field ?? null;
  const s = field?.metrics[metric];
  if (!field || !s) return <td data-col="field">—</td>;
  const src = field.source;
  const title = [
    `${metric} p50 ${ms(s.p50)}, p95 ${ms(s.p95)}, p99 ${ms(s.p99)} over ${field.n} calls`,
    src?.sessions !== undefined ? `${src.sessions} sessions` : null,
    src?.store ? `from ${src.store}` : null,
    src?.from ? `${src.from.slice(0, 10)} to ${(src.to ?? src.from).slice(0, 10)}` : null,
    src?.relativeAccuracy !== undefined ? `±${(src.relativeAccuracy * 100).toFixed(1)}%` : null,
  ]
    .filter(Boolean)
    .join(' · ');
  return (
    <td data-col="field" data-value={s.p95} title={title}>
      {ms(s.p95)}
    </td>
  );
}
