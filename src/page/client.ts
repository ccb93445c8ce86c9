/**
 * The page-side client: one per page. It owns the session, connects the recorder to the
 * telemetry service and answers queries. Created lazily the first time anything is
 * instrumented, or explicitly with `init()`.
 */
import type { SessionMeta } from '../core/model.ts';
import type { SpecFile } from '../core/spec.ts';
import type { HomeostatClient, HomeostatOptions } from './api.ts';
import { perf } from './clock.ts';
import { getRecorder, onFirstInstrument } from './instrument.ts';
import type { Runtime, RuntimeMethods } from './runtime.ts';
import { handlerSources } from './sources.ts';
import type { ExportOptions } from './export.ts';

export type { ExportOptions, ExportStatus } from './export.ts';

export type { ClientStatus, HomeostatClient, HomeostatOptions } from './api.ts';

let client: HomeostatClient | null = null;

/** The global name under which the page's client is reachable by tools. */
export const GLOBAL_HANDLE = '__HOMEOSTAT__';

function newId(): string {
  // randomUUID exists only in secure contexts (not on plain http).
  return globalThis.crypto?.randomUUID?.() ?? `s-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}`;
}

function pageUrl(): string {
  const loc = globalThis.location;
  return loc ? `${loc.origin}${loc.pathname}` : 'about:blank';
}

function createClient(options: HomeostatOptions): HomeostatClient {
  const recorder = getRecorder();
  recorder.configure({ capacity: options.capacity, flushIntervalMs: options.flushIntervalMs });

  const session: SessionMeta = {
    id: newId(),
    startedAt: Date.now(),
    timeOrigin: perf.timeOrigin,
    endedAt: null,
    url: pageUrl(),
    userAgent: globalThis.navigator?.userAgent ?? 'unknown',
    crossOriginIsolated: globalThis.crossOriginIsolated === true,
    // Measured when the runtime loads (it spins on the clock for a few steps): off the start-up path.
    clockResolutionMs: 0,
    react: { version: null, lanes: false, commits: 'none' },
    app: options.app ?? null,
    build: options.build ?? null,
    transport: 'worker',
    storage: 'indexeddb',
    fallbackReason: null,
    dropped: 0,
    source: 'page',
  };

  // Everything that needs the worker loads now, off the start-up path; records wait in the ring.
  let runtime: Runtime | null = null;
  let failed: string | null = null;
  const loading = import('./runtime.ts').then(
    (m) => (runtime = m.startRuntime(session, options, recorder, facade, () => currentSpec)),
    (e: unknown) => {
      failed = `runtime could not load (${String(e)})`;
      throw e;
    },
  );
  loading.catch(() => undefined);
  startExportLate = (o) => void loading.then((r) => r.startExport(o), () => undefined);
  const facade = {
    session,
    status: () =>
      runtime?.status() ?? {
        session: { ...session, dropped: recorder.dropped },
        transport: { kind: 'connecting', reason: failed, droppedBatches: 0, droppedRecords: 0 },
        buffered: recorder.buffered,
        dropped: recorder.dropped,
      },
    setEnabled(on: boolean) {
      recorder.on = on;
    },
    enabled: () => recorder.on,
    describe(patch: Partial<SessionMeta>) {
      Object.assign(session, patch);
      runtime?.describe(patch);
    },
    sources: handlerSources,
  } as HomeostatClient;
  // The methods that need the service wait for the runtime.
  for (const k of LATER) {
    (facade as unknown as Record<string, unknown>)[k] = (...args: never[]) => loading.then((r) => (r[k] as (...a: never[]) => unknown)(...args));
  }
  return facade;
}

const LATER = ['flush', 'aggregates', 'sessions', 'exportSession', 'importSession', 'clear', 'saveBaseline', 'baselines', 'recentCalls', 'exportNow'] as const satisfies ReadonlyArray<keyof RuntimeMethods>;
// Every method of the runtime is forwarded: the compiler refuses a list that misses one.
const forwardsAll: Exclude<keyof RuntimeMethods, (typeof LATER)[number]> extends never ? true : never = true;
void forwardsAll;

/** Set by the client: starts the export when `init({ export })` comes after the client started. */
let startExportLate: ((o: ExportOptions) => void) | null = null;

/** The docs the app passed to `init`/`HomeostatProvider`, whenever it passed them. */
let currentSpec: SpecFile | null = null;

/**
 * Starts Homeostat for this page (idempotent: later calls return the same client; of their
 * options only `app`, `build`, `spec` and `export` still apply). Never throws: without a worker or IndexedDB it records in memory and says so
 * in `status()`.
 */
export function init(options: HomeostatOptions = {}): HomeostatClient {
  if (client === null) {
    client = createClient(options);
    // Tools that drive the page (the replay runner, the DevTools bridge) find the client here.
    Object.defineProperty(globalThis, GLOBAL_HANDLE, { value: client, configurable: true }); // not enumerable, not writable
    if (options.spec) currentSpec = options.spec;
  } else {
    // Started already (instrumenting at module level starts it before a provider renders): the
    // app's docs still reach the panel, and its export still starts.
    if (options.spec) currentSpec = options.spec;
    if (options.export) startExportLate?.(options.export);
    // ...and gets to name itself.
    const { app, build } = options;
    if (app !== undefined || build !== undefined) client.describe(app === undefined ? { build } : build === undefined ? { app } : { app, build });
  }
  return client;
}

/** The page's client, started with default options if `init` was not called. */
export function getClient(): HomeostatClient {
  return init();
}

// Drop-in: instrumenting anything starts the client soon after, off the hot path.
onFirstInstrument(() => {
  if (client === null) init();
});

/** True once a client exists. */
export function isStarted(): boolean {
  return client !== null;
}
