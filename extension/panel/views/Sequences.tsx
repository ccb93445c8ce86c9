/**
 * Each interaction's ordered handlers as a waterfall on a time axis (ms from the sequence start):
 * bars at their median offset, as long as their median duration or blocking, whichever is
 * longer, with a dashed line at the sequence's median end.
 */
import { timeTicks } from '../axis.ts';
import { useLive } from '../context.tsx';
import { int, ms } from '../format.ts';

/** Axis labels: round numbers, so no "0.00 ms". */
const tickLabel = (t: number) => `${Number(t.toPrecision(3))} ms`;

export function Sequences() {
  const sequences = useLive((s) => s.snapshot?.sequences);
  if (!sequences) return <p className="empty">Waiting for data from the page…</p>;
  if (sequences.length === 0) return <p className="empty">No sequences recorded yet: interact with the page.</p>;
  const sorted = [...sequences].sort((a, b) => b.duration.p95 * b.count - a.duration.p95 * a.count);
  return (
    <section aria-label="Sequences">
      {sorted.map((seq) => {
        const variant = seq.variants[0];
        const span = Math.max(
          seq.duration.p50,
          ...(variant?.steps.map((st) => st.offset.p50 + Math.max(st.duration.p50, st.blocking.p50)) ?? [0]),
          0.001,
        );
        const ticks = timeTicks(span);
        const at = (t: number) => `${Math.min((t / span) * 100, 100)}%`;
        return (
          <article key={seq.name} className="sequence" data-sequence={seq.name}>
            <header>
              <strong>{seq.name}</strong>
              <span className="muted">
                {' '}
                n {int(seq.count)} · p50 {ms(seq.duration.p50)} · p95 {ms(seq.duration.p95)}
                {seq.interaction ? ` · interaction p95 ${ms(seq.interaction.p95)}` : ''}
                {seq.variants.length > 1 ? ` · ${seq.variants.length} variants (showing the most common)` : ''}
              </span>
            </header>
            <ol className="waterfall">
              <li className="axis" aria-label="Time since the sequence started" data-span={span}>
                <span className="step-name muted">ms from start</span>
                <span className="track">
                  {ticks.map((t) => (
                    <span key={t} className={`tick${t / span > 0.9 ? ' end-tick' : ''}`} data-tick={t} style={{ left: at(t) }}>
                      {tickLabel(t)}
                    </span>
                  ))}
                </span>
                <span className="step-time muted">+offset · duration · blocking (p50)</span>
              </li>
              {variant?.steps.map((st, i) => {
                const left = (st.offset.p50 / span) * 100;
                const width = Math.max((Math.max(st.duration.p50, st.blocking.p50) / span) * 100, 0.5);
                return (
                  <li key={`${st.handler}-${i}`} data-step={st.handler}>
                    <span className="step-name">{st.handler}</span>
                    <span className="track">
                      {ticks.map((t) => (
                        <span key={t} className="gridline" style={{ left: at(t) }} />
                      ))}
                      <span className="end" style={{ left: at(seq.duration.p50) }} title={`sequence p50 end ${ms(seq.duration.p50)}`} />
                      <span className="bar" style={{ left: `${Math.min(left, 99.5)}%`, width: `${Math.min(width, 100 - Math.min(left, 99.5))}%` }} />
                    </span>
                    <span className="step-time">
                      +{ms(st.offset.p50)} · {ms(st.duration.p50)} · blocking {ms(st.blocking.p50)}
                    </span>
                  </li>
                );
              })}
            </ol>
          </article>
        );
      })}
    </section>
  );
}
