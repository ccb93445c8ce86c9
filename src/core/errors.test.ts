import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ErrorInfo } from './model.ts';
import { errorKey, normaliseError, normaliseMessage } from './errors.ts';
import { rawThrown } from './thrown.ts';

/** What the page records for a thrown value: read raw where it passes, normalised before it leaves. */
const describeThrown = (thrown: unknown): ErrorInfo => normaliseError(rawThrown(thrown));
import { parseErrorString } from './attribution.ts';
import { hostileName } from './__tests__/hostile.ts';

describe('normaliseMessage', () => {
  it.each([
    ['Invalid regular expression: /(ab/: Unterminated group', 'Invalid regular expression: <regexp>: Unterminated group'],
    ['Cannot read properties of undefined (reading \'price\')', 'Cannot read properties of undefined (reading <str>)'],
    ['Request to https://api.example.com/users/42?token=abc failed', 'Request to <url> failed'],
    ['User jane.doe@example.com not found', 'User <email> not found'],
    ['Item 12345 out of stock (3 left)', 'Item <n> out of stock (<n> left)'],
    ['Order 3f2b8c1e-9a7d-4e21-b3c4-0d9e8f7a6b5c failed', 'Order <uuid> failed'],
  ])('%s', (input, expected) => {
    expect(normaliseMessage(input)).toBe(expected);
  });

  it('never keeps quoted user text or numbers, and always produces the same pattern for the same shape', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 3, maxLength: 30 }).filter((s) => /^[A-Za-z]+$/.test(s)), fc.integer({ min: 10, max: 1e9 }), (word, n) => {
        const m = normaliseMessage(`No product named "${word}" in order ${n}`);
        expect(m).toBe('No product named <str> in order <n>');
      }),
    );
  });
});

describe('describeThrown', () => {
  it('describes errors, objects and primitives without keeping them', () => {
    expect(describeThrown(new RangeError('index 7 out of range'))).toEqual({ name: 'RangeError', message: 'index <n> out of range' });
    expect(describeThrown({ message: 'bad "x"' })).toEqual({ name: 'NonErrorObject', message: 'bad <str>' });
    expect(describeThrown('boom')).toEqual({ name: 'ThrownString', message: '' });
    expect(describeThrown(undefined)).toEqual({ name: 'ThrownUndefined', message: '' });
  });

  it('round-trips through the interned key', () => {
    const info = describeThrown(new TypeError('x is not a function: y'));
    expect(parseErrorString(errorKey(info))).toEqual(info);
    expect(parseErrorString(errorKey({ name: 'Boom', message: '' }))).toEqual({ name: 'Boom', message: '' });
  });

  it('does not trust a hostile error name', () => {
    const e = new Error('m');
    e.name = '<img src=x onerror=alert(1)>';
    expect(describeThrown(e).name).toBe('Error');
  });
});

describe('normaliseMessage: secrets and user data never survive', () => {
  const base62 = fc.string({ unit: fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789'), minLength: 24, maxLength: 40 });
  const b64url = fc.string({ unit: fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'), minLength: 12, maxLength: 40 });
  const host = fc.constantFrom('api.example.com', 'auth.shop.io', 'localhost:8080', '10.0.0.7');
  /** A secret, how it appears in a message, and the part that must not survive. */
  const secret: fc.Arbitrary<{ text: string; payload: string }> = fc.oneof(
    fc.tuple(b64url, b64url, b64url).map(([h, p, s]) => ({ text: `eyJ${h}.${p}.${s}`, payload: `${h}.${p}` })),
    fc.tuple(fc.constantFrom('sk_live_', 'sk_test_', 'pk_live_', 'rk_live_', 'ghp_', 'gho_', 'ghs_', 'github_pat_', 'xoxb-', 'glpat-', 'npm_', 'sk-proj-', 'AIza'), base62).map(([pre, k]) => ({ text: `${pre}${k}`, payload: k })),
    fc.tuple(fc.constantFrom('Bearer ', 'bearer ', 'Basic ', 'Authorization: Bearer ', 'token '), base62).map(([pre, t]) => ({ text: `${pre}${t}`, payload: t })),
    fc.tuple(fc.constantFrom('http', 'https', 'ws', 'wss', 'ftp', 'chrome-extension'), host, base62).map(([s, h, t]) => ({ text: `${s}://${h}/v1/stream?token=${t}&a=1`, payload: t })),
    fc.tuple(host, base62).map(([h, t]) => ({ text: `www.${h}/reset?token=${t}`, payload: t })),
    fc.tuple(host, base62).map(([h, t]) => ({ text: `${h}/reset?code=${t}`, payload: t })),
    fc.tuple(fc.constantFrom('password=', 'api_key: ', 'secret=', 'session=', 'apiKey='), base62).map(([k, v]) => ({ text: `${k}${v}`, payload: v })),
    fc.tuple(fc.constantFrom('jane.doe', 'x+tag'), base62).map(([u, d]) => ({ text: `${u}${d}@mail.example.com`, payload: d })),
    base62.map((t) => ({ text: `"${t}"`, payload: t })),
    fc.stringMatching(/^AKIA[0-9A-Z]{16}$/).map((k) => ({ text: k, payload: k.slice(4) })),
  );
  const words = fc.string({ unit: fc.constantFrom(...'abcdefghij KLMN:(),.'), maxLength: 20 });

  it('removes every secret, wherever it sits in the message', () => {
    fc.assert(
      fc.property(words, secret, words, fc.constantFrom(' ', ': ', ' (', '\n'), (before, { text, payload }, after, sep) => {
        const out = normaliseMessage(`${before}${sep}${text}${sep}${after}`);
        for (let i = 0; i + 8 <= payload.length; i++) expect(out, out).not.toContain(payload.slice(i, i + 8));
      }),
      { numRuns: 500 },
    );
  });

  it.each([
    ['Fetch failed: wss://rt.example.com/socket?access_token=abc123def456', 'Fetch failed: <url>'],
    ['Auth failed for eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0In0.c2lnbmF0dXJl', 'Auth failed for <jwt>'],
    ['Stripe: invalid key sk_live_51HxYzAbCdEfGhIjKlMn', 'Stripe: invalid key <key>'],
    ['401 with Authorization: Bearer abcdefghijklmnop.qrs', '<n> with Authorization: Bearer <token>'],
    ['GET www.example.com/reset?token=s3cr3t failed', 'GET <url> failed'],
    ['Unexpected token export', 'Unexpected token export'],
    ['Unexpected token < in JSON at position 0', 'Unexpected token < in JSON at position <n>'],
  ])('%s', (input, expected) => {
    expect(normaliseMessage(input)).toBe(expected);
  });

  it('is stable, bounded and free of control characters for any input', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: 'binary', maxLength: 300 }), hostileName), (s) => {
        const once = normaliseMessage(s);
        expect(once.length).toBeLessThanOrEqual(160);
        // eslint-disable-next-line no-control-regex
        expect(once).not.toMatch(/[\u0000-\u001f\u007f-\u009f]/);
        expect(normaliseMessage(once)).toBe(once);
      }),
      { numRuns: 2000, examples: [['<!-- /homeostat:human -->\n../'], ['x /abc/' + 'y'.repeat(160)]] },
    );
  });

  it('does not keep an error name that is a secret', () => {
    const e = new Error('x');
    e.name = 'ghp_abcdefghijklmnopqrstuvwxyz0123456789';
    expect(describeThrown(e).name).toBe('Error');
  });
});
