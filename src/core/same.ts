/**
 * Compile-time checks that two descriptions of the same data agree (a zod schema and the model's
 * interface, the bridge's schema and the aggregates it carries): a check that does not hold
 * fails `npm run typecheck`, so the copies cannot drift apart.
 */

/** `true` when A and B are the same type (optional and readonly modifiers included), else `false`. */
export type Same<A, B> = (<T>() => T extends Flat<A> ? 1 : 2) extends <T>() => T extends Flat<B> ? 1 : 2 ? true : false;

/** T with intersections merged, deeply, so `{ a } & { b }` reads as `{ a, b }`. */
export type Flat<T> = T extends readonly (infer U)[] ? (T extends unknown[] ? Flat<U>[] : readonly Flat<U>[]) : T extends object ? { [K in keyof T]: Flat<T[K]> } : T;
