// Row <-> domain mapping. SQLite returns 64-bit integers as BigInt (setReadBigInts) and pg
// returns BIGINT as strings; BigInt() and Number() accept both.
import { canonicalJson } from '../core/canonical.ts';
import { canonicalPostings } from '../core/hash-chain.ts';
import type { Account, AccountStatus, Entry, EntryKind, Layer, Metadata, PendingStatus, PendingTransfer, Posting, Side } from '../core/types.ts';
import type { Row, SqlValue } from './sql-database.ts';

export const big = (value: unknown): bigint => BigInt(value as bigint | string);
export const num = (value: unknown): number => Number(value as bigint | string);
const numOrNull = (value: unknown): number | null => (value === null || value === undefined ? null : num(value));
const str = (value: unknown): string => value as string;
const strOrNull = (value: unknown): string | null => (value === null || value === undefined ? null : (value as string));

export function encodeMetadata(metadata: Metadata): string {
  return canonicalJson(metadata);
}

export function toAccount(row: Row): Account {
  return {
    id: str(row.id),
    currency: str(row.currency),
    normalBalance: row.normal_balance as Side,
    flags: {
      debitsMustNotExceedCredits: num(row.debits_must_not_exceed_credits) === 1,
      creditsMustNotExceedDebits: num(row.credits_must_not_exceed_debits) === 1,
    },
    code: strOrNull(row.code),
    status: row.status as AccountStatus,
    metadata: JSON.parse(str(row.metadata)) as Metadata,
    createdAt: num(row.created_at),
    debitsPending: big(row.debits_pending),
    creditsPending: big(row.credits_pending),
    debitsPosted: big(row.debits_posted),
    creditsPosted: big(row.credits_posted),
  };
}

export function accountValues(account: Account): SqlValue[] {
  return [
    account.id,
    account.currency,
    account.normalBalance,
    account.flags.debitsMustNotExceedCredits ? 1 : 0,
    account.flags.creditsMustNotExceedDebits ? 1 : 0,
    account.code,
    account.status,
    encodeMetadata(account.metadata),
    account.createdAt,
    account.debitsPending,
    account.creditsPending,
    account.debitsPosted,
    account.creditsPosted,
  ];
}

type PostingTuple = [accountId: string, currency: string, side: Side, layer: Layer, amount: string];

/** The `postings` column, as canonicalPostings() wrote it. */
export function decodePostings(text: string): Posting[] {
  return (JSON.parse(text) as PostingTuple[]).map(([accountId, currency, side, layer, amount]) => ({ accountId, currency, side, layer, amount: BigInt(amount) }));
}

export function toEntry(row: Row): Entry {
  return {
    seq: num(row.seq),
    id: str(row.id),
    kind: row.kind as EntryKind,
    amount: big(row.amount),
    currency: str(row.currency),
    pendingId: strOrNull(row.pending_id),
    reversesId: strOrNull(row.reverses_id),
    request: str(row.request),
    metadata: JSON.parse(str(row.metadata)) as Metadata,
    createdAt: num(row.created_at),
    postings: decodePostings(str(row.postings)),
    prevHash: str(row.prev_hash),
    hash: str(row.hash),
  };
}

export function toPending(row: Row): PendingTransfer {
  return {
    id: str(row.id),
    debitAccountId: str(row.debit_account_id),
    creditAccountId: str(row.credit_account_id),
    currency: str(row.currency),
    amount: big(row.amount),
    postedAmount: big(row.posted_amount),
    status: row.status as PendingStatus,
    expiresAt: numOrNull(row.expires_at),
    createdAt: num(row.created_at),
    resolvedAt: numOrNull(row.resolved_at),
    resolvedBy: strOrNull(row.resolved_by),
  };
}

/** The columns of an entry's `entries` row, in the order of insertEntries (row-writes.ts). */
export const ENTRY_COLUMNS = 13;

/** Writes an entry's `entries` row into `values` from `at` (a statement inserting several rows fills one array). */
export function putEntryValues(values: SqlValue[], at: number, entry: Entry, postings = canonicalPostings(entry.postings)): void {
  values[at] = entry.seq;
  values[at + 1] = entry.id;
  values[at + 2] = entry.kind;
  values[at + 3] = entry.amount;
  values[at + 4] = entry.currency;
  values[at + 5] = entry.pendingId;
  values[at + 6] = entry.reversesId;
  values[at + 7] = entry.request;
  values[at + 8] = encodeMetadata(entry.metadata);
  values[at + 9] = entry.createdAt;
  values[at + 10] = postings;
  values[at + 11] = entry.prevHash;
  values[at + 12] = entry.hash;
}
