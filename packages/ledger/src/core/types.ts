// The ledger's vocabulary. Every movement of money is an Entry made of Postings; accounts carry
// the running totals of those postings (TigerBeetle's four balance columns).

export type Side = 'debit' | 'credit';
/** Pending postings hold money (authorisations); posted postings move it for good. */
export type Layer = 'pending' | 'posted';
export type AccountStatus = 'open' | 'frozen' | 'closed';
export type Metadata = Record<string, unknown>;

export interface AccountFlags {
  /** Typical for a customer wallet (credit normal): it can never go below zero. */
  debitsMustNotExceedCredits: boolean;
  /** Typical for an asset account (debit normal) that must not be over-credited. */
  creditsMustNotExceedDebits: boolean;
}

export interface BalanceColumns {
  debitsPending: bigint;
  creditsPending: bigint;
  debitsPosted: bigint;
  creditsPosted: bigint;
}

export interface Account extends BalanceColumns {
  id: string;
  currency: string;
  normalBalance: Side;
  flags: AccountFlags;
  /** A free-form classification from the chart of accounts, e.g. "wallet" or "settlement". */
  code: string | null;
  status: AccountStatus;
  metadata: Metadata;
  createdAt: number;
}

/** The customer-facing view of an account's balance, in its normal-balance direction. */
export interface Balance {
  currency: string;
  posted: bigint;
  /** Money held by pending transfers leaving the account. */
  pending: bigint;
  /** Pending money on its way in (not yet spendable). */
  incoming: bigint;
  available: bigint;
}

/**
 * One line of an entry. `amount` is the change to one balance column (side × layer) of the
 * account; it is negative only when a pending posting is released.
 */
export interface Posting {
  accountId: string;
  currency: string;
  side: Side;
  layer: Layer;
  amount: bigint;
}

export type EntryKind = 'transfer' | 'pending' | 'post' | 'void' | 'expire' | 'reversal';

export interface EntryDraft {
  id: string;
  kind: EntryKind;
  /** The headline amount: moved (transfer, post, reversal), held (pending) or released (void, expire). */
  amount: bigint;
  currency: string;
  pendingId: string | null;
  reversesId: string | null;
  /** Canonical text of the command that produced the entry; a retry must match it exactly. */
  request: string;
  metadata: Metadata;
  createdAt: number;
  postings: Posting[];
}

/** An entry once appended to the journal: numbered and hash-chained, never changed again. */
export interface Entry extends EntryDraft {
  seq: number;
  prevHash: string;
  hash: string;
}

export type PendingStatus = 'pending' | 'posted' | 'voided' | 'expired';

export interface PendingTransfer {
  id: string;
  debitAccountId: string;
  creditAccountId: string;
  currency: string;
  amount: bigint;
  /** Sum of the posts so far; a non-final post leaves the rest held. */
  postedAmount: bigint;
  status: PendingStatus;
  expiresAt: number | null;
  createdAt: number;
  resolvedAt: number | null;
  /** Id of the entry that resolved it (the final post, the void or the expiry). */
  resolvedBy: string | null;
}

/** A domain event stored in the outbox in the same transaction as the movement it describes. */
export interface OutboxEventDraft {
  id: string;
  type: string;
  data: unknown;
}

export interface OutboxEvent extends OutboxEventDraft {
  seq: number;
  createdAt: number;
}
