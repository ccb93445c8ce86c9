/**
 * The client's working part, loaded with `import()` once the client starts: the transport to the
 * telemetry worker (started here), the browser observers, the page lifecycle hooks and the
 * field export. Keeping it out of the entry keeps what every page loads small; until it has
 * loaded, records wait in the recorder's ring.
 */
import type { SessionMeta } from '../core/model.ts';
import type { SpecFile } from '../core/spec.ts';
import { hookBridge } from '../bridge/hook.ts';
import { errorKeyOf } from '../core/errors.ts';
import { Kind, type WireBatch } from '../core/wire.ts';
import type { TelemetryApi } from '../worker/api.ts';
import type { ClientStatus, HomeostatClient, HomeostatOptions } from './api.ts';
import type { Exporter, ExportOptions, ExportStatus } from './export.ts';
import { batcherOf, whenPainted, writeRecord } from './batcher.ts';
import { measureClockResolution } from './clock-step.ts';
import { eventTimingSupported, longFramesSupported, observeEventTiming, observeInp, observeLongFrames } from './observers.ts';
import type { Recorder } from './recorder.ts';
import type { PageRescue } from './rescue.ts';
import { Transport, type WorkerFactory } from './transport.ts';

/** How often a visible page lets the worker confirm the journaled batches it has written. */
const RESCUE_CONFIRM_MS = 5000;

/** How long a final flush waits for the paint after the last work. */
const FINAL_PAINT_WAIT_MS = 3000;

/** The client methods that need the service. */
export type RuntimeMethods = Pick<
  HomeostatClient,
  'flush' | 'aggregates' | 'sessions' | 'exportSession' | 'importSession' | 'clear' | 'saveBaseline' | 'baselines' | 'recentCalls' | 'exportNow'
>;

export interface Runtime extends RuntimeMethods {
  status(): ClientStatus;
  /** Tells the service about new session fields. */
  describe(patch: Partial<SessionMeta>): void;
  /** Starts the field export when `init({ export })` comes after the client started. */
  startExport(options: ExportOptions): void;
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

function safely(fn: () => void): void {
  try {
    fn();
  } catch {
    // An observer the browser refuses is evidence we go without, never an app error.
  }
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

function sampledOut(): ExportStatus {
  return { state: 'sampled-out', sent: 0, failed: 0, sentAtUnload: 0, bytes: 0, points: { sent: 0, failed: 0 }, spans: { sent: 0, failed: 0 }, pending: { points: 0, spans: 0 }, preparedAt: null, lastError: null };
}

/**
 * Starts the worker (or the in-memory service), the observers, the export and the DevTools
 * bridge's hook for `session`.
 */
export function startRuntime(session: SessionMeta, options: HomeostatOptions, recorder: Recorder, client: HomeostatClient, spec: () => SpecFile | null): Runtime {
  session.clockResolutionMs = measureClockResolution();
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
  // Errors are normalised from here on (and those met before now), before anything is shipped.
  recorder.normaliseErrorsWith(errorKeyOf);
  const batcher = batcherOf(recorder);
  // The page's own copy of what the worker has not confirmed written, saved when the tab hides.
  // Loaded beside the runtime (its own chunk, off the runtime's size budget); batches cut before
  // it has loaded are copied and handed over when it has.
  let rescue: PageRescue | null = null;
  let early: WireBatch[] | null = options.worker === false ? null : [];
  if (early) {
    import('./rescue.ts').then(
      (m) => {
        const r = new m.PageRescue(session, () => recorder.allStrings());
        for (const b of early ?? []) r.keep(b);
        early = null;
        rescue = r;
      },
      () => (early = null),
    );
  }
  batcher.attach((b) => {
    if (rescue) rescue.keep(b);
    else if (early && early.length < 256) early.push({ ...b, records: b.records.slice(), strings: b.strings.slice() });
    transport.send(b);
  });
  // Only the worker's IndexedDB write makes the page's copy redundant: a worker still starting,
  // or the in-memory fallback (whose records die with the tab), leaves the journal in charge.
  const writesToDisk = () => transport.status().kind === 'worker' && session.storage === 'indexeddb';
  {
    // A page visible for long is never hidden: batches old enough to be written by the worker's
    // own persistence leave the journal after a flush, so it stays small.
    let confirming = false;
    setInterval(() => {
      const r = rescue;
      if (confirming || !r || !r.pending || !writesToDisk()) return;
      const mark = r.settledMark();
      confirming = true;
      void transport
        .settled()
        .then(api)
        .then(async (s) => {
          await s.flush(false);
          if (await s.durable()) r.confirmed(mark);
        })
        .catch(() => undefined)
        .finally(() => (confirming = false));
    }, RESCUE_CONFIRM_MS);
  }

  // Observers ask for buffered entries: what the browser saw before this module loaded still arrives.
  if (options.longFrames !== false) safely(() => observeLongFrames(recorder, batcher));
  if (options.inp !== false) safely(() => void observeInp(recorder));
  safely(() => observeEventTiming(recorder, batcher, recorder.interactions));
  // Tells attribution which evidence is absent because nothing happened, and which because the browser cannot see it.
  safely(() => writeRecord(recorder, Kind.Observing, options.longFrames !== false && longFramesSupported() ? 1 : 0, eventTimingSupported() ? 1 : 0));

  const api = async (): Promise<TelemetryApi> => transport.service();
  if (typeof addEventListener === 'function') {
    // Hidden is the last moment a page reliably gets (web-vitals reports here too), pagehide the
    // last chance to ship: ship and persist now rather than after the service's write delay. A
    // hidden page paints no more frames, so calls still waiting for their paint or Long Animation
    // Frame are attributed with what is known (as an export does mid-session) rather than held
    // back from the write: a tab closed next may leave the worker no time for another.
    const persistNow = () => {
      batcher.flush();
      // The last batch is journaled by the page itself before this handler returns (the sink
      // above): the worker may not outlive the tab. Once it has written everything, the journal goes.
      const mark = rescue?.mark() ?? null;
      void transport
        .settled()
        .then(api)
        .then(async (s) => {
          await s.flush(true);
          // Only what the worker says is on disk leaves the journal (a refused write is retried in memory, not durable).
          if (mark !== null && writesToDisk() && (await s.durable())) rescue?.confirmed(mark);
        })
        .catch(() => undefined);
    };
    addEventListener('pagehide', persistNow);
    addEventListener('visibilitychange', () => {
      if (globalThis.document?.visibilityState === 'hidden') persistNow();
    });
  }

  const shipped = async () => {
    batcher.flush();
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
          const e = m.startExport(api, plan.options, () => batcher.flush());
          exportStatus = e.status;
          return e;
        },
        () => null,
      )
      // An exporter that cannot start is no export, never an app error.
      .catch(() => null);
  };
  if (exportAtStart) beginExport(exportAtStart, false);
  if (options.bridge !== false) safely(() => hookBridge(client, spec));

  return {
    status() {
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
    describe(patch) {
      void api().then((s) => s.updateMeta(patch)).catch(() => undefined);
    },
    startExport(o) {
      const plan = exportPlan(o);
      if (plan) beginExport(plan, true);
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
      if (opts.final === true) await whenPainted(recorder, FINAL_PAINT_WAIT_MS);
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
      if (id === undefined || id === session.id) await whenPainted(recorder, FINAL_PAINT_WAIT_MS);
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
  };
}
