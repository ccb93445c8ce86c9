/** The clock every page-side time comes from. Kept as one reference so it is cheap to call. */
export const perf: { now(): number; readonly timeOrigin: number } = globalThis.performance;
