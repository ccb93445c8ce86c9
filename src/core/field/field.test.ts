import { describe, expect, it } from 'vitest';
import { seededRandom } from '../check/prng.ts';
import { relativeAccuracy } from './exphist.ts';
import { FieldMerger, pointsOfRequest } from './merge.ts';
import type { OtlpMetricsRequest, OtlpTracesRequest } from './otlp.ts';
import { FieldRecorder } from './recorder.ts';
import { call, meta, seq } from './test-fixtures.ts';

function parse(body: string): OtlpMetricsRequest {
  return JSON.parse(body) as OtlpMetricsRequest;
}

describe('FieldRecorder → FieldMerger', () => {
  it('merges 100 sessions into quantiles within the stated accuracy of the raw calls', () => {
    const random = seededRandom(7);
    const merger = new FieldMerger('test');
    const raw: number[] = [];
    for (let s = 0; s < 100; s++) {
      const rec = new FieldRecorder(meta(`s${s}`));
      const n = 5 + Math.floor(random() * 40);
      for (let i = 0; i < n; i++) {
        // Lognormal around 8 ms.
        const u = Math.max(1e-9, random());
        const v = random();
        const ms = 8 * Math.exp(0.6 * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v));
        raw.push(ms);
        rec.addCall(call('renderReact', ms));
      }
      const batch = rec.collect({ now: 1_767_000_100_000 })!;
      for (const body of batch.metrics) merger.addAll(pointsOfRequest(parse(body)));
    }
    const snap = merger.snapshot();
    expect(snap.sessions).toBe(100);
    const d = snap.handlers.get('renderReact')!.metrics['blocking']!;
    expect(d.count).toBe(raw.length);
    expect(snap.handlers.get('renderReact')!.calls).toBe(raw.length);
    expect(snap.handlers.get('renderReact')!.modes.blocking).toBe(raw.length);
    const sorted = raw.slice().sort((a, b) => a - b);
    for (const q of [0.5, 0.75, 0.95, 0.99]) {
      const truth = sorted[Math.floor(q * (sorted.length - 1))]!;
      expect(Math.abs(d.quantile(q) - truth) / truth).toBeLessThanOrEqual(d.relativeAccuracy + 1e-9);
    }
    expect(d.relativeAccuracy).toBeCloseTo(relativeAccuracy(5), 6);
    expect(snap.relativeAccuracy).toBeLessThan(0.011);
  });

  it('sends only what changed, and a resent or repeated payload counts once', () => {
    const rec = new FieldRecorder(meta('s1'));
    rec.addCall(call('a', 2));
    rec.addCall(call('b', 3));
    const first = rec.collect({ now: 1_767_000_001_000 })!;
    // The send failed: everything stays dirty and is sent again with what came next.
    rec.ack(first.id, false);
    rec.addCall(call('a', 4));
    const second = rec.collect({ now: 1_767_000_002_000 })!;
    expect(second.points).toBeGreaterThanOrEqual(first.points);
    rec.ack(second.id, true);
    expect(rec.collect({ now: 1_767_000_003_000 })).toBeNull();
    rec.addCall(call('a', 5));
    const third = rec.collect({ now: 1_767_000_004_000 })!;
    const names = parse(third.metrics[0]!).resourceMetrics[0]!.scopeMetrics[0]!.metrics.flatMap((m) =>
      (m.exponentialHistogram?.dataPoints ?? m.sum!.dataPoints).map((p) => p.attributes.find((a) => a.key === 'homeostat.handler.name')?.value.stringValue),
    );
    expect(new Set(names)).toEqual(new Set(['a']));
    rec.ack(third.id, true);

    const merger = new FieldMerger('test');
    // Every payload, the failed one included, twice: the collector may have got it anyway.
    for (const b of [first, second, third, first, second, third]) for (const body of b.metrics) merger.addAll(pointsOfRequest(parse(body)));
    const snap = merger.snapshot();
    expect(snap.handlers.get('a')!.calls).toBe(3);
    expect(snap.handlers.get('a')!.metrics['blocking']!.count).toBe(3);
    expect(snap.handlers.get('b')!.calls).toBe(1);
  });

  it('splits payloads to stay under maxBytes', () => {
    const rec = new FieldRecorder(meta('s1'));
    for (let h = 0; h < 40; h++) for (let i = 0; i < 20; i++) rec.addCall(call(`handler${h}`, 0.5 + i * 7.3));
    const batch = rec.collect({ now: 1_767_000_001_000, maxBytes: 8000 })!;
    expect(batch.metrics.length).toBeGreaterThan(1);
    for (const body of batch.metrics) expect(new TextEncoder().encode(body).length).toBeLessThanOrEqual(8000);
    const merger = new FieldMerger('test');
    for (const body of batch.metrics) merger.addAll(pointsOfRequest(parse(body)));
    const snap = merger.snapshot();
    expect(snap.handlers.size).toBe(40);
    for (const h of snap.handlers.values()) expect(h.calls).toBe(20);
  });

  it('records error patterns, transition modes, sequences and sampled spans', () => {
    const rec = new FieldRecorder(meta('s1'), { spanSampleRate: 1 }, () => 0);
    const c1 = call('parseQuery', 1, { error: { name: 'SyntaxError', message: 'Invalid regular expression: <regexp>' }, outcome: 'threw', mode: 'none' });
    const c2 = call('applyFilters', 3, { mode: 'transition', sequence: 2 });
    rec.addCall(c1);
    rec.addCall(c2);
    const s2 = seq({ id: 2, name: 'change:applyFilters', trigger: { type: 'change', timeStamp: 9 }, explicit: false, start: 9, end: 40, calls: [c1.id, c2.id], handlers: ['parseQuery', 'applyFilters'] });
    rec.addSequence(s2, [c1, c2]);
    rec.addCommit(true);
    const batch = rec.collect({ now: 1_767_000_001_000, failures: 2 })!;
    const merger = new FieldMerger('test');
    for (const body of batch.metrics) merger.addAll(pointsOfRequest(parse(body)));
    const snap = merger.snapshot();
    expect(snap.handlers.get('parseQuery')).toMatchObject({ errors: 1, errorPatterns: [{ name: 'SyntaxError', message: 'Invalid regular expression: <regexp>', count: 1 }] });
    expect(snap.handlers.get('applyFilters')!.modes.transition).toBe(1);
    const s = snap.sequences.get('change:applyFilters')!;
    expect(s).toMatchObject({ runs: 1, triggers: { change: 1 }, variants: [{ handlers: ['parseQuery', 'applyFilters'], count: 1 }] });
    expect(s.metrics['duration']!.quantile(0.5)).toBeCloseTo(31, 0);
    expect(snap.commits.attributed).toBe(1);
    expect(snap.exportFailures).toBe(2);
    expect(batch.traces).toHaveLength(1);
    const spans = (JSON.parse(batch.traces[0]!) as OtlpTracesRequest).resourceSpans[0]!.scopeSpans[0]!.spans;
    expect(spans.map((x) => x.name)).toEqual(['change:applyFilters', 'parseQuery', 'applyFilters']);
    expect(spans[1]!.status).toEqual({ code: 2, message: 'Invalid regular expression: <regexp>' });
    expect(new Set(spans.map((x) => x.traceId)).size).toBe(1);
    expect(spans[1]!.parentSpanId).toBe(spans[0]!.spanId);
    // Spans of an acknowledged batch are not sent again.
    rec.ack(batch.id, true);
    expect(rec.collect({ now: 1_767_000_002_000 })).toBeNull();
  });

  it('sends no page URL, user agent or handler arguments', () => {
    const rec = new FieldRecorder(meta('s1', { url: 'https://shop.example/orders/123?email=a@b.c', userAgent: 'Mozilla/5.0 secret' }), { spanSampleRate: 1 }, () => 0);
    const c = call('submit', 2);
    rec.addCall(c);
    rec.addSequence(seq({ id: 1, name: 'click:submit', trigger: null, explicit: false, start: 0, end: 5, calls: [c.id], handlers: ['submit'] }), [c]);
    const batch = rec.collect({ now: 1_767_000_001_000 })!;
    const all = [...batch.metrics, ...batch.traces].join('\n');
    expect(all).not.toMatch(/shop\.example|orders|a@b\.c|Mozilla/);
  });
});
