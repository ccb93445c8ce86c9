/**
 * Synthetic production field data for tests: simulated users' sessions of one build, each
 * recorded by the page's own FieldRecorder and exported as the OTLP/JSON requests the collector's
 * file exporter writes (one JSON line per request). Seeded, so every run sees the same users.
 */
import { seededRandom, type Random } from '../core/check/prng.ts';
import { FieldRecorder } from '../core/field/recorder.ts';
import { call, meta } from '../core/field/test-fixtures.ts';

export interface SyntheticHandler {
  /** Median interaction (ms) of a call on this build. */
  interactionMs: number;
  /** Log-scale spread of calls (default 0.35). */
  sigma?: number;
  /** Share of calls that throw (default 0). */
  errorRate?: number;
}

export interface SyntheticBuild {
  app?: string;
  build: string;
  sessions: number;
  seed: number;
  handlers: Record<string, SyntheticHandler>;
  /** Calls per handler per session, drawn uniformly (default 5–30). */
  calls?: [number, number];
  /** Share of sessions whose exporter failed at least once (default 0). */
  exportFailureRate?: number;
  /** Per-session device speed: a lognormal factor with this spread on every call (default 0.25). */
  deviceSigma?: number;
}

function normal(random: Random): number {
  const u = Math.max(1e-12, random());
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
}

/** The OTLP/JSON metric requests of every session of the build, one string per request. */
export function syntheticRequests(b: SyntheticBuild): string[] {
  const random = seededRandom(b.seed);
  const [lo, hi] = b.calls ?? [5, 30];
  const out: string[] = [];
  for (let s = 0; s < b.sessions; s++) {
    const startedAt = 1_767_000_000_000 + s * 60_000;
    const rec = new FieldRecorder(meta(`${b.build}-${b.seed}-${s}`, { app: b.app ?? 'demo', build: b.build, startedAt, timeOrigin: startedAt }));
    const device = Math.exp((b.deviceSigma ?? 0.25) * normal(random));
    for (const [handler, h] of Object.entries(b.handlers)) {
      const n = lo + Math.floor(random() * (hi - lo + 1));
      for (let i = 0; i < n; i++) {
        const ms = h.interactionMs * device * Math.exp((h.sigma ?? 0.35) * normal(random));
        const threw = random() < (h.errorRate ?? 0);
        rec.addCall(
          call(handler, ms * 0.8, {
            interactionMs: ms,
            resultMs: ms * 1.05,
            ...(threw ? { outcome: 'threw' as const, error: { name: 'TypeError', message: 'x is undefined' } } : {}),
          }),
        );
      }
    }
    const failures = random() < (b.exportFailureRate ?? 0) ? 1 : 0;
    const batch = rec.collect({ now: startedAt + 30_000, maxBytes: 1_000_000, ...(failures ? { failures } : {}) });
    if (batch) out.push(...batch.metrics);
  }
  return out;
}

/** JSON lines for a file exporter file holding every build given. */
export function syntheticJsonLines(builds: readonly SyntheticBuild[]): string {
  return builds.flatMap(syntheticRequests).join('\n') + '\n';
}
