// The specs' fixture world (specs/README.md), seeded so the documented examples work against the
// sandbox: Alice's and Bob's EUR wallets, Carol's GBP wallet, Alice's top-up, transfer to Bob,
// deposit hold and pending withdrawal. Alice ends with posted 97500 (top-up 100000 - transfer
// 2500), pending 25000 (hold 5000 + withdrawal 20000) and available 72500, as specs/README.md and
// the getWalletBalance example say (contract-tests/test/seed-matches-spec.test.ts checks it).
import { createBankAccount } from '../api/open-banking/handlers.ts';
import { isoTime } from '../api/money.ts';
import { createWalletRecord, systemAccounts, type Wallet } from '../api/wallets/handlers.ts';
import * as commands from '../core/commands.ts';
import type { LedgerTransaction } from '../core/ports.ts';
import type { Ledger } from '../ledger.ts';

export const FIXTURES = {
  alice: 'wal_01JDFBTHPHGBTACNJHH7TYWPSY',
  bob: 'wal_01JDF1A4HC28CTHR4K84KPCYCP',
  carol: 'wal_01JDFZXWPY1EXM4V3T49RDTTPG',
  topUp: 'tup_01JDFTHYXPZSWWY7K98NADZRDB',
  transfer: 'tr_01JDFPHCJHKNB27DRPEJEMBH63',
  hold: 'hold_01JDFFJCJT248HCSDT7SJ8CNCW',
  withdrawal: 'wdr_01JDFCG7AE1J29PWKQZ6ECSS7C',
  currentAccount: 'acc_01JDFMMW5TX7V4WNSMPJ2KZ72M',
  savingsAccount: 'acc_01JDF8Z5TE95RB45VTVBBYSB9D',
} as const;

const at = (iso: string) => Date.parse(iso);
const DAY_MS = 24 * 60 * 60 * 1000;
/** A hold's default lifetime, as the wallets spec documents it. */
const HOLD_DAYS = 7;

function wallet(id: string, currency: string, owner: string, name: string, metadata: Record<string, string>): Omit<Wallet, 'created_at' | 'updated_at'> {
  return { id, status: 'active', currency, owner_reference: owner, display_name: name, status_reason: null, metadata, closed_at: null };
}

async function put(tx: LedgerTransaction, kind: string, id: string, parentId: string | null, body: unknown, now: number): Promise<void> {
  await tx.putDocument({ kind, id, parentId, body, now });
}

/** Seeds the fixtures once; a sandbox restarted on the same database finds them and does nothing. */
export async function seedFixtures(ledger: Ledger): Promise<void> {
  if (await ledger.store.getDocument('wallet', FIXTURES.alice)) return;
  await ledger.transaction(async (tx) => {
    const created = at('2026-11-02T08:00:00Z');
    await createWalletRecord(tx, created, wallet(FIXTURES.alice, 'EUR', 'customer-1042', 'Alice Martin', { segment: 'retail' }));
    await createWalletRecord(tx, created, wallet(FIXTURES.bob, 'EUR', 'merchant-0007', "Bob's Bikes", {}));
    await createWalletRecord(tx, created, wallet(FIXTURES.carol, 'GBP', 'customer-2077', 'Carol Jones', {}));
    const funding = systemAccounts.funding('EUR');

    // The fixture top-up of EUR 1,000.00.
    const topUpAt = at('2026-11-18T10:00:00Z');
    await commands.transfer(tx, { id: FIXTURES.topUp, debitAccountId: funding, creditAccountId: FIXTURES.alice, amount: 100_000n, currency: 'EUR' }, topUpAt);
    await put(tx, 'top_up', FIXTURES.topUp, FIXTURES.alice, {
      id: FIXTURES.topUp,
      wallet_id: FIXTURES.alice,
      amount: { amount: 100000, currency: 'EUR' },
      funding_reference: 'NOTPROVIDED-E2E-2026111800042',
      transaction_id: 'txn_01JDFH4QCEEJYGP9G41P4XP8NF',
      metadata: { channel: 'sepa' },
      created_at: '2026-11-18T10:00:00Z',
    }, topUpAt);
    await put(tx, 'transaction', 'txn_01JDFH4QCEEJYGP9G41P4XP8NF', FIXTURES.alice, {
      id: 'txn_01JDFH4QCEEJYGP9G41P4XP8NF', wallet_id: FIXTURES.alice, type: 'top_up', direction: 'credit', status: 'posted',
      amount: { amount: 100000, currency: 'EUR' }, description: null, source_id: FIXTURES.topUp, created_at: '2026-11-18T10:00:00Z', posted_at: '2026-11-18T10:00:00Z',
    }, topUpAt);

    // EUR 25.00 from Alice to Bob.
    const transferAt = at('2026-11-19T12:00:00Z');
    await commands.transfer(tx, { id: FIXTURES.transfer, debitAccountId: FIXTURES.alice, creditAccountId: FIXTURES.bob, amount: 2_500n, currency: 'EUR' }, transferAt);
    const transferMoney = { amount: 2500, currency: 'EUR' };
    await put(tx, 'transfer', FIXTURES.transfer, null, {
      id: FIXTURES.transfer, source_wallet_id: FIXTURES.alice, destination_wallet_id: FIXTURES.bob, amount: transferMoney, description: 'Bike repair',
      debit_transaction_id: 'txn_01JDFX16JEKA1GA5SMR1K2TP3Y', credit_transaction_id: 'txn_01JDF6TX3KEADNRYK48ACWKX5Q', metadata: {}, created_at: '2026-11-19T12:00:00Z',
    }, transferAt);
    for (const [id, walletId, direction] of [['txn_01JDFX16JEKA1GA5SMR1K2TP3Y', FIXTURES.alice, 'debit'], ['txn_01JDF6TX3KEADNRYK48ACWKX5Q', FIXTURES.bob, 'credit']] as const) {
      await put(tx, 'transaction', id, walletId, {
        id, wallet_id: walletId, type: 'transfer', direction, status: 'posted', amount: transferMoney, description: 'Bike repair',
        source_id: FIXTURES.transfer, created_at: '2026-11-19T12:00:00Z', posted_at: '2026-11-19T12:00:00Z',
      }, transferAt);
    }

    // The deposit hold of EUR 50.00. Once the fixture world's expiry date has passed, it expires a
    // week after seeding instead, so the documented capture and void work on a fresh sandbox.
    const holdAt = at('2026-11-20T09:00:00Z');
    const fixtureExpiry = at('2026-11-27T09:00:00Z');
    const now = ledger.clock.now();
    const holdExpiresAt = now < fixtureExpiry ? fixtureExpiry : now + HOLD_DAYS * DAY_MS;
    await commands.transfer(tx, { id: FIXTURES.hold, debitAccountId: FIXTURES.alice, creditAccountId: systemAccounts.captures('EUR'), amount: 5_000n, currency: 'EUR', pending: { expiresAt: holdExpiresAt } }, holdAt);
    await put(tx, 'hold', FIXTURES.hold, FIXTURES.alice, {
      id: FIXTURES.hold, wallet_id: FIXTURES.alice, status: 'active', amount: { amount: 5000, currency: 'EUR' }, captured_amount: { amount: 0, currency: 'EUR' },
      description: 'Bike rental deposit', capture_transaction_id: null, metadata: {}, expires_at: isoTime(holdExpiresAt), created_at: '2026-11-20T09:00:00Z', resolved_at: null,
    }, holdAt);

    // The pending withdrawal of EUR 200.00.
    const withdrawalAt = at('2026-11-20T09:30:00Z');
    await commands.transfer(tx, { id: FIXTURES.withdrawal, debitAccountId: FIXTURES.alice, creditAccountId: systemAccounts.payouts('EUR'), amount: 20_000n, currency: 'EUR', pending: {} }, withdrawalAt);
    await put(tx, 'withdrawal', FIXTURES.withdrawal, FIXTURES.alice, {
      id: FIXTURES.withdrawal, wallet_id: FIXTURES.alice, status: 'pending', amount: { amount: 20000, currency: 'EUR' },
      destination: { type: 'iban', iban: 'FR7630006000011234567890189', account_holder_name: 'Alice Martin' }, reference: 'Withdrawal November',
      transaction_id: 'txn_01JDF4GAB7JM492EP20BEN6MWG', failure_code: null, failure_message: null, metadata: {}, created_at: '2026-11-20T09:30:00Z', settled_at: null, failed_at: null,
    }, withdrawalAt);
    await put(tx, 'transaction', 'txn_01JDF4GAB7JM492EP20BEN6MWG', FIXTURES.alice, {
      id: 'txn_01JDF4GAB7JM492EP20BEN6MWG', wallet_id: FIXTURES.alice, type: 'withdrawal', direction: 'debit', status: 'pending', amount: { amount: 20000, currency: 'EUR' },
      description: 'Withdrawal November', source_id: FIXTURES.withdrawal, created_at: '2026-11-20T09:30:00Z', posted_at: null,
    }, withdrawalAt);

    // Open banking: Alice's GBP current account (salary in, rent out: GBP 2500.00) and savings account.
    const opened = at('2020-03-01T00:00:00Z');
    for (const [id, number, nickname, type] of [[FIXTURES.currentAccount, '12345678', 'Bills', 'CACC'], [FIXTURES.savingsAccount, '87654321', 'Rainy day', 'SVGS']] as const) {
      await createBankAccount(tx, opened, {
        AccountId: id, Status: 'Enabled', StatusUpdateDateTime: '2020-03-01T00:00:00Z', Currency: 'GBP', AccountCategory: 'Personal', AccountTypeCode: type, Nickname: nickname,
        OpeningDate: '2020-03-01', Account: [{ SchemeName: 'UK.OBIE.SortCodeAccountNumber', Identification: `040004${number}`, Name: 'Alice Martin' }],
      });
    }
    const bankIn = 'ob.inbound.GBP';
    await commands.createAccount(tx, { id: bankIn, currency: 'GBP', normalBalance: 'debit', code: 'ob.inbound' }, opened);
    const salaryAt = at('2026-11-15T08:00:00Z');
    await commands.transfer(tx, { id: 'txn_01JDFEC320F9CPEG5DE14HHCDE', debitAccountId: bankIn, creditAccountId: FIXTURES.currentAccount, amount: 280_000n, currency: 'GBP' }, salaryAt);
    const rentAt = at('2026-11-16T09:00:00Z');
    await commands.transfer(tx, { id: 'txn_01JDF45JWCDG7C2M2WTCQ28BFP', debitAccountId: FIXTURES.currentAccount, creditAccountId: 'ob.outbound.GBP', amount: 30_000n, currency: 'GBP' }, rentAt);
    for (const [id, indicator, amount, info, when] of [
      ['txn_01JDFEC320F9CPEG5DE14HHCDE', 'Credit', '2800.00', 'SALARY ACME LTD', '2026-11-15T08:00:00Z'],
      ['txn_01JDF45JWCDG7C2M2WTCQ28BFP', 'Debit', '300.00', 'RENT NOVEMBER', '2026-11-16T09:00:00Z'],
    ] as const) {
      await put(tx, 'ob_transaction', id, FIXTURES.currentAccount, {
        id, AccountId: FIXTURES.currentAccount, TransactionId: id, CreditDebitIndicator: indicator, Status: 'BOOK', BookingDateTime: when, ValueDateTime: when,
        TransactionInformation: info, Amount: { Amount: amount, Currency: 'GBP' },
      }, at(when));
    }
  });
}
