// The hash chain's canonical text of an entry is spelled out field by field for speed; it must stay
// exactly what the generic canonical encoder gives, or stored hashes stop verifying.
import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalJson, canonicalTransferRequest, impliedTransferRequest, isImpliedTransferRequest, quotedName } from '../src/core/canonical.ts';
import { canonicalEntry, canonicalPostings, entryHash, GENESIS_HASH } from '../src/core/hash-chain.ts';
import { hashInputBytes } from '../src/core/hash-input.ts';
import type { Entry } from '../src/core/types.ts';
import { entryTexts, FULL_ROW, isPlainTransferRow, PLAIN_TRANSFER_ROW, toEntry, type EntryRowShape } from '../src/storage/rows.ts';
import type { SqlValue } from '../src/storage/sql-database.ts';

/** Any UTF-16 code units: control characters, quotes, backslashes and lone surrogates too. */
const codeUnits = fc.string({ unit: fc.integer({ min: 0, max: 0xffff }).map((code) => String.fromCharCode(code)), maxLength: 12 });
const text = fc.oneof(fc.string({ unit: 'grapheme', maxLength: 12 }), codeUnits);
/** Entries whose texts come from `names`; numbers and requests as given. */
const entriesOf = (names: fc.Arbitrary<string>, numbers: { seq: fc.Arbitrary<number>; createdAt: fc.Arbitrary<number>; request: fc.Arbitrary<string> }) => {
  const posting = fc.record({
    accountId: names,
    currency: fc.constantFrom('EUR', 'GBP', 'USD'),
    side: fc.constantFrom('debit' as const, 'credit' as const),
    layer: fc.constantFrom('pending' as const, 'posted' as const),
    amount: fc.bigInt({ min: 0n, max: 2n ** 70n }),
  });
  return fc.record({
    seq: numbers.seq,
    id: names,
    kind: fc.constantFrom('transfer' as const, 'pending' as const, 'post' as const, 'void' as const, 'expire' as const, 'reversal' as const),
    amount: fc.bigInt({ min: 0n, max: 2n ** 70n }),
    currency: names,
    pendingId: fc.option(names, { nil: null }),
    reversesId: fc.option(names, { nil: null }),
    request: numbers.request,
    metadata: fc.dictionary(names, names, { maxKeys: 4 }),
    createdAt: numbers.createdAt,
    postings: fc.array(posting, { minLength: 2, maxLength: 4 }),
  });
};
const entry = entriesOf(text, { seq: fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER }), createdAt: fc.integer({ min: 0, max: 2 ** 45 }), request: text });

describe('canonicalEntry', () => {
  it('is the canonical JSON of the entry tuple, byte for byte', () => {
    fc.assert(
      fc.property(entry, (draft) => {
        const tuple = [draft.seq, draft.id, draft.kind, draft.amount, draft.currency, draft.pendingId, draft.reversesId, draft.request, draft.metadata, draft.createdAt,
          draft.postings.map((p) => [p.accountId, p.currency, p.side, p.layer, p.amount])];
        expect(canonicalEntry(draft)).toBe(canonicalJson(tuple));
      }),
      { numRuns: 500 },
    );
  });
});

describe('hashInputBytes', () => {
  // ASCII texts (printable, quotes, backslashes and control characters) most of the time, any text sometimes.
  const asciiText = fc.string({ unit: fc.integer({ min: 0, max: 0x7f }).map((code) => String.fromCharCode(code)), maxLength: 24 });
  // Latin-1 too: one UTF-16 unit and one byte each, but two bytes in UTF-8.
  const latin1Text = fc.string({ unit: fc.integer({ min: 0, max: 0xff }).map((code) => String.fromCharCode(code)), maxLength: 24 });
  const someText = fc.oneof({ weight: 4, arbitrary: asciiText }, { weight: 1, arbitrary: latin1Text }, { weight: 1, arbitrary: text });
  const someEntry = entriesOf(someText, {
    seq: fc.oneof(fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER }), fc.constantFrom(0, -1, -0, 2 ** 53, 1.5)),
    createdAt: fc.oneof(fc.integer({ min: -(2 ** 45), max: 2 ** 45 }), fc.constantFrom(-0, 2 ** 60, 0.25)),
    request: fc.oneof(someText, fc.string({ unit: 'grapheme', minLength: 17, maxLength: 200 })),
  });

  it("are the UTF-8 of the previous hash, a newline and the canonical entry, or nothing when a text is not ASCII", () => {
    fc.assert(
      fc.property(someEntry, fc.oneof(fc.constant(GENESIS_HASH), fc.stringMatching(/^[0-9a-f]{64}$/)), (draft, prevHash) => {
        const [postings, metadata] = [canonicalPostings(draft.postings), canonicalJson(draft.metadata)];
        const input = prevHash + '\n' + canonicalEntry(draft, postings, metadata);
        const bytes = hashInputBytes(prevHash, draft, postings, metadata);
        // A lone surrogate in a quoted field is escaped to ASCII in the text, but it is not ASCII
        // where the bytes are written from, so they are left to the text (which hashes the same).
        const quotedFields = [draft.id, draft.currency, draft.pendingId ?? '', draft.reversesId ?? ''];
        const allAscii =
          [...input].every((character) => character.charCodeAt(0) <= 0x7f) &&
          !quotedFields.some((field) => /[\ud800-\udfff]/.test(field)) &&
          Number.isSafeInteger(draft.seq) &&
          Number.isSafeInteger(draft.createdAt);
        expect(bytes === undefined ? undefined : Buffer.from(bytes).toString('latin1')).toBe(allAscii ? input : undefined);
        expect(entryHash(prevHash, draft)).toBe(createHash('sha256').update(input, 'utf8').digest('hex'));
      }),
      { numRuns: 3000 },
    );
  });
});

describe('quotedName', () => {
  it('is JSON.stringify of the text, whatever its code units', () => {
    fc.assert(
      fc.property(fc.oneof(codeUnits, fc.constantFrom('', '"', '\\', '\u0000', '\u001f', '\ud800', 'a\udc00b', '\ud83e\udd86')), (name) => {
        expect(quotedName(name)).toBe(JSON.stringify(name));
      }),
      { numRuns: 2000 },
    );
  });
});

describe('canonicalTransferRequest', () => {
  it('is the canonical JSON of the request, byte for byte, whatever the input', () => {
    const anything = fc.oneof(text, fc.integer(), fc.constant(undefined), fc.constant(null));
    const request = fc.record({
      kind: fc.constantFrom('transfer' as const, 'pending' as const),
      debit: fc.oneof({ weight: 5, arbitrary: text }, { weight: 1, arbitrary: anything }),
      credit: fc.oneof({ weight: 5, arbitrary: text }, { weight: 1, arbitrary: anything }),
      amount: fc.bigInt({ min: 1n, max: 2n ** 70n }),
      currency: text,
      expiresAt: fc.oneof(fc.constant(null), fc.integer({ min: -(2 ** 45), max: 2 ** 45 }), fc.double()),
      metadata: fc.oneof(fc.constant({}), fc.dictionary(text, fc.oneof(text, fc.bigInt(), fc.constant(null)), { maxKeys: 4 })),
    });
    fc.assert(
      fc.property(request, (r) => {
        expect(canonicalTransferRequest(r as Parameters<typeof canonicalTransferRequest>[0])).toBe(canonicalJson(r));
      }),
      { numRuns: 1000 },
    );
  });
});

describe('impliedTransferRequest', () => {
  const plainTransfer = fc.record({
    debit: text,
    credit: text,
    amount: fc.bigInt({ min: 1n, max: 2n ** 70n }),
    currency: text,
    metadata: fc.oneof(fc.constant({}), fc.dictionary(text, fc.oneof(text, fc.bigInt(), fc.constant(null)), { maxKeys: 4 })),
  });
  const implied = (t: { debit: string; credit: string; amount: bigint; currency: string; metadata: object }) =>
    impliedTransferRequest(t.amount, t.debit, t.credit, t.currency, canonicalJson(t.metadata));

  it("is a plain transfer's canonical request, rebuilt from what its journal row stores", () => {
    fc.assert(
      fc.property(plainTransfer, (t) => {
        expect(implied(t)).toBe(canonicalJson({ ...t, kind: 'transfer', expiresAt: null }));
        expect(implied(t)).toBe(canonicalTransferRequest({ ...t, kind: 'transfer', expiresAt: null }));
      }),
      { numRuns: 1000 },
    );
  });

  it('is recognised exactly: any other text, however close, is not implied', () => {
    const edit = fc.record({ at: fc.nat(), insert: fc.oneof(text, fc.constant('')), remove: fc.nat({ max: 3 }) });
    fc.assert(
      fc.property(plainTransfer, edit, (t, { at, insert, remove }) => {
        const metadata = canonicalJson(t.metadata);
        const request = implied(t);
        expect(isImpliedTransferRequest(request, t.amount, t.debit, t.credit, t.currency, metadata)).toBe(true);
        const position = at % (request.length + 1);
        const edited = request.slice(0, position) + insert + request.slice(position + remove);
        expect(isImpliedTransferRequest(edited, t.amount, t.debit, t.credit, t.currency, metadata)).toBe(edited === request);
        // The same text for another transfer: the accounts swapped, another amount.
        expect(isImpliedTransferRequest(request, t.amount, t.credit, t.debit, t.currency, metadata)).toBe(t.debit === t.credit);
        expect(isImpliedTransferRequest(request, t.amount + 1n, t.debit, t.credit, t.currency, metadata)).toBe(false);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('journal rows', () => {
  const hashes = fc.record({ prevHash: fc.string(), hash: fc.string() });
  // Plain transfers whose request is the one their fields imply (with and without metadata), and any entry with any request.
  const plain = fc
    .record({ seq: fc.integer({ min: 1, max: 3 }), debit: text, credit: text, amount: fc.bigInt({ min: 1n, max: 2n ** 70n }), currency: text, metadata: fc.oneof(fc.constant({}), fc.dictionary(text, text, { maxKeys: 3 })) })
    .map((t) => ({
      seq: t.seq,
      id: 't',
      kind: 'transfer' as const,
      amount: t.amount,
      currency: t.currency,
      pendingId: null,
      reversesId: null,
      request: canonicalTransferRequest({ ...t, kind: 'transfer', expiresAt: null }),
      metadata: t.metadata,
      createdAt: 0,
      postings: [
        { accountId: t.debit, currency: t.currency, side: 'debit' as const, layer: 'posted' as const, amount: t.amount },
        { accountId: t.credit, currency: t.currency, side: 'credit' as const, layer: 'posted' as const, amount: t.amount },
      ],
    }));
  /** The row a shape writes for an entry, its literals read as SQL would. */
  const rowOf = (shape: EntryRowShape, entry: Entry): Record<string, SqlValue> => {
    const values: SqlValue[] = [];
    shape.put(values, 0, entry, entryTexts(entry));
    const literal = (sql: string) => (sql === 'NULL' ? null : sql.slice(1, -1).replaceAll("''", "'"));
    return { ...Object.fromEntries(shape.columns.map((column, i) => [column, values[i]])), ...Object.fromEntries(Object.entries(shape.literals).map(([column, sql]) => [column, literal(sql)])) };
  };

  it('give every entry back exactly, its request too, and leave out only what the journal holds elsewhere', () => {
    fc.assert(
      fc.property(fc.oneof(plain, entry), hashes, (draft, { prevHash, hash }) => {
        const written: Entry = { ...draft, prevHash, hash };
        if (draft.request === '') {
          expect(() => rowOf(FULL_ROW, written)).toThrow(/empty request/);
          return;
        }
        const row = rowOf(FULL_ROW, written);
        // A plain transfer's shorter row says the same.
        if (isPlainTransferRow(written, entryTexts(written))) expect(rowOf(PLAIN_TRANSFER_ROW, written)).toEqual(row);
        // Past the first entry the previous hash is the previous row's, which SELECT_ENTRIES reads there.
        expect(row.prev_hash).toBe(draft.seq === 1 ? prevHash : '');
        row.prev_hash = prevHash;
        const implied = draft.kind === 'transfer' && draft.postings.length === 2 && draft.request === canonicalTransferRequest({ kind: 'transfer', debit: draft.postings[0]!.accountId, credit: draft.postings[1]!.accountId, amount: draft.amount, currency: draft.currency, expiresAt: null, metadata: draft.metadata });
        expect(row.request).toBe(implied ? '' : draft.request);
        expect(toEntry(row)).toEqual({ ...written, metadata: JSON.parse(canonicalJson(draft.metadata)) });
      }),
      { numRuns: 2000 },
    );
  });

  it('are plain transfers exactly when they are transfers past the first entry, without holds, links or metadata, whose request is implied', () => {
    fc.assert(
      fc.property(plain, hashes, (draft, { prevHash, hash }) => {
        const written: Entry = { ...draft, prevHash, hash };
        expect(isPlainTransferRow(written, entryTexts(written))).toBe(draft.seq > 1 && Object.keys(draft.metadata).length === 0);
      }),
    );
  });
});

describe('canonicalJson', () => {
  /** The definition, written the slow and obvious way: keys sorted, undefined members dropped, BigInts as strings. */
  const reference = (value: unknown): string =>
    JSON.stringify(value, function (this: unknown, _key, item: unknown) {
      if (typeof item === 'bigint') return item.toString();
      if (item === null || typeof item !== 'object' || Array.isArray(item)) return item;
      return Object.fromEntries(Object.keys(item).sort().map((key) => [key, (item as Record<string, unknown>)[key]]));
    }) ?? 'null';

  it('equals the definition for any value, whatever the order of its keys', () => {
    const key = fc.oneof(fc.string({ unit: 'grapheme', maxLength: 6 }), fc.constantFrom('id', 'amount', 'currency', '__proto__x', 'a"b', '\u0000'));
    const value = fc.letrec((tie) => ({
      node: fc.oneof(
        { depthSize: 'small' },
        fc.string({ unit: 'grapheme', maxLength: 8 }),
        fc.integer(),
        fc.double({ noNaN: true, noDefaultInfinity: true }),
        fc.bigInt(),
        fc.boolean(),
        fc.constant(null),
        fc.array(tie('node'), { maxLength: 4 }),
        fc.dictionary(key, fc.oneof(tie('node'), fc.constant(undefined)), { maxKeys: 6 }),
      ),
    })).node;
    fc.assert(
      fc.property(value, (v) => {
        expect(canonicalJson(v)).toBe(reference(v));
      }),
      { numRuns: 2000 },
    );
  });
});
