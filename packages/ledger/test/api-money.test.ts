import { describe, expect, it } from 'vitest';
import { isoTime } from '../src/api/money.ts';

describe('isoTime', () => {
  it('formats each instant, whether repeated or alternating', () => {
    const a = Date.UTC(2026, 11, 5, 18, 0, 0, 123);
    const b = a + 1;
    expect([isoTime(a), isoTime(a), isoTime(b), isoTime(a), isoTime(b), isoTime(b)]).toEqual([
      '2026-12-05T18:00:00.123Z',
      '2026-12-05T18:00:00.123Z',
      '2026-12-05T18:00:00.124Z',
      '2026-12-05T18:00:00.123Z',
      '2026-12-05T18:00:00.124Z',
      '2026-12-05T18:00:00.124Z',
    ]);
  });

  it('refuses an instant Date cannot represent, every time', () => {
    expect(() => isoTime(8.64e15 + 1)).toThrow(RangeError);
    expect(() => isoTime(8.64e15 + 1)).toThrow(RangeError);
  });
});
