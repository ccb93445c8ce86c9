/**
 * What the Recorder's "Replay with Homeostat" (the DevTools page) tells the Homeostat panel of the
 * same DevTools window: one replay's progress and outcome, validated with zod on receipt like
 * every message across the extension's boundaries. It names steps by index and type, never the
 * values a recording types into the page.
 */
import { z } from 'zod';

export const REPLAY_MESSAGE = 'homeostat-replay';

const count = z.number().int().nonnegative();
const num = z.number().finite();

export const replayRunSchema = z.object({
  id: z.string().min(1).max(64),
  title: z.string().max(500),
  status: z.enum(['running', 'passed', 'failed']),
  steps: count,
  done: count,
  /** Steps the inspected tab cannot perform (a viewport size), by index and type. */
  skipped: z.array(z.object({ index: count, type: z.string().max(40) })).max(200),
  failure: z.object({ index: count, type: z.string().max(40), reason: z.string().max(1000) }).nullable(),
  /** The Homeostat session of the page the last steps ran in, and their span in its clock (ms since its time origin). */
  session: z.string().max(200).nullable(),
  windowStart: num.nullable(),
  windowEnd: num.nullable(),
  /** Wall clock, ms since the epoch. */
  startedAt: num,
  endedAt: num.nullable(),
});
export type ReplayRun = z.infer<typeof replayRunSchema>;

export const replayMessageSchema = z.object({ kind: z.literal(REPLAY_MESSAGE), tabId: z.number().int(), run: replayRunSchema });
export type ReplayMessage = z.infer<typeof replayMessageSchema>;

/** The panel, when it opens, asks the DevTools page for the replays it ran before (the panel's frame may not have existed yet). */
export const REPLAYS_REQUEST = 'homeostat-replays?';
export const replaysRequestSchema = z.object({ kind: z.literal(REPLAYS_REQUEST), tabId: z.number().int() });
export const replaysAnswerSchema = z.object({ runs: z.array(replayRunSchema).max(50) });
