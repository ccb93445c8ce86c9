/** The client's public types: what `init` takes and what the page's client answers. */
import type { SessionMeta } from '../core/model.ts';
import type { SpecFile } from '../core/spec.ts';
import type { TelemetryApi } from '../worker/api.ts';
import type { ExportOptions, ExportStatus } from './export.ts';
import type { SourceLocation } from './sources.ts';
import type { TransportStatus, WorkerFactory } from './transport.ts';

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

/**
 * What the app (and tests, the demo runner, the DevTools bridge) can ask the page: the telemetry
 * service's queries as the service answers them, plus what only the page knows.
 */
export interface HomeostatClient
  extends Pick<TelemetryApi, 'aggregates' | 'sessions' | 'exportSession' | 'importSession' | 'clear' | 'saveBaseline' | 'baselines' | 'recentCalls'> {
  readonly session: SessionMeta;
  status(): ClientStatus;
  /** Ships buffered records and waits until the service has them. `final` closes open sequences. */
  flush(options?: { final?: boolean }): Promise<void>;
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
