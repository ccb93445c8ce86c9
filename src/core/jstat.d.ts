// jStat has no type declarations of its own; src/core/check/normal.ts types what it uses.
declare module 'jstat' {
  const jstat: unknown;
  export default jstat;
}
