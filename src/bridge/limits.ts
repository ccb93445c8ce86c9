/**
 * The bridge's constants and size limits, apart from its schemas: the page reads them without
 * loading a validator.
 */

/** Tag on every window message, so unrelated `postMessage` traffic is ignored, not counted. */
export const CHANNEL = 'homeostat-bridge/1';

/** Limits: what one message may carry. */
export const LIMITS = {
  name: 200,
  handlers: 2000,
  sequences: 1000,
  variants: 50,
  steps: 200,
  calls: 1000,
  buckets: 400,
  errorPatterns: 50,
  /** React commits per tick, and the components named per commit (the costliest). */
  commits: 200,
  components: 100,
  /** An exported or imported session file, in characters. */
  sessionJson: 64 * 1024 * 1024,
  /**
   * One whole message, in characters of its JSON form, not counting a session file's `json`
   * string: the per-array limits above alone would let one tick carry tens of MB.
   */
  message: 4 * 1024 * 1024,
} as const;

export const REQUEST_OPS = ['snapshot', 'spec', 'export', 'clear', 'pause', 'resume', 'tracks-on', 'tracks-off'] as const;

/**
 * The size of `value` as JSON, in characters, in two parts: strings under a `json` key (session
 * files, up to LIMITS.sessionJson) and everything else. Stops counting, returning Infinity for
 * the part, as soon as a part passes its limit, so measuring a huge or cyclic message is cheap.
 */
export function messageSize(value: unknown, limits: { data: number; json: number } = { data: LIMITS.message, json: LIMITS.sessionJson }): { data: number; json: number } {
  let data = 0;
  let json = 0;
  const stack: Array<{ v: unknown; key: string | null }> = [{ v: value, key: null }];
  while (stack.length > 0) {
    const { v, key } = stack.pop()!;
    if (typeof v === 'string') {
      if (key === 'json') json += v.length + 2;
      else data += v.length + 2;
    } else if (typeof v === 'number') data += 8;
    else if (typeof v === 'boolean' || v === null || v === undefined) data += 5;
    else if (Array.isArray(v)) {
      data += 2 + v.length;
      for (let i = v.length - 1; i >= 0 && data <= limits.data; i--) stack.push({ v: v[i], key: null });
    } else if (typeof v === 'object') {
      data += 2;
      for (const k of Object.keys(v as object)) {
        data += k.length + 4;
        if (data > limits.data) break;
        stack.push({ v: (v as Record<string, unknown>)[k], key: k });
      }
    } else data += 8;
    if (data > limits.data) return { data: Infinity, json };
    if (json > limits.json) return { data, json: Infinity };
  }
  return { data, json };
}
