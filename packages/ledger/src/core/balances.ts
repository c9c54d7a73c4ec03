import { LedgerError } from './errors.ts';
import { MAX_MINOR_UNITS } from './money.ts';
import type { Account, Balance, BalanceColumns, Layer, Posting } from './types.ts';

const COLUMN = {
  debit: { pending: 'debitsPending', posted: 'debitsPosted' },
  credit: { pending: 'creditsPending', posted: 'creditsPosted' },
} as const satisfies Record<string, Record<string, keyof BalanceColumns>>;

export function columnOf(posting: Pick<Posting, 'side' | 'layer'>): keyof BalanceColumns {
  return COLUMN[posting.side][posting.layer];
}

export function zeroBalances(): BalanceColumns {
  return { debitsPending: 0n, creditsPending: 0n, debitsPosted: 0n, creditsPosted: 0n };
}

/** Posted, pending and available in the account's normal-balance direction. */
export function balanceOf(account: Account): Balance {
  const credit = account.normalBalance === 'credit';
  const posted = credit ? account.creditsPosted - account.debitsPosted : account.debitsPosted - account.creditsPosted;
  const pending = credit ? account.debitsPending : account.creditsPending;
  const incoming = credit ? account.creditsPending : account.debitsPending;
  return { currency: account.currency, posted, pending, incoming, available: posted - pending };
}

/**
 * Applies postings to the accounts they touch and returns the changed accounts, after checking
 * currencies, the accounts' flags and 64-bit overflow. Nothing is written: the caller persists
 * the result in the same transaction as the entry.
 */
export function applyPostings(accountOf: (id: string) => Account | undefined, postings: readonly Posting[]): Account[] {
  // An entry touches a handful of accounts: a list beats a Map. Sized up front: the first push onto
  // an empty array reserves room for seventeen (a third of what applying two postings allocates).
  const changed = new Array<Account>(postings.length);
  let count = 0;
  for (const posting of postings) {
    let copy = changedAccount(changed, count, posting.accountId);
    const current = copy ?? accountOf(posting.accountId);
    if (!current) throw new LedgerError('account_not_found', `account ${posting.accountId} does not exist`, { accountId: posting.accountId });
    if (current.currency !== posting.currency) {
      throw new LedgerError('currency_mismatch', `account ${current.id} holds ${current.currency}, not ${posting.currency}`, {
        accountId: current.id,
        accountCurrency: current.currency,
        currency: posting.currency,
      });
    }
    const column = columnOf(posting);
    const value = current[column] + posting.amount;
    if (value > MAX_MINOR_UNITS) throw new LedgerError('overflow', `account ${current.id} would exceed the largest storable balance`, { accountId: current.id });
    if (value < 0n) throw new Error(`invariant broken: ${column} of ${current.id} would become negative`);
    // The account is copied at its first posting; later postings change that copy.
    if (!copy) changed[count++] = copy = copyAccount(current);
    copy[column] = value;
  }
  changed.length = count;
  for (const account of changed) assertWithinLimits(account);
  return changed;
}

/** Field by field rather than a spread (this runs for every account a transfer moves): every copy then has one shape. */
function copyAccount(account: Account): Account {
  return {
    id: account.id,
    currency: account.currency,
    normalBalance: account.normalBalance,
    flags: account.flags,
    code: account.code,
    status: account.status,
    metadata: account.metadata,
    createdAt: account.createdAt,
    debitsPending: account.debitsPending,
    creditsPending: account.creditsPending,
    debitsPosted: account.debitsPosted,
    creditsPosted: account.creditsPosted,
  };
}

function changedAccount(changed: readonly Account[], count: number, id: string): Account | undefined {
  for (let i = 0; i < count; i++) if (changed[i]!.id === id) return changed[i];
  return undefined;
}

export function assertWithinLimits(account: Account): void {
  if (account.flags.debitsMustNotExceedCredits && plus(account.debitsPending, account.debitsPosted) > account.creditsPosted) {
    throw new LedgerError('insufficient_funds', `account ${account.id} has insufficient funds`, {
      accountId: account.id,
      available: account.creditsPosted - account.debitsPosted - account.debitsPending,
    });
  }
  if (account.flags.creditsMustNotExceedDebits && plus(account.creditsPending, account.creditsPosted) > account.debitsPosted) {
    throw new LedgerError('credit_limit_exceeded', `account ${account.id} would be credited beyond its debits`, { accountId: account.id });
  }
}

/** pending + posted, without allocating a BigInt when nothing is pending (as for most accounts, most of the time). */
function plus(pending: bigint, posted: bigint): bigint {
  return pending === 0n ? posted : pending + posted;
}

/** A transfer's two postings: one debit, one credit, of the same amount, currency and layer (checked without allocating). */
function isBalancedPair(a: Posting, b: Posting): boolean {
  return a.side !== b.side && a.amount === b.amount && a.currency === b.currency && a.layer === b.layer;
}

/** Per currency and layer, the debits of an entry must equal its credits. */
export function assertBalancedPostings(postings: readonly Posting[]): void {
  if (postings.length < 2) throw new Error('invariant broken: an entry needs at least two postings');
  if (postings.length === 2 && isBalancedPair(postings[0]!, postings[1]!)) return;
  // An entry has a handful of postings: a list scanned per posting beats a Map of composite keys.
  const sums: Array<{ currency: string; layer: Layer; sum: bigint }> = [];
  for (const posting of postings) {
    const signed = posting.side === 'debit' ? posting.amount : -posting.amount;
    const group = sums.find((g) => g.currency === posting.currency && g.layer === posting.layer);
    if (group) group.sum += signed;
    else sums.push({ currency: posting.currency, layer: posting.layer, sum: signed });
  }
  for (const { currency, layer, sum } of sums) if (sum !== 0n) throw new Error(`invariant broken: postings for ${currency}/${layer} sum to ${sum}`);
}
