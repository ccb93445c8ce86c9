/**
 * `homeostat/auto`: what code instrumented by the build plugin (`@homeostat/tools/vite`,
 * `@homeostat/tools/babel`) calls. Not meant for hand-written code: use `instrument`/`useHandler`.
 *
 * Each instrumented module registers its handler names once (`names`); an instrumented
 * function's body then runs through `run`, so the function itself is the app's own object and
 * creating it costs nothing extra. Outside a browser (SSR, tests without a DOM) everything here
 * is a pass-through.
 */
import { handlerId, instrument, markInstrumented, nameOf, recordBody, type AnyFunction } from './instrument.ts';
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

/** Runs an instrumented function's body as one recorded call of handler `index` of `table`. */
export function run(table: HandlerTable | undefined, index: number, body: () => unknown): unknown {
  if (table === undefined) return body();
  return recordBody(table[index]!, body);
}

/** Wraps a value passed to a JSX event prop (stable functions keep a stable wrapper). */
export function wrap<V>(value: V, table: HandlerTable | undefined, index: number): V {
  if (table === undefined || typeof value !== 'function') return value;
  if ((value as { [key: symbol]: unknown })[AUTO] !== undefined) return value;
  return instrument(table.labels[index]!, value as unknown as AnyFunction) as unknown as V;
}


/** Marks a module-level instrumented function, so explicit wrappers elsewhere record it once. */
export function mark<F>(fn: F, table: HandlerTable | undefined, index: number): void {
  if (table !== undefined && typeof fn === 'function') markInstrumented(fn, table[index]!);
}
