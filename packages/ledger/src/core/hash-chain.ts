import { createHash } from 'node:crypto';
import { canonicalJson } from './canonical.ts';
import type { Entry, EntryDraft } from './types.ts';

/** The previous hash of the first entry. */
export const GENESIS_HASH = '0'.repeat(64);

/** The exact bytes an entry's hash covers: every field except the hash itself. */
export function canonicalEntry(entry: EntryDraft & { seq: number }): string {
  return canonicalJson([
    entry.seq,
    entry.id,
    entry.kind,
    entry.amount,
    entry.currency,
    entry.pendingId,
    entry.reversesId,
    entry.request,
    entry.metadata,
    entry.createdAt,
    entry.postings.map((p) => [p.accountId, p.currency, p.side, p.layer, p.amount]),
  ]);
}

export function entryHash(prevHash: string, entry: EntryDraft & { seq: number }): string {
  return createHash('sha256').update(prevHash).update('\n').update(canonicalEntry(entry)).digest('hex');
}

/** Gives a draft its place in the chain. */
export function sealEntry(draft: EntryDraft, seq: number, prevHash: string): Entry {
  const numbered = { ...draft, seq };
  return { ...numbered, prevHash, hash: entryHash(prevHash, numbered) };
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
