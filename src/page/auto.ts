/**
 * `homeostat/auto`: what code instrumented by the build plugin (`@homeostat/tools/vite`,
 * `@homeostat/tools/babel`) calls. Not meant for hand-written code: use `instrument`/`useHandler`.
 *
 * Each instrumented module registers its handler names once (`names`); an instrumented
 * function's body then calls `enter` at its top and `ret`/`threw`/`exit` where it ends, so the
 * function itself is the app's own object, creating it costs nothing extra, and a call adds no
 * frame. Outside a browser (SSR, tests without a DOM) everything here is a pass-through.
 */
import { enterBody, handlerId, instrumentTransparent, markInstrumented, nameOf } from './instrument.ts';
import { registerSources } from './sources.ts';

/** A module's handler ids, in the order of its sites, with their names. */
export type HandlerTable = number[] & { labels: string[] };

const AUTO = Symbol.for('homeostat.auto');
const ACTIVE = typeof window !== 'undefined' && typeof document !== 'undefined';

/**
 * Registers a module's handlers: `flat` is `[name, line, column, name, line, column, …]`, with
 * lines and columns of each handler in `file` (relative to the project root).
 */
export function names(file: string, flat: ReadonlyArray<string | number>): HandlerTable | undefined {
  if (!ACTIVE) return undefined;
  const ids = [] as unknown as HandlerTable;
  const labels: string[] = [];
  for (let i = 0; i + 2 < flat.length; i += 3) {
    const name = nameOf(flat[i]);
    labels.push(name);
    ids.push(handlerId(name));
  }
  ids.labels = labels;
  registerSources(file, flat);
  return ids;
}

/**
 * Starts a recorded call of handler `index` of `table`, from the top of the function's own body
 * (`async` for an async function); returns the token the other helpers take.
 */
export function enter(table: HandlerTable | undefined, index: number, async?: 1): number {
  if (table === undefined) return -1;
  return enterBody(table[index]!, async === 1);
}

/**
 * `return x` → `return ret(token, x)`: the same value, with the call's end recorded. `exit(token)`
 * at the body's end (a no-op after `ret`/`threw`); `threw(token, e)` from the body's `catch`
 * (which rethrows); `await x` → `await suspend(token, x)`: the same value, the first ends the
 * synchronous part. Re-exported as they are: a wrapper would cost every page bytes and every
 * call a frame.
 */
export { returnBody as ret, exitBody as exit, threwBody as threw, suspendBody as suspend } from './instrument.ts';

/**
 * Without a token, for a synchronous body whose every way out runs exactly one of `retTop`,
 * `exitTop`, `threwTop`: `enterTop(table, index)` at its top, `return retTop(x)`, `exitTop()`
 * at its end, `threwTop(e)` from its `catch` (see `enterTop` in instrument.ts).
 */
export { enterTop, returnTop as retTop, exitTop, threwTop } from './instrument.ts';

/**
 * Wraps a value passed to a JSX event prop (stable functions keep a stable wrapper): a
 * transparent one, whose own properties, `name` and `length` are the function's.
 */
export function wrap<V>(value: V, table: HandlerTable | undefined, index: number): V {
  if (table === undefined || typeof value !== 'function') return value;
  if ((value as { [key: symbol]: unknown })[AUTO] !== undefined) return value;
  return instrumentTransparent(table.labels[index]!, value);
}


/** Marks a module-level instrumented function, so explicit wrappers elsewhere record it once. */
export function mark<F>(fn: F, table: HandlerTable | undefined, index: number): void {
  if (table !== undefined && typeof fn === 'function') markInstrumented(fn, table[index]!);
}
