import type { ErrorInfo } from './model.ts';

const MAX_MESSAGE = 160;

/** Secrets with a recognisable shape, replaced before anything else can split them. */
const SECRETS: ReadonlyArray<[RegExp, string]> = [
  // JSON Web Tokens (header.payload[.signature], base64url; the header always starts with "eyJ").
  [/\beyJ[\w-]{4,}\.[\w-]{4,}(?:\.[\w-]*)?/g, '<jwt>'],
  // Credentials after an auth scheme: "Bearer abc…", "Basic dXNl…", "token ghp_…".
  // (12+ characters, so "Unexpected token export" keeps its word.)
  [/\b(bearer|basic|token|digest|apikey|api-key)(\s+|\s*[:=]\s*)[\w.~+/=-]{12,}/gi, '$1 <token>'],
  // Vendor API keys and tokens: Stripe, GitHub, Slack, AWS, Google, GitLab, npm, OpenAI-style.
  [/\b(?:sk|pk|rk)_(?:live|test)_[A-Za-z0-9]{6,}/g, '<key>'],
  [/\b(?:gh[pousr]_[A-Za-z0-9]{10,}|github_pat_\w{10,})/g, '<key>'],
  [/\bxox[abposr]-[\w-]{6,}/g, '<key>'],
  [/\b(?:AKIA|ASIA)[0-9A-Z]{16}\b/g, '<key>'],
  [/\bAIza[\w-]{20,}/g, '<key>'],
  [/\b(?:glpat-|npm_)[\w-]{10,}/g, '<key>'],
  [/\bsk-(?:proj-|ant-)?[\w-]{16,}/g, '<key>'],
  // Any URL, whatever its scheme (http, ws, wss, ftp, …), and schemeless www. hosts.
  [/\b[a-z][a-z0-9+.-]*:\/\/[^\s'"`)<>]+/gi, '<url>'],
  [/\bwww\.[^\s'"`)<>]+/gi, '<url>'],
  // Secret-looking assignments: "password=…", "api_key: …", "session=…".
  [/\b(passw(?:or)?d|pwd|secret|token|api[_-]?key|access[_-]?key|auth(?:orization)?|session(?:id)?|sid|credentials?|private[_-]?key|signature|sig)(\s*[:=]\s*)(?!(?:bearer|basic|digest|token)\b)[^\s,;&'"`)<][^\s,;&'"`)]*/gi, '$1$2<redacted>'],
  // A query string left anywhere (a schemeless host, a path): everything after "?" that has "=".
  [/\?[^\s'"`]*=[^\s'"`]*/g, '?<query>'],
];

/**
 * Replaces the parts of an error message that vary per occurrence, and that may carry user data
 * or secrets (quoted text, regular expressions, numbers, URLs of any scheme and their queries,
 * e-mail addresses, ids, tokens: JWTs, bearer credentials, API keys, long random strings), by
 * placeholders, so that equal errors group together and nothing the user typed is stored.
 */
export function normaliseMessage(message: string): string {
  // One pass can expose a shape the previous rules could not see (whitespace collapsed into a
  // regular-expression literal, a cut at the length bound); the stored key must be a fixed point,
  // or the same error read back from storage would group apart. Two or three passes converge.
  let m = normaliseOnce(message);
  for (let i = 0; i < 4; i++) {
    const next = normaliseOnce(m);
    if (next === m) return m;
    m = next;
  }
  return m;
}

function normaliseOnce(message: string): string {
  // Control characters and runs of whitespace first: every later rule then sees the text as stored.
  // eslint-disable-next-line no-control-regex
  let m = message.replace(/[\s\u0000-\u001f\u007f-\u009f]+/g, ' ');
  for (const [re, to] of SECRETS) m = m.replace(re, to);
  return m
    .replace(/[\w.+-]+@[\w-]+\.[\w.-]+/g, '<email>')
    .replace(/\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/gi, '<uuid>')
    .replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|`(?:[^`\\]|\\.)*`/g, '<str>')
    // A regular expression literal as engines print it: "/(ab/: Unterminated group".
    .replace(/(^|[\s:])\/(?:[^/\\\n]|\\.)+\/[dgimsuvy]*(?=[:\s]|$)/g, '$1<regexp>')
    .replace(/\b0x[0-9a-f]+\b/gi, '<hex>')
    .replace(/\b[0-9a-f]{16,}\b/gi, '<hex>')
    // Long random-looking runs (letters and digits mixed, 20+ characters): tokens without a known prefix.
    .replace(/\b(?=[\w-]*\d)(?=[\w-]*[A-Za-z])[\w-]{20,}/g, '<token>')
    .replace(/-?\b\d+(?:\.\d+)?(?:e[+-]?\d+)?\b/gi, '<n>')
    .replace(/ +/g, ' ')
    .trim()
    .slice(0, MAX_MESSAGE)
    .trim();
}

/**
 * Normalises what `rawThrown` read: the message as `normaliseMessage` does, and the name kept
 * only when it is an identifier (a name is code, not data) that normalisation leaves alone (a
 * token set as the name is not). Kinds of non-errors (`NonErrorObject`, `ThrownString`…) pass.
 */
export function normaliseError(raw: ErrorInfo): ErrorInfo {
  return { name: safeName(raw.name), message: raw.message === '' ? '' : normaliseMessage(raw.message) };
}

/** The interned key of what `rawThrown` read: normalised, in the form `parseErrorString` reads back. */
export function errorKeyOf(raw: ErrorInfo): string {
  return errorKey(normaliseError(raw));
}

/** The interned form the page ships and `parseErrorString` reads back. */
export function errorKey(info: ErrorInfo): string {
  return info.message === '' ? info.name : `${info.name}: ${info.message}`;
}

function safeName(name: string): string {
  return /^[\w$.]{1,64}$/.test(name) && normaliseMessage(name) === name ? name : 'Error';
}
