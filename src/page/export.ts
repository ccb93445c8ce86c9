/**
 * Field export to an OpenTelemetry Collector over OTLP/HTTP JSON. Loaded with `import()` only
 * when `init({ export })` is set and the session is sampled in. The worker keeps the session's
 * aggregates and builds the requests; this module only schedules, sends and counts:
 * - every `intervalMs` (and when the page is hidden) it asks the worker for what changed and
 *   POSTs it with `fetch` (`keepalive` when it fits the browser's 64 KB budget);
 * - it keeps the latest prepared batch at hand, so on `pagehide` (no time left for a worker
 *   round trip) it sends that synchronously with `fetch(keepalive)`, else `sendBeacon`;
 * - a failed send is retried with backoff: its data stays dirty in the worker and rides in the
 *   next request (metrics are cumulative, so a resend never double counts).
 * Nothing here throws into the app or blocks it; what could not be sent is counted in
 * `status().export`.
 */
import type { FieldBatch, TelemetryApi } from '../worker/api.ts';

export interface ExportOptions {
  /**
   * The collector's OTLP/HTTP base URL (as `OTEL_EXPORTER_OTLP_ENDPOINT`): requests go to
   * `<endpoint>/v1/metrics` and `<endpoint>/v1/traces`.
   */
  endpoint: string;
  /** Full URLs per signal, overriding `endpoint` (as `OTEL_EXPORTER_OTLP_{METRICS,TRACES}_ENDPOINT`). */
  metricsUrl?: string;
  tracesUrl?: string;
  /** Extra request headers (an API key). Any header makes the browser send a CORS preflight. */
  headers?: Record<string, string>;
  /** Share of sessions that export at all (default 1). Decided once per page load. */
  sampleRate?: number;
  /** Share of sequences also sent as spans (default 0: metrics only). */
  spanSampleRate?: number;
  /** How often changes are sent while the page is visible (default 60 s, the OpenTelemetry SDK's). */
  intervalMs?: number;
  /** Largest request body (default 60,000 bytes: under the keepalive / sendBeacon limit). */
  maxBytes?: number;
  /** Request timeout (default 10 s, the OTLP exporter's). */
  timeoutMs?: number;
}

/** What the export did this session (`status().export`). */
export interface ExportStatus {
  state: 'sampled-out' | 'on';
  /** Requests sent and acknowledged with a 2xx, requests that failed (network, any other HTTP status including redirects, timeout). */
  sent: number;
  failed: number;
  /** Requests sent while the page was closing (no answer can be awaited). */
  sentAtUnload: number;
  bytes: number;
  /** Data points and spans in acknowledged requests, and in failed ones (sent again later, if the page lives). */
  points: { sent: number; failed: number };
  spans: { sent: number; failed: number };
  /** Data points and spans prepared but not yet delivered. */
  pending: { points: number; spans: number };
  /** Epoch ms when the batch held for `pagehide` was last prepared (null: none held). */
  preparedAt: number | null;
  lastError: string | null;
}

/** How long a prepared batch may be held before the worker is asked again (fresh data for `pagehide`). */
const REFRESH_MS = 1000;
/** The browser's budget for keepalive requests and beacons in flight. */
const KEEPALIVE_LIMIT = 64_000;

export class Exporter {
  readonly status: ExportStatus = {
    state: 'on',
    sent: 0,
    failed: 0,
    sentAtUnload: 0,
    bytes: 0,
    points: { sent: 0, failed: 0 },
    spans: { sent: 0, failed: 0 },
    pending: { points: 0, spans: 0 },
    preparedAt: null,
    lastError: null,
  };
  private ready: FieldBatch | null = null;
  private busy: Promise<void> | null = null;
  /** When the next send is due (the interval after a success, a backoff after a failure). */
  private nextSend = 0;
  private backoffMs = 0;
  private timer: ReturnType<typeof setInterval> | null = null;
  private readonly metricsUrl: string;
  private readonly tracesUrl: string;
  private readonly intervalMs: number;
  private readonly maxBytes: number;
  private readonly timeoutMs: number;

  constructor(
    private readonly service: () => Promise<TelemetryApi>,
    private readonly options: ExportOptions,
    /** Ships the page's buffered records to the worker first. */
    private readonly shipRecords: () => void,
  ) {
    const base = options.endpoint.replace(/\/+$/, '');
    this.metricsUrl = options.metricsUrl ?? `${base}/v1/metrics`;
    this.tracesUrl = options.tracesUrl ?? `${base}/v1/traces`;
    this.intervalMs = Math.max(1000, options.intervalMs ?? 60_000);
    this.maxBytes = Math.min(KEEPALIVE_LIMIT, Math.max(2000, options.maxBytes ?? 60_000));
    this.timeoutMs = options.timeoutMs ?? 10_000;
    this.nextSend = Date.now() + this.intervalMs;
  }

  start(): void {
    this.timer = setInterval(() => void this.tick(false), REFRESH_MS);
    addEventListener('visibilitychange', () => {
      if (globalThis.document?.visibilityState === 'hidden') void this.tick(true, true);
    });
    addEventListener('pagehide', () => this.sendAtUnload());
  }

  stop(): void {
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
  }

  /** Prepares and sends now (what `exportNow()` and a hidden page do). */
  flush(): Promise<void> {
    return this.tick(true);
  }

  /** `hiding`: the page was hidden and may be unloaded next, so requests use keepalive. */
  private tick(force: boolean, hiding = false): Promise<void> {
    if (this.busy) return force ? this.busy.then(() => this.tick(true, hiding)) : this.busy;
    this.busy = this.run(force, hiding)
      .catch((e) => {
        this.status.lastError = describe(e);
      })
      .finally(() => {
        this.busy = null;
      });
    return this.busy;
  }

  private async run(force: boolean, hiding: boolean): Promise<void> {
    const due = force || Date.now() >= this.nextSend;
    this.shipRecords();
    const api = await this.service();
    // Replace the held batch with a fresh one: the old one goes back (its spans re-queued).
    if (this.ready) await api.fieldAck(this.ready.id, false);
    this.ready = await api.fieldCollect({ now: Date.now(), maxBytes: this.maxBytes, failures: this.status.failed });
    this.setPending();
    if (!this.ready || !due) return;
    const batch = this.ready;
    this.ready = null;
    const ok = await this.send(batch, hiding);
    await api.fieldAck(batch.id, ok);
    // A failed batch is back in the worker, to be sent again: still pending.
    this.status.pending = ok ? { points: 0, spans: 0 } : { points: batch.points, spans: batch.spans };
  }

  private async send(batch: FieldBatch, hiding: boolean): Promise<boolean> {
    let ok = true;
    // The browser allows 64 KB of keepalive bodies in flight; beyond it a request fails outright.
    let keepalive = hiding ? KEEPALIVE_LIMIT : 0;
    for (const [url, bodies, kind] of [
      [this.metricsUrl, batch.metrics, 'points'],
      [this.tracesUrl, batch.traces, 'spans'],
    ] as const) {
      for (const body of bodies) {
        const size = byteLength(body);
        const alive = size <= keepalive;
        if (alive) keepalive -= size;
        const delivered = await this.post(url, body, alive);
        ok &&= delivered;
      }
      const n = kind === 'points' ? batch.points : batch.spans;
      if (bodies.length > 0) this.status[kind][ok ? 'sent' : 'failed'] += n;
    }
    if (ok) {
      this.backoffMs = 0;
      this.nextSend = Date.now() + this.intervalMs;
    } else {
      // Retry sooner than the interval at first, then back off (as OTLP exporters do).
      this.backoffMs = Math.min(this.intervalMs, this.backoffMs === 0 ? 1000 : this.backoffMs * 2);
      this.nextSend = Date.now() + this.backoffMs;
    }
    return ok;
  }

  private async post(url: string, body: string, keepalive: boolean): Promise<boolean> {
    const controller = typeof AbortController === 'function' ? new AbortController() : null;
    const timer = controller ? setTimeout(() => controller.abort(), this.timeoutMs) : null;
    try {
      const res = await fetch(url, {
        method: 'POST',
        body,
        headers: { 'Content-Type': 'application/json', ...this.options.headers },
        // Only when the page may be going away: a visible page has time for an ordinary request.
        keepalive,
        credentials: 'omit',
        // A redirect is not an acknowledgement: followed, a POST turns into a GET of another
        // page (its 200 says nothing about our data). Unfollowed, it is a failure like any other
        // non-2xx, and the data stays in the worker for the next attempt.
        redirect: 'manual',
        ...(controller ? { signal: controller.signal } : {}),
      });
      // `opaqueredirect` (status 0) in browsers, the 3xx itself in Node: both are not 2xx.
      if (res.status >= 200 && res.status < 300 && res.type !== 'opaqueredirect') {
        this.status.sent++;
        this.status.bytes += byteLength(body);
        return true;
      }
      this.fail(res.type === 'opaqueredirect' || (res.status >= 300 && res.status < 400) ? `redirected (HTTP ${res.status || '3xx'}) by ${url}: not delivered` : `HTTP ${res.status} from ${url}`);
      return false;
    } catch (e) {
      this.fail(`${describe(e)} (${url})`);
      return false;
    } finally {
      if (timer !== null) clearTimeout(timer);
    }
  }

  /** The page is going away: send the prepared batch now, without waiting for anything. */
  private sendAtUnload(): void {
    const batch = this.ready;
    if (!batch) return;
    this.ready = null;
    let budget = KEEPALIVE_LIMIT;
    for (const [url, bodies] of [
      [this.metricsUrl, batch.metrics],
      [this.tracesUrl, batch.traces],
    ] as const) {
      for (const body of bodies) {
        const size = byteLength(body);
        if (size > budget) {
          this.fail('page closed before everything was sent');
          continue;
        }
        budget -= size;
        if (this.beacon(url, body)) {
          this.status.sentAtUnload++;
          this.status.bytes += byteLength(body);
        } else this.fail(`could not send to ${url} while the page closed`);
      }
    }
  }

  private beacon(url: string, body: string): boolean {
    try {
      void fetch(url, {
        method: 'POST',
        body,
        headers: { 'Content-Type': 'application/json', ...this.options.headers },
        keepalive: true,
        credentials: 'omit',
        redirect: 'manual',
      }).catch(() => undefined);
      return true;
    } catch {
      // No keepalive fetch here: a beacon (its Blob type keeps the OTLP content type).
      try {
        return typeof navigator.sendBeacon === 'function' && navigator.sendBeacon(url, new Blob([body], { type: 'application/json' }));
      } catch {
        return false;
      }
    }
  }

  private fail(reason: string): void {
    this.status.failed++;
    this.status.lastError = reason;
  }

  private setPending(): void {
    this.status.pending = { points: this.ready?.points ?? 0, spans: this.ready?.spans ?? 0 };
    this.status.preparedAt = this.ready ? Date.now() : null;
  }
}

/** Starts the exporter for this page; the caller has already decided the session is sampled in. */
export function startExport(service: () => Promise<TelemetryApi>, options: ExportOptions, shipRecords: () => void): Exporter {
  const exporter = new Exporter(service, options, shipRecords);
  exporter.start();
  return exporter;
}

function byteLength(s: string): number {
  return new TextEncoder().encode(s).length;
}

function describe(e: unknown): string {
  return e instanceof Error ? `${e.name}: ${e.message}` : String(e);
}
