// Row <-> domain mapping. SQLite returns 64-bit integers as BigInt (setReadBigInts) and pg
// returns BIGINT as strings; BigInt() and Number() accept both.
import { canonicalJson, EMPTY_OBJECT, impliedTransferRequest, isImpliedTransferRequest } from '../core/canonical.ts';
import { canonicalPostings } from '../core/hash-chain.ts';
import type { Account, AccountStatus, Entry, EntryDraft, EntryKind, Layer, Metadata, PendingStatus, PendingTransfer, Posting, Side } from '../core/types.ts';
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
  const kind = row.kind as EntryKind;
  const amount = big(row.amount);
  const currency = str(row.currency);
  const metadata = str(row.metadata);
  const postings = decodePostings(str(row.postings));
  return {
    seq: num(row.seq),
    id: str(row.id),
    kind,
    amount,
    currency,
    pendingId: strOrNull(row.pending_id),
    reversesId: strOrNull(row.reverses_id),
    request: row.request === IMPLIED_REQUEST ? impliedRequest(kind, amount, currency, postings, metadata, row.seq) : str(row.request),
    metadata: JSON.parse(metadata) as Metadata,
    createdAt: num(row.created_at),
    postings,
    prevHash: str(row.prev_hash),
    hash: str(row.hash),
  };
}

/**
 * The `request` of a plain transfer's journal row: its request says nothing the row does not (the
 * accounts of its two postings, amount, currency, metadata), so it is not stored — over a third of
 * the row, and as much of the write-ahead log. Never the text of a real request (canonical JSON is
 * never empty). The entry's hash covers the request all the same: verifying the chain checks it.
 */
const IMPLIED_REQUEST = '';

/**
 * The request column for an entry: IMPLIED_REQUEST exactly when reading the row gives back the same
 * text. Compared once the entry is sealed, when hashing has made the request one flat string (half
 * the cost of matching the pieces of a text still being built).
 */
function storedRequest(entry: Entry, metadata: string): string {
  const { kind, request, postings } = entry;
  if (request === IMPLIED_REQUEST) throw new Error(`entry ${entry.id} has an empty request: every command's request is canonical JSON`);
  if (kind !== 'transfer' || postings.length !== 2) return request;
  return isImpliedTransferRequest(request, entry.amount, postings[0]!.accountId, postings[1]!.accountId, entry.currency, metadata) ? IMPLIED_REQUEST : request;
}

function impliedRequest(kind: EntryKind, amount: bigint, currency: string, postings: readonly Posting[], metadata: string, seq: unknown): string {
  if (kind !== 'transfer' || postings.length !== 2) throw new Error(`journal entry #${seq} (${kind}) has no request stored`);
  return impliedTransferRequest(amount, postings[0]!.accountId, postings[1]!.accountId, currency, metadata);
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

/**
 * The `prev_hash` of every entry after the first: the hash of the entry before it, which that
 * entry's row holds already (64 bytes of every row, and of the write-ahead log). An entry is
 * always sealed onto the chain head, which moves with every entry in the same transaction; the
 * entry's hash covers its previous hash all the same, so verifying the chain checks the link.
 */
const PREVIOUS_ENTRY_HASH = '';

/** Entries' columns as toEntry reads them, a previous hash not stored (PREVIOUS_ENTRY_HASH) taken from the entry before. */
export const SELECT_ENTRIES = `SELECT e.seq, e.id, e.kind, e.amount, e.currency, e.pending_id, e.reverses_id, e.request, e.metadata, e.created_at, e.postings,
  CASE WHEN e.prev_hash = '${PREVIOUS_ENTRY_HASH}' THEN (SELECT p.hash FROM entries p WHERE p.seq = e.seq - 1) ELSE e.prev_hash END AS prev_hash, e.hash
  FROM entries e`;

/**
 * An entry's postings and metadata as canonical JSON: the texts its hash covers and its row stores.
 * Made once, as the entry is sealed, and written as they are: the row holds exactly what was hashed.
 */
export interface EntryTexts {
  postings: string;
  metadata: string;
}

export function entryTexts(draft: EntryDraft): EntryTexts {
  return { postings: canonicalPostings(draft.postings), metadata: encodeMetadata(draft.metadata) };
}

/** The metadata of an entry made without any (commands.ts), as its row holds it. */
const NO_METADATA_TEXT = canonicalJson(EMPTY_OBJECT);

/** What each column of a journal row holds for an entry, in the table's order. */
const ENTRY_COLUMN_VALUES = {
  seq: (entry) => entry.seq,
  id: (entry) => entry.id,
  kind: (entry) => entry.kind,
  amount: (entry) => entry.amount,
  currency: (entry) => entry.currency,
  pending_id: (entry) => entry.pendingId,
  reverses_id: (entry) => entry.reversesId,
  request: (entry, texts) => storedRequest(entry, texts.metadata),
  metadata: (_, texts) => texts.metadata,
  created_at: (entry) => entry.createdAt,
  postings: (_, texts) => texts.postings,
  prev_hash: (entry) => (entry.seq > 1 ? PREVIOUS_ENTRY_HASH : entry.prevHash),
  hash: (entry) => entry.hash,
} satisfies Record<string, (entry: Entry, texts: EntryTexts) => SqlValue>;

type EntryColumn = keyof typeof ENTRY_COLUMN_VALUES;

/**
 * How insertEntries (row-writes.ts) writes a journal row: the columns it binds, in order, from
 * `put` (which fills `values` from `at`: a statement inserting several rows fills one array), and
 * the SQL literals of the others.
 */
export interface EntryRowShape {
  columns: readonly EntryColumn[];
  literals: Readonly<Partial<Record<EntryColumn, string>>>;
  put(values: SqlValue[], at: number, entry: Entry, texts: EntryTexts): void;
}

function rowShape(columns: readonly EntryColumn[], literals: EntryRowShape['literals']): EntryRowShape {
  const valuesOf = columns.map((column) => ENTRY_COLUMN_VALUES[column]);
  return {
    columns,
    literals,
    put(values, at, entry, texts) {
      for (let i = 0; i < valuesOf.length; i++) values[at + i] = valuesOf[i]!(entry, texts);
    },
  };
}

/** Every column bound. */
export const FULL_ROW = rowShape(Object.keys(ENTRY_COLUMN_VALUES) as EntryColumn[], {});

/**
 * A plain transfer without metadata, past the first entry (isPlainTransferRow): the commonest row
 * by far, whose other six columns are always the same. Binding seven values instead of thirteen
 * (four texts instead of eight, at ~0.1 µs each in node:sqlite) costs SQLite a sixth less per row.
 */
export const PLAIN_TRANSFER_ROW = rowShape(['seq', 'id', 'amount', 'currency', 'created_at', 'postings', 'hash'], {
  kind: "'transfer'",
  pending_id: 'NULL',
  reverses_id: 'NULL',
  request: `'${IMPLIED_REQUEST}'`,
  metadata: `'${NO_METADATA_TEXT}'`,
  prev_hash: `'${PREVIOUS_ENTRY_HASH}'`,
});

/** Whether FULL_ROW would write exactly PLAIN_TRANSFER_ROW's literals for this entry. */
export function isPlainTransferRow(entry: Entry, texts: EntryTexts): boolean {
  return (
    entry.kind === 'transfer' &&
    entry.seq > 1 &&
    entry.pendingId === null &&
    entry.reversesId === null &&
    texts.metadata === NO_METADATA_TEXT &&
    storedRequest(entry, texts.metadata) === IMPLIED_REQUEST
  );
}
