/**
 * React commits for the panel's Commits view, read by the bridge agent (never by the page
 * runtime: this loads only when a panel asks). The page runtime already installed, or chained
 * onto, React's DevTools global hook before react-dom loaded (src/react/internals.ts); the agent
 * chains onto its `onCommitFiberRoot` once more and walks the committed fiber tree while a panel
 * is subscribed. Outside a subscription the wrapper costs one comparison per commit.
 *
 * What a commit says, and how sure it is:
 * - rendered components: a component fiber rendered in this commit when it is new (no alternate)
 *   or React flagged it `PerformedWork`; subtrees whose child list React reused (a bailout) are
 *   not entered. This is how React DevTools' Profiler decides it, and holds in every build.
 * - own render time: `selfBaseDuration`, which React keeps only when its profiler timer is built
 *   in (development builds, `react-dom/profiling`); null in production builds.
 * - lane: the hook's priority argument is exact for blocking input (discrete/continuous event
 *   priority); "default" and transition work share one priority, so they are told apart by the
 *   lanes the previous root fiber still had pending that this commit no longer has, against the
 *   version's transition mask: a heuristic, reported as `normal` when it cannot decide.
 * - props equal: an instance rendered, its nearest component ancestor rendered too, and its
 *   props were shallowly equal to the previous ones (the case `memo` would have skipped, unless
 *   a context it reads changed).
 * Component names are code (function or display names), never props or state values.
 */
import { transitionLanesMask } from '../core/react-lanes.ts';
import { LIMITS } from './limits.ts';

export type CommitLane = 'blocking' | 'transition' | 'default' | 'normal' | 'idle';

/** The instances of one component (by name) that rendered in a commit. */
export interface CommitComponent {
  name: string;
  /** Instances that rendered. */
  count: number;
  /** Their own render time summed, ms; null where the build does not report it. */
  selfMs: number | null;
  /** Of them, first renders (mounts). */
  mounts: number;
  /** Of them, rendered with props shallowly equal to their previous ones because their parent rendered. */
  propsEqual: number;
}

export interface CommitLite {
  /** Position in the page's commit stream (monotonic while the agent runs). */
  id: number;
  /** ms since the page's time origin, when React reported the commit. */
  at: number;
  lane: CommitLane;
  /** Render time of the whole committed tree, ms (profiler-timer builds only). */
  renderMs: number | null;
  /** Component instances that rendered; `components` groups them by name, the costliest LIMITS.components names. */
  rendered: number;
  components: CommitComponent[];
}

interface Fiber {
  tag?: unknown;
  type?: unknown;
  flags?: unknown;
  child?: Fiber | null;
  sibling?: Fiber | null;
  alternate?: Fiber | null;
  memoizedProps?: unknown;
  selfBaseDuration?: unknown;
  actualDuration?: unknown;
  lanes?: unknown;
  childLanes?: unknown;
}

// Fiber tags (stable since React 16): function, class, forwardRef, simple memo. A MemoComponent
// (14) is skipped: its child fiber is the component itself, named.
const isComponentTag = (t: unknown) => t === 0 || t === 1 || t === 2 || t === 11 || t === 15;
const PERFORMED_WORK = 1;
/** Fibers visited per commit at most: a huge tree costs a bounded walk. */
const MAX_FIBERS = 20_000;

function componentName(type: unknown): string {
  // memo / forwardRef wrap the function: `type.type` / `type.render`.
  let t = type as { displayName?: unknown; name?: unknown; render?: unknown; type?: unknown } | null | undefined;
  for (let i = 0; i < 3 && t; i++) {
    const n = t.displayName || (typeof t === 'function' && (t as { name: string }).name);
    if (typeof n === 'string' && n) return n.slice(0, LIMITS.name);
    t = (t.render ?? t.type) as typeof t;
  }
  return 'Anonymous';
}

/** Shallow equality as React's `memo` compares props: same keys, each value `Object.is`. */
export function shallowEqual(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  const ka = Object.keys(a);
  if (ka.length !== Object.keys(b).length) return false;
  for (const k of ka) {
    if (!Object.prototype.hasOwnProperty.call(b, k) || !Object.is((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k])) return false;
  }
  return true;
}

const round = (ms: number) => Math.round(ms * 100) / 100;

/** The lane of a commit from the hook's scheduler priority and the lanes it finished (see above). */
export function commitLane(priority: unknown, finishedLanes: number | null, mask: number | null): CommitLane {
  if (priority === 1 || priority === 2) return 'blocking';
  if (priority === 5) return 'idle';
  if (finishedLanes === null || mask === null || finishedLanes === 0) return 'normal';
  return (finishedLanes & mask) !== 0 ? 'transition' : 'default';
}

/** Reads one committed root; pure apart from the fiber objects it reads. */
export function readCommit(root: unknown, priority: unknown, mask: number | null, id: number, at: number): CommitLite | null {
  const current = (root as { current?: Fiber } | null)?.current;
  if (!current || typeof current !== 'object') return null;
  const previous = current.alternate ?? null;
  const pending = (root as { pendingLanes?: unknown }).pendingLanes;
  let finished: number | null = null;
  if (previous && typeof previous.childLanes === 'number' && typeof previous.lanes === 'number' && typeof pending === 'number') {
    finished = (previous.childLanes | previous.lanes) & ~pending;
  }
  // By name, in tree order of first appearance: a list of 1,000 rows reads as "ProductRow ×1000".
  const byName = new Map<string, CommitComponent>();
  let rendered = 0;
  // Depth-first over the parts React re-rendered; each entry: a fiber and whether its nearest
  // component ancestor rendered in this commit.
  const stack: Array<[Fiber, boolean]> = [];
  if (current.child && (!previous || current.child !== previous.child)) stack.push([current.child, false]);
  let visited = 0;
  while (stack.length > 0 && visited++ < MAX_FIBERS) {
    const [fiber, parentRendered] = stack.pop()!;
    if (fiber.sibling) stack.push([fiber.sibling, parentRendered]);
    const prev = fiber.alternate ?? null;
    const isComponent = isComponentTag(fiber.tag);
    const didRender = isComponent && (prev === null || (typeof fiber.flags === 'number' && (fiber.flags & PERFORMED_WORK) !== 0));
    if (didRender) {
      rendered++;
      const name = componentName(fiber.type);
      let c = byName.get(name);
      if (!c) byName.set(name, (c = { name, count: 0, selfMs: null, mounts: 0, propsEqual: 0 }));
      c.count++;
      if (typeof fiber.selfBaseDuration === 'number' && typeof fiber.actualDuration === 'number') c.selfMs = (c.selfMs ?? 0) + fiber.selfBaseDuration;
      if (prev === null) c.mounts++;
      else if (parentRendered && shallowEqual(prev.memoizedProps, fiber.memoizedProps)) c.propsEqual++;
    }
    if (fiber.child && (prev === null || fiber.child !== prev.child)) stack.push([fiber.child, isComponent ? didRender : parentRendered]);
  }
  let kept = [...byName.values()];
  if (kept.length > LIMITS.components) kept = kept.sort((a, b) => (b.selfMs ?? 0) - (a.selfMs ?? 0)).slice(0, LIMITS.components);
  for (const c of kept) if (c.selfMs !== null) c.selfMs = round(c.selfMs);
  return {
    id,
    at: round(at),
    lane: commitLane(priority, finished, mask),
    renderMs: typeof current.actualDuration === 'number' ? round(current.actualDuration) : null,
    rendered,
    components: kept,
  };
}

interface Hook {
  renderers?: unknown;
  onCommitFiberRoot?: unknown;
}

export interface CommitTap {
  /** Commits seen since the last call (at most LIMITS.commits: the oldest go first). */
  drain(): CommitLite[];
  /** Main-thread ms spent walking commits so far. */
  spentMs(): number;
}

/**
 * Chains onto the page's DevTools hook; `active()` says whether to walk (a panel is subscribed).
 * Returns null when the page has no hook (no React, or React loaded before Homeostat).
 */
export function tapCommits(active: () => boolean, g: Record<string, unknown> = globalThis as unknown as Record<string, unknown>): CommitTap | null {
  const hook = g['__REACT_DEVTOOLS_GLOBAL_HOOK__'] as Hook | undefined;
  if (!hook || typeof hook !== 'object') return null;
  const previous = hook.onCommitFiberRoot;
  let buffer: CommitLite[] = [];
  let next = 0;
  let spent = 0;
  let mask: number | null | undefined;
  hook.onCommitFiberRoot = function (this: unknown, ...args: unknown[]) {
    if (active()) {
      const t0 = performance.now();
      try {
        if (mask === undefined && hook.renderers instanceof Map) {
          for (const r of hook.renderers.values()) mask = transitionLanesMask((r as { version?: string } | null)?.version);
        }
        const c = readCommit(args[1], args[2], mask ?? null, next, t0);
        if (c) {
          next++;
          buffer.push(c);
          if (buffer.length > LIMITS.commits) buffer = buffer.slice(buffer.length - LIMITS.commits);
        }
      } catch {
        // Never let the panel's bookkeeping break React's commit.
      }
      spent += performance.now() - t0;
    }
    return typeof previous === 'function' ? (previous as (...a: unknown[]) => unknown).apply(this, args) : undefined;
  };
  return {
    drain() {
      const out = buffer;
      buffer = [];
      return out;
    },
    spentMs: () => spent,
  };
}
