import { describe, expect, it } from 'vitest';
import { derivedId, idForKey, newId } from '../src/api/ids.ts';

const ID = /^[a-z]+_[0-9A-HJKMNP-TV-Z]{26}$/;

describe('resource ids', () => {
  it('sort fresh ids by the time they were made, so their indexes grow at the end', () => {
    const ids = [3, 1, 2].map((n) => newId('tr', Date.UTC(2026, 0, n)));
    for (const id of ids) expect(id).toMatch(ID);
    expect([...ids].sort()).toEqual([ids[1], ids[2], ids[0]]);
  });

  it('sort ids made in the same millisecond in the order they were made, and keep their time part', () => {
    const now = Date.UTC(2026, 0, 1);
    const ids = Array.from({ length: 2_000 }, () => newId('evt', now));
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids.map((id) => id.slice(4, 14)))).toEqual(new Set([newId('evt', now).slice(4, 14)]));
    // Another millisecond starts afresh (still sorted by time), another prefix keeps its own order.
    expect(newId('evt', now + 1) > ids.at(-1)!).toBe(true);
    expect(newId('tr', now)).toMatch(ID);
  });

  it('derive a stable id that keeps its source time part, distinct per part', () => {
    const source = newId('tr', Date.UTC(2026, 0, 1));
    const debit = derivedId('txn', source, 'debit');
    expect(debit).toMatch(ID);
    expect(debit).toBe(derivedId('txn', source, 'debit'));
    expect(debit).not.toBe(derivedId('txn', source, 'credit'));
    expect(debit.slice(4, 14)).toBe(source.slice(3, 13));
    // Without parts, the source's own time and randomness.
    expect(derivedId('txn', source)).toBe(`txn_${source.slice(3)}`);
  });

  it('sort derived ids as their sources sort, per part, so their index grows at its end too', () => {
    const now = Date.UTC(2026, 0, 1);
    const sources = Array.from({ length: 2_000 }, (_, i) => newId('tr', now + Math.floor(i / 500)));
    for (const part of ['debit', 'credit', 'capture']) {
      const derived = sources.map((source) => derivedId('txn', source, part));
      for (const id of derived) expect(id).toMatch(ID);
      expect([...derived].sort()).toEqual(derived);
    }
    const all = sources.flatMap((source) => [derivedId('txn', source), derivedId('txn', source, 'debit'), derivedId('txn', source, 'credit')]);
    expect(new Set(all).size).toBe(all.length);
  });

  it('carry the sum of a random part and its offset across the halves, and wrap it at 80 bits', () => {
    // The highest random part is the lowest minus one, modulo 2^80: with the same offset added, the
    // two derived ids stay one apart, their high halves equal by the carry out of the low half
    // (but for a 2^-40 chance of a zero low offset), and the sum wraps instead of overflowing.
    const [fromTop, fromBottom] = [`tr_0000000000${'Z'.repeat(16)}`, `tr_0000000000${'0'.repeat(16)}`].map((source) => derivedId('txn', source, 'debit')) as [string, string];
    expect(fromTop).toMatch(ID);
    expect(fromTop.slice(0, 22)).toBe(fromBottom.slice(0, 22));
    const lastDigit = (id: string) => '0123456789ABCDEFGHJKMNPQRSTVWXYZ'.indexOf(id.at(-1)!);
    expect((lastDigit(fromTop) + 1) % 32).toBe(lastDigit(fromBottom));
  });

  it('derive from a source without a time part by hash alone', () => {
    const id = derivedId('evt', 'consent-without-prefix', 'AUTH');
    expect(id).toMatch(ID);
    expect(id).toBe(derivedId('evt', 'consent-without-prefix', 'AUTH'));
  });

  it('refuse a prefix its one buffer cannot spell', () => {
    expect(() => newId('é')).toThrow(RangeError);
    expect(() => newId('p'.repeat(17))).toThrow(RangeError);
    expect(newId('p'.repeat(16))).toMatch(/^p{16}_[0-9A-HJKMNP-TV-Z]{26}$/);
  });

  it('give the same key the same id, and another scope another one', () => {
    expect(idForKey('we', 'client-a', 'k1')).toBe(idForKey('we', 'client-a', 'k1'));
    expect(idForKey('we', 'client-b', 'k1')).not.toBe(idForKey('we', 'client-a', 'k1'));
  });
});
