import { hash } from 'node:crypto';
import { canonicalJson, decimal, quotedName } from './canonical.ts';
import { AsciiText } from './ascii-text.ts';
import { hashInputBytes } from './hash-input.ts';
import type { Entry, EntryDraft, Posting } from './types.ts';

/** The previous hash of the first entry. */
export const GENESIS_HASH = '0'.repeat(64);

/**
 * The exact bytes an entry's hash covers: every field except the hash itself, as the canonical
 * JSON array `[seq, id, kind, amount, currency, pendingId, reversesId, request, metadata,
 * createdAt, postings]`. Spelled out field by field (the same text canonicalJson() gives) because
 * it runs for every entry verified whose texts are not all ASCII (the others are hashed from
 * bytes written straight from their fields: hash-input.ts). `postings` and `metadata` are
 * canonicalPostings() and canonicalJson() of the entry's, for a caller that needs those texts too.
 */
export function canonicalEntry(entry: EntryDraft & { seq: number }, postings = canonicalPostings(entry.postings), metadata = canonicalJson(entry.metadata)): string {
  return '[' + jsonNumber(entry.seq) + ',' + JSON.stringify(entry.id) + ',"' + entry.kind + '","' + decimal(entry.amount) + '",' + quotedName(entry.currency) + ',' +
    nullableString(entry.pendingId) + ',' + nullableString(entry.reversesId) + ',' + JSON.stringify(entry.request) + ',' + metadata + ',' +
    jsonNumber(entry.createdAt) + ',' + postings + ']';
}

/** Postings as canonical JSON tuples: `[[account, currency, side, layer, "amount"], ...]` (also how the journal stores them). */
export function canonicalPostings(postings: readonly Posting[]): string {
  if (postings.length === 0) return '[]';
  // Assembled as ASCII when it is (one flat string, not one per concatenation), else concatenated.
  postingsText.start();
  for (let i = 0; i < postings.length; i++) {
    const p = postings[i]!;
    postingsText.text(i === 0 ? '[[' : ',[').quoted(p.accountId).text(',').quoted(p.currency).text(SIDE_AND_LAYER[p.side][p.layer]).text(decimal(p.amount)).text('"]');
  }
  if (postingsText.text(']').ascii) return postingsText.string();
  let out = '';
  for (let i = 0; i < postings.length; i++) {
    const p = postings[i]!;
    out += (i === 0 ? '[[' : ',[') + quotedName(p.accountId) + ',' + quotedName(p.currency) + SIDE_AND_LAYER[p.side][p.layer] + decimal(p.amount) + '"]';
  }
  return out + ']';
}

const postingsText = new AsciiText();

/** What comes between a posting's currency and its amount (side and layer are fixed words that need no escaping). */
const SIDE_AND_LAYER = {
  debit: { pending: ',"debit","pending","', posted: ',"debit","posted","' },
  credit: { pending: ',"credit","pending","', posted: ',"credit","posted","' },
} as const;

function nullableString(value: string | null): string {
  return value === null ? 'null' : JSON.stringify(value);
}

/** JSON.stringify(value), without its cost for the integers it nearly always is. */
function jsonNumber(value: number): string {
  return Number.isSafeInteger(value) ? `${value}` : JSON.stringify(value);
}

export function entryHash(prevHash: string, entry: EntryDraft & { seq: number }, postings = canonicalPostings(entry.postings), metadata = canonicalJson(entry.metadata)): string {
  // One-shot hash(): a third of the cost of createHash().update().digest() on this hot path.
  const bytes = hashInputBytes(prevHash, entry, postings, metadata);
  return hash('sha256', bytes ?? prevHash + '\n' + canonicalEntry(entry, postings, metadata), 'hex');
}

/** Gives a draft its place in the chain. */
export function sealEntry(draft: EntryDraft, seq: number, prevHash: string, postings?: string, metadata?: string): Entry {
  // Field by field rather than spread: every entry then has one shape, and a copy is not made twice.
  const entry: Entry = {
    id: draft.id,
    kind: draft.kind,
    amount: draft.amount,
    currency: draft.currency,
    pendingId: draft.pendingId,
    reversesId: draft.reversesId,
    request: draft.request,
    metadata: draft.metadata,
    createdAt: draft.createdAt,
    postings: draft.postings,
    seq,
    prevHash,
    hash: '',
  };
  entry.hash = entryHash(prevHash, entry, postings, metadata);
  return entry;
}

export type ChainVerification =
  | { ok: true; entries: number; head: string }
  | { ok: false; entries: number; brokenAt: number; reason: string };

/** Re-verifies the chain from the first entry: numbering, links and every hash. */
export async function verifyChain(journal: AsyncIterable<Entry> | Iterable<Entry>): Promise<ChainVerification> {
  let expectedPrev = GENESIS_HASH;
  let expectedSeq = 1;
  for await (const entry of journal) {
    const fail = (reason: string): ChainVerification => ({ ok: false, entries: expectedSeq - 1, brokenAt: entry.seq, reason });
    if (entry.seq !== expectedSeq) return fail(`expected entry #${expectedSeq}, found #${entry.seq}`);
    if (entry.prevHash !== expectedPrev) return fail(`entry #${entry.seq} does not link to the hash of entry #${entry.seq - 1}`);
    if (entryHash(entry.prevHash, entry) !== entry.hash) return fail(`entry #${entry.seq} (${entry.id}) does not match its hash`);
    expectedPrev = entry.hash;
    expectedSeq += 1;
  }
  return { ok: true, entries: expectedSeq - 1, head: expectedPrev };
}
