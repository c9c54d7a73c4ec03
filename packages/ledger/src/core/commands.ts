// Where money moves. Each command runs inside one serializable transaction: it reads (and locks)
// what it needs, decides, and writes the entry, the balances, the pending-transfer state and the
// outbox events together. A retried command with the same id returns the first result.
import { applyPostings, assertBalancedPostings } from './balances.ts';
import { canonicalJson, canonicalTransferRequest, EMPTY_OBJECT } from './canonical.ts';
import { LedgerError, isLedgerError } from './errors.ts';
import { MAX_MINOR_UNITS, isCurrency } from './money.ts';
import type { LedgerTransaction, MovementView } from './ports.ts';
import type {
  Account,
  AccountFlags,
  AccountStatus,
  Entry,
  EntryKind,
  Metadata,
  OutboxEventDraft,
  PendingTransfer,
  Posting,
  Side,
} from './types.ts';

export interface CreateAccountInput {
  id: string;
  currency: string;
  normalBalance: Side;
  flags?: Partial<AccountFlags>;
  code?: string | null;
  metadata?: Metadata;
}

interface MovementInput {
  /** Chosen by the caller, so a retry is recognised. */
  id: string;
  metadata?: Metadata;
  /** Outbox events committed atomically with the movement. */
  events?: readonly OutboxEventDraft[];
}

export interface TransferInput extends MovementInput {
  debitAccountId: string;
  creditAccountId: string;
  amount: bigint;
  currency: string;
  /** Makes it a two-phase transfer: the money is held until posted, voided or expired. */
  pending?: { expiresAt?: number | null };
}

export interface PostPendingInput extends MovementInput {
  pendingId: string;
  /** Defaults to everything still held. */
  amount?: bigint;
  /** A final post (the default) releases whatever it does not post; otherwise the rest stays held. */
  final?: boolean;
}

export interface VoidPendingInput extends MovementInput {
  pendingId: string;
}

export interface ReverseInput extends MovementInput {
  entryId: string;
  /** Defaults to what has not been reversed yet. */
  amount?: bigint;
}

export async function createAccount(tx: LedgerTransaction, input: CreateAccountInput, now: number): Promise<Account> {
  requireId(input.id, 'id');
  requireCurrency(input.currency);
  if (input.normalBalance !== 'debit' && input.normalBalance !== 'credit') {
    throw invalid('normalBalance', 'normalBalance must be "debit" or "credit"');
  }
  const account: Account = {
    id: input.id,
    currency: input.currency,
    normalBalance: input.normalBalance,
    flags: {
      debitsMustNotExceedCredits: input.flags?.debitsMustNotExceedCredits ?? false,
      creditsMustNotExceedDebits: input.flags?.creditsMustNotExceedDebits ?? false,
    },
    code: input.code ?? null,
    status: 'open',
    metadata: input.metadata ?? {},
    createdAt: now,
    debitsPending: 0n,
    creditsPending: 0n,
    debitsPosted: 0n,
    creditsPosted: 0n,
  };
  const existing = (await tx.lockAccounts([input.id])).get(input.id);
  if (existing) {
    if (accountIdentity(existing) !== accountIdentity(account)) {
      throw new LedgerError('account_exists_with_different_fields', `account ${input.id} already exists with other fields`, { accountId: input.id });
    }
    return existing;
  }
  await tx.insertAccount(account);
  return account;
}

export async function setAccountStatus(tx: LedgerTransaction, accountId: string, status: AccountStatus): Promise<Account> {
  const account = (await tx.lockAccounts([accountId])).get(accountId);
  if (!account) throw notFound(accountId);
  if (account.status === status) return account;
  if (account.status === 'closed') throw new LedgerError('account_closed', `account ${accountId} is closed`, { accountId });
  if (status === 'closed' && (account.debitsPending !== 0n || account.creditsPending !== 0n || account.debitsPosted !== account.creditsPosted)) {
    throw new LedgerError('account_not_empty', `account ${accountId} still holds money or pending transfers`, { accountId });
  }
  const updated = { ...account, status };
  await tx.updateAccount(updated);
  return updated;
}

/** What became of one transfer of a batch: its entry, or the rule it broke (it then left no trace). */
export type TransferResult = { ok: true; entry: Entry } | { ok: false; error: LedgerError };

/** A transfer's input once checked, with its request text: what can be known before reading anything. */
interface CheckedTransfer {
  input: TransferInput;
  kind: EntryKind;
  expiresAt: number | null;
  request: string;
  /** No entry can hold the id (TransferOptions): there is nothing to replay. */
  freshId: boolean;
}

/**
 * `freshId`: the caller has just minted `input.id` (newId) for this transfer, so no entry can hold
 * it and it is not looked up: its retries are recognised by their idempotency key instead. (The
 * journal's unique index would still refuse a duplicate.)
 */
export interface TransferOptions {
  freshId?: boolean;
}

export async function transfer(tx: LedgerTransaction, input: TransferInput, now: number, { freshId = false }: TransferOptions = {}): Promise<Entry> {
  const checked = checkTransfer(input, freshId);
  const view = await tx.prefetch([input.debitAccountId, input.creditAccountId], freshId ? [] : [input.id]);
  const entry = executeTransfer(view, checked, now);
  await view.flush();
  return entry;
}

/**
 * Many transfers (TigerBeetle's create_transfers): the same outcome as transfer() for each in
 * order, run on one prefetch of all their accounts and entries. A transfer that a business rule
 * rejects leaves no trace and does not stop the others; any other failure (a bug, the database)
 * is thrown, and the caller's transaction then keeps nothing of the batch.
 */
export async function transferBatch(tx: LedgerTransaction, inputs: readonly TransferInput[], now: number): Promise<TransferResult[]> {
  // Plain loops, each transfer's rejection caught where it happens: a closure and a wrapper per
  // transfer would be a tenth of what a batched transfer allocates.
  const results = new Array<TransferResult>(inputs.length);
  const checked = new Array<CheckedTransfer | undefined>(inputs.length);
  const accountIds: string[] = [];
  const entryIds: string[] = [];
  for (let i = 0; i < inputs.length; i++) {
    try {
      const transfer = checkTransfer(inputs[i]!);
      checked[i] = transfer;
      accountIds.push(transfer.input.debitAccountId, transfer.input.creditAccountId);
      entryIds.push(transfer.input.id);
    } catch (error) {
      results[i] = rejection(error);
    }
  }
  const view = await tx.prefetch(accountIds, entryIds);
  for (let i = 0; i < inputs.length; i++) {
    const transfer = checked[i];
    if (transfer === undefined) continue;
    try {
      results[i] = { ok: true, entry: executeTransfer(view, transfer, now) };
    } catch (error) {
      results[i] = rejection(error);
    }
  }
  await view.flush();
  return results;
}

/** A business rule's rejection as a result; any other error is thrown. */
function rejection(error: unknown): TransferResult {
  if (!isLedgerError(error)) throw error;
  return { ok: false, error };
}

function checkTransfer(input: TransferInput, freshId = false): CheckedTransfer {
  requireId(input.id, 'id');
  requireAmount(input.amount, 'amount');
  requireCurrency(input.currency);
  if (input.debitAccountId === input.creditAccountId) {
    throw new LedgerError('same_account', 'debit and credit accounts must differ', { accountId: input.debitAccountId });
  }
  const expiresAt = input.pending?.expiresAt ?? null;
  if (expiresAt !== null && !Number.isSafeInteger(expiresAt)) throw invalid('pending.expiresAt', 'pending.expiresAt must be a time in milliseconds');
  const kind: EntryKind = input.pending ? 'pending' : 'transfer';
  const request = canonicalTransferRequest({ kind, debit: input.debitAccountId, credit: input.creditAccountId, amount: input.amount, currency: input.currency, expiresAt, metadata: input.metadata ?? NO_METADATA });
  return { input, kind, expiresAt, request, freshId };
}

function executeTransfer(view: MovementView, { input, kind, expiresAt, request, freshId }: CheckedTransfer, now: number): Entry {
  const replay = freshId ? undefined : replayOf(view, input.id, request);
  if (replay) return replay;
  if (expiresAt !== null && expiresAt <= now) throw invalid('pending.expiresAt', 'a hold must expire in the future');
  requireOpen(view.account(input.debitAccountId), input.debitAccountId);
  requireOpen(view.account(input.creditAccountId), input.creditAccountId);

  const layer = input.pending ? 'pending' : 'posted';
  const postings: Posting[] = [
    { accountId: input.debitAccountId, currency: input.currency, side: 'debit', layer, amount: input.amount },
    { accountId: input.creditAccountId, currency: input.currency, side: 'credit', layer, amount: input.amount },
  ];
  const entry = commit(view, input, { kind, amount: input.amount, currency: input.currency, pendingId: null, reversesId: null, request, postings }, now);
  if (input.pending) {
    view.savePending({
      id: input.id,
      debitAccountId: input.debitAccountId,
      creditAccountId: input.creditAccountId,
      currency: input.currency,
      amount: input.amount,
      postedAmount: 0n,
      status: 'pending',
      expiresAt,
      createdAt: now,
      resolvedAt: null,
      resolvedBy: null,
    });
  }
  return entry;
}

export async function postPending(tx: LedgerTransaction, input: PostPendingInput, now: number): Promise<Entry> {
  requireId(input.id, 'id');
  if (input.amount !== undefined) requireAmount(input.amount, 'amount');
  const request = canonicalJson({ kind: 'post', pendingId: input.pendingId, amount: input.amount ?? null, final: input.final ?? true, metadata: input.metadata ?? {} });
  const { pending, view } = await prefetchPending(tx, input.id, input.pendingId);
  const entry = replayOf(view, input.id, request) ?? postHeld(view, requirePending(pending, input.pendingId), input, request, now);
  await view.flush();
  return entry;
}

function postHeld(view: MovementView, pending: PendingTransfer, input: PostPendingInput, request: string, now: number): Entry {
  requireUnresolved(pending, now);
  requireOpen(view.account(pending.debitAccountId), pending.debitAccountId);
  requireOpen(view.account(pending.creditAccountId), pending.creditAccountId);
  const held = pending.amount - pending.postedAmount;
  const amount = input.amount ?? held;
  if (amount > held) {
    throw new LedgerError('amount_exceeds_pending', `cannot post ${amount}: only ${held} is held`, { pendingId: pending.id, held });
  }
  // Posting everything that is left resolves the transfer whether or not the caller said final.
  const final = (input.final ?? true) || amount === held;
  const released = final ? held : amount;
  const postings = [...releasePostings(pending, released), ...movePostings(pending, amount)];
  const entry = commit(view, input, { kind: 'post', amount, currency: pending.currency, pendingId: pending.id, reversesId: null, request, postings }, now);
  const postedAmount = pending.postedAmount + amount;
  view.savePending(final ? { ...pending, postedAmount, status: 'posted', resolvedAt: now, resolvedBy: entry.id } : { ...pending, postedAmount });
  return entry;
}

export async function voidPending(tx: LedgerTransaction, input: VoidPendingInput, now: number): Promise<Entry> {
  requireId(input.id, 'id');
  const request = canonicalJson({ kind: 'void', pendingId: input.pendingId, metadata: input.metadata ?? {} });
  const { pending, view } = await prefetchPending(tx, input.id, input.pendingId);
  let entry = replayOf(view, input.id, request);
  if (!entry) {
    const held = requirePending(pending, input.pendingId);
    requireUnresolved(held, now);
    entry = release(view, held, 'void', input, request, now);
  }
  await view.flush();
  return entry;
}

/** The id of the entry that expires a pending transfer: fixed, so concurrent sweepers agree. */
export function expiryEntryId(pendingId: string): string {
  return `${pendingId}.expiry`;
}

/** Releases a hold whose expiry has passed. Returns undefined when there is nothing to expire. */
export async function expirePending(tx: LedgerTransaction, pendingId: string, now: number): Promise<Entry | undefined> {
  const pending = await tx.lockPending(pendingId);
  if (!pending || pending.status !== 'pending' || pending.expiresAt === null || pending.expiresAt > now) return undefined;
  const view = await tx.prefetch([pending.debitAccountId, pending.creditAccountId], []);
  const request = canonicalJson({ kind: 'expire', pendingId });
  const entry = release(view, pending, 'expire', { id: expiryEntryId(pendingId) }, request, now);
  await view.flush();
  return entry;
}

export async function reverse(tx: LedgerTransaction, input: ReverseInput, now: number): Promise<Entry> {
  requireId(input.id, 'id');
  if (input.amount !== undefined) requireAmount(input.amount, 'amount');
  const request = canonicalJson({ kind: 'reversal', entryId: input.entryId, amount: input.amount ?? null, metadata: input.metadata ?? {} });
  const replay = await findReplay(tx, input.id, request);
  if (replay) return replay;
  const original = await tx.findEntry(input.entryId);
  if (!original) throw new LedgerError('entry_not_found', `entry ${input.entryId} does not exist`, { entryId: input.entryId });
  const moved = original.postings.filter((p) => p.layer === 'posted');
  const debit = moved.find((p) => p.side === 'debit');
  const credit = moved.find((p) => p.side === 'credit');
  if ((original.kind !== 'transfer' && original.kind !== 'post') || moved.length !== 2 || !debit || !credit) {
    throw new LedgerError('not_reversible', `entry ${original.id} (${original.kind}) moves no posted money to reverse`, { entryId: original.id });
  }
  const view = await tx.prefetch([debit.accountId, credit.accountId], []);
  const remaining = debit.amount - (await tx.reversedAmount(original.id));
  const amount = input.amount ?? remaining;
  if (amount <= 0n || amount > remaining) {
    throw new LedgerError('reversal_exceeds_original', `cannot reverse ${amount}: ${remaining} of entry ${original.id} is left to reverse`, { entryId: original.id, remaining });
  }
  requireNotClosed(view.account(debit.accountId), debit.accountId);
  requireNotClosed(view.account(credit.accountId), credit.accountId);
  const postings: Posting[] = [
    { accountId: credit.accountId, currency: credit.currency, side: 'debit', layer: 'posted', amount },
    { accountId: debit.accountId, currency: debit.currency, side: 'credit', layer: 'posted', amount },
  ];
  const entry = commit(view, input, { kind: 'reversal', amount, currency: debit.currency, pendingId: null, reversesId: original.id, request, postings }, now);
  await view.flush();
  return entry;
}

function release(view: MovementView, pending: PendingTransfer, kind: 'void' | 'expire', input: MovementInput, request: string, now: number): Entry {
  const held = pending.amount - pending.postedAmount;
  const postings = releasePostings(pending, held);
  const entry = commit(view, input, { kind, amount: held, currency: pending.currency, pendingId: pending.id, reversesId: null, request, postings }, now);
  view.savePending({ ...pending, status: kind === 'void' ? 'voided' : 'expired', resolvedAt: now, resolvedBy: entry.id });
  return entry;
}

/** The metadata of an entry made without any: one object for all of them (an entry lives until it is durable). */
const NO_METADATA: Metadata = EMPTY_OBJECT;

type EntryBody = Pick<Entry, 'kind' | 'amount' | 'currency' | 'pendingId' | 'reversesId' | 'request' | 'postings'>;

/**
 * Applies the postings to the balances, appends the entry and writes the events. Everything that
 * can reject the movement is checked before the first write (see MovementView).
 */
function commit(view: MovementView, input: MovementInput, body: EntryBody, now: number): Entry {
  assertBalancedPostings(body.postings);
  const changed = applyPostings((id) => view.account(id), body.postings);
  const entry = view.appendEntry({
    id: input.id,
    kind: body.kind,
    amount: body.amount,
    currency: body.currency,
    pendingId: body.pendingId,
    reversesId: body.reversesId,
    request: body.request,
    metadata: input.metadata ?? NO_METADATA,
    createdAt: now,
    postings: body.postings,
  });
  for (const account of changed) view.updateAccount(account);
  if (input.events && input.events.length > 0) view.insertEvents(input.events, now);
  return entry;
}

function releasePostings(pending: PendingTransfer, amount: bigint): Posting[] {
  if (amount === 0n) return [];
  return [
    { accountId: pending.debitAccountId, currency: pending.currency, side: 'debit', layer: 'pending', amount: -amount },
    { accountId: pending.creditAccountId, currency: pending.currency, side: 'credit', layer: 'pending', amount: -amount },
  ];
}

function movePostings(pending: PendingTransfer, amount: bigint): Posting[] {
  return [
    { accountId: pending.debitAccountId, currency: pending.currency, side: 'debit', layer: 'posted', amount },
    { accountId: pending.creditAccountId, currency: pending.currency, side: 'credit', layer: 'posted', amount },
  ];
}

/** Locks the pending transfer, then its accounts (the lock order every command follows), and reads the entry `entryId`. */
async function prefetchPending(tx: LedgerTransaction, entryId: string, pendingId: string): Promise<{ pending: PendingTransfer | undefined; view: MovementView }> {
  const pending = await tx.lockPending(pendingId);
  const view = await tx.prefetch(pending ? [pending.debitAccountId, pending.creditAccountId] : [], [entryId]);
  return { pending, view };
}

function requirePending(pending: PendingTransfer | undefined, pendingId: string): PendingTransfer {
  if (!pending) throw new LedgerError('pending_not_found', `pending transfer ${pendingId} does not exist`, { pendingId });
  return pending;
}

function requireUnresolved(pending: PendingTransfer, now: number): void {
  if (pending.status !== 'pending') {
    throw new LedgerError('pending_already_resolved', `pending transfer ${pending.id} is already ${pending.status}`, { pendingId: pending.id, status: pending.status });
  }
  if (pending.expiresAt !== null && pending.expiresAt <= now) {
    throw new LedgerError('pending_expired', `pending transfer ${pending.id} expired`, { pendingId: pending.id, expiresAt: pending.expiresAt });
  }
}

async function findReplay(tx: LedgerTransaction, id: string, request: string): Promise<Entry | undefined> {
  return sameRequest(await tx.findEntry(id), id, request);
}

function replayOf(view: MovementView, id: string, request: string): Entry | undefined {
  return sameRequest(view.entry(id), id, request);
}

/** An earlier entry of this id, if it was made by the same request (a retry); another request's is an error. */
function sameRequest(existing: Entry | undefined, id: string, request: string): Entry | undefined {
  if (existing && existing.request !== request) {
    throw new LedgerError('entry_exists_with_different_fields', `entry ${id} already exists for a different request`, { entryId: id });
  }
  return existing;
}

function accountIdentity(account: Account): string {
  return canonicalJson({ currency: account.currency, normalBalance: account.normalBalance, flags: account.flags, code: account.code, metadata: account.metadata });
}

function requireOpen(account: Account | undefined, id: string): asserts account is Account {
  if (!account) throw notFound(id);
  if (account.status !== 'open') throw new LedgerError('account_not_open', `account ${id} is ${account.status}`, { accountId: id, status: account.status });
}

function requireNotClosed(account: Account | undefined, id: string): asserts account is Account {
  if (!account) throw notFound(id);
  if (account.status === 'closed') throw new LedgerError('account_closed', `account ${id} is closed`, { accountId: id });
}

function requireId(value: unknown, field: string): void {
  if (typeof value !== 'string' || value.length === 0 || value.length > 255) throw invalid(field, `${field} must be a string of 1 to 255 characters`);
}

function requireAmount(value: unknown, field: string): void {
  if (typeof value !== 'bigint' || value <= 0n || value > MAX_MINOR_UNITS) throw invalid(field, `${field} must be a positive BigInt of minor units`);
}

function requireCurrency(value: unknown): void {
  if (typeof value !== 'string' || !isCurrency(value)) throw invalid('currency', 'currency must be an ISO 4217 alpha-3 code');
}

function invalid(field: string, message: string): LedgerError {
  return new LedgerError('invalid_request', message, { field });
}

function notFound(id: string): LedgerError {
  return new LedgerError('account_not_found', `account ${id} does not exist`, { accountId: id });
}
