import type { ErrorInfo } from './model.ts';

/**
 * What was thrown, read once and raw: the name (an Error's `name` or constructor name, or what
 * kind of value it was) and the message text, not yet normalised. The page calls this where an
 * error passes (it must not keep the thrown value), `errors.ts` normalises the result.
 */
export function rawThrown(thrown: unknown): ErrorInfo {
  if (thrown instanceof Error) {
    let name = 'Error';
    let message = '';
    try {
      name = String(thrown.name || thrown.constructor?.name || 'Error');
      message = String(thrown.message ?? '');
    } catch {
      // Getters that throw: what could be read.
    }
    return { name, message };
  }
  if (thrown !== null && typeof thrown === 'object') {
    const message = (thrown as { message?: unknown }).message;
    return { name: 'NonErrorObject', message: typeof message === 'string' ? message : '' };
  }
  const type = typeof thrown;
  return { name: `Thrown${type.charAt(0).toUpperCase()}${type.slice(1)}`, message: '' };
}
