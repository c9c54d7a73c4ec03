import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AsciiText } from '../src/core/ascii-text.ts';

describe('AsciiText', () => {
  const anyText = fc.oneof(
    fc.string({ unit: fc.integer({ min: 0, max: 0x7f }).map((code) => String.fromCharCode(code)), maxLength: 40 }),
    fc.string({ unit: fc.integer({ min: 0, max: 0xffff }).map((code) => String.fromCharCode(code)), maxLength: 40 }),
  );
  const piece = fc.oneof(
    anyText.map((value) => ({ kind: 'text' as const, value })),
    anyText.map((value) => ({ kind: 'quoted' as const, value })),
    fc.oneof(fc.integer({ min: -(2 ** 53) + 1, max: 2 ** 53 - 1 }), fc.constantFrom(-0, 0.5, 2 ** 53, Number.NaN)).map((value) => ({ kind: 'digits' as const, value })),
  );

  it('assembles exactly the concatenated text when every piece is ASCII, and says so otherwise', () => {
    const text = new AsciiText();
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 60 }), (pieces) => {
        text.start();
        let expected = '';
        for (const p of pieces) {
          if (p.kind === 'text') text.text(p.value);
          else if (p.kind === 'quoted') text.quoted(p.value);
          else text.digits(p.value);
          expected += p.kind === 'text' ? p.value : p.kind === 'quoted' ? JSON.stringify(p.value) : `${p.value}`;
        }
        const ascii = /^[\x00-\x7f]*$/.test(expected) && pieces.every((p) => p.kind !== 'digits' || Number.isSafeInteger(p.value));
        // JSON.stringify escapes a lone surrogate as ASCII; quoted() leaves such a text to the caller's string path.
        const surrogates = pieces.some((p) => p.kind !== 'digits' && /[\ud800-\udfff]/.test(p.value));
        if (!surrogates) expect(text.ascii).toBe(ascii);
        if (!ascii) expect(text.ascii).toBe(false);
        if (text.ascii) {
          expect(text.string()).toBe(expected);
          expect(Buffer.from(text.bytes()).toString('utf8')).toBe(expected);
        }
      }),
      { numRuns: 1000 },
    );
  });

  it('grows past its first kilobyte and keeps what it held', () => {
    const text = new AsciiText().start().text('head:');
    const long = 'x'.repeat(5000);
    expect(text.text(long).quoted('q"').string()).toBe(`head:${long}"q\\""`);
  });
});
