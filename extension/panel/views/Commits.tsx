/**
 * React commits per interaction, as the Profiler's commit list shows them: for each commit its
 * lane, the render time of the tree (development and profiling builds), and the components that
 * rendered, by name (a list's 1,000 rows are one line, ×1000), costliest first, with how many
 * rendered with equal props: the ones `memo` would have skipped.
 */
import { useMemo, useState } from 'react';
import type { CommitLiteMsg } from '../../../src/bridge/protocol.ts';
import { groupCommits, rankedComponents, type CommitGroup } from '../commits.ts';
import { useLive } from '../context.tsx';
import { ms } from '../format.ts';
import { useThrottled } from '../throttle.ts';

const LANE_TITLE: Record<CommitLiteMsg['lane'], string> = {
  blocking: 'blocking: a discrete or continuous input priority (exact, from React)',
  transition: 'transition: the lanes this commit finished are transition lanes (read from the fiber root: a heuristic)',
  default: 'default priority, not a transition (from the lanes it finished: a heuristic)',
  normal: 'default or transition priority: React did not say which',
  idle: 'idle priority',
};

const groupKey = (g: CommitGroup) => (g.sequence === null ? 'outside' : String(g.sequence));

export function Commits() {
  const commits = useThrottled(useLive((s) => s.commits), 500);
  const calls = useThrottled(useLive((s) => s.calls), 500);
  const groups = useMemo(() => groupCommits(commits, calls), [commits, calls]);
  const [open, setOpen] = useState<string | null>(null);
  if (commits.length === 0) {
    return (
      <p className="empty">
        No React commits yet: interact with the page. Commits are read while this panel is open, from React's DevTools hook (the page must load
        Homeostat before react-dom).
      </p>
    );
  }
  const shown = groups.find((g) => groupKey(g) === open) ?? groups[0]!;
  return (
    <section aria-label="Commits" className="interactions">
      <ol
        className="interaction-list"
        aria-label="Commits by interaction"
        onKeyDown={(e) => {
          if (e.key !== 'ArrowDown' && e.key !== 'ArrowUp') return;
          e.preventDefault();
          const i = groups.indexOf(shown);
          const next = groups[Math.min(groups.length - 1, Math.max(0, i + (e.key === 'ArrowDown' ? 1 : -1)))]!;
          setOpen(groupKey(next));
          (e.currentTarget.querySelector(`[data-group="${groupKey(next)}"]`) as HTMLElement | null)?.focus();
        }}
      >
        {groups.map((g) => (
          <li key={groupKey(g)}>
            <button type="button" data-group={groupKey(g)} aria-current={g === shown} onClick={() => setOpen(groupKey(g))}>
              <span>{g.trigger ?? 'Outside interactions'}</span>
              <span className="muted">
                {(g.start / 1000).toFixed(2)} s · {g.commits.length} commit{g.commits.length === 1 ? '' : 's'}
                {g.renderMs !== null ? ` · ${ms(g.renderMs)} render` : ''}
              </span>
            </button>
          </li>
        ))}
      </ol>
      <CommitList group={shown} />
    </section>
  );
}

function CommitList({ group }: { group: CommitGroup }) {
  const timed = group.commits.some((c) => c.renderMs !== null);
  return (
    <article className="commit-list" data-commit-group={groupKey(group)}>
      <header>
        <strong>{group.trigger ?? 'Outside interactions'}</strong>
        <span className="muted">
          {' '}
          {group.commits.length} commit{group.commits.length === 1 ? '' : 's'}
          {group.propsEqual > 0 ? ` · ${group.propsEqual} render${group.propsEqual === 1 ? '' : 's'} with equal props` : ''}
          {timed ? '' : ' · render times need a development or react-dom/profiling build'}
        </span>
      </header>
      {group.commits.map((c) => {
        const ranked = rankedComponents(c);
        const top = ranked[0]?.selfMs ?? 0;
        return (
          <section key={c.id} className="commit" data-commit={c.id} data-lane={c.lane}>
            <h3>
              <span className="muted" title="When React reported the commit (its end), from the interaction's first call">committed at +{ms(c.at - group.start)}</span> <span className={`badge lane-${c.lane}`} title={LANE_TITLE[c.lane]}>{c.lane}</span>{' '}
              {c.renderMs !== null ? `${ms(c.renderMs)} render · ` : ''}
              {c.rendered} component{c.rendered === 1 ? '' : 's'} rendered
              {c.rendered > c.components.reduce((n, x) => n + x.count, 0) ? <span className="muted"> (the {c.components.length} costliest components shown)</span> : null}
            </h3>
            <table className="grid commit-components" aria-label={`Commit ${c.id}`}>
              <tbody>
                {ranked.map((x) => (
                  <tr key={x.name} data-component={x.name} data-count={x.count} data-self={x.selfMs ?? ''} data-props-equal={x.propsEqual}>
                    <td data-col="component">
                      {x.name}
                      {x.count > 1 ? <span className="muted"> ×{x.count}</span> : null}
                    </td>
                    <td data-col="self" className="costcell">
                      {x.selfMs !== null ? <span className="costbar" style={{ width: `${top > 0 ? Math.max(2, (x.selfMs / top) * 100) : 0}%` }} /> : null}
                      {x.selfMs === null ? '—' : ms(x.selfMs)}
                    </td>
                    <td data-col="why">
                      {x.mounts > 0 ? <span className="badge">{x.count > 1 ? `${x.mounts} mounted` : 'mount'}</span> : null}
                      {x.propsEqual > 0 ? (
                        <span className="badge drifting" title="Rendered because its parent did, with shallowly equal props: React.memo would have skipped it (unless a context it reads changed)">
                          {x.count > 1 ? `${x.propsEqual} with equal props` : 'props equal'}
                        </span>
                      ) : null}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </section>
        );
      })}
    </article>
  );
}
