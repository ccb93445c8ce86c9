// @vitest-environment jsdom
/**
 * "Replay with Homeostat" on a React page: the runner sends each step as source text, evaluated
 * here in the test's DOM as `inspectedWindow.eval` would in the inspected tab, and React's
 * handlers run from the events the step dispatches.
 */
import { act, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { replayInTab, expandSteps, type ReplayDeps } from './recorder-replay.ts';
import { createReplayHost } from './replay-host.ts';
import { replayMessageSchema, type ReplayRun } from './replay-message.ts';

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = false;

const seen: string[] = [];
function Shop() {
  const [q, setQ] = useState('');
  const [cat, setCat] = useState('All');
  const [cart, setCart] = useState(0);
  return (
    <div>
      <input aria-label="Search products" value={q} onChange={(e) => (seen.push(`search:${e.target.value}`), setQ(e.target.value))} />
      <label>
        Category
        <select value={cat} onChange={(e) => (seen.push(`category:${e.target.value}`), setCat(e.target.value))}>
          <option>All</option>
          <option>Garden</option>
        </select>
      </label>
      <ul className="results">
        <li>
          {q || 'everything'} in {cat} <button onClick={() => setTimeout(() => setCart((n) => n + 1), 30)}>Add</button>
        </li>
      </ul>
      <span className="cart-badge">Cart: {cart}</span>
    </div>
  );
}

let host: HTMLElement;
let root: ReturnType<typeof createRoot>;
beforeEach(() => {
  seen.length = 0;
  host = document.createElement('div');
  document.body.append(host);
  root = createRoot(host);
  act(() => root.render(<Shop />));
});
afterEach(() => {
  act(() => root.unmount());
  host.remove();
  delete (globalThis as Record<string, unknown>)['__HOMEOSTAT__'];
});

function deps(reports: ReplayRun[]): ReplayDeps {
  return {
    // Indirect eval: the global scope, like a page's.
    evaluate: async (expr) => JSON.parse(JSON.stringify((0, eval)(expr) ?? null)),
    sleep: (ms) => new Promise((r) => setTimeout(r, ms)),
    now: () => Date.now(),
    report: (r) => reports.push(structuredClone(r)),
    id: () => 'run-1',
  };
}

const flow = (extra: unknown[] = []) => ({
  title: 'search and add',
  steps: [
    { type: 'setViewport', width: 1280, height: 800, deviceScaleFactor: 1, isMobile: false, hasTouch: false, isLandscape: false },
    { type: 'change', value: 'lamp', selectors: [['aria/Search products'], ['header > input']] },
    { type: 'change', value: 'Garden', selectors: [['aria/Category']] },
    { type: 'click', selectors: [['ul.results > li:nth-of-type(1) > button'], ['text/Add']], offsetX: 1, offsetY: 1 },
    // The cart updates later (a timer): the step waits for it.
    { type: 'waitForElement', selectors: [['text/Cart: 1']] },
    ...extra,
  ],
});

describe('replayInTab', () => {
  it('performs a Recorder flow through React handlers and reports each step, the page session and the span', async () => {
    (globalThis as Record<string, unknown>)['__HOMEOSTAT__'] = { status: () => ({ session: { id: 'session-7' } }), flush: async () => undefined };
    const reports: ReplayRun[] = [];
    const run = await replayInTab(flow(), deps(reports));
    expect(run.failure).toBeNull();
    expect(run.status).toBe('passed');
    expect(seen).toEqual(['search:lamp', 'category:Garden']);
    expect(host.querySelector('.cart-badge')!.textContent).toBe('Cart: 1');
    expect(run.done).toBe(run.steps);
    expect(run.session).toBe('session-7');
    expect(run.windowStart).not.toBeNull();
    expect(run.windowEnd!).toBeGreaterThan(run.windowStart!);
    // The first viewport becomes the recording's own; none is left to skip.
    expect(run.skipped).toEqual([]);
    // Progress as it happened, then the outcome; every report is a valid panel message.
    expect(reports.map((r) => r.done)).toEqual([0, 1, 2, 3, 4, 4]);
    for (const r of reports) expect(replayMessageSchema.safeParse({ kind: 'homeostat-replay', tabId: 3, run: r }).success).toBe(true);
  });

  it('fails the step whose element never appears, after its timeout, naming the step', async () => {
    const run = await replayInTab(flow([{ type: 'click', selectors: [['#checkout']], offsetX: 1, offsetY: 1, timeout: 200 }]), deps([]));
    expect(run.status).toBe('failed');
    // Indexed in the imported steps (the Recorder's first viewport became the recording's own).
    expect(run.failure).toEqual({ index: 4, type: 'click', reason: expect.stringMatching(/^timed out: no element matches \{"css":"#checkout"\}/) });
    expect(run.session).toBeNull();
  });

  it('refuses a flow the importer cannot replay faithfully, with its message', async () => {
    const run = await replayInTab({ title: 'x', steps: [{ type: 'waitForExpression', expression: 'true' }] }, deps([]));
    expect(run.status).toBe('failed');
    expect(run.failure?.type).toBe('recording');
    expect(run.failure?.reason).toMatch(/waitForExpression is not supported/);
  });

  it('treats a page that answers something else as not ready, until the timeout', async () => {
    const d = deps([]);
    const run = await replayInTab(
      { title: 'hostile', steps: [{ type: 'click', selectors: [['button']], offsetX: 1, offsetY: 1, timeout: 150 }] },
      { ...d, evaluate: async () => ({ status: 'done', now: 'soon' }) },
    );
    expect(run.failure).toEqual({ index: 0, type: 'click', reason: 'timed out: the page did not answer' });
  });

  it('types text one character per input event', () => {
    const steps = expandSteps([{ type: 'type', target: { selectors: [{ css: 'input' }] }, text: 'ab', delayMs: 20 }]);
    expect(steps.map((s) => [s.index, s.step.type === 'type' ? s.step.text : '', s.step.thinkMs])).toEqual([
      [0, 'a', undefined],
      [0, 'b', 20],
    ]);
  });
});

describe('the replay host', () => {
  it('keeps the runs it sends, for a panel that opens later', async () => {
    const sent: unknown[] = [];
    const h = createReplayHost(9, { send: (m) => sent.push(m), evaluate: async (expr) => JSON.parse(JSON.stringify((0, eval)(expr) ?? null)) });
    const run = await h.replay(flow());
    expect(h.runs()).toEqual([run]);
    expect(sent.at(-1)).toEqual({ kind: 'homeostat-replay', tabId: 9, run });
  });
});
