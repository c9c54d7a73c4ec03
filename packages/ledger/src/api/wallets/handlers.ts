// The wallets API on the ledger. A wallet is a credit-normal ledger account that cannot go
// negative; top-ups, withdrawals, transfers and holds are journal entries (holds and withdrawals
// two-phase); the API's resources are documents written in the same transaction as the money.
import { HttpProblem } from '@finrail/server';
import * as commands from '../../core/commands.ts';
import type { ApiDocument, LedgerTransaction } from '../../core/ports.ts';
import type { PendingTransfer } from '../../core/types.ts';
import type { Ledger } from '../../ledger.ts';
import type { components } from '../../generated/wallets/types.ts';
import type { Handlers } from '../../generated/wallets/server.ts';
import { derivedId, newId } from '../ids.ts';
import { idempotent } from '../idempotent.ts';
import { isoTime, minorUnits, money } from '../money.ts';
import { listDocuments } from '../pagination.ts';
import { asProblem, invalidState, notFound, unknownResource } from '../problems.ts';

type Schemas = components['schemas'];
export type Wallet = Schemas['Wallet'];
type TopUp = Schemas['TopUp'];
type Withdrawal = Schemas['Withdrawal'];
type Transfer = Schemas['Transfer'];
type Hold = Schemas['Hold'];
type Transaction = Schemas['Transaction'];

const DEFAULT_HOLD_SECONDS = 604_800;

/** The ledger accounts behind the API, one set per currency. */
export const systemAccounts = {
  /** Money arriving from outside (top-ups). */
  funding: (currency: string) => `funding.${currency}`,
  /** Money leaving to banks (withdrawals), until the bank settles. */
  payouts: (currency: string) => `payouts.${currency}`,
  /** Captured holds. */
  captures: (currency: string) => `captures.${currency}`,
};

export async function ensureSystemAccounts(tx: LedgerTransaction, currency: string, now: number): Promise<void> {
  await commands.createAccount(tx, { id: systemAccounts.funding(currency), currency, normalBalance: 'debit', code: 'funding' }, now);
  await commands.createAccount(tx, { id: systemAccounts.payouts(currency), currency, normalBalance: 'credit', code: 'payouts' }, now);
  await commands.createAccount(tx, { id: systemAccounts.captures(currency), currency, normalBalance: 'credit', code: 'captures' }, now);
}

/** Creates a wallet: its ledger account and its document, in one transaction. */
export async function createWalletRecord(tx: LedgerTransaction, now: number, wallet: Omit<Wallet, 'created_at' | 'updated_at'>): Promise<Wallet> {
  await ensureSystemAccounts(tx, wallet.currency, now);
  await commands.createAccount(tx, { id: wallet.id, currency: wallet.currency, normalBalance: 'credit', code: 'wallet', flags: { debitsMustNotExceedCredits: true } }, now);
  const document: Wallet = { ...wallet, created_at: isoTime(now), updated_at: isoTime(now) };
  await tx.putDocument({ kind: 'wallet', id: wallet.id, parentId: null, body: document, now });
  return document;
}

function transaction(fields: Omit<Transaction, 'created_at' | 'posted_at' | 'description'> & { description?: string | null }, now: number): Transaction {
  return { ...fields, description: fields.description ?? null, created_at: isoTime(now), posted_at: fields.status === 'posted' ? isoTime(now) : null };
}

function transactionDocument(txn: Transaction, now: number): ApiDocument {
  return { kind: 'transaction', id: txn.id, parentId: txn.wallet_id, body: txn, now };
}

async function saveTransaction(tx: LedgerTransaction, txn: Transaction, now: number): Promise<void> {
  await tx.putDocument(transactionDocument(txn, now));
}

function postedEvent(txn: Transaction) {
  return { id: newId('evt'), type: 'wallet.transaction.posted', data: txn };
}

/** Expired holds: the document follows the ledger, and `wallet.hold.expired` is announced. */
export async function onHoldExpired(tx: LedgerTransaction, pending: PendingTransfer, now: number): Promise<void> {
  const hold = await tx.getDocument<Hold>('hold', pending.id);
  if (!hold) return;
  const expired: Hold = { ...hold, status: 'expired', resolved_at: isoTime(now) };
  await tx.putDocument({ kind: 'hold', id: hold.id, parentId: hold.wallet_id, body: expired, now });
  await tx.insertEvents([{ id: newId('evt'), type: 'wallet.hold.expired', data: expired }], now);
}

export function createWalletHandlers(ledger: Ledger): Handlers {
  const store = ledger.store;

  const lockWallet = async (tx: LedgerTransaction, walletId: string): Promise<Wallet> => {
    const wallet = await tx.getDocument<Wallet>('wallet', walletId);
    if (!wallet) throw notFound('wallet', walletId);
    return wallet;
  };

  const requireActive = (wallet: Wallet): void => {
    if (wallet.status !== 'active') throw invalidState(`wallet ${wallet.id} is ${wallet.status}`);
  };

  const requireCurrency = (wallet: Wallet, currency: string, pointer: string): void => {
    if (wallet.currency !== currency) {
      throw new HttpProblem(422, 'currency-mismatch', {
        detail: `wallet ${wallet.id} holds ${wallet.currency}, not ${currency}`,
        errors: [{ pointer, detail: `must be ${wallet.currency}`, code: 'currency_mismatch' }],
      });
    }
  };

  const saveWallet = (tx: LedgerTransaction, wallet: Wallet, now: number) => tx.putDocument({ kind: 'wallet', id: wallet.id, parentId: null, body: wallet, now });

  const getOwned = async <T extends { wallet_id: string }>(kind: string, walletId: string, id: string, what: string): Promise<T> => {
    const document = await store.getDocument<T>(kind, id);
    if (!document || document.wallet_id !== walletId) throw notFound(what, id);
    return document;
  };

  const requireWallet = async (walletId: string): Promise<Wallet> => {
    const wallet = await store.getDocument<Wallet>('wallet', walletId);
    if (!wallet) throw notFound('wallet', walletId);
    return wallet;
  };

  const setStatus = async (tx: LedgerTransaction, wallet: Wallet, status: Wallet['status'], reason: string | null, now: number): Promise<Wallet> => {
    await commands.setAccountStatus(tx, wallet.id, status === 'active' ? 'open' : status).catch(asProblem);
    const updated: Wallet = { ...wallet, status, status_reason: reason, updated_at: isoTime(now), closed_at: status === 'closed' ? isoTime(now) : wallet.closed_at };
    await saveWallet(tx, updated, now);
    return updated;
  };

  return {
    listWallets: async ({ query }) => {
      const { status, currency, owner_reference: owner } = query;
      const filter = status || currency || owner ? (w: Wallet) => (!status || w.status === status) && (!currency || w.currency === currency) && (!owner || w.owner_reference === owner) : undefined;
      return { status: 200, body: await listDocuments<Wallet>(store, 'wallet', query, filter) };
    },

    createWallet: (input) =>
      idempotent(ledger, input, async (tx, now) => {
        const { body } = input;
        const wallet = await createWalletRecord(tx, now, {
          id: newId('wal', now),
          status: 'active',
          currency: body.currency,
          owner_reference: body.owner_reference,
          display_name: body.display_name ?? null,
          status_reason: null,
          metadata: body.metadata ?? {},
          closed_at: null,
        });
        return { status: 201 as const, body: wallet, headers: { Location: `/wallets/${wallet.id}` } };
      }),

    getWallet: async ({ params }) => ({ status: 200, body: await requireWallet(params.walletId) }),

    updateWallet: async ({ params, body }) =>
      ledger.transaction(async (tx, now) => {
        const wallet = await lockWallet(tx, params.walletId);
        if (wallet.status === 'closed') throw invalidState(`wallet ${wallet.id} is closed`);
        const updated: Wallet = {
          ...wallet,
          ...(body.display_name !== undefined ? { display_name: body.display_name } : {}),
          ...(body.metadata !== undefined ? { metadata: body.metadata } : {}),
          updated_at: isoTime(now),
        };
        await saveWallet(tx, updated, now);
        return { status: 200 as const, body: updated };
      }),

    freezeWallet: (input) =>
      idempotent(ledger, input, async (tx, now) => {
        const wallet = await lockWallet(tx, input.params.walletId);
        requireActive(wallet);
        return { status: 200 as const, body: await setStatus(tx, wallet, 'frozen', input.body.reason, now) };
      }),

    unfreezeWallet: (input) =>
      idempotent(ledger, input, async (tx, now) => {
        const wallet = await lockWallet(tx, input.params.walletId);
        if (wallet.status !== 'frozen') throw invalidState(`wallet ${wallet.id} is ${wallet.status}, not frozen`);
        return { status: 200 as const, body: await setStatus(tx, wallet, 'active', null, now) };
      }),

    closeWallet: (input) =>
      idempotent(ledger, input, async (tx, now) => {
        const wallet = await lockWallet(tx, input.params.walletId);
        if (wallet.status === 'closed') throw invalidState(`wallet ${wallet.id} is already closed`);
        return { status: 200 as const, body: await setStatus(tx, wallet, 'closed', wallet.status_reason, now) };
      }),

    getWalletBalance: async ({ params }) => {
      const wallet = await requireWallet(params.walletId);
      const balance = (await ledger.balance(wallet.id))!;
      return {
        status: 200,
        body: {
          wallet_id: wallet.id,
          posted: money(balance.posted, wallet.currency),
          pending: money(balance.pending, wallet.currency),
          available: money(balance.available, wallet.currency),
          as_of: isoTime(ledger.clock.now()),
        },
      };
    },

    listTopUps: async ({ params, query }) => {
      await requireWallet(params.walletId);
      return { status: 200, body: await listDocuments<TopUp>(store, 'top_up', { ...query, parentId: params.walletId }) };
    },

    createTopUp: (input) =>
      idempotent(ledger, input, async (tx, now) => {
        const { body } = input;
        const wallet = await lockWallet(tx, input.params.walletId);
        requireActive(wallet);
        requireCurrency(wallet, body.amount.currency, '/body/amount/currency');
        const id = newId('tup', now);
        const amount = minorUnits(body.amount, '/body/amount/amount');
        const txn = transaction({ id: derivedId('txn', id), wallet_id: wallet.id, type: 'top_up', direction: 'credit', status: 'posted', amount: body.amount, source_id: id }, now);
        await commands
          .transfer(tx, { id, debitAccountId: systemAccounts.funding(wallet.currency), creditAccountId: wallet.id, amount, currency: wallet.currency, events: [postedEvent(txn)] }, now, { freshId: true })
          .catch(asProblem);
        const topUp: TopUp = { id, wallet_id: wallet.id, amount: body.amount, funding_reference: body.funding_reference, transaction_id: txn.id, metadata: body.metadata ?? {}, created_at: isoTime(now) };
        await tx.putDocument({ kind: 'top_up', id, parentId: wallet.id, body: topUp, now });
        await saveTransaction(tx, txn, now);
        return { status: 201 as const, body: topUp, headers: { Location: `/wallets/${wallet.id}/top-ups/${id}` } };
      }),

    getTopUp: async ({ params }) => ({ status: 200, body: await getOwned<TopUp>('top_up', params.walletId, params.topUpId, 'top-up') }),

    listWithdrawals: async ({ params, query }) => {
      await requireWallet(params.walletId);
      const filter = query.status ? (w: Withdrawal) => w.status === query.status : undefined;
      return { status: 200, body: await listDocuments<Withdrawal>(store, 'withdrawal', { ...query, parentId: params.walletId }, filter) };
    },

    createWithdrawal: (input) =>
      idempotent(ledger, input, async (tx, now) => {
        const { body } = input;
        const wallet = await lockWallet(tx, input.params.walletId);
        requireActive(wallet);
        requireCurrency(wallet, body.amount.currency, '/body/amount/currency');
        const id = newId('wdr', now);
        const amount = minorUnits(body.amount, '/body/amount/amount');
        await commands.transfer(tx, { id, debitAccountId: wallet.id, creditAccountId: systemAccounts.payouts(wallet.currency), amount, currency: wallet.currency, pending: {} }, now, { freshId: true }).catch(asProblem);
        const txn = transaction({ id: derivedId('txn', id), wallet_id: wallet.id, type: 'withdrawal', direction: 'debit', status: 'pending', amount: body.amount, source_id: id, description: body.reference }, now);
        const withdrawal: Withdrawal = {
          id,
          wallet_id: wallet.id,
          status: 'pending',
          amount: body.amount,
          destination: body.destination,
          reference: body.reference,
          transaction_id: txn.id,
          failure_code: null,
          failure_message: null,
          metadata: body.metadata ?? {},
          created_at: isoTime(now),
          settled_at: null,
          failed_at: null,
        };
        await tx.putDocument({ kind: 'withdrawal', id, parentId: wallet.id, body: withdrawal, now });
        await saveTransaction(tx, txn, now);
        return { status: 201 as const, body: withdrawal, headers: { Location: `/wallets/${wallet.id}/withdrawals/${id}` } };
      }),

    getWithdrawal: async ({ params }) => ({ status: 200, body: await getOwned<Withdrawal>('withdrawal', params.walletId, params.withdrawalId, 'withdrawal') }),

    settleWithdrawal: (input) =>
      idempotent(ledger, input, async (tx, now) => {
        const withdrawal = await tx.getDocument<Withdrawal>('withdrawal', input.params.withdrawalId);
        if (!withdrawal || withdrawal.wallet_id !== input.params.walletId) throw notFound('withdrawal', input.params.withdrawalId);
        if (withdrawal.status !== 'pending') throw invalidState(`withdrawal ${withdrawal.id} is ${withdrawal.status}`);
        const settled: Withdrawal = { ...withdrawal, status: 'settled', settled_at: isoTime(now) };
        const txn = { ...(await tx.getDocument<Transaction>('transaction', withdrawal.transaction_id))!, status: 'posted' as const, posted_at: isoTime(now) };
        await commands
          .postPending(tx, { id: `${withdrawal.id}.settlement`, pendingId: withdrawal.id, events: [{ id: newId('evt'), type: 'wallet.withdrawal.settled', data: settled }, postedEvent(txn)] }, now)
          .catch(asProblem);
        await tx.putDocument({ kind: 'withdrawal', id: withdrawal.id, parentId: withdrawal.wallet_id, body: settled, now });
        await saveTransaction(tx, txn, now);
        return { status: 200 as const, body: settled };
      }),

    failWithdrawal: (input) =>
      idempotent(ledger, input, async (tx, now) => {
        const withdrawal = await tx.getDocument<Withdrawal>('withdrawal', input.params.withdrawalId);
        if (!withdrawal || withdrawal.wallet_id !== input.params.walletId) throw notFound('withdrawal', input.params.withdrawalId);
        if (withdrawal.status !== 'pending') throw invalidState(`withdrawal ${withdrawal.id} is ${withdrawal.status}`);
        const failureCode = input.body.failure_code;
        const failed: Withdrawal = { ...withdrawal, status: 'failed', failure_code: failureCode, failure_message: `the bank reported ${failureCode}`, failed_at: isoTime(now) };
        await commands.voidPending(tx, { id: `${withdrawal.id}.failure`, pendingId: withdrawal.id, events: [{ id: newId('evt'), type: 'wallet.withdrawal.failed', data: failed }] }, now).catch(asProblem);
        const txn = { ...(await tx.getDocument<Transaction>('transaction', withdrawal.transaction_id))!, status: 'voided' as const };
        await tx.putDocument({ kind: 'withdrawal', id: withdrawal.id, parentId: withdrawal.wallet_id, body: failed, now });
        await saveTransaction(tx, txn, now);
        return { status: 200 as const, body: failed };
      }),

    listTransfers: async ({ query }) => {
      const walletId = query.wallet_id;
      const filter = walletId ? (t: Transfer) => t.source_wallet_id === walletId || t.destination_wallet_id === walletId : undefined;
      return { status: 200, body: await listDocuments<Transfer>(store, 'transfer', query, filter) };
    },

    createTransfer: (input) =>
      idempotent(ledger, input, async (tx, now) => {
        const { body } = input;
        const source = await tx.getDocument<Wallet>('wallet', body.source_wallet_id);
        if (!source) throw unknownResource('/body/source_wallet_id', `no wallet ${body.source_wallet_id}`);
        const destination = await tx.getDocument<Wallet>('wallet', body.destination_wallet_id);
        if (!destination) throw unknownResource('/body/destination_wallet_id', `no wallet ${body.destination_wallet_id}`);
        if (source.id === destination.id) throw new HttpProblem(400, 'invalid-request', { detail: 'source and destination wallets must differ', errors: [{ pointer: '/body/destination_wallet_id', detail: 'must differ from source_wallet_id', code: 'not' }] });
        requireActive(source);
        requireActive(destination);
        requireCurrency(source, body.amount.currency, '/body/amount/currency');
        requireCurrency(destination, body.amount.currency, '/body/amount/currency');
        const id = newId('tr', now);
        const description = body.description ?? null;
        const debit = transaction({ id: derivedId('txn', id, 'debit'), wallet_id: source.id, type: 'transfer', direction: 'debit', status: 'posted', amount: body.amount, source_id: id, description }, now);
        const credit = transaction({ id: derivedId('txn', id, 'credit'), wallet_id: destination.id, type: 'transfer', direction: 'credit', status: 'posted', amount: body.amount, source_id: id, description }, now);
        await commands
          .transfer(tx, { id, debitAccountId: source.id, creditAccountId: destination.id, amount: minorUnits(body.amount, '/body/amount/amount'), currency: source.currency, events: [postedEvent(debit), postedEvent(credit)] }, now, { freshId: true })
          .catch(asProblem);
        const transfer: Transfer = {
          id,
          source_wallet_id: source.id,
          destination_wallet_id: destination.id,
          amount: body.amount,
          description,
          debit_transaction_id: debit.id,
          credit_transaction_id: credit.id,
          metadata: body.metadata ?? {},
          created_at: isoTime(now),
        };
        await tx.putDocuments([{ kind: 'transfer', id, parentId: null, body: transfer, now }, transactionDocument(debit, now), transactionDocument(credit, now)]);
        return { status: 201 as const, body: transfer, headers: { Location: `/transfers/${id}` } };
      }),

    getTransfer: async ({ params }) => {
      const transfer = await store.getDocument<Transfer>('transfer', params.transferId);
      if (!transfer) throw notFound('transfer', params.transferId);
      return { status: 200, body: transfer };
    },

    listHolds: async ({ params, query }) => {
      await requireWallet(params.walletId);
      const filter = query.status ? (h: Hold) => h.status === query.status : undefined;
      return { status: 200, body: await listDocuments<Hold>(store, 'hold', { ...query, parentId: params.walletId }, filter) };
    },

    createHold: (input) =>
      idempotent(ledger, input, async (tx, now) => {
        const { body } = input;
        const wallet = await lockWallet(tx, input.params.walletId);
        requireActive(wallet);
        requireCurrency(wallet, body.amount.currency, '/body/amount/currency');
        const id = newId('hold', now);
        const expiresAt = now + (body.expires_in_seconds ?? DEFAULT_HOLD_SECONDS) * 1000;
        await commands
          .transfer(tx, { id, debitAccountId: wallet.id, creditAccountId: systemAccounts.captures(wallet.currency), amount: minorUnits(body.amount, '/body/amount/amount'), currency: wallet.currency, pending: { expiresAt } }, now, { freshId: true })
          .catch(asProblem);
        const hold: Hold = {
          id,
          wallet_id: wallet.id,
          status: 'active',
          amount: body.amount,
          captured_amount: money(0n, wallet.currency),
          description: body.description ?? null,
          capture_transaction_id: null,
          metadata: body.metadata ?? {},
          expires_at: isoTime(expiresAt),
          created_at: isoTime(now),
          resolved_at: null,
        };
        await tx.putDocument({ kind: 'hold', id, parentId: wallet.id, body: hold, now });
        return { status: 201 as const, body: hold, headers: { Location: `/wallets/${wallet.id}/holds/${id}` } };
      }),

    getHold: async ({ params }) => ({ status: 200, body: await getOwned<Hold>('hold', params.walletId, params.holdId, 'hold') }),

    captureHold: (input) =>
      idempotent(ledger, input, async (tx, now) => {
        const hold = await tx.getDocument<Hold>('hold', input.params.holdId);
        if (!hold || hold.wallet_id !== input.params.walletId) throw notFound('hold', input.params.holdId);
        if (hold.status !== 'active') throw invalidState(`hold ${hold.id} is ${hold.status}`);
        const requested = input.body?.amount;
        if (requested) {
          if (requested.currency !== hold.amount.currency) throw new HttpProblem(422, 'currency-mismatch', { detail: `hold ${hold.id} is in ${hold.amount.currency}` });
          if (requested.amount > hold.amount.amount) throw new HttpProblem(422, 'amount-too-large', { detail: `hold ${hold.id} holds ${hold.amount.amount}` });
        }
        const captured = requested ?? hold.amount;
        const txn = transaction({ id: derivedId('txn', hold.id, 'capture'), wallet_id: hold.wallet_id, type: 'hold_capture', direction: 'debit', status: 'posted', amount: captured, source_id: hold.id, description: hold.description }, now);
        await commands
          .postPending(tx, { id: `${hold.id}.capture`, pendingId: hold.id, amount: minorUnits(captured, '/body/amount/amount'), events: [postedEvent(txn)] }, now)
          .catch(asProblem);
        const resolved: Hold = { ...hold, status: 'captured', captured_amount: captured, capture_transaction_id: txn.id, resolved_at: isoTime(now) };
        await tx.putDocument({ kind: 'hold', id: hold.id, parentId: hold.wallet_id, body: resolved, now });
        await saveTransaction(tx, txn, now);
        return { status: 200 as const, body: resolved };
      }),

    voidHold: (input) =>
      idempotent(ledger, input, async (tx, now) => {
        const hold = await tx.getDocument<Hold>('hold', input.params.holdId);
        if (!hold || hold.wallet_id !== input.params.walletId) throw notFound('hold', input.params.holdId);
        if (hold.status !== 'active') throw invalidState(`hold ${hold.id} is ${hold.status}`);
        await commands.voidPending(tx, { id: `${hold.id}.void`, pendingId: hold.id }, now).catch(asProblem);
        const voided: Hold = { ...hold, status: 'voided', resolved_at: isoTime(now) };
        await tx.putDocument({ kind: 'hold', id: hold.id, parentId: hold.wallet_id, body: voided, now });
        return { status: 200 as const, body: voided };
      }),

    listWalletTransactions: async ({ params, query }) => {
      await requireWallet(params.walletId);
      const { type, status, created_after: after, created_before: before } = query;
      const filter =
        type || status || after || before
          ? (t: Transaction) => (!type || t.type === type) && (!status || t.status === status) && (!after || t.created_at > after) && (!before || t.created_at < before)
          : undefined;
      return { status: 200, body: await listDocuments<Transaction>(store, 'transaction', { ...query, parentId: params.walletId }, filter) };
    },

    getWalletTransaction: async ({ params }) => ({ status: 200, body: await getOwned<Transaction>('transaction', params.walletId, params.transactionId, 'transaction') }),
  };
}
