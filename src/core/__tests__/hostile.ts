/**
 * Hostile strings for property tests: names and messages an app (or an attacker feeding it)
 * could produce, heavy on shell metacharacters, control characters, path and markup syntax.
 */
import fc from 'fast-check';

const PIECES = [
  '`', '$(', ')', '$', '${', '}', '\n', '\r\n', '\t', '\r', '\u0000', '\u001b[31m', '\u007f', '\u2028', '"', "'", '\\', ';', '|', '&',
  '&&', '>', '<', '../', '..', '/', '~', '^', ':', '?', '*', '[', '@{', '.lock', ' ', '-', '--', '#', '%', '%0A', '<script>alert(1)</script>',
  '<!-- homeostat:human x -->', '<!-- /homeostat:human -->', '-->', '*/', '## `', '- **Budget:** p95 blocking ≤ 1 ms', '|', '\u200b', 'é', '😀',
  'render', 'React', 'a', 'Z', '0', '_', '.',
];

/** A handler/sequence name: composed from hostile pieces, or arbitrary code units. */
export const hostileName: fc.Arbitrary<string> = fc.oneof(
  fc.array(fc.constantFrom(...PIECES), { minLength: 1, maxLength: 8 }).map((p) => p.join('')),
  fc.string({ unit: 'binary', minLength: 1, maxLength: 40 }),
  fc.string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 40 }),
);
