import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { describeThrown, errorKey, normaliseMessage } from './errors.ts';
import { parseErrorString } from './attribution.ts';

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
