/**
 * The component the virtual-list codemod adds to an app, as source text: a module of its own
 * next to the component that renders the list, with no dependency but React (18 or later), typed
 * for a TypeScript app and plain for a JavaScript one. Both variants are the same code; the tests
 * run both (src/heal/codemods/virtual-hook.test.tsx).
 *
 * It takes the place of `items.map(render)` as `<VirtualList items={items} render={render} />`:
 * a component rather than a hook, so that scrolling re-renders only it (never the component
 * that owns the list), and so the codemod never has to move code above an early return.
 *
 * Why hand-rolled rather than `@tanstack/react-virtual`: the codemod must not add a dependency to
 * an app, and what it needs is small (one fixed row height, measured; the window or a scrolling
 * ancestor as the viewport).
 */

const DOC = `/**
 * VirtualList: renders only the rows of a long list that are in view (plus a few either side),
 * with spacers in place of the others, so the scroll height stays that of the whole list.
 *
 * Added by Homeostat's virtual-list fix, in place of \`{items.map(render)}\`. Rows are rendered by
 * the same \`render\` (same keys, same row components, the real index), so a row that scrolls into
 * view is exactly the row the full list had there. The viewport is the window, clipped by any
 * scrolling ancestor; the row height is measured from the rows first rendered (all rows are
 * taken to be that tall), and measured again when the window is resized.
 *
 * What changes for the user: rows out of view are not in the DOM, so the browser's find-in-page
 * does not see them, tests that count rows in the DOM count only those in view, and a focused
 * element in a row that scrolls far out of view loses focus.
 *
 * Spacers are elements of the list's own kind (\`<tr>\` in a table body, \`<li>\` in a list) so
 * the markup stays valid; there are two before the rows and the first row rendered has an even
 * index, so \`:nth-child(odd)\` striping stays on the same rows.
 *
 * homeostat-ignore-file: its scroll and resize listeners are the list's own machinery, not
 * handlers of the app (a slow scroll still shows in the page's long frames).
 */`;

const TS = `${DOC}
import { createElement, Fragment, useEffect, useLayoutEffect, useRef, useState, type ReactNode } from 'react';

/** Rows rendered beyond each edge of the viewport, so a scroll shows rows, not a gap. */
const OVERSCAN = __OVERSCAN__;
/** The row height (px) assumed until one is measured: small, so the first render fills the view. */
const ESTIMATE = 20;
/** Layout effects measure before paint; on a server render (no DOM, nothing to measure) a plain effect, which React does not warn about. */
const useClientLayoutEffect = typeof window === 'undefined' ? useEffect : useLayoutEffect;
const ZERO = { height: 0, padding: 0, border: 0, margin: 0, listStyle: 'none' } as const;

export interface VirtualListProps<T> {
  items: readonly T[];
  render: (item: T, index: number, items: readonly T[]) => ReactNode;
  /** The element that stands in for rows out of view: \`tr\` in a table body, \`li\` in a list. */
  spacer?: 'tr' | 'li' | 'div';
}

/** The part of the list in view, in px from the list's top, and the measured row height. */
interface View {
  top: number;
  bottom: number;
  row: number | null;
}

function rangeOf(view: View, count: number): [number, number] {
  const row = view.row ?? ESTIMATE;
  let start = Math.max(0, Math.min(count, Math.floor(view.top / row) - OVERSCAN));
  // An even first row keeps :nth-child parity (two spacers come before it).
  start -= start % 2;
  const end = Math.max(start, Math.min(count, Math.ceil(view.bottom / row) + OVERSCAN));
  return [start, end];
}

/** The viewport's top and bottom (client px): the window's, clipped by ancestors that scroll or clip. */
function clipOf(clippers: readonly Element[]): { top: number; bottom: number } {
  let top = 0;
  let bottom = window.innerHeight;
  for (const c of clippers) {
    const r = c.getBoundingClientRect();
    top = Math.max(top, r.top);
    bottom = Math.min(bottom, r.bottom);
  }
  return { top, bottom };
}

function clippersOf(el: Element): Element[] {
  const out: Element[] = [];
  for (let p = el.parentElement; p && p !== document.body && p !== document.documentElement; p = p.parentElement) {
    if (/(auto|scroll|hidden|clip)/.test(getComputedStyle(p).overflowY)) out.push(p);
  }
  return out;
}

export function VirtualList<T>({ items, render, spacer = 'div' }: VirtualListProps<T>): ReactNode {
  const [view, setView] = useState<View>(() => ({ top: 0, bottom: typeof window === 'undefined' ? 800 : window.innerHeight, row: null }));
  const [start, end] = rangeOf(view, items.length);
  const row = view.row ?? ESTIMATE;
  const before = useRef<HTMLElement | null>(null);
  const after = useRef<HTMLElement | null>(null);
  const latest = useRef({ count: items.length, rendered: end - start, clippers: null as Element[] | null });

  // Where the list is now against the viewport; a new state only when the rows to show change.
  const measure = useRef(() => {
    const b = before.current;
    const a = after.current;
    if (!b || !a) return;
    const l = latest.current;
    l.clippers ??= clippersOf(b);
    const top = b.getBoundingClientRect().top;
    setView((v) => {
      let measured = v.row;
      if (measured === null && l.rendered > 0) {
        const h = (a.getBoundingClientRect().top - b.getBoundingClientRect().bottom) / l.rendered;
        if (h > 0) measured = h;
      }
      const clip = clipOf(l.clippers!);
      const next = { top: clip.top - top, bottom: clip.bottom - top, row: measured };
      const [s0, e0] = rangeOf(v, l.count);
      const [s1, e1] = rangeOf(next, l.count);
      return s0 === s1 && e0 === e1 && v.row === measured ? v : next;
    });
  }).current;

  useClientLayoutEffect(() => {
    latest.current.count = items.length;
    latest.current.rendered = end - start;
    measure();
  });
  useClientLayoutEffect(() => {
    const onScroll = () => measure();
    const onResize = () => {
      latest.current.clippers = null;
      setView((v) => ({ ...v, row: null }));
    };
    // Capture: scroll events do not bubble, and the list may scroll inside an ancestor.
    window.addEventListener('scroll', onScroll, { capture: true, passive: true });
    window.addEventListener('resize', onResize);
    return () => {
      window.removeEventListener('scroll', onScroll, { capture: true });
      window.removeEventListener('resize', onResize);
    };
  }, [measure]);

  const children: ReactNode[] = [
    createElement(spacer, { key: '\\u0000virtual-parity', 'aria-hidden': true, style: ZERO }),
    createElement(spacer, { key: '\\u0000virtual-before', ref: before, 'aria-hidden': true, style: { ...ZERO, height: start * row } }),
  ];
  for (let i = start; i < end; i++) children.push(render(items[i]!, i, items));
  children.push(createElement(spacer, { key: '\\u0000virtual-after', ref: after, 'aria-hidden': true, style: { ...ZERO, height: (items.length - end) * row } }));
  return createElement(Fragment, null, children);
}
`;

const JS = `${DOC}
import { createElement, Fragment, useEffect, useLayoutEffect, useRef, useState } from 'react';

/** Rows rendered beyond each edge of the viewport, so a scroll shows rows, not a gap. */
const OVERSCAN = __OVERSCAN__;
/** The row height (px) assumed until one is measured: small, so the first render fills the view. */
const ESTIMATE = 20;
/** Layout effects measure before paint; on a server render (no DOM, nothing to measure) a plain effect, which React does not warn about. */
const useClientLayoutEffect = typeof window === 'undefined' ? useEffect : useLayoutEffect;
const ZERO = { height: 0, padding: 0, border: 0, margin: 0, listStyle: 'none' };

/** The part of the list in view (\`{ top, bottom }\`, px from the list's top) → the rows to render. */
function rangeOf(view, count) {
  const row = view.row ?? ESTIMATE;
  let start = Math.max(0, Math.min(count, Math.floor(view.top / row) - OVERSCAN));
  // An even first row keeps :nth-child parity (two spacers come before it).
  start -= start % 2;
  const end = Math.max(start, Math.min(count, Math.ceil(view.bottom / row) + OVERSCAN));
  return [start, end];
}

/** The viewport's top and bottom (client px): the window's, clipped by ancestors that scroll or clip. */
function clipOf(clippers) {
  let top = 0;
  let bottom = window.innerHeight;
  for (const c of clippers) {
    const r = c.getBoundingClientRect();
    top = Math.max(top, r.top);
    bottom = Math.min(bottom, r.bottom);
  }
  return { top, bottom };
}

function clippersOf(el) {
  const out = [];
  for (let p = el.parentElement; p && p !== document.body && p !== document.documentElement; p = p.parentElement) {
    if (/(auto|scroll|hidden|clip)/.test(getComputedStyle(p).overflowY)) out.push(p);
  }
  return out;
}

/**
 * @template T
 * @param {{ items: readonly T[], render: (item: T, index: number, items: readonly T[]) => import('react').ReactNode, spacer?: 'tr' | 'li' | 'div' }} props
 * @returns {import('react').ReactNode}
 */
export function VirtualList({ items, render, spacer = 'div' }) {
  const [view, setView] = useState(() => ({ top: 0, bottom: typeof window === 'undefined' ? 800 : window.innerHeight, row: null }));
  const [start, end] = rangeOf(view, items.length);
  const row = view.row ?? ESTIMATE;
  const before = useRef(null);
  const after = useRef(null);
  const latest = useRef({ count: items.length, rendered: end - start, clippers: null });

  // Where the list is now against the viewport; a new state only when the rows to show change.
  const measure = useRef(() => {
    const b = before.current;
    const a = after.current;
    if (!b || !a) return;
    const l = latest.current;
    l.clippers ??= clippersOf(b);
    const top = b.getBoundingClientRect().top;
    setView((v) => {
      let measured = v.row;
      if (measured === null && l.rendered > 0) {
        const h = (a.getBoundingClientRect().top - b.getBoundingClientRect().bottom) / l.rendered;
        if (h > 0) measured = h;
      }
      const clip = clipOf(l.clippers);
      const next = { top: clip.top - top, bottom: clip.bottom - top, row: measured };
      const [s0, e0] = rangeOf(v, l.count);
      const [s1, e1] = rangeOf(next, l.count);
      return s0 === s1 && e0 === e1 && v.row === measured ? v : next;
    });
  }).current;

  useClientLayoutEffect(() => {
    latest.current.count = items.length;
    latest.current.rendered = end - start;
    measure();
  });
  useClientLayoutEffect(() => {
    const onScroll = () => measure();
    const onResize = () => {
      latest.current.clippers = null;
      setView((v) => ({ ...v, row: null }));
    };
    // Capture: scroll events do not bubble, and the list may scroll inside an ancestor.
    window.addEventListener('scroll', onScroll, { capture: true, passive: true });
    window.addEventListener('resize', onResize);
    return () => {
      window.removeEventListener('scroll', onScroll, { capture: true });
      window.removeEventListener('resize', onResize);
    };
  }, [measure]);

  const children = [
    createElement(spacer, { key: '\\u0000virtual-parity', 'aria-hidden': true, style: ZERO }),
    createElement(spacer, { key: '\\u0000virtual-before', ref: before, 'aria-hidden': true, style: { ...ZERO, height: start * row } }),
  ];
  for (let i = start; i < end; i++) children.push(render(items[i], i, items));
  children.push(createElement(spacer, { key: '\\u0000virtual-after', ref: after, 'aria-hidden': true, style: { ...ZERO, height: (items.length - end) * row } }));
  return createElement(Fragment, null, children);
}
`;

/** The same component over `@tanstack/react-virtual`, for an app that already depends on it: the library tracks the window's scroll and picks the rows; spacers, parity and the measured row height are as above. */
const TANSTACK_NOTE = `
 *
 * This variant lets @tanstack/react-virtual (useWindowVirtualizer, which the app already
 * depends on) track the window and pick the rows in view; all rows get the measured height.`;

const TS_TANSTACK = `${DOC.replace(' */', `${TANSTACK_NOTE.slice(1)}\n */`)}
import { createElement, Fragment, useEffect, useLayoutEffect, useRef, useState, type ReactNode } from 'react';
import { useWindowVirtualizer } from '@tanstack/react-virtual';

/** Rows rendered beyond each edge of the viewport, so a scroll shows rows, not a gap. */
const OVERSCAN = __OVERSCAN__;
/** The row height (px) assumed until one is measured: small, so the first render fills the view. */
const ESTIMATE = 20;
/** Layout effects measure before paint; on a server render (no DOM, nothing to measure) a plain effect, which React does not warn about. */
const useClientLayoutEffect = typeof window === 'undefined' ? useEffect : useLayoutEffect;
const ZERO = { height: 0, padding: 0, border: 0, margin: 0, listStyle: 'none' } as const;

export interface VirtualListProps<T> {
  items: readonly T[];
  render: (item: T, index: number, items: readonly T[]) => ReactNode;
  /** The element that stands in for rows out of view: \`tr\` in a table body, \`li\` in a list. */
  spacer?: 'tr' | 'li' | 'div';
}

export function VirtualList<T>({ items, render, spacer = 'div' }: VirtualListProps<T>): ReactNode {
  // Where the list starts in the document, and the measured row height.
  const [layout, setLayout] = useState<{ margin: number; row: number | null }>({ margin: 0, row: null });
  const row = layout.row ?? ESTIMATE;
  const virtualizer = useWindowVirtualizer({ count: items.length, estimateSize: () => row, overscan: OVERSCAN, scrollMargin: layout.margin });
  const shown = virtualizer.getVirtualItems();
  // An even first row keeps :nth-child parity (two spacers come before it).
  const first = shown[0]?.index ?? 0;
  const start = first - (first % 2);
  const end = shown.length ? shown[shown.length - 1]!.index + 1 : 0;
  const before = useRef<HTMLElement | null>(null);
  const after = useRef<HTMLElement | null>(null);

  useClientLayoutEffect(() => {
    const b = before.current;
    const a = after.current;
    if (!b || !a) return;
    const margin = b.getBoundingClientRect().top + window.scrollY;
    let measured = layout.row;
    if (measured === null && end > start) {
      const h = (a.getBoundingClientRect().top - b.getBoundingClientRect().bottom) / (end - start);
      if (h > 0) measured = h;
    }
    if (Math.abs(margin - layout.margin) > 0.5 || measured !== layout.row) setLayout({ margin, row: measured });
  });
  useClientLayoutEffect(() => {
    // A new row height: the virtualizer's cached sizes are the old estimate.
    virtualizer.measure();
  }, [layout.row, virtualizer]);
  useClientLayoutEffect(() => {
    const onResize = () => setLayout((l) => ({ ...l, row: null }));
    window.addEventListener('resize', onResize);
    return () => window.removeEventListener('resize', onResize);
  }, []);

  const children: ReactNode[] = [
    createElement(spacer, { key: '\\u0000virtual-parity', 'aria-hidden': true, style: ZERO }),
    createElement(spacer, { key: '\\u0000virtual-before', ref: before, 'aria-hidden': true, style: { ...ZERO, height: start * row } }),
  ];
  for (let i = start; i < end; i++) children.push(render(items[i]!, i, items));
  children.push(createElement(spacer, { key: '\\u0000virtual-after', ref: after, 'aria-hidden': true, style: { ...ZERO, height: Math.max(0, items.length - end) * row } }));
  return createElement(Fragment, null, children);
}
`;

const JS_TANSTACK = `${DOC.replace(' */', `${TANSTACK_NOTE.slice(1)}\n */`)}
import { createElement, Fragment, useEffect, useLayoutEffect, useRef, useState } from 'react';
import { useWindowVirtualizer } from '@tanstack/react-virtual';

/** Rows rendered beyond each edge of the viewport, so a scroll shows rows, not a gap. */
const OVERSCAN = __OVERSCAN__;
/** The row height (px) assumed until one is measured: small, so the first render fills the view. */
const ESTIMATE = 20;
/** Layout effects measure before paint; on a server render (no DOM, nothing to measure) a plain effect, which React does not warn about. */
const useClientLayoutEffect = typeof window === 'undefined' ? useEffect : useLayoutEffect;
const ZERO = { height: 0, padding: 0, border: 0, margin: 0, listStyle: 'none' };

/**
 * @template T
 * @param {{ items: readonly T[], render: (item: T, index: number, items: readonly T[]) => import('react').ReactNode, spacer?: 'tr' | 'li' | 'div' }} props
 * @returns {import('react').ReactNode}
 */
export function VirtualList({ items, render, spacer = 'div' }) {
  // Where the list starts in the document, and the measured row height.
  const [layout, setLayout] = useState({ margin: 0, row: null });
  const row = layout.row ?? ESTIMATE;
  const virtualizer = useWindowVirtualizer({ count: items.length, estimateSize: () => row, overscan: OVERSCAN, scrollMargin: layout.margin });
  const shown = virtualizer.getVirtualItems();
  // An even first row keeps :nth-child parity (two spacers come before it).
  const first = shown[0]?.index ?? 0;
  const start = first - (first % 2);
  const end = shown.length ? shown[shown.length - 1].index + 1 : 0;
  const before = useRef(null);
  const after = useRef(null);

  useClientLayoutEffect(() => {
    const b = before.current;
    const a = after.current;
    if (!b || !a) return;
    const margin = b.getBoundingClientRect().top + window.scrollY;
    let measured = layout.row;
    if (measured === null && end > start) {
      const h = (a.getBoundingClientRect().top - b.getBoundingClientRect().bottom) / (end - start);
      if (h > 0) measured = h;
    }
    if (Math.abs(margin - layout.margin) > 0.5 || measured !== layout.row) setLayout({ margin, row: measured });
  });
  useClientLayoutEffect(() => {
    // A new row height: the virtualizer's cached sizes are the old estimate.
    virtualizer.measure();
  }, [layout.row, virtualizer]);
  useClientLayoutEffect(() => {
    const onResize = () => setLayout((l) => ({ ...l, row: null }));
    window.addEventListener('resize', onResize);
    return () => window.removeEventListener('resize', onResize);
  }, []);

  const children = [
    createElement(spacer, { key: '\\u0000virtual-parity', 'aria-hidden': true, style: ZERO }),
    createElement(spacer, { key: '\\u0000virtual-before', ref: before, 'aria-hidden': true, style: { ...ZERO, height: start * row } }),
  ];
  for (let i = start; i < end; i++) children.push(render(items[i], i, items));
  children.push(createElement(spacer, { key: '\\u0000virtual-after', ref: after, 'aria-hidden': true, style: { ...ZERO, height: Math.max(0, items.length - end) * row } }));
  return createElement(Fragment, null, children);
}
`;

export const DEFAULT_OVERSCAN = 10;

/** The package the library variant builds on. */
export const TANSTACK_VIRTUAL = '@tanstack/react-virtual';

/**
 * The module's source, typed (`ts`) or plain, with `overscan` rows rendered beyond each edge of
 * the view; over `@tanstack/react-virtual` when `library` says the app depends on it.
 */
export function virtualListSource(ts: boolean, overscan = DEFAULT_OVERSCAN, library: 'tanstack' | null = null): string {
  const text = library === 'tanstack' ? (ts ? TS_TANSTACK : JS_TANSTACK) : ts ? TS : JS;
  return text.replace('__OVERSCAN__', String(Math.max(0, Math.round(overscan))));
}

/** The name the component is exported under (and the module's file name). */
export const VIRTUAL_NAME = 'VirtualList';
