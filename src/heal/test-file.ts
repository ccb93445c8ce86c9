/**
 * The tests heal generates, as data: `*.test.json` files in the `homeostat.test` format that
 * `homeostat test` runs and heal proves before delivering. A test replays recorded flows (the
 * app's own recordings, so the flows' expectations check behaviour) and holds one signal of the
 * run under a limit: the signal the fix moved (calls per commit for a memoised value, the share
 * of blocking updates for a transition, uncaught errors for a handled error, a timing where
 * nothing countable moves).
 *
 * Why data and not a Playwright spec: the app needs no test runner, config or dependency of its
 * own to run it (the tools' runner builds or reaches the app), the same code runs it in heal's
 * proof and in CI, and every assertion reports the value it measured, which a proof records.
 * The zod schema is the definition; the types are inferred from it.
 */
import { z } from 'zod';
import { HANDLER_METRICS } from '../core/metrics.ts';
import { formatPath } from '../core/session.ts';
import { STATS } from '../core/spec.ts';

export const TEST_FORMAT = 'homeostat.test';
export const TEST_VERSION = 1;
/** How generated test files end: `homeostat test <dir>` runs every file with this suffix. */
export const TEST_SUFFIX = '.test.json';

// Generous bounds: a test heal writes must always read back, whatever the handler is called.
const name = z.string().min(1).max(10_000);

const runMetric = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('handler'), handler: name, metric: z.enum(HANDLER_METRICS), stat: z.enum([...STATS, 'sum', 'max']) }).strict(),
  z.object({ kind: z.literal('flow'), metric: z.enum(['frameBlocking', 'longestFrame', 'interaction', 'errors']) }).strict(),
]);

export const signalSchema = z.discriminatedUnion('kind', [
  /** Calls of the handler per React commit, from the first interaction on: ~1 for a value recomputed on every render. */
  z.object({ kind: z.literal('callsPerCommit'), handler: name }).strict(),
  /** Of the handler's calls that requested React updates, the share React ran as blocking (none in a transition). */
  z.object({ kind: z.literal('blockingShare'), handler: name }).strict(),
  /** Errors that reached the page uncaught (`pageerror`: thrown from an event handler or a render, unhandled rejections). */
  z.object({ kind: z.literal('uncaughtErrors') }).strict(),
  /** Calls of the handler that threw or rejected, optionally only with this normalised `Name: message`. */
  z.object({ kind: z.literal('errors'), handler: name, pattern: z.string().max(10_000).optional() }).strict(),
  /** A run metric (core/run-metrics.ts): a statistic of a handler's calls, or the flow's frames and interactions. */
  z.object({ kind: z.literal('metric'), metric: runMetric }).strict(),
]);
export type Signal = z.infer<typeof signalSchema>;

export const assertionSchema = z
  .object({
    signal: signalSchema,
    /** The test fails when the signal is above this (every signal is lower-is-better), or has no value. */
    max: z.number().finite(),
    /** Why this limit, in one line (where it sits between the measured before and after). */
    why: z.string().max(10_000).optional(),
  })
  .strict();
export type Assertion = z.infer<typeof assertionSchema>;

const proofSide = z
  .object({
    /** The build: a commit, or "patched tree" for the fix before it was committed. */
    build: z.string().max(200),
    passed: z.boolean(),
    /** Each assertion's measured value, in order (null: no sample). */
    values: z.array(z.number().nullable()),
  })
  .strict();

export const testFileSchema = z
  .object({
    format: z.literal(TEST_FORMAT),
    version: z.literal(TEST_VERSION),
    name,
    /** What the test is for and where its numbers came from, for people (not interpreted). */
    about: z.array(z.string().max(50_000)).default([]),
    /** Recordings to replay once each, relative to this file. Their expectations must pass too. */
    flows: z.array(z.string().min(1).max(1000)).min(1),
    assert: z.array(assertionSchema).min(1),
    /** Signals reported but not asserted (context: how often the handled error occurred). */
    observe: z.array(signalSchema).default([]),
    /** How heal proved the test before delivering it: it must fail on the base build and pass on the fix. */
    proof: z.object({ base: proofSide, fixed: proofSide.nullable() }).strict().optional(),
  })
  .strict();
export type HomeostatTest = z.infer<typeof testFileSchema>;

/** A test file that cannot be run; `issues` name each bad field (`assert[0].max: …`). */
export class TestFormatError extends Error {
  constructor(
    readonly source: string,
    readonly issues: string[],
  ) {
    super(`${source}: not a Homeostat test:\n  ${issues.join('\n  ')}`);
    this.name = 'TestFormatError';
  }
}

/** Parses and validates a test file's text; errors name the file and each bad field. */
export function parseTestFile(text: string, source: string): HomeostatTest {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new TestFormatError(source, [`not JSON: ${(e as Error).message}`]);
  }
  const format = (value as { format?: unknown } | null)?.format;
  if (format !== TEST_FORMAT) throw new TestFormatError(source, [`format: expected "${TEST_FORMAT}", got ${JSON.stringify(format)}`]);
  const result = testFileSchema.safeParse(value);
  if (!result.success) throw new TestFormatError(source, result.error.issues.slice(0, 10).map((i) => `${formatPath(i.path)}: ${i.message}`));
  return result.data;
}

/** The file's text: stable key order, two-space indent, a final newline. */
export function serializeTest(t: HomeostatTest): string {
  const ordered: HomeostatTest = {
    format: t.format,
    version: t.version,
    name: t.name,
    about: t.about,
    flows: t.flows,
    assert: t.assert,
    observe: t.observe,
    ...(t.proof ? { proof: t.proof } : {}),
  };
  return `${JSON.stringify(ordered, null, 2)}\n`;
}
