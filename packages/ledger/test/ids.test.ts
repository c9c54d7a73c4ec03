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
  });

  it('derive from a source without a time part by hash alone', () => {
    const id = derivedId('evt', 'consent-without-prefix', 'AUTH');
    expect(id).toMatch(ID);
    expect(id).toBe(derivedId('evt', 'consent-without-prefix', 'AUTH'));
  });

  it('give the same key the same id, and another scope another one', () => {
    expect(idForKey('we', 'client-a', 'k1')).toBe(idForKey('we', 'client-a', 'k1'));
    expect(idForKey('we', 'client-b', 'k1')).not.toBe(idForKey('we', 'client-a', 'k1'));
  });
});
