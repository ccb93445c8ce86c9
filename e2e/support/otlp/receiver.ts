/**
 * A local stand-in for an OpenTelemetry Collector's OTLP/HTTP receiver: accepts JSON on
 * /v1/metrics and /v1/traces (with CORS, as the collector's `cors` setting does), validates
 * every payload against the official .proto definitions with the proto3 JSON mapping as
 * OTLP/HTTP amends it (lowerCamelCase keys, enums as integers, hex trace/span ids, 64-bit
 * integers as numbers or decimal strings; unknown keys are errors), and keeps what it got.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import protobuf from 'protobufjs';

const PROTO_DIR = fileURLToPath(new URL('.', import.meta.url));

let root: protobuf.Root | null = null;
function schema(): protobuf.Root {
  if (root) return root;
  const r = new protobuf.Root();
  r.resolvePath = (_origin, target) => join(PROTO_DIR, target);
  r.loadSync(['opentelemetry/proto/collector/metrics/v1/metrics_service.proto', 'opentelemetry/proto/collector/trace/v1/trace_service.proto']);
  r.resolveAll();
  return (root = r);
}

const HEX_IDS: Record<string, number> = { traceId: 32, spanId: 16, parentSpanId: 16 };
const INT32 = new Set(['int32', 'sint32', 'sfixed32']);
const UINT32 = new Set(['uint32', 'fixed32']);
const INT64 = new Set(['int64', 'sint64', 'sfixed64']);
const UINT64 = new Set(['uint64', 'fixed64']);

function checkScalar(field: protobuf.Field, v: unknown, path: string, errors: string[]): void {
  const t = field.type;
  const bad = (what: string) => errors.push(`${path}: expected ${what} (${t}), got ${JSON.stringify(v)}`);
  if (field.resolvedType instanceof protobuf.Enum) {
    if (typeof v !== 'number' || !Object.values(field.resolvedType.values).includes(v)) bad('an integer enum value');
    return;
  }
  if (t === 'double' || t === 'float') {
    if (typeof v !== 'number' && !['NaN', 'Infinity', '-Infinity'].includes(v as string)) bad('a number');
  } else if (INT32.has(t)) {
    if (!Number.isInteger(v) || Math.abs(v as number) > 2 ** 31) bad('a 32-bit integer');
  } else if (UINT32.has(t)) {
    if (!Number.isInteger(v) || (v as number) < 0 || (v as number) >= 2 ** 32) bad('an unsigned 32-bit integer');
  } else if (INT64.has(t)) {
    if (!(Number.isSafeInteger(v) || (typeof v === 'string' && /^-?\d+$/.test(v)))) bad('a 64-bit integer');
  } else if (UINT64.has(t)) {
    if (!((Number.isSafeInteger(v) && (v as number) >= 0) || (typeof v === 'string' && /^\d+$/.test(v)))) bad('an unsigned 64-bit integer');
  } else if (t === 'bool') {
    if (typeof v !== 'boolean') bad('a boolean');
  } else if (t === 'string') {
    if (typeof v !== 'string') bad('a string');
  } else if (t === 'bytes') {
    const hex = HEX_IDS[field.name];
    if (hex !== undefined) {
      if (typeof v !== 'string' || !new RegExp(`^[0-9a-f]{${hex}}$`).test(v) || /^0+$/.test(v)) bad(`${hex} lowercase hex digits, not all zero`);
    } else if (typeof v !== 'string' || !/^[A-Za-z0-9+/]*={0,2}$/.test(v)) bad('base64');
  } else bad('a known scalar');
}

function checkMessage(type: protobuf.Type, value: unknown, path: string, errors: string[]): void {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    errors.push(`${path}: expected a ${type.name} object`);
    return;
  }
  const set = new Set<string>();
  for (const [key, v] of Object.entries(value)) {
    const field = type.fields[key] ?? type.fieldsArray.find((f) => f.name === key);
    if (!field) {
      errors.push(`${path}.${key}: not a field of ${type.fullName}`);
      continue;
    }
    set.add(field.name);
    const p = `${path}.${key}`;
    if (field.repeated) {
      if (!Array.isArray(v)) {
        errors.push(`${p}: expected an array`);
        continue;
      }
      v.forEach((x, i) => checkValue(field, x, `${p}[${i}]`, errors));
    } else checkValue(field, v, p, errors);
  }
  for (const oneof of type.oneofsArray) {
    const present = oneof.fieldsArray.filter((f) => set.has(f.name));
    if (present.length > 1) errors.push(`${path}: oneof ${oneof.name} has ${present.map((f) => f.name).join(' and ')}`);
  }
}

function checkValue(field: protobuf.Field, v: unknown, path: string, errors: string[]): void {
  if (v === null) {
    errors.push(`${path}: null`);
    return;
  }
  if (field.resolvedType instanceof protobuf.Type) checkMessage(field.resolvedType, v, path, errors);
  else checkScalar(field, v, path, errors);
}

export type Signal = 'metrics' | 'traces';

/** Validation errors of an OTLP/JSON request body (empty when valid). */
export function validateOtlp(signal: Signal, body: unknown): string[] {
  const name = signal === 'metrics' ? 'opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest' : 'opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest';
  const errors: string[] = [];
  checkMessage(schema().lookupType(name), body, '(request)', errors);
  return errors;
}

export interface Received {
  signal: Signal;
  bytes: number;
  contentType: string;
  body: unknown;
  errors: string[];
  at: number;
}

export interface Receiver {
  url: string;
  received: Received[];
  /** Answer the next `n` requests with `status` (a collector that is down or overloaded). */
  failNext(n: number, status?: number): void;
  close(): Promise<void>;
}

const CORS = {
  'Access-Control-Allow-Origin': '*',
  'Access-Control-Allow-Methods': 'POST, OPTIONS',
  'Access-Control-Allow-Headers': 'Content-Type',
  'Access-Control-Max-Age': '600',
};

export async function startReceiver(): Promise<Receiver> {
  const received: Received[] = [];
  let failing = 0;
  let failStatus = 503;
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    if (req.method === 'OPTIONS') {
      res.writeHead(204, CORS).end();
      return;
    }
    const signal = req.url === '/v1/metrics' ? 'metrics' : req.url === '/v1/traces' ? 'traces' : null;
    if (req.method !== 'POST' || !signal) {
      res.writeHead(404, CORS).end();
      return;
    }
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks);
      const contentType = String(req.headers['content-type'] ?? '');
      if (failing > 0) {
        failing--;
        res.writeHead(failStatus, CORS).end();
        return;
      }
      let body: unknown = null;
      const errors: string[] = [];
      if (!contentType.startsWith('application/json')) errors.push(`content-type ${contentType}`);
      try {
        body = JSON.parse(raw.toString('utf8'));
      } catch (e) {
        errors.push(`not JSON: ${(e as Error).message}`);
      }
      try {
        if (body !== null) errors.push(...validateOtlp(signal, body));
      } catch (e) {
        errors.push(`validator failed: ${(e as Error).stack}`);
      }
      received.push({ signal, bytes: raw.length, contentType, body, errors, at: Date.now() });
      res.writeHead(errors.length === 0 ? 200 : 400, { ...CORS, 'Content-Type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    failNext(n, status = 503) {
      failing = n;
      failStatus = status;
    },
    // End kept-alive connections too: the browser may hold one open after its last send.
    close: () => new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    }),
  };
}
