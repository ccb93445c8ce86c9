import type { ErrorInfo } from './model.ts';

const MAX_MESSAGE = 160;

/**
 * Replaces the parts of an error message that vary per occurrence, and that may carry user data
 * (quoted text, regular expressions, numbers, URLs, e-mail addresses, ids), by placeholders, so
 * that equal errors group together and nothing the user typed is stored.
 */
export function normaliseMessage(message: string): string {
  return message
    .replace(/https?:\/\/[^\s'"`)]+/g, '<url>')
    .replace(/[\w.+-]+@[\w-]+\.[\w.-]+/g, '<email>')
    .replace(/\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/gi, '<uuid>')
    .replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|`(?:[^`\\]|\\.)*`/g, '<str>')
    // A regular expression literal as engines print it: "/(ab/: Unterminated group".
    .replace(/(^|[\s:])\/(?:[^/\\\n]|\\.)+\/[dgimsuvy]*(?=[:\s]|$)/g, '$1<regexp>')
    .replace(/\b0x[0-9a-f]+\b/gi, '<hex>')
    .replace(/\b[0-9a-f]{16,}\b/gi, '<hex>')
    .replace(/-?\b\d+(?:\.\d+)?(?:e[+-]?\d+)?\b/gi, '<n>')
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, MAX_MESSAGE);
}

/** Describes anything thrown, without keeping a reference to it or its stack. */
export function describeThrown(thrown: unknown): ErrorInfo {
  if (thrown instanceof Error) {
    return { name: safeName(thrown), message: normaliseMessage(String(thrown.message ?? '')) };
  }
  if (thrown !== null && typeof thrown === 'object') {
    const message = (thrown as { message?: unknown }).message;
    return { name: 'NonErrorObject', message: typeof message === 'string' ? normaliseMessage(message) : '' };
  }
  return { name: `Thrown${capitalise(typeof thrown)}`, message: '' };
}

/** The interned form the page ships and `parseErrorString` reads back. */
export function errorKey(info: ErrorInfo): string {
  return info.message === '' ? info.name : `${info.name}: ${info.message}`;
}

function safeName(e: Error): string {
  try {
    const name = e.name || e.constructor?.name || 'Error';
    return /^[\w$.]{1,64}$/.test(name) ? name : 'Error';
  } catch {
    return 'Error';
  }
}

function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
