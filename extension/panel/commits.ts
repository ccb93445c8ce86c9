/**
 * React commits grouped per interaction, for the Commits view. The bridge agent reports commits
 * by time only (React's hook does not know Homeostat's interactions); an interaction's window is
 * the span of its calls, from the first call's start to the latest of any call's end, settle or
 * time to result, plus a little slack for the commit React schedules right after the handler
 * returns. An interaction that started a transition keeps its window open until the next
 * interaction starts (at most TRANSITION_SPAN_MS): React renders a transition when it gets to it,
 * after the handler's span, and nothing in the call says when. A commit inside several windows
 * goes to the interaction that started last (the innermost); one inside none is "outside
 * interactions" (mounts, timers, effects' updates).
 */
import type { CallLite, CommitLiteMsg } from '../../src/bridge/protocol.ts';

export interface CommitGroup {
  /** The interaction (sequence id), or null for commits outside every interaction. */
  sequence: number | null;
  /** The first top-level call of the interaction. */
  trigger: string | null;
  start: number;
  commits: CommitLiteMsg[];
  /** Render time of its commits where the build reports it (null: production build). */
  renderMs: number | null;
  /** Components that rendered with equal props because their parent did: what `memo` would skip. */
  propsEqual: number;
}

/** Slack after an interaction's last call during which a commit still belongs to it, ms. */
export const COMMIT_SLACK_MS = 100;
/** How long after its start a transition's interaction may still own commits, ms. */
export const TRANSITION_SPAN_MS = 5000;
/** Interactions looked back through for one commit (nested and overlapping ones are few). */
const MAX_BACK = 64;

interface Window {
  sequence: number;
  trigger: string;
  start: number;
  end: number;
  transition: boolean;
}

function windows(calls: readonly CallLite[]): Window[] {
  const by = new Map<number, Window & { firstStart: number }>();
  for (const c of calls) {
    if (c.sequence < 0) continue;
    const end = c.start + Math.max(c.duration, c.settle ?? 0, c.resultMs ?? 0);
    const transition = c.mode === 'transition' || c.mode === 'mixed';
    const w = by.get(c.sequence);
    if (!w) by.set(c.sequence, { sequence: c.sequence, trigger: c.handler, start: c.start, end, transition, firstStart: c.parent === null ? c.start : Infinity });
    else {
      w.start = Math.min(w.start, c.start);
      w.end = Math.max(w.end, end);
      w.transition ||= transition;
      if (c.parent === null && c.start < w.firstStart) {
        w.firstStart = c.start;
        w.trigger = c.handler;
      }
    }
  }
  const ws = [...by.values()].sort((a, b) => a.start - b.start);
  ws.forEach((w, i) => {
    if (w.transition) w.end = Math.max(w.end, Math.min(ws[i + 1]?.start ?? Infinity, w.start + TRANSITION_SPAN_MS));
  });
  return ws;
}

/** Groups commits per interaction, newest group first; commits inside a group in time order. */
export function groupCommits(commits: readonly CommitLiteMsg[], calls: readonly CallLite[], slackMs = COMMIT_SLACK_MS): CommitGroup[] {
  const ws = windows(calls);
  const groups = new Map<number | null, CommitGroup>();
  for (const c of [...commits].sort((a, b) => a.at - b.at)) {
    // The last window starting before the commit, then back to the innermost that still covers
    // it: bounded, so 1,000 commits against thousands of interactions stay cheap.
    let lo = 0;
    let hi = ws.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (ws[mid]!.start <= c.at) lo = mid + 1;
      else hi = mid;
    }
    let owner: Window | null = null;
    for (let i = lo - 1; i >= 0 && i >= lo - MAX_BACK; i--) {
      if (c.at <= ws[i]!.end + slackMs) {
        owner = ws[i]!;
        break;
      }
    }
    const key = owner?.sequence ?? null;
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { sequence: key, trigger: owner?.trigger ?? null, start: owner?.start ?? c.at, commits: [], renderMs: null, propsEqual: 0 }));
    g.commits.push(c);
    if (c.renderMs !== null) g.renderMs = (g.renderMs ?? 0) + c.renderMs;
    for (const x of c.components) g.propsEqual += x.propsEqual;
  }
  return [...groups.values()].sort((a, b) => (b.commits.at(-1)?.at ?? 0) - (a.commits.at(-1)?.at ?? 0));
}

/** A commit's components, costliest first (own render time summed over instances, then tree order). */
export function rankedComponents(c: CommitLiteMsg): CommitLiteMsg['components'] {
  return c.components
    .map((x, i) => ({ x, i }))
    .sort((a, b) => (b.x.selfMs ?? 0) - (a.x.selfMs ?? 0) || a.i - b.i)
    .map(({ x }) => x);
}
