/**
 * The Recorder panel's "Replay with Homeostat": the Recorder hands the DevTools page a recording
 * (the @puppeteer/replay schema); it is converted by the importer `homeostat replay` uses
 * (src/replay/chrome-recorder.ts, so a flow it cannot replay faithfully fails with the same
 * message) and performed step by step in the inspected tab (page-step.ts through
 * `inspectedWindow.eval`), where the page's own Homeostat measures what the steps cause. Progress
 * and outcome go to the Homeostat panel as a `ReplayMessage`; the panel shows the run next to the
 * calls it measured.
 *
 * What the page answers is untrusted (any page can redefine what our expression returns): each
 * answer is parsed with zod, and anything else counts as "not ready yet" until the step's timeout.
 */
import { z } from 'zod';
import { fromChromeRecorder } from '../../src/replay/chrome-recorder.ts';
import type { Recording, Step } from '../../src/replay/recording.ts';
import { pageStep } from './page-step.ts';
import type { ReplayRun } from './replay-message.ts';

export const RECORDER_REPLAY_NAME = 'Replay with Homeostat';
/** Pause before each step unless the recording says otherwise: React commits and the frame paints in it. */
export const DEFAULT_THINK_MS = 50;
export const DEFAULT_TIMEOUT_MS = 5000;
/** How often a step that waits (an element not there yet) is tried again. */
const POLL_MS = 50;

export interface ReplayDeps {
  /** Evaluates an expression in the inspected page and resolves to its (JSON) value. */
  evaluate(expression: string): Promise<unknown>;
  sleep(ms: number): Promise<void>;
  /** Wall clock (Date.now). */
  now(): number;
  report(run: ReplayRun): void;
  id(): string;
}

const num = z.number().finite();
const outcomeSchema = z.discriminatedUnion('status', [
  z.object({ status: z.literal('done'), now: num, origin: num, note: z.string().max(200).optional() }),
  z.object({ status: z.literal('wait'), reason: z.string().max(1000), now: num, origin: num }),
  z.object({ status: z.literal('fail'), reason: z.string().max(1000), now: num, origin: num }),
]);
const pageStateSchema = z.object({ origin: num, now: num, ready: z.string().max(20), session: z.string().max(200).nullable() });

const PAGE_STATE = `({ origin: performance.timeOrigin, now: performance.now(), ready: document.readyState, session: (() => { try { return String(globalThis.__HOMEOSTAT__.status().session.id).slice(0, 200); } catch { return null; } })() })`;
// Hands the page's recorded calls to its worker now, as `homeostat replay` does at the end of a run.
const FLUSH = `(() => { try { void globalThis.__HOMEOSTAT__?.flush?.({}); } catch {} return true; })()`;

/** A typed text becomes one step per character: one input event each, as a person types. */
export function expandSteps(steps: readonly Step[]): Array<{ step: Step; index: number }> {
  const out: Array<{ step: Step; index: number }> = [];
  steps.forEach((step, index) => {
    if (step.type !== 'type' || step.text.length <= 1) out.push({ step, index });
    else [...step.text].forEach((ch, i) => out.push({ step: { ...step, text: ch, replace: i === 0 ? step.replace : false, thinkMs: i === 0 ? step.thinkMs : (step.delayMs ?? 0) }, index }));
  });
  return out;
}

/** The expression that performs `step` in the page. */
export function stepExpression(step: Step): string {
  return `(${pageStep.toString()})(${JSON.stringify(step)})`;
}

/** Replays a Recorder recording in the inspected tab; resolves to the final run (also reported). */
export async function replayInTab(raw: Record<string, unknown>, deps: ReplayDeps): Promise<ReplayRun> {
  const run: ReplayRun = {
    id: deps.id(),
    title: typeof raw['title'] === 'string' ? raw['title'].slice(0, 500) : 'recording',
    status: 'running',
    steps: Array.isArray(raw['steps']) ? raw['steps'].length : 0,
    done: 0,
    skipped: [],
    failure: null,
    session: null,
    windowStart: null,
    windowEnd: null,
    startedAt: deps.now(),
    endedAt: null,
  };
  const finish = (status: 'passed' | 'failed'): ReplayRun => {
    run.status = status;
    run.endedAt = deps.now();
    deps.report({ ...run });
    return run;
  };
  let recording: Recording;
  try {
    recording = fromChromeRecorder(raw, 'Recorder');
  } catch (e) {
    run.failure = { index: 0, type: 'recording', reason: String(e instanceof Error ? e.message : e).slice(0, 1000) };
    return finish('failed');
  }
  run.steps = recording.steps.length;
  deps.report({ ...run });

  const state = async () => {
    const r = pageStateSchema.safeParse(await deps.evaluate(PAGE_STATE).catch(() => null));
    return r.success ? r.data : null;
  };
  let origin = (await state())?.origin ?? null;
  for (const { step, index } of expandSteps(recording.steps)) {
    await deps.sleep(step.thinkMs ?? recording.defaults?.thinkMs ?? DEFAULT_THINK_MS);
    const deadline = deps.now() + (step.timeoutMs ?? recording.defaults?.timeoutMs ?? DEFAULT_TIMEOUT_MS);
    const expr = stepExpression(step);
    let reason = 'the page did not answer';
    let outcome: z.infer<typeof outcomeSchema> | null = null;
    for (;;) {
      // During a navigation the evaluation fails or the page is a new one: try again.
      const parsed = outcomeSchema.safeParse(await deps.evaluate(expr).catch(() => null));
      if (parsed.success && parsed.data.status !== 'wait') {
        outcome = parsed.data;
        break;
      }
      if (parsed.success && parsed.data.status === 'wait') reason = parsed.data.reason;
      if (deps.now() >= deadline) break;
      await deps.sleep(POLL_MS);
    }
    if (!outcome || outcome.status === 'fail') {
      run.failure = { index, type: step.type, reason: outcome?.status === 'fail' ? outcome.reason : `timed out: ${reason}` };
      break;
    }
    if (outcome.note?.startsWith('skipped')) run.skipped.push({ index, type: step.type });
    if (step.type === 'navigate') {
      // Done once a new document (a new time origin) has loaded.
      const before = outcome.origin;
      let loaded = false;
      while (!loaded && deps.now() < deadline) {
        const s = await state();
        loaded = s !== null && s.origin !== before && s.ready === 'complete';
        if (!loaded) await deps.sleep(POLL_MS);
      }
      if (!loaded) {
        run.failure = { index, type: step.type, reason: 'timed out: the page did not finish loading' };
        break;
      }
      origin = null;
      run.windowStart = null;
    } else if (origin !== outcome.origin || run.windowStart === null) {
      // The first step in this document (a reload the page did itself also starts a new window).
      origin = outcome.origin;
      run.windowStart = outcome.now;
    }
    run.done++;
    deps.report({ ...run });
  }
  // The last step's React work and frame belong to the replay: let them land, then hand the calls over.
  await deps.sleep(DEFAULT_THINK_MS);
  await deps.evaluate(FLUSH).catch(() => undefined);
  const end = await state();
  if (end) {
    run.session = end.session;
    run.windowEnd = end.now;
    if (end.origin !== origin) run.windowStart = null;
  }
  return finish(run.failure ? 'failed' : 'passed');
}
