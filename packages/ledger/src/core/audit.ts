// Recomputes everything the ledger stores from the journal alone and compares. Used by tests
// after every step and available to operators (`ledger.audit()`).
import { columnOf, zeroBalances } from './balances.ts';
import { verifyChain } from './hash-chain.ts';
import type { Account, BalanceColumns, Entry, PendingTransfer } from './types.ts';

export interface JournalFold {
  balances: Map<string, BalanceColumns>;
  /** Per pending transfer: the amount posted and the ids of the entries that resolved it. */
  pending: Map<string, { amount: bigint; held: bigint; posted: bigint; resolutions: string[] }>;
  /** Per currency, the signed sum (debits minus credits) of every posting: always zero. */
  netByCurrency: Map<string, bigint>;
}

export function foldJournal(entries: Iterable<Entry>): JournalFold {
  const fold: JournalFold = { balances: new Map(), pending: new Map(), netByCurrency: new Map() };
  for (const entry of entries) foldEntry(fold, entry);
  return fold;
}

export function foldEntry(fold: JournalFold, entry: Entry): void {
  for (const posting of entry.postings) {
    const balances = fold.balances.get(posting.accountId) ?? zeroBalances();
    balances[columnOf(posting)] += posting.amount;
    fold.balances.set(posting.accountId, balances);
    const signed = posting.side === 'debit' ? posting.amount : -posting.amount;
    fold.netByCurrency.set(posting.currency, (fold.netByCurrency.get(posting.currency) ?? 0n) + signed);
  }
  if (entry.kind === 'pending') fold.pending.set(entry.id, { amount: entry.amount, held: entry.amount, posted: 0n, resolutions: [] });
  const pending = entry.pendingId ? fold.pending.get(entry.pendingId) : undefined;
  if (!pending) return;
  const released = -(entry.postings.find((p) => p.layer === 'pending' && p.side === 'debit')?.amount ?? 0n);
  pending.held -= released;
  if (entry.kind === 'post') pending.posted += entry.amount;
  // A void or an expiry resolves the transfer; so does a post that leaves nothing held.
  if (entry.kind !== 'post' || pending.held === 0n) pending.resolutions.push(entry.id);
}

export interface AuditInput {
  journal: AsyncIterable<Entry> | Iterable<Entry>;
  accounts: Iterable<Account>;
  pending: Iterable<PendingTransfer>;
}

/** Every invariant the ledger promises; returns the violations found (empty when healthy). */
export async function auditLedger(input: AuditInput): Promise<string[]> {
  const problems: string[] = [];
  const entries: Entry[] = [];
  for await (const entry of input.journal) entries.push(entry);

  const chain = await verifyChain(entries);
  if (!chain.ok) problems.push(`hash chain broken at entry #${chain.brokenAt}: ${chain.reason}`);

  for (const entry of entries) {
    const sums = new Map<string, bigint>();
    for (const p of entry.postings) {
      const key = `${p.currency}/${p.layer}`;
      sums.set(key, (sums.get(key) ?? 0n) + (p.side === 'debit' ? p.amount : -p.amount));
    }
    if (entry.postings.length < 2) problems.push(`entry ${entry.id} has fewer than two postings`);
    for (const [key, sum] of sums) if (sum !== 0n) problems.push(`entry ${entry.id} does not balance in ${key} (off by ${sum})`);
  }

  const fold = foldJournal(entries);
  for (const [currency, net] of fold.netByCurrency) if (net !== 0n) problems.push(`${currency} does not sum to zero (${net})`);

  const known = new Set<string>();
  for (const account of input.accounts) {
    known.add(account.id);
    const folded = fold.balances.get(account.id) ?? zeroBalances();
    for (const column of ['debitsPending', 'creditsPending', 'debitsPosted', 'creditsPosted'] as const) {
      if (account[column] !== folded[column]) problems.push(`account ${account.id}: ${column} is ${account[column]}, the journal says ${folded[column]}`);
      if (account[column] < 0n) problems.push(`account ${account.id}: ${column} is negative`);
    }
    if (account.flags.debitsMustNotExceedCredits && account.debitsPending + account.debitsPosted > account.creditsPosted) {
      problems.push(`account ${account.id} is overdrawn although its flags forbid it`);
    }
    if (account.flags.creditsMustNotExceedDebits && account.creditsPending + account.creditsPosted > account.debitsPosted) {
      problems.push(`account ${account.id} is over-credited although its flags forbid it`);
    }
  }

  // Postings are a column of their entry, so no foreign key vouches for their accounts.
  for (const accountId of fold.balances.keys()) if (!known.has(accountId)) problems.push(`the journal posts to account ${accountId}, which does not exist`);

  for (const pending of input.pending) {
    const folded = fold.pending.get(pending.id);
    if (!folded) {
      problems.push(`pending transfer ${pending.id} has no pending entry`);
      continue;
    }
    if (folded.resolutions.length > 1) problems.push(`pending transfer ${pending.id} was resolved ${folded.resolutions.length} times`);
    if (folded.held < 0n || folded.posted > folded.amount) problems.push(`pending transfer ${pending.id} released or posted more than it held`);
    if (pending.postedAmount !== folded.posted) problems.push(`pending transfer ${pending.id}: posted ${pending.postedAmount}, the journal says ${folded.posted}`);
    const resolved = pending.status !== 'pending';
    if (resolved !== (folded.resolutions.length === 1) || (resolved && pending.resolvedBy !== folded.resolutions[0])) {
      problems.push(`pending transfer ${pending.id} is ${pending.status} but the journal shows resolutions [${folded.resolutions.join(', ')}]`);
    }
  }
  return problems;
}
