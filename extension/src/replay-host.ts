/// <reference types="chrome" />
/**
 * The DevTools page's side of "Replay with Homeostat": registers the replay with the Recorder
 * panel, runs it in this window's inspected tab and keeps the last runs, which it sends the
 * Homeostat panel as they progress and again when the panel opens and asks.
 */
import { RECORDER_REPLAY_NAME, replayInTab, type ReplayDeps } from './recorder-replay.ts';
import { REPLAY_MESSAGE, replaysRequestSchema, type ReplayMessage, type ReplayRun } from './replay-message.ts';

const KEPT = 50;

export interface ReplayHost {
  runs(): ReplayRun[];
  replay(recording: Record<string, unknown>): Promise<ReplayRun>;
}

/** `send` posts to the extension's other pages; `evaluate` runs in the inspected page. */
export function createReplayHost(tabId: number, io: { send(msg: ReplayMessage): void; evaluate: ReplayDeps['evaluate'] }): ReplayHost {
  let runs: ReplayRun[] = [];
  const deps: ReplayDeps = {
    evaluate: io.evaluate,
    sleep: (ms) => new Promise((r) => setTimeout(r, ms)),
    now: () => Date.now(),
    id: () => crypto.randomUUID(),
    report(run) {
      runs = [...runs.filter((r) => r.id !== run.id), run].slice(-KEPT);
      io.send({ kind: REPLAY_MESSAGE, tabId, run });
    },
  };
  return { runs: () => runs, replay: (recording) => replayInTab(recording, deps) };
}

/** `inspectedWindow.eval` as a promise: an exception in the page rejects. */
export function evaluateInInspectedWindow(expression: string): Promise<unknown> {
  return new Promise((resolve, reject) => {
    chrome.devtools.inspectedWindow.eval(expression, (result: unknown, ex?: { isError?: boolean; isException?: boolean; value?: unknown; description?: string }) => {
      if (ex && (ex.isError || ex.isException)) reject(new Error(String(ex.value ?? ex.description ?? 'evaluation failed')));
      else resolve(result);
    });
  });
}

/** Wires the host into Chrome: the Recorder plugin, and answers to the panel's "which replays?". */
export function installReplayHost(): ReplayHost | null {
  const recorder = chrome.devtools.recorder as typeof chrome.devtools.recorder | undefined;
  if (!recorder?.registerRecorderExtensionPlugin) return null;
  const tabId = chrome.devtools.inspectedWindow.tabId;
  const host = createReplayHost(tabId, {
    // Nobody listening (the panel not opened yet) is not an error: the panel asks when it opens.
    send: (msg) => void chrome.runtime.sendMessage(msg).catch(() => undefined),
    evaluate: evaluateInInspectedWindow,
  });
  recorder.registerRecorderExtensionPlugin({ replay: (recording) => void host.replay(recording) }, RECORDER_REPLAY_NAME, 'application/json');
  chrome.runtime.onMessage.addListener((msg: unknown, _sender, sendResponse) => {
    const req = replaysRequestSchema.safeParse(msg);
    if (!req.success || req.data.tabId !== tabId) return false;
    sendResponse({ runs: host.runs() });
    return false;
  });
  return host;
}
