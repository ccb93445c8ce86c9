/**
 * The hook the progressive-list codemod adds to an app, as source text: a module of its own next
 * to the component that renders the list, with no dependency but React (18 or later), typed for
 * a TypeScript app and plain for a JavaScript one. Both variants are the same code; the tests run
 * both (src/heal/codemods/progressive-hook.test.ts).
 */

const DOC = `/**
 * useProgressiveList: renders a long list in steps, so no frame has to commit all of it.
 *
 * Added by Homeostat's progressive-list fix. When a list becomes long at once (10,000 rows
 * from an empty table, or a list replaced by a new one), the component renders the first
 * screenful with the update itself, and the rest in chunks, each in its own transition, with a
 * painted frame between chunks: the page shows rows and answers input at once, and every row is
 * in the DOM at the end.
 *
 * Updates of the same list (a row selected, two rows swapped, one removed or added) render in
 * full at once: rows already shown are never dropped or re-chunked. A list that becomes short
 * (cleared) starts over. "The same list" means that some of its first rows are still there
 * (compared by key when \`keyOf\` is given, else by identity).
 *
 * While chunks are added, rows already rendered are not rendered again: their elements are
 * kept as long as \`items\` and \`deps\` (what \`render\` reads besides the row) are unchanged.
 * Chunk sizes adapt to the page: from what the last chunk cost to render and commit per row, and
 * what the browser's frame (style, layout, paint of everything shown) costs, each chunk aims at
 * a frame of TARGET_MS, or twice the browser's own cost when a long page makes that larger.
 */`;

const TS = `${DOC}
import { startTransition, useEffect, useLayoutEffect, useRef, useState, type Key, type ReactNode } from 'react';

/** Rows in the first, urgent commit: about a screenful. */
const FIRST = __FIRST__;
/** Rows in the first chunk after it; later chunks are sized by what they cost. */
const START_CHUNK = __CHUNK__;
const TARGET_MS = 50;
const MIN_CHUNK = 50;
const MAX_CHUNK = 5000;

type KeyOf<T> = ((item: T, index: number) => Key) | undefined;

/** True when \`next\` is a different list from \`prev\`, not an update of it: none of its first rows were in \`prev\`. */
function isNewList<T>(prev: readonly T[], next: readonly T[], keyOf: KeyOf<T>, first: number): boolean {
  if (prev.length === 0) return true;
  const seen = new Set<unknown>(keyOf ? prev.map(keyOf) : prev);
  const n = Math.min(first, next.length);
  for (let i = 0; i < n; i++) if (seen.has(keyOf ? keyOf(next[i]!, i) : next[i])) return false;
  return true;
}

/** How many rows to render once \`prev\` (of which \`limit\` were rendered) became \`next\`. */
function nextLimit<T>(prev: readonly T[], limit: number, next: readonly T[], keyOf: KeyOf<T>, first: number): number {
  if (next.length <= first) return next.length;
  if (isNewList(prev, next, keyOf, first)) return first;
  // The same list: what was shown stays shown, and rows it gained render with it.
  return Math.min(next.length, limit + Math.max(0, next.length - prev.length));
}

/** Same length, same elements: \`items\` computed anew each render (\`rows.filter(…)\`) is still the same list. */
function same(a: readonly unknown[], b: readonly unknown[]): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) return false;
  return true;
}

/** The next chunk's size: rows whose render and commit fit in what the frame has left. */
function chunkSize(previous: number, scriptPerRow: number, frameMs: number): number {
  if (!(scriptPerRow > 0)) return previous;
  const budget = Math.max(TARGET_MS, 2 * frameMs);
  const fit = (budget - frameMs) / scriptPerRow;
  // Halfway from the last size: one slow frame (a busy machine) does not swing it.
  return Math.round(Math.min(MAX_CHUNK, Math.max(MIN_CHUNK, (previous + fit) / 2)));
}

/**
 * The rendered rows for now: \`render\` over every item once all are shown, over the first ones
 * while the rest is still being added. Render \`{rows}\` where \`{items.map(render)}\` was;
 * \`deps\` lists what \`render\` reads besides its arguments (props, state).
 */
export function useProgressiveList<T>(items: readonly T[], render: (item: T, index: number) => ReactNode, deps: readonly unknown[], keyOf?: (item: T, index: number) => Key, first: number = FIRST): ReactNode[] {
  const [shown, setShown] = useState<{ items: readonly T[]; limit: number }>(() => ({ items, limit: Math.min(items.length, first) }));
  let limit = shown.limit;
  if (!same(shown.items, items)) {
    // A new list: decided while rendering (React re-renders this component at once, before its
    // children), so the first commit after the update already holds only the first rows.
    limit = nextLimit(shown.items, shown.limit, items, keyOf, first);
    setShown({ items, limit });
  }
  // Elements already made for these items and deps: kept, so React skips those rows.
  const made = useRef<{ items: readonly T[]; deps: readonly unknown[]; elements: ReactNode[] }>({ items, deps, elements: [] });
  if (!same(made.current.items, items) || !same(made.current.deps, deps)) made.current = { items, deps, elements: [] };
  const elements = made.current.elements;
  for (let i = elements.length; i < limit; i++) elements.push(render(items[i]!, i));

  const chunk = useRef({ size: START_CHUNK, requestedAt: 0, added: 0, scriptPerRow: 0 });
  useLayoutEffect(() => {
    // The chunk asked for is in the DOM: what rendering and committing it cost per row.
    const c = chunk.current;
    if (c.requestedAt > 0 && c.added > 0) c.scriptPerRow = (performance.now() - c.requestedAt) / c.added;
    c.requestedAt = 0;
  });
  useEffect(() => {
    if (limit >= items.length) return;
    // The next chunk starts once the browser has laid out and painted this one: the time from
    // the frame's start to a task after it is what the browser spends on the rows shown.
    let timer: ReturnType<typeof setTimeout> | undefined;
    const frame = requestAnimationFrame((frameStart) => {
      timer = setTimeout(() => {
        const c = chunk.current;
        c.size = chunkSize(c.size, c.scriptPerRow, performance.now() - frameStart);
        c.added = Math.min(c.size, items.length - limit);
        c.requestedAt = performance.now();
        const add = c.added;
        startTransition(() => {
          setShown((s) => (same(s.items, items) ? { items: s.items, limit: Math.min(items.length, s.limit + add) } : s));
        });
      }, 0);
    });
    return () => {
      cancelAnimationFrame(frame);
      clearTimeout(timer);
    };
  }, [items, limit]);
  return elements.length === limit ? elements : elements.slice(0, limit);
}
`;

const JS = `${DOC}
import { startTransition, useEffect, useLayoutEffect, useRef, useState } from 'react';

/** Rows in the first, urgent commit: about a screenful. */
const FIRST = __FIRST__;
/** Rows in the first chunk after it; later chunks are sized by what they cost. */
const START_CHUNK = __CHUNK__;
const TARGET_MS = 50;
const MIN_CHUNK = 50;
const MAX_CHUNK = 5000;

/** True when \`next\` is a different list from \`prev\`, not an update of it: none of its first rows were in \`prev\`. */
function isNewList(prev, next, keyOf, first) {
  if (prev.length === 0) return true;
  const seen = new Set(keyOf ? prev.map(keyOf) : prev);
  const n = Math.min(first, next.length);
  for (let i = 0; i < n; i++) if (seen.has(keyOf ? keyOf(next[i], i) : next[i])) return false;
  return true;
}

/** How many rows to render once \`prev\` (of which \`limit\` were rendered) became \`next\`. */
function nextLimit(prev, limit, next, keyOf, first) {
  if (next.length <= first) return next.length;
  if (isNewList(prev, next, keyOf, first)) return first;
  // The same list: what was shown stays shown, and rows it gained render with it.
  return Math.min(next.length, limit + Math.max(0, next.length - prev.length));
}

/** Same length, same elements: \`items\` computed anew each render (\`rows.filter(…)\`) is still the same list. */
function same(a, b) {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) return false;
  return true;
}

/** The next chunk's size: rows whose render and commit fit in what the frame has left. */
function chunkSize(previous, scriptPerRow, frameMs) {
  if (!(scriptPerRow > 0)) return previous;
  const budget = Math.max(TARGET_MS, 2 * frameMs);
  const fit = (budget - frameMs) / scriptPerRow;
  // Halfway from the last size: one slow frame (a busy machine) does not swing it.
  return Math.round(Math.min(MAX_CHUNK, Math.max(MIN_CHUNK, (previous + fit) / 2)));
}

/**
 * The rendered rows for now: \`render\` over every item once all are shown, over the first ones
 * while the rest is still being added. Render \`{rows}\` where \`{items.map(render)}\` was;
 * \`deps\` lists what \`render\` reads besides its arguments (props, state).
 *
 * @template T
 * @param {readonly T[]} items
 * @param {(item: T, index: number) => import('react').ReactNode} render
 * @param {readonly unknown[]} deps
 * @param {(item: T, index: number) => import('react').Key} [keyOf]
 * @param {number} [first]
 * @returns {import('react').ReactNode[]}
 */
export function useProgressiveList(items, render, deps, keyOf, first = FIRST) {
  const [shown, setShown] = useState(() => ({ items, limit: Math.min(items.length, first) }));
  let limit = shown.limit;
  if (!same(shown.items, items)) {
    // A new list: decided while rendering (React re-renders this component at once, before its
    // children), so the first commit after the update already holds only the first rows.
    limit = nextLimit(shown.items, shown.limit, items, keyOf, first);
    setShown({ items, limit });
  }
  // Elements already made for these items and deps: kept, so React skips those rows.
  const made = useRef({ items, deps, elements: [] });
  if (!same(made.current.items, items) || !same(made.current.deps, deps)) made.current = { items, deps, elements: [] };
  const elements = made.current.elements;
  for (let i = elements.length; i < limit; i++) elements.push(render(items[i], i));

  const chunk = useRef({ size: START_CHUNK, requestedAt: 0, added: 0, scriptPerRow: 0 });
  useLayoutEffect(() => {
    // The chunk asked for is in the DOM: what rendering and committing it cost per row.
    const c = chunk.current;
    if (c.requestedAt > 0 && c.added > 0) c.scriptPerRow = (performance.now() - c.requestedAt) / c.added;
    c.requestedAt = 0;
  });
  useEffect(() => {
    if (limit >= items.length) return;
    // The next chunk starts once the browser has laid out and painted this one: the time from
    // the frame's start to a task after it is what the browser spends on the rows shown.
    let timer;
    const frame = requestAnimationFrame((frameStart) => {
      timer = setTimeout(() => {
        const c = chunk.current;
        c.size = chunkSize(c.size, c.scriptPerRow, performance.now() - frameStart);
        c.added = Math.min(c.size, items.length - limit);
        c.requestedAt = performance.now();
        const add = c.added;
        startTransition(() => {
          setShown((s) => (same(s.items, items) ? { items: s.items, limit: Math.min(items.length, s.limit + add) } : s));
        });
      }, 0);
    });
    return () => {
      cancelAnimationFrame(frame);
      clearTimeout(timer);
    };
  }, [items, limit]);
  return elements.length === limit ? elements : elements.slice(0, limit);
}
`;

export const DEFAULT_FIRST = 60;
export const DEFAULT_CHUNK = 200;

/** The hook module's source, typed (`ts`) or plain, with the first screenful and first chunk sizes. */
export function progressiveHookSource(ts: boolean, first = DEFAULT_FIRST, chunk = DEFAULT_CHUNK): string {
  return (ts ? TS : JS).replace('__FIRST__', String(Math.max(1, Math.round(first)))).replace('__CHUNK__', String(Math.max(1, Math.round(chunk))));
}

/** The name the hook is exported under. */
export const HOOK_NAME = 'useProgressiveList';
