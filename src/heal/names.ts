/**
 * Names derived from handler names. A handler name is data from the app (any string, including
 * `` ` ``, `$( )`, `../` and control characters): it reaches a file system path or a git ref
 * only through `slug`.
 */
import { createHash } from 'node:crypto';

/**
 * A name safe as one path segment and inside a git ref: ASCII letters, digits, `.`, `_`, `-`;
 * no leading dot or dash, no `..`, no `.lock` ending, at most `max` characters. A name that
 * had to change gets a short hash of the original, so two different names never share a slug.
 */
export function slug(name: string, max = 48): string {
  let out = name
    .replace(/[^A-Za-z0-9._-]+/g, '-')
    .replace(/\.{2,}/g, '.')
    .replace(/^[-.]+/, '')
    .slice(0, max)
    .replace(/[-.]+$/, '')
    .replace(/\.lock$/i, '-lock');
  if (out === '') out = 'handler';
  return out === name ? out : `${out}-${createHash('sha256').update(name).digest('hex').slice(0, 8)}`;
}

/** The branch a fix for `handler` is delivered on (before `freeBranchName` picks a free suffix). */
export function fixBranchBase(handler: string): string {
  return `homeostat/fix-${slug(handler)}`;
}

/** One line of text: control characters (newlines included) become spaces. */
export function oneLine(s: string): string {
  // eslint-disable-next-line no-control-regex
  return s.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g, ' ').trim();
}

