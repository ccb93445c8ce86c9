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
import { expHistogramState, type OtlpMetricsRequest } from '../core/field/otlp.ts';
import { counterProblems, histogramProblems } from '../core/field/validate.ts';
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
  const data = r.data as unknown as OtlpMetricsRequest;
  // What the schema cannot say: each Homeostat point must be a histogram or a counter that can be.
  const problems: string[] = [];
  for (const [i, rm] of data.resourceMetrics.entries()) {
    for (const [j, sm] of rm.scopeMetrics.entries()) {
      for (const [k, m] of sm.metrics.entries()) {
        if (!m.name.startsWith('homeostat.')) continue;
        const at = `resourceMetrics[${i}].scopeMetrics[${j}].metrics[${k}] (${m.name})`;
        for (const [d, dp] of (m.exponentialHistogram?.dataPoints ?? []).entries()) {
          const negative = (dp.negative?.bucketCounts ?? []).reduce<number>((a, n) => a + Number(n), 0);
          if (negative > 0) {
            problems.push(`${at} exponentialHistogram.dataPoints[${d}]: negative values in an exponential histogram; timings are never negative`);
            continue;
          }
          for (const p of histogramProblems(expHistogramState(dp))) problems.push(`${at} exponentialHistogram.dataPoints[${d}]: ${p}`);
        }
        for (const [d, dp] of (m.sum?.dataPoints ?? []).entries()) {
          const v = dp.asInt !== undefined ? Number(dp.asInt) : (dp.asDouble ?? 0);
          for (const p of counterProblems(v)) problems.push(`${at} sum.dataPoints[${d}]: ${p}`);
        }
      }
    }
  }
  if (problems.length > 0) throw new FieldFormatError(where, problems.slice(0, 10).concat(problems.length > 10 ? [`… and ${problems.length - 10} more`] : []));
  return data;
}

/** A field input that is not what it should be on disk (the path and what was expected). */
export class FieldFileError extends Error {
  constructor(
    readonly path: string,
    what: string,
  ) {
    super(`--field ${path} ${what}`);
    this.name = 'FieldFileError';
  }
}

const SUFFIXES = ['.json', '.jsonl', '.ndjson', '.json.gz', '.jsonl.gz', '.ndjson.gz'];

/** Expands files and directories (their OTLP files, sorted) to file paths, each once. */
export async function fieldFiles(paths: readonly string[]): Promise<string[]> {
  const out: string[] = [];
  for (const p of paths) {
    const s = await stat(p);
    if (s.isDirectory()) {
      const names = (await readdir(p)).filter((n) => !n.startsWith('.') && SUFFIXES.some((x) => n.endsWith(x))).sort();
      for (const n of names) {
        const file = join(p, n);
        // A folder named like a data file is not data: say so rather than fail with a bare EISDIR.
        if (!(await stat(file)).isFile()) throw new FieldFileError(file, 'is a directory (or not a regular file); expected an OTLP/JSON file');
        out.push(file);
      }
    } else if (s.isFile()) out.push(p);
    else throw new FieldFileError(p, 'is not a regular file or a directory of OTLP/JSON files');
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
