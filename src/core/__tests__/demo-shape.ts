/**
 * Sessions shaped like the demo, for diagnosis and heal tests: typing → handleSearchInput →
 * renderReact (blocking or a transition), computeFacets per render, a recurring parse error, a
 * layout-thrashing handler, with what the user felt (interaction, time to result, frames).
 */
import { aggregateSession } from '../aggregate.ts';
import type { DiagnoseInput, HandlerFacts } from '../diagnose.ts';
import type { FrameEvidence, HandlerCall, SequenceRecord } from '../model.ts';
import { SESSION_FORMAT, SESSION_VERSION, type SessionFile } from '../session.ts';
import { emptySpec, type Budget } from '../spec.ts';
import { makeMeta, rng } from './fixtures.ts';

export interface Shape {
  /** Synchronous React render + commit renderReact's update forces (blocking) or React slices (transition). */
  renderMs: number;
  /** Style and layout after the commit: what no transition can slice. */
  styleLayoutMs?: number;
  mode: HandlerCall['mode'];
  n: number;
}

const frames = (longest: number, styleLayout: number): FrameEvidence =>
  longest < 50 ? { count: 0, blockingMs: 0, totalMs: 0, longestMs: 0, styleLayoutMs: 0, forcedStyleLayoutMs: 0 } : { count: 1, blockingMs: longest - 50, totalMs: longest, longestMs: longest, styleLayoutMs: styleLayout, forcedStyleLayoutMs: 0 };

export function demoSession(shape: Shape, seed = 1): SessionFile {
  const r = rng(seed);
  const calls: HandlerCall[] = [];
  const sequences: SequenceRecord[] = [];
  const styleLayout = shape.styleLayoutMs ?? 10;
  let id = 1;
  let t = 100;
  const call = (patch: Partial<HandlerCall> & Pick<HandlerCall, 'handler'>): HandlerCall => {
    const c: HandlerCall = {
      id: id++, sequence: 0, parent: null, start: t, duration: 0.2, settle: null, outcome: 'ok', error: null, mode: 'none',
      updates: { blocking: 0, transition: 0 }, commits: 0, renderMs: null, commitMs: null, blockingMs: 0.2, paintMs: null, loaf: null,
      interactionMs: null, resultMs: null, frames: null, ...patch,
    };
    calls.push(c);
    return c;
  };
  for (let s = 1; s <= shape.n; s++) {
    const j = 1 + 0.1 * (r() - 0.5);
    const render = shape.renderMs * j;
    const blocking = shape.mode !== 'transition';
    // Blocking: the keystroke waits for the render, commit and layout; a transition paints the keystroke first.
    const interaction = blocking ? render + styleLayout + 6 : 24 * j;
    const result = render + styleLayout + (blocking ? 6 : 30);
    const frame = blocking ? render + styleLayout : styleLayout + 0.3 * render;
    const felt = { interactionMs: interaction, resultMs: result, frames: frames(frame, styleLayout) };
    const input = call({ handler: 'handleSearchInput', sequence: s, mode: 'blocking', updates: { blocking: 1, transition: 0 }, commits: 1, blockingMs: blocking ? render + 5 : 5, duration: 1.5, ...felt });
    const renderCall = call({
      handler: 'renderReact', sequence: s, parent: input.id, mode: shape.mode,
      updates: blocking ? { blocking: 1, transition: 0 } : { blocking: 0, transition: 1 }, commits: 1,
      blockingMs: blocking ? render : 0.3, duration: 0.3, renderMs: render * 0.9, commitMs: render, ...felt,
    });
    const facets = call({ handler: 'computeFacets', sequence: s, duration: 6 * j, blockingMs: 6 * j, interactionMs: interaction, resultMs: result, frames: felt.frames });
    const failed = s % 10 === 0;
    const parse = call({ handler: 'parseQuery', sequence: s, parent: input.id, outcome: failed ? 'threw' : 'ok', error: failed ? { name: 'SyntaxError', message: 'Invalid regular expression: /(/: Unterminated group' } : null, interactionMs: interaction });
    const layout = call({ handler: 'measureRows', sequence: s, duration: 30, blockingMs: 30, loaf: { blockingMs: 40, forcedStyleLayoutMs: 12, durationMs: 90, invoker: null, sourceFunction: null } });
    sequences.push({
      id: s, name: 'input:handleSearchInput', trigger: { type: 'input', timeStamp: t }, explicit: false, start: t, end: t + result,
      calls: [input.id, renderCall.id, facets.id, parse.id, layout.id], handlers: ['handleSearchInput', 'renderReact', 'computeFacets', 'parseQuery', 'measureRows'],
      interactionMs: interaction, resultMs: result, frames: felt.frames,
    });
    t += 2500;
  }
  return {
    format: SESSION_FORMAT, version: SESSION_VERSION, session: makeMeta(`demo-shape-${seed}`), calls, sequences,
    commits: sequences.map((s) => ({ time: s.start + 20, renderStart: null, commitStart: null, renderMs: null, sync: true, calls: [s.calls[0]!] })),
    vitals: [], frames: [], events: [], truncated: { calls: 0, sequences: 0, commits: 0 },
  };
}

export const demoFacts: HandlerFacts[] = [
  { name: 'handleSearchInput', file: 'App.tsx', line: 40, kind: 'useHandler', component: 'App', updates: [{ setter: 'setQuery', transition: false }] },
  { name: 'renderReact', file: 'App.tsx', line: 35, kind: 'useHandler', component: 'App', updates: [{ setter: 'setResults', transition: false }] },
  { name: 'computeFacets', file: 'App.tsx', line: 20, kind: 'instrument', component: null, updates: [] },
  { name: 'parseQuery', file: 'App.tsx', line: 21, kind: 'instrument', component: null, updates: [] },
  { name: 'measureRows', file: 'Rows.tsx', line: 9, kind: 'instrument', component: null, updates: [] },
];

/** The diagnosis input for a demo-shaped session, with renderReact's budget. */
export function demoInput(file: SessionFile, budget: Budget | null = { metric: 'interaction', stat: 'p95', ms: 100 }): DiagnoseInput {
  const spec = emptySpec('t');
  spec.handlers['renderReact'] = { budget, baseline: null, tolerance: null, source: null, description: null };
  return { spec, aggregates: aggregateSession(file).snapshot(), analysis: demoFacts };
}
