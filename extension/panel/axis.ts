/** Ticks for a time axis from 0 to `span` ms: round steps (1, 2 or 5 × 10ⁿ ms), about `target` of them. */
export function timeTicks(span: number, target = 5): number[] {
  if (!(span > 0) || !Number.isFinite(span)) return [0];
  const raw = span / target;
  const pow = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * pow).find((s) => s >= raw) ?? 10 * pow;
  const out: number[] = [];
  // Integer multiples, rounded, so 0.1 + 0.2 does not print as 0.30000000000000004.
  for (let i = 0; i * step <= span * (1 + 1e-9); i++) out.push(Number((i * step).toPrecision(12)));
  return out;
}
