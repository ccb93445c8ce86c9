/**
 * The versioned session file: what the worker exports, replays write and `homeostat docs`
 * reads. Validated with zod at every boundary it crosses; errors name the field and index.
 */
import { z } from 'zod';
import { machineContextSchema, type MachineContext } from './machine.ts';
import type { CommitRecord, EventTimingRecord, FrameRecord, HandlerCall, SequenceRecord, SessionMeta, VitalRecord } from './model.ts';
import type { Same } from './same.ts';
import { TRANSITION_MODES } from './model.ts';

export const SESSION_FORMAT = 'homeostat.session';
/**
 * 2 added what the user felt: per call and sequence `interactionMs`, `resultMs` and `frames`, and
 * the session's Long Animation Frames and interaction Event Timing entries. Version 1 files are
 * still read: their new fields are null (no evidence), their lists empty.
 */
export const SESSION_VERSION = 2;

export interface SessionFile {
  format: typeof SESSION_FORMAT;
  version: typeof SESSION_VERSION;
  session: SessionMeta;
  calls: HandlerCall[];
  sequences: SequenceRecord[];
  commits: CommitRecord[];
  vitals: VitalRecord[];
  /** Every Long Animation Frame the page saw (bounded like calls). */
  frames: FrameRecord[];
  /** Event Timing entries of interactions (16 ms and longer). */
  events: EventTimingRecord[];
  /** Records left out because the store keeps a bounded number per session. */
  truncated: { calls: number; sequences: number; commits: number };
  /** The machine's speed and load when a replay recorded it (absent for page sessions). */
  machine?: MachineContext;
}

const ms = z.number().finite();
const duration = z.number().finite().nonnegative();
const nullableMs = ms.nullable();

const errorInfo = z.object({ name: z.string().max(200), message: z.string().max(2000) }).strict();

const loaf = z
  .object({
    durationMs: duration,
    blockingMs: duration,
    forcedStyleLayoutMs: duration,
    invoker: z.string().nullable(),
    sourceFunction: z.string().nullable(),
  })
  .strict();

const frameEvidence = z
  .object({
    count: z.number().int().nonnegative(),
    blockingMs: duration,
    totalMs: duration,
    longestMs: duration,
    styleLayoutMs: duration,
    forcedStyleLayoutMs: duration,
  })
  .strict();

/** Fields version 2 added: absent in version 1 files, where they read as "no evidence". */
const felt = {
  interactionMs: duration.nullable().default(null),
  resultMs: duration.nullable().default(null),
  frames: frameEvidence.nullable().default(null),
};

const frame = z
  .object({
    start: ms,
    durationMs: duration,
    blockingMs: duration,
    renderStart: nullableMs,
    styleLayoutMs: duration,
    forcedStyleLayoutMs: duration,
    invoker: z.string().max(500).nullable(),
    sourceFunction: z.string().max(200).nullable(),
  })
  .strict();

const eventTiming = z
  .object({
    type: z.string().max(64),
    start: ms,
    durationMs: duration,
    inputDelayMs: duration,
    processingMs: duration,
    interaction: z.number().int().nonnegative(),
  })
  .strict();

const call = z
  .object({
    id: z.number().int().nonnegative(),
    handler: z.string().min(1).max(200),
    sequence: z.number().int().nonnegative(),
    parent: z.number().int().nonnegative().nullable(),
    start: ms,
    duration,
    settle: duration.nullable(),
    outcome: z.enum(['ok', 'threw', 'rejected', 'pending']),
    error: errorInfo.nullable(),
    mode: z.enum(TRANSITION_MODES),
    updates: z.object({ blocking: z.number().int().nonnegative(), transition: z.number().int().nonnegative() }).strict(),
    commits: z.number().int().nonnegative(),
    renderMs: duration.nullable(),
    commitMs: duration.nullable(),
    blockingMs: duration,
    paintMs: duration.nullable(),
    loaf: loaf.nullable(),
    ...felt,
  })
  .strict();

const sequence = z
  .object({
    id: z.number().int().nonnegative(),
    name: z.string().min(1).max(300),
    trigger: z.object({ type: z.string().max(64), timeStamp: ms }).strict().nullable(),
    explicit: z.boolean(),
    start: ms,
    end: ms,
    calls: z.array(z.number().int().nonnegative()),
    handlers: z.array(z.string()),
    ...felt,
  })
  .strict()
  .refine((s) => s.calls.length === s.handlers.length, { message: 'calls and handlers must have the same length' });

const commit = z
  .object({
    time: ms,
    renderStart: nullableMs,
    commitStart: nullableMs,
    renderMs: duration.nullable(),
    sync: z.boolean(),
    calls: z.array(z.number().int().nonnegative()),
  })
  .strict();

const vital = z
  .object({
    name: z.literal('INP'),
    value: duration,
    rating: z.string().max(32),
    time: ms,
    target: z.string().max(500).nullable(),
    inputDelay: duration.nullable(),
    processingDuration: duration.nullable(),
    presentationDelay: duration.nullable(),
  })
  .strict();

export const sessionMetaSchema = z
  .object({
    id: z.string().min(1).max(100),
    startedAt: ms,
    timeOrigin: ms,
    endedAt: nullableMs,
    url: z.string().max(2000),
    userAgent: z.string().max(1000),
    crossOriginIsolated: z.boolean(),
    clockResolutionMs: z.number().finite().positive(),
    react: z
      .object({
        version: z.string().max(50).nullable(),
        lanes: z.boolean(),
        commits: z.enum(['profiler', 'hook', 'none']),
      })
      .strict(),
    app: z.string().max(200).nullable(),
    build: z.string().max(200).nullable(),
    transport: z.enum(['worker', 'memory']),
    storage: z.enum(['indexeddb', 'memory']),
    fallbackReason: z.string().max(500).nullable(),
    dropped: z.number().int().nonnegative(),
    source: z.enum(['page', 'replay', 'import']),
  })
  .strict();

export const sessionFileSchema = z
  .object({
    format: z.literal(SESSION_FORMAT),
    // Version 1 files are upgraded as they are read.
    version: z.union([z.literal(1), z.literal(SESSION_VERSION)]).transform((): typeof SESSION_VERSION => SESSION_VERSION),
    session: sessionMetaSchema,
    calls: z.array(call),
    sequences: z.array(sequence),
    commits: z.array(commit),
    vitals: z.array(vital),
    frames: z.array(frame).default([]),
    events: z.array(eventTiming).default([]),
    machine: machineContextSchema.optional(),
    truncated: z
      .object({
        calls: z.number().int().nonnegative(),
        sequences: z.number().int().nonnegative(),
        commits: z.number().int().nonnegative(),
      })
      .strict(),
  })
  .strict();

/** A session file that failed validation; `issues` name each bad field by its path. */
export class SessionFormatError extends Error {
  constructor(
    readonly source: string,
    readonly issues: string[],
  ) {
    super(`${source}: not a valid Homeostat session:\n  ${issues.join('\n  ')}`);
    this.name = 'SessionFormatError';
  }
}

/** Formats a zod path as `calls[3].duration`. */
export function formatPath(path: ReadonlyArray<PropertyKey>): string {
  let out = '';
  for (const p of path) out += typeof p === 'number' ? `[${p}]` : out === '' ? String(p) : `.${String(p)}`;
  return out === '' ? '(root)' : out;
}

/** `input` as a JSON value: parsed when it is text; `fail` makes the error for text that is not JSON. */
export function jsonValue(input: unknown, fail: (issues: string[]) => Error): unknown {
  if (typeof input !== 'string') return input;
  try {
    return JSON.parse(input);
  } catch (e) {
    throw fail([`not JSON: ${(e as Error).message}`]);
  }
}

/** zod issues as `path: message` lines (paths under `prefix`), at most `max`, then how many more. */
export function issueLines(error: z.ZodError, max = 10, prefix: ReadonlyArray<PropertyKey> = []): string[] {
  const lines = error.issues.slice(0, max).map((i) => `${formatPath([...prefix, ...i.path])}: ${i.message}`);
  if (error.issues.length > max) lines.push(`…and ${error.issues.length - max} more`);
  return lines;
}

/**
 * Validates a parsed or raw session file. Throws `SessionFormatError` naming each bad field
 * (at most 10) and the `source` it came from.
 */
export function parseSessionFile(input: unknown, source = 'session'): SessionFile {
  const value = jsonValue(input, (issues) => new SessionFormatError(source, issues));
  if (value && typeof value === 'object') {
    const v = value as { format?: unknown; version?: unknown };
    if (v.format !== undefined && v.format !== SESSION_FORMAT) {
      throw new SessionFormatError(source, [`format: expected "${SESSION_FORMAT}", got ${JSON.stringify(v.format)}`]);
    }
    if (typeof v.version === 'number' && v.version > SESSION_VERSION) {
      throw new SessionFormatError(source, [
        `version: ${v.version} is newer than this Homeostat reads (${SESSION_VERSION}); upgrade Homeostat`,
      ]);
    }
  }
  const result = sessionFileSchema.safeParse(value);
  if (!result.success) throw new SessionFormatError(source, issueLines(result.error));
  return result.data;
}

// The schema and the model (model.ts, SessionFile above) describe the same data: if either
// changes alone, these stop compiling.
type Parsed = z.output<typeof sessionFileSchema>;
const schemaIsTheModel: [
  Same<Parsed, SessionFile>,
  Same<z.output<typeof sessionMetaSchema>, SessionMeta>,
  Same<Parsed['calls'][number], HandlerCall>,
  Same<Parsed['sequences'][number], SequenceRecord>,
  Same<Parsed['commits'][number], CommitRecord>,
  Same<Parsed['vitals'][number], VitalRecord>,
  Same<Parsed['frames'][number], FrameRecord>,
  Same<Parsed['events'][number], EventTimingRecord>,
] = [true, true, true, true, true, true, true, true];
void schemaIsTheModel;
