/**
 * A small seeded PRNG (mulberry32) so bootstrap intervals, and therefore check reports, are
 * reproducible: the same spec and sessions give the same verdicts on every machine.
 */
export type Random = () => number;

/** Uniform [0, 1) numbers from a 32-bit seed. */
export function seededRandom(seed: number): Random {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
