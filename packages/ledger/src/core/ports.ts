import type { KeyLookup, RefusedKey, SavedResponse } from '../idempotency/idempotency-store.ts';
import type { Account, Entry, EntryDraft, OutboxEventDraft, PendingTransfer } from './types.ts';

export interface ApiDocument {
  kind: string;
  id: string;
  parentId: string | null;
  body: unknown;
  now: number;
}

/**
 * What a movement of money works on once its accounts and entries are read: synchronous, so a
 * batch of transfers runs without a promise per step (TigerBeetle's prefetch, then execute). A
 * command decides everything before its first write here, so one that is rejected leaves nothing
 * behind; `flush` makes the writes part of the transaction.
 */
export interface MovementView {
  /** An account prefetched (as this view's earlier writes left it), or undefined if it does not exist. */
  account(id: string): Account | undefined;
  /** The entry with this id (prefetched, or appended through this view), or undefined. */
  entry(id: string): Entry | undefined;
  /** Numbers the entry, links it to the chain head and appends it with its postings. */
  appendEntry(draft: EntryDraft): Entry;
  /** Its balances and status (never its identity, currency or flags). */
  updateAccount(account: Account): void;
  savePending(pending: PendingTransfer): void;
  /** Events for the outbox, with a delivery to each matching webhook endpoint. */
  insertEvents(events: readonly OutboxEventDraft[], createdAt: number): void;
  flush(): Promise<void>;
}

/**
 * What a command may do inside one serializable money transaction. Both storages implement it;
 * the command logic in commands.ts is written once against it.
 */
export interface LedgerTransaction {
  /** Reads accounts and locks them until the end of the transaction, always in id order. */
  lockAccounts(ids: readonly string[]): Promise<Map<string, Account>>;
  /** Reads a pending transfer and locks it. Commands lock a pending transfer before its accounts. */
  lockPending(id: string): Promise<PendingTransfer | undefined>;
  findEntry(id: string): Promise<Entry | undefined>;
  /**
   * Locks these accounts (in id order) and reads them and these entries at once, for a movement to
   * run on: the view can read nothing else. Until its flush, nothing else may write through `tx`.
   * Ids may repeat.
   */
  prefetch(accountIds: readonly string[], entryIds: readonly string[]): Promise<MovementView>;
  /** Sum of the amounts of the reversals already made of an entry. */
  reversedAmount(entryId: string): Promise<bigint>;
  insertAccount(account: Account): Promise<void>;
  /** Persists an account's balances and status (never its identity, currency or flags). */
  updateAccount(account: Account): Promise<void>;
  /** Writes events to the outbox and queues a delivery to each matching webhook endpoint. */
  insertEvents(events: readonly OutboxEventDraft[], createdAt: number): Promise<void>;
  /** API resource documents (read models), locked until the end of the transaction. Read only: they may be shared (and frozen). */
  getDocument<T>(kind: string, id: string): Promise<T | undefined>;
  putDocument(document: ApiDocument): Promise<void>;
  /** Several documents in one statement (distinct kind and id each). */
  putDocuments(documents: readonly ApiDocument[]): Promise<void>;
  /** Stores an idempotency key's response in the same transaction as the money it reports. */
  saveResponse(saved: SavedResponse): Promise<void>;
  /** What a response already stored for the key decides (replay or mismatch), if there is one. */
  storedDecision(lookup: KeyLookup, requestHash: string, now: number): Promise<RefusedKey | undefined>;
  /**
   * Runs `work` as a unit of this transaction: if it throws, nothing it did is kept (and the rest
   * of the transaction is); if it returns, what follows sees its changes. One unit at a time.
   */
  nested<T>(work: (tx: LedgerTransaction) => Promise<T>): Promise<T>;
}
