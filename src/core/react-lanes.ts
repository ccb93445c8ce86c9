/**
 * React's transition lanes per react-dom version (a bit mask read from react-dom's builds), apart
 * from the React internals module so the DevTools bridge agent can read them without importing
 * React: 18.x bits 6–21, 19.0 bits 7–21, 19.1 and later bits 8–21. Other versions: null.
 */
export function transitionLanesMask(version: string | null | undefined): number | null {
  const m = /^(\d+)\.(\d+)\./.exec(version ?? '');
  if (!m) return null;
  const major = Number(m[1]);
  const minor = Number(m[2]);
  if (major === 18) return 0b0000000001111111111111111000000;
  if (major === 19 && minor === 0) return 0b0000000001111111111111110000000;
  if (major === 19) return 0b0000000001111111111111100000000;
  return null;
}
