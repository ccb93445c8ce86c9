// @vitest-environment jsdom
/**
 * The commit reader on real React 19 (development build, so the profiler timer is on): a hook
 * like the page runtime's is installed before react-dom loads, the agent's tap chains onto it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type * as ReactNs from 'react';
import type * as ReactDomClient from 'react-dom/client';
import { commitLane, shallowEqual, tapCommits, type CommitLite, type CommitTap } from './commits.ts';

let React: typeof ReactNs;
let createRoot: typeof ReactDomClient.createRoot;
let tap: CommitTap;
let active = true;
const seenByPrevious: unknown[] = [];

beforeAll(async () => {
  (globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;
  const renderers = new Map<number, unknown>();
  (globalThis as Record<string, unknown>)['__REACT_DEVTOOLS_GLOBAL_HOOK__'] = {
    renderers,
    supportsFiber: true,
    inject(r: unknown) {
      renderers.set(renderers.size + 1, r);
      return renderers.size;
    },
    // The page runtime's own wrapper, which must still be called.
    onCommitFiberRoot(...args: unknown[]) {
      seenByPrevious.push(args[1]);
    },
    onCommitFiberUnmount() {},
    onPostCommitFiberRoot() {},
    checkDCE() {},
  };
  React = await import('react');
  createRoot = (await import('react-dom/client')).createRoot;
  tap = tapCommits(() => active)!;
});

afterAll(() => {
  delete (globalThis as Record<string, unknown>)['__REACT_DEVTOOLS_GLOBAL_HOOK__'];
});

function spin(ms: number): void {
  const end = performance.now() + ms;
  while (performance.now() < end) {
    // busy: a render that costs time
  }
}

describe('tapCommits on React 19', () => {
  it('names what rendered, its own time, the lane, and children that rendered with equal props', async () => {
    const { act, createElement: h, useState, startTransition, memo } = React;
    function Label(props: { text: string }) {
      return h('span', null, props.text);
    }
    function Slow(props: { n: number }) {
      spin(3);
      return h('b', null, String(props.n));
    }
    const Memoised = memo(function Memoised(props: { text: string }) {
      return h('i', null, props.text);
    });
    let setCount: (n: number) => void = () => undefined;
    function App() {
      const [count, set] = useState(0);
      setCount = set;
      return h('div', null, h(Label, { text: 'fixed' }), h(Slow, { n: count }), h(Memoised, { text: 'same' }));
    }
    const host = document.createElement('div');
    const root = createRoot(host);
    act(() => root.render(h(App)));
    const mount = tap.drain();
    expect(mount).toHaveLength(1);
    expect(mount[0]!.components.map((c) => c.name)).toEqual(['App', 'Label', 'Slow', 'Memoised']);
    expect(mount[0]!.components.every((c) => c.mounts === c.count)).toBe(true);

    // A blocking update (a discrete event's priority) and a transition.
    const button = document.createElement('button');
    button.onclick = () => setCount(1);
    document.body.append(button);
    act(() => button.dispatchEvent(new MouseEvent('click', { bubbles: true })));
    act(() => startTransition(() => setCount(2)));
    const [blocking, transition] = tap.drain() as [CommitLite, CommitLite];
    for (const c of [blocking, transition]) {
      const byName = Object.fromEntries(c.components.map((x) => [x.name, x]));
      // Memoised bailed out: not rendered. Label rendered with the same props because App did.
      expect(Object.keys(byName).sort()).toEqual(['App', 'Label', 'Slow']);
      expect(byName['Label']!.propsEqual).toBe(1);
      expect(byName['Slow']!.propsEqual).toBe(0);
      expect(byName['App']!.propsEqual).toBe(0); // its own state changed, its parent did not render
      expect(byName['Slow']!.selfMs).toBeGreaterThanOrEqual(2.5);
      expect(byName['Label']!.selfMs).toBeLessThan(byName['Slow']!.selfMs!);
      expect(c.renderMs).toBeGreaterThanOrEqual(byName['Slow']!.selfMs!);
      expect(c.rendered).toBe(3);
    }
    expect(blocking.lane).toBe('blocking');
    expect(transition.lane).toBe('transition');
    expect(transition.id).toBe(blocking.id + 1);
    expect(transition.at).toBeGreaterThan(blocking.at);

    // Without a subscriber nothing is walked; the page's own hook sees every commit either way.
    const before = seenByPrevious.length;
    active = false;
    act(() => setCount(3));
    active = true;
    expect(tap.drain()).toEqual([]);
    expect(seenByPrevious.length).toBe(before + 1);
    act(() => root.unmount());
    button.remove();
  });
});

describe('tapCommits groups instances', () => {
  it('counts a list\'s rows as one component, with how many rendered with equal props', () => {
    const { act, createElement: h, useState } = React;
    function Item(props: { n: number }) {
      return h('li', null, String(props.n));
    }
    let bump: () => void = () => undefined;
    function List() {
      const [v, set] = useState(0);
      bump = () => set(v + 1);
      return h('ul', { 'data-v': v }, [1, 2, 3, 4, 5].map((n) => h(Item, { key: n, n })));
    }
    const root = createRoot(document.createElement('div'));
    act(() => root.render(h(List)));
    tap.drain();
    act(() => bump());
    const [c] = tap.drain();
    expect(c!.rendered).toBe(6);
    expect(c!.components.find((x) => x.name === 'Item')).toEqual({ name: 'Item', count: 5, selfMs: expect.any(Number), mounts: 0, propsEqual: 5 });
    act(() => root.unmount());
  });
});

describe('commit helpers', () => {
  it('compares props as memo does', () => {
    const f = () => 1;
    expect(shallowEqual({ a: 1, f }, { a: 1, f })).toBe(true);
    expect(shallowEqual({ a: 1, f }, { a: 1, f: () => 1 })).toBe(false);
    expect(shallowEqual({ a: 1 }, { a: 1, b: undefined })).toBe(false);
    expect(shallowEqual({ a: NaN }, { a: NaN })).toBe(true);
  });
  it('takes blocking from the priority, and tells default from transition only with lane evidence', () => {
    expect(commitLane(1, null, null)).toBe('blocking');
    expect(commitLane(2, 0b1, 0b110)).toBe('blocking');
    expect(commitLane(5, null, null)).toBe('idle');
    expect(commitLane(3, 0b100, 0b110)).toBe('transition');
    expect(commitLane(3, 0b1000, 0b110)).toBe('default');
    expect(commitLane(3, null, 0b110)).toBe('normal');
    expect(commitLane(3, 0b100, null)).toBe('normal');
  });
  it('is null without a hook', () => {
    expect(tapCommits(() => true, {})).toBeNull();
  });
});
