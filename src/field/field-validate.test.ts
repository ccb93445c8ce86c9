/**
 * The field readers refuse what the OTLP schema allows but no histogram or counter can mean,
 * naming the file, the line and the point; they read only the app the spec (or --app) names.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { OtlpMetricsRequest } from '../core/field/otlp.ts';
import { FieldRecorder } from '../core/field/recorder.ts';
import { call, meta } from '../core/field/test-fixtures.ts';
import { loadField } from './load.ts';

let cwd: string;
beforeEach(async () => {
  cwd = await mkdtemp(join(tmpdir(), 'homeostat-field-validate-'));
});
afterEach(async () => {
  await rm(cwd, { recursive: true, force: true });
});

/** One session's export of `calls` addToCart calls, as one OTLP request. */
function request(session: string, app: string, calls: number): OtlpMetricsRequest {
  const rec = new FieldRecorder(meta(session, { app }));
  for (let i = 0; i < calls; i++) rec.addCall(call('addToCart', 1 + i));
  const batch = rec.collect({ now: 1_767_000_001_000 })!;
  return JSON.parse(batch.metrics[0]!) as OtlpMetricsRequest;
}

type Point = Record<string, unknown> & { positive: { offset: number; bucketCounts: Array<string | number> } };

/** The blocking histogram point of a request, to be broken in place. */
function blocking(req: OtlpMetricsRequest): Point {
  for (const m of req.resourceMetrics[0]!.scopeMetrics[0]!.metrics) {
    if (m.name === 'homeostat.handler.blocking') return m.exponentialHistogram!.dataPoints[0] as unknown as Point;
  }
  throw new Error('no blocking histogram');
}

function callsCounter(req: OtlpMetricsRequest): Record<string, unknown> {
  for (const m of req.resourceMetrics[0]!.scopeMetrics[0]!.metrics) if (m.name === 'homeostat.handler.calls') return m.sum!.dataPoints[0] as unknown as Record<string, unknown>;
  throw new Error('no calls counter');
}

async function fieldFile(...reqs: OtlpMetricsRequest[]): Promise<string> {
  await mkdir(join(cwd, 'otel'), { recursive: true });
  await writeFile(join(cwd, 'otel', 'metrics.jsonl'), reqs.map((r) => JSON.stringify(r)).join('\n'));
  return 'otel';
}

const breakages: Array<[string, (r: OtlpMetricsRequest) => void, RegExp]> = [
  ['an offset of 2e9 (bounds beyond any double)', (r) => void (blocking(r).positive.offset = 2e9), /offset 2000000000 .*outside what a double holds/],
  ['an offset of -2e9', (r) => void (blocking(r).positive.offset = -2e9), /outside what a double holds/],
  ['a count that is not its buckets\' sum', (r) => void (blocking(r)['count'] = Number(blocking(r)['count']) + 1), /count \d+ differs from the sum of its buckets/],
  ['a bucket of 2^64', (r) => void (blocking(r).positive.bucketCounts[0] = '18446744073709551616'), /bucketCounts\[0\] .* beyond 2\^53/],
  ['a negative counter', (r) => void (callsCounter(r)['asInt'] = '-5'), /sum\.dataPoints\[0\]: value -5 is negative/],
  ['a negative sum of timings', (r) => void (blocking(r)['sum'] = -1), /sum -1 is not a non-negative number/],
];

describe('field readers validate what the schema cannot', () => {
  for (const [what, breakIt, message] of breakages) {
    it(`refuse ${what}, naming the file, line and point`, async () => {
      const bad = request('s2', 'shop', 5);
      breakIt(bad);
      const dir = await fieldFile(request('s1', 'shop', 3), bad);
      const error = await loadField([dir], cwd).then(
        () => null,
        (e: Error) => e,
      );
      expect(error?.message).toMatch(/metrics\.jsonl:2/);
      expect(error?.message).toMatch(/resourceMetrics\[0\]\.scopeMetrics\[0\]\.metrics\[\d+\] \(homeostat\.handler\.(blocking|calls)\)/);
      expect(error?.message).toMatch(message);
    });
  }

  it('never crash or accept a point whose bucket layout is out of bounds (any offset, scale and size)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: -(2 ** 31), max: 2 ** 31 }), fc.integer({ min: -10, max: 20 }), fc.integer({ min: 1, max: 4 }), async (offset, scale, n) => {
        const req = request('s', 'shop', 1);
        const p = blocking(req);
        p.positive = { offset, bucketCounts: new Array(n).fill(1) };
        p['count'] = n;
        p['zeroCount'] = 0;
        p['scale'] = scale;
        delete p['min'];
        delete p['max'];
        const dir = await fieldFile(req);
        const exp = [offset * 2 ** -scale, (offset + n) * 2 ** -scale];
        const inDoubles = exp[0]! >= -1074 && exp[1]! <= 1024;
        const got = await loadField([dir], cwd).then(
          (s) => s.handlers.get('addToCart')?.metrics['blocking']?.count ?? 0,
          (e: Error) => e.message,
        );
        if (inDoubles) expect(got).toBe(n);
        else expect(got).toMatch(/outside what a double holds/);
      }),
      { numRuns: 60 },
    );
  });
});

describe('field readers read one app', () => {
  it('read only the app asked for, and count and name the others', async () => {
    const dir = await fieldFile(request('a', 'shop', 3), request('b', 'blog', 7), request('c', 'shop', 2));
    const shop = await loadField([dir], cwd, { app: 'shop' });
    expect(shop.handlers.get('addToCart')!.calls).toBe(5);
    expect(shop.sessions).toBe(2);
    expect(shop.otherApps).toEqual([{ app: 'blog', points: expect.any(Number) }]);
    expect(shop.otherApps[0]!.points).toBeGreaterThan(0);
  });

  it('refuse to merge several apps when none is named', async () => {
    const dir = await fieldFile(request('a', 'shop', 3), request('b', 'blog', 7));
    await expect(loadField([dir], cwd)).rejects.toThrow(/2 apps \((shop, blog|blog, shop)\): name one with --app/);
  });

  it('read the only app there is when none is named', async () => {
    const dir = await fieldFile(request('a', 'shop', 3));
    expect((await loadField([dir], cwd)).handlers.get('addToCart')!.calls).toBe(3);
  });

  it('name a directory that is named like a data file, instead of a bare EISDIR', async () => {
    await mkdir(join(cwd, 'otel', 'x.jsonl'), { recursive: true });
    await expect(loadField(['otel'], cwd)).rejects.toThrow(/otel\/x\.jsonl is a directory .*expected an OTLP\/JSON file/);
  });
});
