/**
 * Reads OTLP/JSON metrics as the OpenTelemetry Collector's `file` exporter writes them (one
 * `ExportMetricsServiceRequest` per line, optionally gzipped) or as single request files.
 * Validated with zod at this trust boundary, leniently where the OTLP spec lets collectors add
 * fields; errors name the file and line. Lines that are not metrics (traces, logs) are skipped.
 */
import { createReadStream } from 'node:fs';
import { readdir, readFile, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { createGunzip } from 'node:zlib';
import { z } from 'zod';
import type { FieldPoint } from '../core/field/merge.ts';
import { pointsOfRequest } from '../core/field/merge.ts';
import type { OtlpMetricsRequest } from '../core/field/otlp.ts';
import { issueLines } from '../core/session.ts';

const uint64 = z.union([z.number().int().nonnegative(), z.string().regex(/^\d+$/, 'a decimal integer')]);
const int64 = z.union([z.number().int(), z.string().regex(/^-?\d+$/, 'a decimal integer')]);
const anyValue: z.ZodType<unknown> = z.looseObject({
  stringValue: z.string().optional(),
  boolValue: z.boolean().optional(),
  intValue: int64.optional(),
  doubleValue: z.union([z.number(), z.enum(['NaN', 'Infinity', '-Infinity'])]).optional(),
});
const keyValue = z.looseObject({ key: z.string(), value: anyValue.optional().default({}) });
const attributes = z.array(keyValue).optional().default([]);
const buckets = z.looseObject({ offset: z.number().int().optional().default(0), bucketCounts: z.array(uint64).optional().default([]) });
const expPoint = z.looseObject({
  attributes,
  startTimeUnixNano: uint64.optional(),
  timeUnixNano: uint64,
  count: uint64.optional().default(0),
  sum: z.number().optional(),
  scale: z.number().int().min(-10).max(20).optional().default(0),
  zeroCount: uint64.optional().default(0),
  positive: buckets.optional(),
  negative: buckets.optional(),
  min: z.number().optional(),
  max: z.number().optional(),
});
const numberPoint = z.looseObject({
  attributes,
  startTimeUnixNano: uint64.optional(),
  timeUnixNano: uint64,
  asInt: int64.optional(),
  asDouble: z.number().optional(),
});
const metric = z.looseObject({
  name: z.string(),
  unit: z.string().optional(),
  exponentialHistogram: z.looseObject({ dataPoints: z.array(expPoint).optional().default([]) }).optional(),
  sum: z.looseObject({ dataPoints: z.array(numberPoint).optional().default([]) }).optional(),
});
const request = z.looseObject({
  resourceMetrics: z
    .array(
      z.looseObject({
        resource: z.looseObject({ attributes }).optional(),
        scopeMetrics: z.array(z.looseObject({ metrics: z.array(metric).optional().default([]) })).optional().default([]),
      }),
    )
    .optional()
    .default([]),
});

export class FieldFormatError extends Error {
  constructor(
    readonly source: string,
    readonly issues: string[],
  ) {
    super(`${source}: not OTLP/JSON metrics Homeostat can read:\n  ${issues.join('\n  ')}`);
    this.name = 'FieldFormatError';
  }
}

/** Validates one parsed request; `where` names it in errors (file:line). */
export function parseMetricsRequest(value: unknown, where: string): OtlpMetricsRequest {
  const r = request.safeParse(value);
  if (!r.success) throw new FieldFormatError(where, issueLines(r.error));
  for (const rm of r.data.resourceMetrics) {
    for (const sm of rm.scopeMetrics) {
      for (const m of sm.metrics) {
        for (const dp of m.exponentialHistogram?.dataPoints ?? []) {
          if ((dp.negative?.bucketCounts ?? []).some((n) => Number(n) > 0)) {
            throw new FieldFormatError(where, [`${m.name}: negative values in an exponential histogram; timings are never negative`]);
          }
        }
      }
    }
  }
  return r.data as unknown as OtlpMetricsRequest;
}

const SUFFIXES = ['.json', '.jsonl', '.ndjson', '.json.gz', '.jsonl.gz', '.ndjson.gz'];

/** Expands files and directories (their OTLP files, sorted) to file paths, each once. */
export async function fieldFiles(paths: readonly string[]): Promise<string[]> {
  const out: string[] = [];
  for (const p of paths) {
    const s = await stat(p);
    if (s.isDirectory()) {
      const names = (await readdir(p)).filter((n) => !n.startsWith('.') && SUFFIXES.some((x) => n.endsWith(x))).sort();
      out.push(...names.map((n) => join(p, n)));
    } else out.push(p);
  }
  return [...new Set(out.map((p) => resolve(p)))];
}

/** Every Homeostat point in one file: JSON lines (the collector's file exporter) or one JSON document. */
export async function* readOtlpFile(file: string): AsyncGenerator<FieldPoint> {
  const gz = file.endsWith('.gz');
  const input = gz ? createReadStream(file).pipe(createGunzip()) : createReadStream(file);
  const lines = createInterface({ input, crlfDelay: Infinity });
  let n = 0;
  let first = true;
  let whole: string[] | null = null;
  for await (const line of lines) {
    n++;
    if (whole) {
      whole.push(line);
      continue;
    }
    const text = line.trim();
    if (text === '') continue;
    const isFirst = first;
    first = false;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (e) {
      // The first line is not a request: a pretty-printed document. Read it whole.
      if (isFirst) {
        whole = [line];
        continue;
      }
      throw new FieldFormatError(`${file}:${n}`, [`not JSON: ${(e as Error).message}`]);
    }
    if (!isMetrics(value)) continue;
    yield* pointsOfRequest(parseMetricsRequest(value, `${file}:${n}`));
  }
  if (whole) {
    const text = gz ? whole.join('\n') : await readFile(file, 'utf8');
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (e) {
      throw new FieldFormatError(file, [`not JSON or JSON lines: ${(e as Error).message}`]);
    }
    const requests = Array.isArray(value) ? value : [value];
    for (const [i, r] of requests.entries()) if (isMetrics(r)) yield* pointsOfRequest(parseMetricsRequest(r, requests.length > 1 ? `${file}[${i}]` : file));
  }
}

function isMetrics(v: unknown): boolean {
  return v !== null && typeof v === 'object' && 'resourceMetrics' in v;
}
