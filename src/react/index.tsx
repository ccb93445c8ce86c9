/**
 * `homeostat/react`: the React adapter. Import it before `react-dom` so it can see React's
 * commits; wrap the app in `<HomeostatProvider>`; name handlers with `useHandler`.
 */
import * as React from 'react';
import { Profiler, createContext, useContext, useEffect, useMemo, type ProfilerOnRenderCallback, type ReactNode } from 'react';
import { getClient, init, type HomeostatClient, type HomeostatOptions } from '../page/client.ts';
import { getRecorder, instrumentHandler, type AnyFunction } from '../page/instrument.ts';
import { observeCommits, observeUpdates, rendererSeen, type ReactObservation } from './internals.ts';

export * from '../page/index.ts';

// Installed at import time: the hook must be in place before react-dom evaluates.
const commitsVia = observeCommits(getRecorder());
const observation: ReactObservation = observeUpdates(React);
let profilerReported = false;

const ClientContext = createContext<HomeostatClient | null>(null);

export interface HomeostatProviderProps extends HomeostatOptions {
  /** Use this client instead of the page's default one. */
  client?: HomeostatClient;
  /**
   * Wrap the tree in a React `<Profiler>` (default true). It reports render durations in
   * development and profiling builds and costs nothing in production builds, where it is inert.
   */
  profiler?: boolean;
  children?: ReactNode;
}

const onRender: ProfilerOnRenderCallback = (_id, _phase, actualDuration, _base, startTime, commitTime) => {
  getRecorder().profile(actualDuration, startTime, commitTime);
  if (!profilerReported) {
    profilerReported = true;
    describeReact(getClient());
  }
};

function describeReact(client: HomeostatClient): void {
  const commits = rendererSeen() ? 'hook' : profilerReported ? 'profiler' : 'none';
  client.describe({ react: { version: observation.version, lanes: observation.lanes, commits } });
}

/** Starts Homeostat for the tree and makes its client available to `useHomeostat`. */
export function HomeostatProvider({ client, profiler = true, children, ...options }: HomeostatProviderProps) {
  const value = useMemo(() => client ?? init(options), [client]);
  useEffect(() => {
    describeReact(value);
    if (!rendererSeen() && commitsVia !== 'none' && typeof console !== 'undefined') {
      console.warn(
        "[homeostat] React committed before Homeostat could observe it: import 'homeostat/react' before 'react-dom' to attribute commits.",
      );
    }
  }, [value]);
  const tree = profiler ? (
    <Profiler id="homeostat" onRender={onRender}>
      {children}
    </Profiler>
  ) : (
    children
  );
  return <ClientContext.Provider value={value}>{tree}</ClientContext.Provider>;
}

/**
 * Starts Homeostat without a provider: what `@homeostat/tools/vite` and `@homeostat/tools/babel` insert into
 * the module that imports react-dom (importing this module first is what lets it observe
 * React). Idempotent, like `init`; does nothing outside a browser.
 */
export function startHomeostat(options: HomeostatOptions = {}): HomeostatClient | null {
  if (typeof window === 'undefined' || typeof document === 'undefined') return null;
  const client = init(options);
  // By the next task the importing module has evaluated react-dom and usually rendered.
  setTimeout(() => describeReact(client), 0);
  return client;
}

/** The Homeostat client of the nearest provider, or the page's default one. */
export function useHomeostat(): HomeostatClient {
  return useContext(ClientContext) ?? getClient();
}

/**
 * `instrument(name, fn)` for components: returns a wrapper that changes identity exactly when
 * `fn` (or `name`) does, so dependency arrays and memoised children behave as before. It keeps
 * no hook state (the wrapper is cached on `fn` itself), so it is cheap enough for every row of
 * a list, and may be called conditionally. Made for handlers: unlike `instrument`, the wrapper
 * does not copy `fn`'s `name` and `length` (reading them costs more than the rest of it).
 */
export function useHandler<T, A extends unknown[], R>(name: string, fn: (this: T, ...args: A) => R): (this: T, ...args: A) => R;
export function useHandler<F extends AnyFunction>(name: string, fn: F): F;
export function useHandler(name: string, fn: AnyFunction): AnyFunction {
  return instrumentHandler(name, fn);
}

/** What Homeostat can observe of the React on this page. */
export function reactObservation(): ReactObservation & { commits: 'hook' | 'profiler' | 'none' } {
  return { ...observation, commits: rendererSeen() ? 'hook' : profilerReported ? 'profiler' : 'none' };
}
