/**
 * What the extension may send the page, as the page agent validates it. Written with `zod/mini`
 * (tree-shakable): the agent is loaded only when a DevTools panel asks, and then carries these
 * few schemas, not the whole protocol. `protocol.ts` builds the extension's schemas from them.
 */
import * as z from 'zod/mini';
import { CHANNEL, LIMITS, REQUEST_OPS } from './limits.ts';

const requestId = z.number().check(z.int(), z.nonnegative(), z.maximum(Number.MAX_SAFE_INTEGER));

export const requestSchema = z.discriminatedUnion('op', [
  z.object({ type: z.literal('request'), id: requestId, op: z.enum(REQUEST_OPS) }),
  z.object({ type: z.literal('request'), id: requestId, op: z.literal('import'), json: z.string().check(z.maxLength(LIMITS.sessionJson)) }),
]);
export type BridgeRequest = z.infer<typeof requestSchema>;

/** What the extension sends the page. */
export const extensionMessageSchema = z.union([
  z.object({ type: z.literal('subscribe') }),
  z.object({ type: z.literal('unsubscribe') }),
  requestSchema,
]);
export type ExtensionMessage = z.infer<typeof extensionMessageSchema>;

/** The `window.postMessage` envelope, both directions. */
export const envelopeSchema = z.object({
  channel: z.literal(CHANNEL),
  from: z.enum(['page', 'extension']),
  msg: z.unknown(),
});
export type Envelope<T> = { channel: typeof CHANNEL; from: 'page' | 'extension'; msg: T };
