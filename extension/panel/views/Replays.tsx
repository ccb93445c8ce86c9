/**
 * Runs of the Recorder's "Replay with Homeostat": each run's steps and outcome, and what the
 * page's Homeostat measured while it ran, per handler. Newest first.
 */
import { useLive } from '../context.tsx';
import { ms } from '../format.ts';
import { replayHandlers } from '../replays.ts';
import type { ReplayRun } from '../../src/replay-message.ts';
import { useThrottled } from '../throttle.ts';

export function Replays() {
  const runs = useLive((s) => s.replays);
  const sessionId = useLive((s) => s.session?.id ?? null);
  const calls = useThrottled(useLive((s) => s.calls), 500);
  if (runs.length === 0) {
    return (
      <p className="empty">
        No replays yet. In the Recorder panel, open a recording and choose "Replay with Homeostat" from the replay menu: its steps run in this tab and
        what they cost shows here.
      </p>
    );
  }
  return (
    <section aria-label="Recorder replays" className="replays">
      {[...runs].reverse().map((run) => (
        <Run key={run.id} run={run} handlers={replayHandlers(run, sessionId, calls)} current={run.session !== null && run.session === sessionId} />
      ))}
    </section>
  );
}

function Run({ run, handlers, current }: { run: ReplayRun; handlers: ReturnType<typeof replayHandlers>; current: boolean }) {
  const badge = run.status === 'passed' ? 'within' : run.status === 'failed' ? 'over' : 'too-few';
  return (
    <article className="replay" data-replay={run.id} data-status={run.status} data-session={run.session ?? ''}>
      <header>
        <strong>{run.title}</strong> <span className={`badge ${badge}`}>{run.status}</span>{' '}
        <span className="muted">
          {run.done}/{run.steps} steps
          {run.endedAt !== null ? ` in ${ms(run.endedAt - run.startedAt)}` : ''}
          {run.session !== null ? ` · session ${run.session.slice(0, 8)}${current ? ' (shown)' : ' (no longer the page’s)'}` : ''}
        </span>
      </header>
      {run.failure ? (
        <p className="bad" data-testid="replay-failure">
          {run.failure.type === 'recording' ? 'Not replayable: ' : `Step ${run.failure.index + 1} (${run.failure.type}): `}
          {run.failure.reason}
        </p>
      ) : null}
      {run.skipped.length > 0 ? (
        <p className="muted">Skipped (the inspected window keeps its size): {run.skipped.map((s) => `step ${s.index + 1} (${s.type})`).join(', ')}</p>
      ) : null}
      {handlers && handlers.length > 0 ? (
        <table className="grid" aria-label="Measured during the replay">
          <thead>
            <tr>
              <th>Handler</th>
              <th>Calls</th>
              <th title="Sum of the calls' synchronous durations">Time</th>
              <th>Worst blocking</th>
              <th>Commits</th>
            </tr>
          </thead>
          <tbody>
            {handlers.map((h) => (
              <tr key={h.handler} data-replay-handler={h.handler}>
                <td data-col="handler">{h.handler}</td>
                <td>{h.calls}</td>
                <td>{ms(h.durationMs)}</td>
                <td>{ms(h.maxBlockingMs)}</td>
                <td>{h.commits}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : run.status !== 'running' && handlers !== null ? (
        <p className="muted">No instrumented calls while it ran (yet: calls arrive when their interaction closes).</p>
      ) : null}
    </article>
  );
}
