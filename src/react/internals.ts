/**
 * Every use of React internals lives here, with a test per supported version (18, 19).
 *
 * Transition vs blocking: React decides an update's lane in `requestUpdateLane`, which reads
 * the current transition — `ReactSharedInternals.T` in React 19,
 * `ReactCurrentBatchConfig.transition` in React 18. We turn that slot into an accessor:
 * - writing a new transition object into it means a `startTransition` scope opened, so the
 *   updates requested in it get transition lanes;
 * - reading it while it is `null` is an update request that gets a normal (blocking) lane,
 *   unless the very next access writes the slot: React saves and clears the slot that way
 *   around event dispatch, commits and `startTransition`, and those reads are not updates.
 * React calls `requestUpdateLane` outside render only, so render-phase reads don't count.
 * One request stays invisible here: the last update inside `flushSync`, whose restore write
 * follows it directly. flushSync commits inside the call, and the attributor infers the
 * blocking update from that commit.
 *
 * Commits: a `__REACT_DEVTOOLS_GLOBAL_HOOK__` (ours, or the React DevTools one, chained) gets
 * `onCommitFiberRoot` for every commit in every build. It must exist before react-dom loads,
 * which is why this module runs its installation when it is first imported.
 *
 * Whether a commit finished a transition: by the time the hook runs, `root.pendingLanes` holds
 * the work this commit did not include. A `useTransition` first commits its `isPending` update
 * while the transition's own lane is still pending; the rows a transition renders come in a later
 * commit. The transition lanes are a version-specific bit mask (read from react-dom's builds):
 * 18.x bits 6–21, 19.0 bits 7–21, 19.1 and later bits 8–21. Other versions report "unknown".
 */
import * as React from 'react';
import { foldPending, signals } from '../page/signals.ts';
import type { Recorder } from '../page/recorder.ts';

type Slot = Record<string, unknown>;

export interface ReactObservation {
  version: string | null;
  /** Transition/blocking detection is installed. */
  lanes: boolean;
  /** Why it is not, when it is not. */
  reason: string | null;
}

interface DevToolsHook {
  renderers?: Map<number, unknown>;
  supportsFiber?: boolean;
  isDisabled?: boolean;
  inject?: (renderer: unknown) => number;
  onCommitFiberRoot?: (...args: unknown[]) => unknown;
  [key: string]: unknown;
}

const HOOK_KEY = '__REACT_DEVTOOLS_GLOBAL_HOOK__';
const INSTALLED = Symbol.for('homeostat.react.installed');

/** Finds the object and key React keeps its current transition in, per version. */
export function transitionSlot(react: object): { holder: Slot; key: string } | null {
  const r = react as Record<string, unknown>;
  const v19 = r['__CLIENT_INTERNALS_DO_NOT_USE_OR_WARN_USERS_THEY_CANNOT_UPGRADE'] as Slot | undefined;
  if (v19 && typeof v19 === 'object' && 'T' in v19) return { holder: v19, key: 'T' };
  const v18 = r['__SECRET_INTERNALS_DO_NOT_USE_OR_YOU_WILL_BE_FIRED'] as Slot | undefined;
  const config = v18?.['ReactCurrentBatchConfig'] as Slot | undefined;
  if (config && typeof config === 'object' && 'transition' in config) return { holder: config, key: 'transition' };
  return null;
}

/** Installs the transition accessor on `react`'s internals. Idempotent. */
export function observeUpdates(react: object = React): ReactObservation {
  const version = typeof (react as { version?: unknown }).version === 'string' ? (react as { version: string }).version : null;
  const slot = transitionSlot(react);
  if (!slot) return { version, lanes: false, reason: 'unsupported React version: no transition slot found' };
  const { holder, key } = slot;
  if ((holder as { [INSTALLED]?: boolean })[INSTALLED]) return { version, lanes: true, reason: null };
  const desc = Object.getOwnPropertyDescriptor(holder, key);
  if (!desc || !('value' in desc) || desc.configurable === false) {
    return { version, lanes: false, reason: 'React transition slot is not configurable' };
  }
  let value = desc.value as unknown;
  const seen = new WeakSet<object>();
  Object.defineProperty(holder, key, {
    configurable: true,
    enumerable: desc.enumerable ?? true,
    get() {
      if (signals.pending) foldPending();
      if (value === null || value === undefined) signals.pending = true;
      return value;
    },
    set(next: unknown) {
      // The read before this write was React saving the slot, not an update request.
      signals.pending = false;
      if (next !== null && typeof next === 'object' && !seen.has(next)) {
        seen.add(next);
        signals.transition++;
      }
      value = next;
    },
  });
  Object.defineProperty(holder, INSTALLED, { value: true });
  signals.known = true;
  return { version, lanes: true, reason: null };
}

/**
 * React's transition lanes for a react-dom version, or null when we do not know them. The bridge
 * agent reads the same masks from src/core/react-lanes.ts (a test holds the two equal): importing
 * that module here too made the bundler split it into a chunk of its own that every page loads,
 * 50–70 B over the eager budgets.
 */
export function transitionLanesMask(version: string | null | undefined): number | null {
  const m = /^(\d+)\.(\d+)\./.exec(version ?? '');
  if (!m) return null;
  const major = Number(m[1]);
  const minor = Number(m[2]);
  if (major === 18) return 0b0000000001111111111111111000000;
  if (major === 19 && minor === 0) return 0b0000000001111111111111110000000;
  if (major === 19) return 0b0000000001111111111111100000000;
  return null;
}

/** The transition mask of the renderer that injected itself (react-dom), once it has. */
let lanesMask: number | null = null;

function rendererVersion(renderer: unknown): string | null {
  const v = renderer !== null && typeof renderer === 'object' ? (renderer as { version?: unknown; reconcilerVersion?: unknown }) : null;
  return typeof v?.version === 'string' ? v.version : typeof v?.reconcilerVersion === 'string' ? v.reconcilerVersion : null;
}

let rootIds = new WeakMap<object, number>();
let nextRootId = 1;
let hookState: 'ours' | 'chained' | 'none' = 'none';
let injectedCount = 0;

/**
 * Installs (or chains onto) the DevTools global hook so every React commit is reported to
 * `recorder`. Must run before react-dom is evaluated to see its renderer inject itself.
 */
export function observeCommits(recorder: Recorder): 'ours' | 'chained' | 'none' {
  const g = globalThis as unknown as Record<string, unknown>;
  if (hookState !== 'none') return hookState;
  let hook = g[HOOK_KEY] as DevToolsHook | undefined;
  if (hook && typeof hook !== 'object') return 'none';
  if (!hook) {
    const renderers = new Map<number, unknown>();
    let id = 0;
    hook = {
      renderers,
      supportsFiber: true,
      isDisabled: false,
      inject(renderer: unknown) {
        renderers.set(++id, renderer);
        injectedCount++;
        lanesMask = transitionLanesMask(rendererVersion(renderer));
        return id;
      },
      onCommitFiberRoot() {},
      onCommitFiberUnmount() {},
      onPostCommitFiberRoot() {},
      checkDCE() {},
      homeostat: true,
    };
    Object.defineProperty(g, HOOK_KEY, { value: hook, configurable: true, writable: true, enumerable: false });
    hookState = 'ours';
  } else {
    const inject = hook.inject;
    if (typeof inject === 'function') {
      hook.inject = function (this: unknown, renderer: unknown) {
        injectedCount++;
        lanesMask = transitionLanesMask(rendererVersion(renderer));
        return inject.call(this, renderer);
      };
    }
    injectedCount += hook.renderers instanceof Map ? hook.renderers.size : 0;
    if (hook.renderers instanceof Map) for (const r of hook.renderers.values()) lanesMask = transitionLanesMask(rendererVersion(r));
    hookState = 'chained';
  }
  const previous = hook.onCommitFiberRoot;
  hook.onCommitFiberRoot = function (this: unknown, ...args: unknown[]) {
    try {
      const root = args[1];
      let rootId = 0;
      let transitionsLeft = -1;
      if (root !== null && typeof root === 'object') {
        rootId = rootIds.get(root) ?? 0;
        if (rootId === 0) rootIds.set(root, (rootId = nextRootId++));
        const pending = (root as { pendingLanes?: unknown }).pendingLanes;
        if (lanesMask !== null && typeof pending === 'number') transitionsLeft = (pending & lanesMask) !== 0 ? 1 : 0;
      }
      recorder.commit(rootId, transitionsLeft);
    } catch {
      // Never let our bookkeeping break React's commit.
    }
    return typeof previous === 'function' ? previous.apply(this, args) : undefined;
  };
  signals.commits = true;
  return hookState;
}

/** True once a React renderer has injected itself into the hook (react-dom loaded after us). */
export function rendererSeen(): boolean {
  return injectedCount > 0;
}

/** Test helper: forget hook state (the hook object itself stays on the global). */
export function resetCommitObservation(): void {
  hookState = 'none';
  injectedCount = 0;
  lanesMask = null;
  rootIds = new WeakMap();
}
