import { describe, expect, it } from 'vitest';
import { patternRegExp } from '../src/validation-runtime.ts';

describe('patternRegExp', () => {
  it('compiles patterns with the u flag when they allow it', () => {
    expect(patternRegExp('^\\p{Lu}\\p{L}*$', 'u').test('Élan')).toBe(true);
  });

  it('falls back to the legacy syntax for escapes only it allows', () => {
    expect(patternRegExp('^[\\w\\%-=]+$', 'u').test('a%b')).toBe(true);
  });

  it("reads Java's POSIX classes as their ASCII ranges, outside and inside a character class (AWS)", () => {
    const uuid = patternRegExp('\\p{XDigit}{8}-\\p{XDigit}{4}-\\p{XDigit}{4}-\\p{XDigit}{4}-\\p{XDigit}{12}', 'u');
    expect(uuid.test('0f8fad5b-d9cb-469f-a165-70867728950e')).toBe(true);
    expect(uuid.test('p{XDigit}{8}')).toBe(false);
    const name = patternRegExp('^[\\p{Alpha}_][\\p{Alnum}\\-]*$', 'u');
    expect(name.test('_queue-1')).toBe(true);
    expect(name.test('1queue')).toBe(false);
    expect(patternRegExp('^\\p{Punct}+$', 'u').test('!/[`~')).toBe(true);
  });
});
