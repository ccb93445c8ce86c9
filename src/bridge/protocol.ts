/**
 * The bridge protocol between the page (Homeostat's wrapper), the extension's content script,
 * its service worker and the DevTools panel. Every message on every hop is parsed with these
 * schemas; anything else is dropped and counted. Size limits live here too, as array and string
 * maxima, so a page cannot make the extension hold unbounded data.
 *
 * Direction matters: the page may only send data (`ready`, `tick`, `response`). Requests go
 * the other way, extension → page, and the page answers them.
 */
import { z } from 'zod';
import type { AggregateSnapshot, ErrorPattern, HandlerAggregate } from '../core/aggregate.ts';
import { TRANSITION_MODES, type HandlerCall, type SessionMeta } from '../core/model.ts';
import type { Same } from '../core/same.ts';
import { specFileSchema } from '../core/spec.ts';
import type { CommitLite } from './commits.ts';
import { CHANNEL, LIMITS, REQUEST_OPS, messageSize } from './limits.ts';
import { extensionMessageSchema, requestSchema, type ExtensionMessage } from './requests.ts';

export { CHANNEL, LIMITS, REQUEST_OPS, messageSize } from './limits.ts';
export { envelopeSchema, extensionMessageSchema, requestSchema, type BridgeRequest, type Envelope, type ExtensionMessage } from './requests.ts';

const num = z.number().finite();
const count = z.number().int().nonnegative();
const name = z.string().max(LIMITS.name);

const summary = z.object({ count, mean: num, min: num, max: num, p50: num, p75: num, p95: num, p99: num });
const histogram = z.object({ edges: z.array(num).max(LIMITS.buckets + 1), counts: z.array(count).max(LIMITS.buckets) });
const modes = z.object({ unknown: count, none: count, blocking: count, transition: count, mixed: count });

const handlerAggregate = z.object({
  handler: name,
  count,
  errors: count,
  errorRate: num,
  asyncCount: count,
  interaction: summary.nullable(),
  frameBlocking: summary.nullable(),
  longestFrame: summary.nullable(),
  result: summary.nullable(),
  duration: summary,
  settle: summary.nullable(),
  blocking: summary,
  blockingTotalMs: num,
  commit: summary.nullable(),
  render: summary.nullable(),
  styleLayout: summary.nullable(),
  paint: summary.nullable(),
  histograms: z.object({ duration: histogram, blocking: histogram }),
  modes,
  transitionShare: num.nullable(),
  longFrames: count,
  forcedStyleLayoutMs: num,
  // Error names only: messages stay in the page (normalised as they are, they are still the app's text).
  errorPatterns: z
    .array(z.object({ name, message: z.literal(''), count, firstSeen: num, lastSeen: num }))
    .max(LIMITS.errorPatterns),
  firstSeen: num,
  lastSeen: num,
});

const sequenceAggregate = z.object({
  name,
  count,
  duration: summary,
  interaction: summary.nullable(),
  result: summary.nullable(),
  frameBlocking: summary.nullable(),
  longestFrame: summary.nullable(),
  triggers: z.record(name, count),
  variants: z
    .array(
      z.object({
        handlers: z.array(name).max(LIMITS.steps),
        count,
        steps: z.array(z.object({ handler: name, offset: summary, duration: summary, blocking: summary })).max(LIMITS.steps),
      }),
    )
    .max(LIMITS.variants),
  firstSeen: num,
  lastSeen: num,
});

export const snapshotSchema = z.object({
  handlers: z.array(handlerAggregate).max(LIMITS.handlers),
  sequences: z.array(sequenceAggregate).max(LIMITS.sequences),
  totals: z.object({ calls: count, sequences: count, errors: count, commits: count, unattributedCommits: count }),
});

const transitionMode = z.enum(TRANSITION_MODES);

/**
 * One recent call, reduced to numbers and names: no arguments, no error message (only the
 * error's constructor name), nothing the user typed.
 */
export const callLiteSchema = z.object({
  id: count,
  handler: name,
  /**
   * The interaction (sequence) the call belongs to, and the instrumented call it ran inside.
   * This field and the ones below it with defaults came later: a page running an older Homeostat
   * still reaches a newer extension (-1: interaction unknown).
   */
  sequence: z.number().int().min(-1).default(-1),
  parent: count.nullable().default(null),
  /** ms since the page's time origin. */
  start: num,
  duration: num,
  settle: num.nullable(),
  blockingMs: num,
  /** React commits its updates caused, and their render time where the build reports it. */
  commits: count.default(0),
  renderMs: num.nullable().default(null),
  commitMs: num.nullable().default(null),
  paintMs: num.nullable().default(null),
  /** Blocking and style/layout of the long frames its work occupied; null without frame evidence. */
  frameBlockingMs: num.nullable().default(null),
  styleLayoutMs: num.nullable().default(null),
  /** What the user felt: interaction latency, time to result, the longest frame (see core/metrics.ts). */
  interactionMs: num.nullable(),
  resultMs: num.nullable(),
  longestFrameMs: num.nullable(),
  mode: transitionMode,
  outcome: z.enum(['ok', 'threw', 'rejected', 'pending']),
  error: name.nullable(),
});
export type CallLite = z.infer<typeof callLiteSchema>;

/** One React commit as the bridge agent read it (src/bridge/commits.ts): component names and numbers only. */
export const commitLiteSchema = z.object({
  id: count,
  at: num,
  lane: z.enum(['blocking', 'transition', 'default', 'normal', 'idle']),
  renderMs: num.nullable(),
  rendered: count,
  components: z
    .array(z.object({ name, count, selfMs: num.nullable(), mounts: count, propsEqual: count }))
    .max(LIMITS.components),
});
export type CommitLiteMsg = z.infer<typeof commitLiteSchema>;

export const sessionInfoSchema = z.object({
  id: name,
  app: name.nullable(),
  build: name.nullable(),
  url: z.string().max(2048),
  timeOrigin: num,
  react: name.nullable(),
  transport: z.enum(['worker', 'memory']),
  storage: z.enum(['indexeddb', 'memory']),
  crossOriginIsolated: z.boolean(),
});
export type SessionInfo = z.infer<typeof sessionInfoSchema>;

/** Live data: the worker's aggregates plus calls recorded since the previous tick. */
export const tickSchema = z.object({
  type: z.literal('tick'),
  session: sessionInfoSchema,
  snapshot: snapshotSchema,
  calls: z.array(callLiteSchema).max(LIMITS.calls),
  /** Calls the service has seen in this page's lifetime (monotonic). */
  totalCalls: count,
  paused: z.boolean(),
  /** Whether the page draws its calls as Performance-panel tracks (the panel's toggle; off by default). */
  tracks: z.boolean().default(false),
  /** Main-thread time the page agent has spent since it started (ticks, messages, tracks), ms: its own overhead. */
  bridgeMs: num.nonnegative().default(0),
  /** React commits since the previous tick (the Commits view); absent from older pages. */
  commits: z.array(commitLiteSchema).max(LIMITS.commits).default([]),
  dropped: count,
});
export type Tick = z.infer<typeof tickSchema>;

export type RequestOp = (typeof REQUEST_OPS)[number] | 'import';

const requestId = z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER);

export const resultSchema = z.discriminatedUnion('op', [
  z.object({ op: z.literal('done') }),
  z.object({ op: z.literal('export'), json: z.string().max(LIMITS.sessionJson) }),
  z.object({ op: z.literal('import'), id: name, calls: count }),
  z.object({
    op: z.literal('spec'),
    spec: specFileSchema.nullable(),
    /** The build plugin's recorded locations, by handler: file relative to the project, nothing from the user. */
    sources: z
      .record(name, z.object({ file: z.string().max(1024), line: count, column: count }))
      .refine((r) => Object.keys(r).length <= LIMITS.handlers, { message: `more than ${LIMITS.handlers} sources` })
      .optional(),
  }),
]);
export type BridgeResult = z.infer<typeof resultSchema>;

export const responseSchema = z.object({
  type: z.literal('response'),
  id: requestId,
  /** Null on success; otherwise the error's message. */
  error: z.string().max(2000).nullable(),
  result: resultSchema.nullable(),
});
export type BridgeResponse = z.infer<typeof responseSchema>;

export const readySchema = z.object({ type: z.literal('ready'), session: sessionInfoSchema });

/** What the page may send: data only. */
export const pageMessageSchema = z.discriminatedUnion('type', [readySchema, tickSchema, responseSchema]);
export type PageMessage = z.infer<typeof pageMessageSchema>;

/** True for window messages that claim to be ours (the only ones we count when malformed). */
export function claimsChannel(data: unknown): boolean {
  return typeof data === 'object' && data !== null && (data as { channel?: unknown }).channel === CHANNEL;
}

// --- runtime ports (content script ⇄ service worker ⇄ panel) ------------------------------

export const PORT_CONTENT = 'homeostat-content';
/** `chrome.tabs.sendMessage` kind with which the service worker asks a tab's content script to connect. */
export const WAKE = 'homeostat-wake';
export const PORT_PANEL_PREFIX = 'homeostat-panel:';

/** Content script → service worker. */
export const contentToWorkerSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('page'), msg: pageMessageSchema }),
  /** The page answered nothing: no Homeostat wrapper (or it has not started yet). */
  z.object({ kind: z.literal('absent') }),
  /** Page messages the content script refused, cumulative for this document. */
  z.object({ kind: z.literal('rejected'), total: count, reason: z.string().max(500) }),
]);
export type ContentToWorker = z.infer<typeof contentToWorkerSchema>;

/** Service worker → content script. */
export const workerToContentSchema = extensionMessageSchema;
export type WorkerToContent = ExtensionMessage;

/** Panel → service worker. */
export const panelToWorkerSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('request'), request: requestSchema }),
]);
export type PanelToWorker = z.infer<typeof panelToWorkerSchema>;

/** Service worker → panel. */
export const workerToPanelSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('page'), msg: pageMessageSchema }),
  z.object({ kind: z.literal('absent') }),
  /** Whether a content script is connected for the inspected tab (false between reloads). */
  z.object({ kind: z.literal('tab'), connected: z.boolean() }),
  z.object({
    kind: z.literal('rejected'),
    /** Refused by the content script (from the page) and by the service worker (from ports). */
    page: count,
    worker: count,
    reason: z.string().max(500),
  }),
]);
export type WorkerToPanel = z.infer<typeof workerToPanelSchema>;

/** Parses `data` with `schema`; returns null (never throws) and the first issue when it fails. Oversized messages fail before parsing. */
export function parse<T>(schema: z.core.$ZodType<T>, data: unknown): { ok: true; value: T } | { ok: false; reason: string } {
  const size = messageSize(data);
  if (size.data === Infinity) return { ok: false, reason: `message: larger than ${LIMITS.message} characters` };
  if (size.json === Infinity) return { ok: false, reason: `message: session JSON larger than ${LIMITS.sessionJson} characters` };
  const r = z.safeParse(schema, data);
  if (r.success) return { ok: true, value: r.data };
  const issue = r.error.issues[0];
  const path = issue ? issue.path.map(String).join('.') : '';
  return { ok: false, reason: `${path || 'message'}: ${issue?.message ?? 'invalid'}`.slice(0, 500) };
}

// What the bridge carries is the model, reduced: if the aggregates, the calls or the session
// change without these schemas (or the other way round), these stop compiling.
type Bridged = Omit<AggregateSnapshot, 'handlers'> & {
  handlers: Array<Omit<HandlerAggregate, 'errorPatterns'> & { errorPatterns: Array<Omit<ErrorPattern, 'message'> & { message: '' }> }>;
};
const schemasAreTheModel: [
  Same<z.output<typeof snapshotSchema>, Bridged>,
  Same<CallLite['mode'], HandlerCall['mode']>,
  Same<CallLite['outcome'], HandlerCall['outcome']>,
  Same<Pick<CallLite, 'id' | 'handler' | 'start' | 'duration' | 'settle' | 'blockingMs'>, Pick<HandlerCall, 'id' | 'handler' | 'start' | 'duration' | 'settle' | 'blockingMs'>>,
  Same<Pick<CallLite, 'sequence' | 'parent' | 'commits' | 'renderMs' | 'commitMs' | 'paintMs'>, Pick<HandlerCall, 'sequence' | 'parent' | 'commits' | 'renderMs' | 'commitMs' | 'paintMs'>>,
  Same<Pick<CallLite, 'interactionMs' | 'resultMs'>, Pick<HandlerCall, 'interactionMs' | 'resultMs'>>,
  Same<Pick<SessionInfo, 'id' | 'app' | 'build' | 'url' | 'timeOrigin' | 'transport' | 'storage' | 'crossOriginIsolated'>, Pick<SessionMeta, 'id' | 'app' | 'build' | 'url' | 'timeOrigin' | 'transport' | 'storage' | 'crossOriginIsolated'>>,
  Same<SessionInfo['react'], SessionMeta['react']['version']>,
  Same<CommitLiteMsg, CommitLite>,
] = [true, true, true, true, true, true, true, true, true];
void schemasAreTheModel;
