/**
 * The page-side client: one per page. It owns the session, connects the recorder to the
 * telemetry service and answers queries. Created lazily the first time anything is
 * instrumented, or explicitly with `init()`.
 */
import type { AggregateSnapshot } from '../core/aggregate.ts';
import type { SessionMeta } from '../core/model.ts';
import type { SpecFile } from '../core/spec.ts';
import { Kind } from '../core/wire.ts';
import type { Baseline, RecentCalls, SessionSelector, SessionSummary } from '../worker/api.ts';
import { measureClockResolution, perf } from './clock.ts';
import { getRecorder, onFirstInstrument } from './instrument.ts';
import { eventTimingSupported, longFramesSupported, observeEventTiming, observeInp, observeLongFrames } from './observers.ts';
import { INTERACTION } from './recorder.ts';
import { Transport, type TransportStatus, type WorkerFactory } from './transport.ts';
import { handlerSources, type SourceLocation } from './sources.ts';
import type { Exporter, ExportOptions, ExportStatus } from './export.ts';

export type { ExportOptions, ExportStatus } from './export.ts';

export interface HomeostatOptions {
  /** Name of the app, stored with the session. */
  app?: string;
  /** Build or commit identifier, stored with the session (docs baselines cite it). */
  build?: string;
  /**
   * Where the telemetry worker comes from: `true` (default) for the bundled one, a URL of a
   * self-hosted copy of `homeostat/worker`, a factory, or `false` to keep everything in memory.
   */
  worker?: boolean | string | URL | WorkerFactory;
  /** Page-side buffer, in records (default 8192; the oldest are dropped and counted beyond it). */
  capacity?: number;
  /** How often records are shipped to the worker (default 250 ms). */
  flushIntervalMs?: number;
  /** Observe Long Animation Frames / long tasks (default true). */
  longFrames?: boolean;
  /** Observe INP with web-vitals (default true). */
  inp?: boolean;
  /**
   * Answer the Homeostat DevTools extension (default true). The bridge only posts data to this
   * window when the extension asks for it, and costs nothing otherwise.
   */
  bridge?: boolean;
  /** The app's spec (budgets and baselines), shown by the DevTools panel next to what is observed. */
  spec?: SpecFile;
  /**
   * Send field data to an OpenTelemetry Collector (OTLP/HTTP JSON): per-session histograms per
   * handler and metric, transition/blocking counts, error patterns, optionally sampled spans.
   * Off by default; loaded only when set and the session is sampled in.
   */
  export?: ExportOptions;
}

export interface ClientStatus {
  session: SessionMeta;
  transport: TransportStatus;
  /** Records waiting in the page-side buffer. */
  buffered: number;
  /** Records dropped before the telemetry service got them: the buffer was full, or the transport's queue. */
  dropped: number;
  /** Field export (`init({ export })`): what was sent and what could not be; absent when off. */
  export?: ExportStatus;
}

/** What the app (and tests, the demo runner, the DevTools bridge) can ask the page. */
export interface HomeostatClient {
  readonly session: SessionMeta;
  status(): ClientStatus;
  /** Ships buffered records and waits until the service has them. `final` closes open sequences. */
  flush(options?: { final?: boolean }): Promise<void>;
  aggregates(selector?: SessionSelector): Promise<AggregateSnapshot>;
  sessions(): Promise<SessionSummary[]>;
  exportSession(id?: string): Promise<string>;
  importSession(json: string): Promise<SessionSummary>;
  clear(): Promise<void>;
  saveBaseline(name: string, selector?: SessionSelector): Promise<Baseline>;
  baselines(): Promise<Baseline[]>;
  /** The live session's most recent calls after the `after`-th one (live views: the DevTools panel). */
  recentCalls(after?: number, limit?: number): Promise<RecentCalls>;
  /** Pauses (false) or resumes (true) recording; paused wrappers are plain pass-throughs. */
  setEnabled(on: boolean): void;
  /** False while recording is paused. */
  enabled(): boolean;
  /** Adds fields to the session (the React adapter reports what it can observe). */
  describe(patch: Partial<Pick<SessionMeta, 'react' | 'app' | 'build'>>): void;
  /** Where each handler the build plugin instrumented is defined (file relative to the project, line, column). */
  sources(): Record<string, SourceLocation>;
  /** Sends the field export now (OpenTelemetry's `forceFlush`); resolves to its status, null when export is off. */
  exportNow(): Promise<ExportStatus | null>;
}

let client: HomeostatClient | null = null;

/** How long a final flush waits for the paint after the last work. */
const FINAL_PAINT_WAIT_MS = 3000;

/** The global name under which the page's client is reachable by tools. */
export const GLOBAL_HANDLE = '__HOMEOSTAT__';

function newId(): string {
  const c = globalThis.crypto;
  if (c && typeof c.randomUUID === 'function') return c.randomUUID();
  return `s-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}`;
}

function pageUrl(): string {
  const loc = globalThis.location;
  return loc ? `${loc.origin}${loc.pathname}` : 'about:blank';
}

function defaultWorker(): Worker {
  return new Worker(new URL('../worker/main.ts', import.meta.url), { type: 'module', name: 'homeostat' });
}

function workerFactory(option: HomeostatOptions['worker']): WorkerFactory | null {
  if (option === false) return null;
  if (typeof Worker !== 'function') return () => {
    throw new Error('Web Workers are not available here');
  };
  if (typeof option === 'function') return option;
  if (typeof option === 'string' || option instanceof URL) {
    return () => new Worker(option, { type: 'module', name: 'homeostat' });
  }
  return defaultWorker;
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
    clockResolutionMs: measureClockResolution(),
    react: { version: null, lanes: false, commits: 'none' },
    app: options.app ?? null,
    build: options.build ?? null,
    transport: 'worker',
    storage: 'indexeddb',
    fallbackReason: null,
    dropped: 0,
    source: 'page',
  };
  const exportAtStart = exportPlan(options.export);
  const transport = new Transport(
    session,
    workerFactory(options.worker),
    () => recorder.allStrings(),
    exportAtStart?.field ? { field: exportAtStart.field } : {},
  );
  transport.onStatus((s) => {
    session.transport = s.kind === 'memory' ? 'memory' : 'worker';
    session.fallbackReason = s.reason;
    if (s.kind === 'memory') session.storage = 'memory';
  });
  recorder.attach((b) => transport.send(b));

  if (options.longFrames !== false) safely(() => observeLongFrames(recorder));
  if (options.inp !== false) safely(() => observeInp(recorder));
  safely(() => observeEventTiming(recorder, INTERACTION));
  // Tells attribution which evidence is absent because nothing happened, and which because the browser cannot see it.
  safely(() => recorder.write(Kind.Observing, options.longFrames !== false && longFramesSupported() ? 1 : 0, eventTimingSupported() ? 1 : 0));
  if (typeof addEventListener === 'function') {
    // The last chance to ship: the page may be discarded without another event.
    addEventListener('pagehide', () => {
      recorder.flush();
      void transport.service().then((s) => s.flush(true)).catch(() => undefined);
    });
    addEventListener('visibilitychange', () => {
      if (globalThis.document?.visibilityState !== 'hidden') return;
      // Hidden is the last moment a page reliably gets (web-vitals reports here too): ship and
      // persist now rather than after the service's write delay.
      recorder.flush();
      void transport.service().then((s) => s.flush(false)).catch(() => undefined);
    });
  }

  const api = async () => transport.service();
  const shipped = async () => {
    recorder.flush();
    await transport.settled();
  };
  let exporter: Promise<Exporter | null> = Promise.resolve(null);
  let exportStatus: ExportStatus | undefined;
  const beginExport = (plan: ExportPlan, late: boolean) => {
    if (exportStatus) return;
    if (!plan.field) {
      exportStatus = sampledOut();
      return;
    }
    const field = plan.field;
    exportStatus = { ...sampledOut(), state: 'on' };
    exporter = (late ? api().then((s) => s.fieldStart(field)) : Promise.resolve())
      .then(() => import('./export.ts'))
      .then(
        (m) => {
          const e = m.startExport(api, plan.options, () => recorder.flush());
          exportStatus = e.status;
          return e;
        },
        () => null,
      )
      // An exporter that cannot start is no export, never an app error.
      .catch(() => null);
  };
  if (exportAtStart) beginExport(exportAtStart, false);
  startExportLate = (o) => {
    const plan = exportPlan(o);
    if (plan) beginExport(plan, true);
  };

  return {
    session,
    status: () => {
      const t = transport.status();
      const dropped = recorder.dropped + t.droppedRecords;
      return {
        session: { ...session, dropped },
        transport: t,
        buffered: recorder.buffered,
        dropped,
        ...(exportStatus ? { export: { ...exportStatus, points: { ...exportStatus.points }, spans: { ...exportStatus.spans }, pending: { ...exportStatus.pending } } } : {}),
      };
    },
    async exportNow() {
      const e = await exporter;
      if (!e) return exportStatus ?? null;
      await shipped();
      await e.flush();
      return { ...e.status };
    },
    async flush(opts = {}) {
      // Closing for good: let the paint after the last work land first (a big commit can still be in layout).
      if (opts.final === true) await recorder.whenPainted(FINAL_PAINT_WAIT_MS);
      await shipped();
      await (await api()).flush(opts.final === true);
    },
    async aggregates(selector) {
      await shipped();
      const s = await api();
      await s.flush(false);
      return s.aggregates(selector);
    },
    async sessions() {
      await shipped();
      return (await api()).sessions();
    },
    async exportSession(id) {
      if (id === undefined || id === session.id) await recorder.whenPainted(FINAL_PAINT_WAIT_MS);
      await shipped();
      return (await api()).exportSession(id);
    },
    async importSession(json) {
      return (await api()).importSession(json);
    },
    async clear() {
      await shipped();
      await (await api()).clear();
    },
    async saveBaseline(name, selector) {
      await shipped();
      return (await api()).saveBaseline(name, selector);
    },
    async baselines() {
      return (await api()).baselines();
    },
    async recentCalls(after, limit) {
      return (await api()).recentCalls(after, limit);
    },
    setEnabled(on) {
      recorder.on = on;
    },
    enabled: () => recorder.on,
    describe(patch) {
      Object.assign(session, patch);
      void api().then((s) => s.updateMeta(patch)).catch(() => undefined);
    },
    sources: handlerSources,
  };
}

interface ExportPlan {
  options: ExportOptions;
  /** What the worker records for it; absent when this session is sampled out. */
  field?: { sampleRate: number; spanSampleRate: number };
}

/** Sampled once per page load, before anything is loaded for it: a sampled-out session costs nothing. */
function exportPlan(o: ExportOptions | undefined): ExportPlan | null {
  if (!o || typeof o.endpoint !== 'string') return null;
  const sampleRate = o.sampleRate ?? 1;
  if (!(Math.random() < sampleRate)) return { options: o };
  return { options: o, field: { sampleRate, spanSampleRate: o.spanSampleRate ?? 0 } };
}

/** Set by the client: starts the export when `init({ export })` comes after the client started. */
let startExportLate: ((o: ExportOptions) => void) | null = null;

function sampledOut(): ExportStatus {
  return { state: 'sampled-out', sent: 0, failed: 0, sentAtUnload: 0, bytes: 0, points: { sent: 0, failed: 0 }, spans: { sent: 0, failed: 0 }, pending: { points: 0, spans: 0 }, preparedAt: null, lastError: null };
}

/** Loads the DevTools bridge's page agent off the start-up path; a failure only means no panel. */
function startBridge(c: HomeostatClient): void {
  if (typeof window === 'undefined' || typeof window.addEventListener !== 'function') return;
  const options = {
    get spec(): SpecFile | null {
      return currentSpec;
    },
  };
  import('../bridge/agent.ts').then((m) => m.startAgent(c, options), () => undefined);
}

/** The docs the app passed to `init`/`HomeostatProvider`, whenever it passed them. */
let currentSpec: SpecFile | null = null;

function safely(fn: () => void): void {
  try {
    fn();
  } catch {
    // An observer the browser refuses is evidence we go without, never an app error.
  }
}

/**
 * Starts Homeostat for this page (idempotent: later calls return the same client; of their
 * options only `app`, `build`, `spec` and `export` still apply). Never throws: without a worker or IndexedDB it records in memory and says so
 * in `status()`.
 */
export function init(options: HomeostatOptions = {}): HomeostatClient {
  if (client === null) {
    client = createClient(options);
    // Tools that drive the page (the replay runner, the DevTools bridge) find the client here.
    Object.defineProperty(globalThis, GLOBAL_HANDLE, { value: client, configurable: true, enumerable: false });
    if (options.spec) currentSpec = options.spec;
    if (options.bridge !== false) startBridge(client);
  } else {
    // Started already (instrumenting at module level starts it before a provider renders): the
    // app's docs still reach the panel, and its export still starts.
    if (options.spec) currentSpec = options.spec;
    if (options.export) startExportLate?.(options.export);
    // ...and gets to name itself.
    if (options.app !== undefined || options.build !== undefined) {
      client.describe({
        ...(options.app !== undefined ? { app: options.app } : {}),
        ...(options.build !== undefined ? { build: options.build } : {}),
      });
    }
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
