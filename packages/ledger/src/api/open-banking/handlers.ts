// The open-banking API (UK Open Banking v4 semantics) on the ledger. Customer accounts are
// credit-normal GBP ledger accounts; consents are documents with their lifecycle (AWAU → AUTH or
// RJCT → EXPD/CANC); data is visible only within an authorised consent's permissions and date
// window; a domestic payment under an authorised consent is a journal entry.
import { randomUUID } from 'node:crypto';
import { HttpProblem } from '@finrail/server';
import * as commands from '../../core/commands.ts';
import type { LedgerTransaction } from '../../core/ports.ts';
import type { components } from '../../generated/open-banking/types.ts';
import { basePath, type Handlers } from '../../generated/open-banking/server.ts';
import type { Ledger } from '../../ledger.ts';
import { canonicalJson } from '../../core/canonical.ts';
import { balanceOf } from '../../core/balances.ts';
import { derivedId, newId } from '../ids.ts';
import { idempotent } from '../idempotent.ts';
import { isoTime } from '../money.ts';
import { everyDocument, listDocuments } from '../pagination.ts';
import { asProblem, notFound, unknownResource } from '../problems.ts';
import { fromMinor, toMinor } from './amounts.ts';

type Schemas = components['schemas'];
type Account = Schemas['Account'];
type AccountTransaction = Schemas['AccountTransaction'];
type AccessConsent = Schemas['AccountAccessConsent'];
type PaymentConsent = Schemas['DomesticPaymentConsent'];
type FundsConsent = Schemas['FundsConfirmationConsent'];
type DomesticPayment = Schemas['DomesticPayment'];
type Risk = Schemas['Risk'];
type Identification = Schemas['AccountIdentification'];
type Permission = Schemas['Permission'];

/** A consent document: what the API shows, plus who owns it and which accounts it reaches. */
interface ConsentRecord<T> {
  data: T;
  risk?: Risk;
  clientId: string;
  accountIds: string[];
  /** Domestic payment consents are used once. */
  used?: boolean;
}

export const OUTBOUND_ACCOUNT = 'ob.outbound.GBP';

/** A customer account: its ledger account and its document. */
export async function createBankAccount(tx: LedgerTransaction, now: number, account: Account): Promise<void> {
  await commands.createAccount(tx, { id: OUTBOUND_ACCOUNT, currency: 'GBP', normalBalance: 'credit', code: 'ob.outbound' }, now);
  await commands.createAccount(tx, { id: account.AccountId, currency: account.Currency, normalBalance: 'credit', code: 'ob.account', flags: { debitsMustNotExceedCredits: true } }, now);
  // `id` is the pagination cursor; it is stripped from responses.
  await tx.putDocument({ kind: 'ob_account', id: account.AccountId, parentId: null, body: { id: account.AccountId, ...account }, now });
}

/** The ids their documents are stored under. */
const accountId = (account: Account) => account.AccountId;
const consentId = (record: ConsentRecord<{ ConsentId: string }>) => record.data.ConsentId;

const forbidden = (detail: string) => new HttpProblem(403, 'consent-not-authorised', { detail });
const invalidState = (detail: string) => new HttpProblem(409, 'invalid-state', { detail });

function sameIdentification(a: Identification | undefined, b: Identification | undefined): boolean {
  return !!a && !!b && a.SchemeName === b.SchemeName && a.Identification.replace(/\s/g, '') === b.Identification.replace(/\s/g, '');
}

export function createOpenBankingHandlers(ledger: Ledger): Handlers {
  const store = ledger.store;
  const now = () => ledger.clock.now();
  /** Links are absolute URIs on the host the request reached. */
  const links = (input: { request: { header(name: string): string | undefined } }, path: string) => ({
    Self: `http://${input.request.header('host') ?? 'localhost:4010'}${basePath}${path}`,
  });
  const client = (input: { auth?: { subject?: string | undefined } | undefined }) => input.auth?.subject ?? 'anonymous';
  const fapi = (input: { headers: Record<string, unknown> }) => ({ 'x-fapi-interaction-id': (input.headers['x-fapi-interaction-id'] as string | undefined) ?? randomUUID() });

  /** A consent as the API shows it now: authorised or waiting consents past their expiry read as EXPD. */
  function current<T extends { Status: string; ExpirationDateTime?: string }>(consent: T): T {
    const expired = consent.ExpirationDateTime !== undefined && Date.parse(consent.ExpirationDateTime) <= now() && (consent.Status === 'AUTH' || consent.Status === 'AWAU');
    return expired ? { ...consent, Status: 'EXPD', StatusUpdateDateTime: consent.ExpirationDateTime! } : consent;
  }

  async function ownConsent<T>(kind: string, id: string, clientId: string): Promise<ConsentRecord<T>> {
    const record = await store.getDocument<ConsentRecord<T>>(kind, id);
    if (!record || record.clientId !== clientId) throw notFound('consent', id);
    return record;
  }

  /** The client's authorised access consents that reach an account, with their permissions. */
  async function grants(clientId: string): Promise<Array<ConsentRecord<AccessConsent>>> {
    const all = await everyDocument<ConsentRecord<AccessConsent>>(store, 'ob_access_consent', clientId, consentId);
    return all.filter((record) => current(record.data).Status === 'AUTH');
  }

  async function grantFor(clientId: string, accountId: string, needs: (permissions: Permission[]) => boolean): Promise<ConsentRecord<AccessConsent>> {
    if (!(await store.getDocument('ob_account', accountId))) throw notFound('account', accountId);
    const grant = (await grants(clientId)).find((record) => record.accountIds.includes(accountId) && needs(record.data.Permissions));
    if (!grant) throw forbidden(`no authorised consent grants this data for account ${accountId}`);
    return grant;
  }

  const showAccount = (account: Account, permissions: Permission[]): Account => {
    if (permissions.includes('ReadAccountsDetail')) return account;
    const { Account: _identification, ...basic } = account;
    return basic;
  };

  async function accountByIdentification(identification: Identification): Promise<Account | undefined> {
    const accounts = await everyDocument<Account>(store, 'ob_account', undefined, accountId);
    return accounts.find((account) => account.Account?.some((id) => sameIdentification(id, identification)));
  }

  async function available(accountId: string): Promise<bigint> {
    const account = await ledger.getAccount(accountId);
    return account ? balanceOf(account).available : 0n;
  }

  /** The sandbox's stand-in for the customer's decision, for every kind of consent. */
  function authorise<T extends { ConsentId: string; Status: string; StatusUpdateDateTime: string }>(kind: string, decide: (record: ConsentRecord<T>, accountIds: string[]) => Promise<string[]>) {
    return async (input: { params: { consentId: string }; body: Schemas['SandboxConsentDecision']; auth?: { subject?: string | undefined } | undefined; headers: Record<string, unknown> }) => {
      const record = await ownConsent<T>(kind, input.params.consentId, client(input));
      if (current(record.data as T & { ExpirationDateTime?: string }).Status !== 'AWAU') throw invalidState(`consent ${record.data.ConsentId} is ${record.data.Status}, not awaiting authorisation`);
      const approve = input.body.decision === 'approve';
      const accountIds = approve ? await decide(record, input.body.account_ids ?? []) : [];
      const updated: ConsentRecord<T> = { ...record, accountIds, data: { ...record.data, Status: approve ? 'AUTH' : 'RJCT', StatusUpdateDateTime: isoTime(now()) } };
      await ledger.transaction(async (tx, at) => {
        await tx.putDocument({ kind, id: record.data.ConsentId, parentId: record.clientId, body: updated, now: at });
        await tx.insertEvents([{ id: derivedId('evt', record.data.ConsentId, updated.data.Status), type: approve ? 'consent.authorised' : 'consent.revoked', data: { ConsentId: record.data.ConsentId, Status: updated.data.Status, StatusUpdateDateTime: updated.data.StatusUpdateDateTime } }], at);
      });
      return updated;
    };
  }

  const allAccountIds = async () => (await everyDocument<Account>(store, 'ob_account', undefined, accountId)).map(accountId);
  const chosenAccounts = async (requested: string[]) => {
    const known = await allAccountIds();
    const unknown = requested.find((id) => !known.includes(id));
    if (unknown) throw unknownResource('/body/account_ids', `no account ${unknown}`);
    return requested.length > 0 ? requested : known;
  };

  const authoriseAccess = authorise<AccessConsent>('ob_access_consent', (_record, ids) => chosenAccounts(ids));
  const authorisePayment = authorise<PaymentConsent>('ob_payment_consent', async (record, ids) => {
    const debtor = record.data.Initiation.DebtorAccount;
    if (debtor) {
      const account = await accountByIdentification(debtor);
      if (!account) throw unknownResource('/body/account_ids', 'the consent names a debtor account the customer does not hold');
      return [account.AccountId];
    }
    return [(await chosenAccounts(ids))[0]!];
  });
  const authoriseFunds = authorise<FundsConsent>('ob_funds_consent', async (record) => {
    const account = await accountByIdentification(record.data.DebtorAccount);
    if (!account) throw unknownResource('/body/account_ids', 'the consent names an account the customer does not hold');
    return [account.AccountId];
  });

  return {
    createAccountAccessConsent: (input) =>
      idempotent(ledger, input, async (tx, at, { scope }) => {
        const { Data, Risk } = input.body;
        if (Data.TransactionFromDateTime && Data.TransactionToDateTime && Data.TransactionFromDateTime > Data.TransactionToDateTime) {
          throw new HttpProblem(400, 'invalid-request', { detail: 'TransactionFromDateTime is after TransactionToDateTime', errors: [{ pointer: '/body/Data/TransactionFromDateTime', detail: 'after TransactionToDateTime', code: 'UK.OBIE.Field.Invalid' }] });
        }
        const consent: AccessConsent = { ConsentId: newId('cons', at), CreationDateTime: isoTime(at), Status: 'AWAU', StatusUpdateDateTime: isoTime(at), ...Data };
        await tx.putDocument({ kind: 'ob_access_consent', id: consent.ConsentId, parentId: scope, body: { data: consent, risk: Risk, clientId: scope, accountIds: [] } satisfies ConsentRecord<AccessConsent>, now: at });
        return { status: 201 as const, body: { Data: consent, Risk, Links: links(input, `/aisp/account-access-consents/${consent.ConsentId}`), Meta: {} }, headers: fapi(input) };
      }),

    getAccountAccessConsent: async (input) => {
      const record = await ownConsent<AccessConsent>('ob_access_consent', input.params.consentId, client(input));
      return { status: 200, body: { Data: current(record.data), Risk: record.risk ?? {}, Links: links(input, `/aisp/account-access-consents/${record.data.ConsentId}`), Meta: {} }, headers: fapi(input) };
    },

    deleteAccountAccessConsent: async (input) => {
      const record = await ownConsent<AccessConsent>('ob_access_consent', input.params.consentId, client(input));
      await ledger.transaction(async (tx, at) => {
        const revoked = { ...record, data: { ...record.data, Status: 'CANC' as const, StatusUpdateDateTime: isoTime(at) } };
        await tx.putDocument({ kind: 'ob_access_consent', id: record.data.ConsentId, parentId: record.clientId, body: revoked, now: at });
        await tx.insertEvents([{ id: derivedId('evt', record.data.ConsentId, 'CANC'), type: 'consent.revoked', data: { ConsentId: record.data.ConsentId, Status: 'CANC', StatusUpdateDateTime: isoTime(at) } }], at);
      });
      return { status: 204, headers: fapi(input) };
    },

    authoriseAccountAccessConsent: (input) =>
      idempotent(
        ledger,
        input,
        async () => {
          const record = await authoriseAccess(input);
          return { status: 200, body: { Data: record.data, Risk: record.risk ?? {}, Links: links(input, `/aisp/account-access-consents/${record.data.ConsentId}`), Meta: {} }, headers: fapi(input) };
        },
        { atomic: false },
      ),

    listAccounts: async (input) => {
      const reach = new Map<string, Permission[]>();
      const readsAccounts = (permissions: Permission[]) => permissions.some((p) => p === 'ReadAccountsBasic' || p === 'ReadAccountsDetail');
      for (const grant of await grants(client(input))) {
        if (!readsAccounts(grant.data.Permissions)) continue;
        for (const id of grant.accountIds) reach.set(id, [...(reach.get(id) ?? []), ...grant.data.Permissions]);
      }
      if (reach.size === 0) {
        const all = await everyDocument<ConsentRecord<AccessConsent>>(store, 'ob_access_consent', client(input), consentId);
        const waiting = all.map((record) => current(record.data)).find((consent) => consent.Status === 'AWAU' && readsAccounts(consent.Permissions));
        throw forbidden(waiting ? `Consent ${waiting.ConsentId} is AWAU; the customer has not authorised it.` : 'no authorised account-access consent grants ReadAccountsBasic or ReadAccountsDetail');
      }
      const page = await listDocuments<Account & { id: string }>(store, 'ob_account', input.query, (account) => reach.has(account.AccountId));
      const accounts = page.data.map(({ id: _id, ...account }) => showAccount(account as Account, reach.get(account.AccountId)!));
      return { status: 200, body: { Data: { Account: accounts }, Links: links(input, '/aisp/accounts'), Meta: { HasMore: page.has_more, NextCursor: page.next_cursor } }, headers: fapi(input) };
    },

    getAccount: async (input) => {
      const grant = await grantFor(client(input), input.params.accountId, (p) => p.includes('ReadAccountsBasic') || p.includes('ReadAccountsDetail'));
      const { id: _id, ...account } = (await store.getDocument<Account & { id: string }>('ob_account', input.params.accountId))!;
      return { status: 200, body: { Data: { Account: [showAccount(account, grant.data.Permissions)] }, Links: links(input, `/aisp/accounts/${account.AccountId}`), Meta: {} }, headers: fapi(input) };
    },

    getAccountBalances: async (input) => {
      await grantFor(client(input), input.params.accountId, (p) => p.includes('ReadBalances'));
      const balance = balanceOf((await ledger.getAccount(input.params.accountId))!);
      const at = isoTime(now());
      const entry = (type: 'ITBD' | 'ITAV', amount: bigint) => ({
        AccountId: input.params.accountId,
        CreditDebitIndicator: amount >= 0n ? ('Credit' as const) : ('Debit' as const),
        Type: type,
        DateTime: at,
        Amount: { Amount: fromMinor(amount < 0n ? -amount : amount), Currency: balance.currency },
      });
      return { status: 200, body: { Data: { Balance: [entry('ITBD', balance.posted), entry('ITAV', balance.available)] }, Links: links(input, `/aisp/accounts/${input.params.accountId}/balances`), Meta: {} }, headers: fapi(input) };
    },

    listAccountTransactions: async (input) => {
      const transactionPermissions: Permission[] = ['ReadTransactionsBasic', 'ReadTransactionsDetail', 'ReadTransactionsCredits', 'ReadTransactionsDebits'];
      const grant = await grantFor(client(input), input.params.accountId, (p) => p.some((x) => transactionPermissions.includes(x)));
      const p = grant.data.Permissions;
      const credits = p.includes('ReadTransactionsCredits') || !p.includes('ReadTransactionsDebits');
      const debits = p.includes('ReadTransactionsDebits') || !p.includes('ReadTransactionsCredits');
      const from = [grant.data.TransactionFromDateTime, input.query.fromBookingDateTime].filter((x): x is string => !!x).map(Date.parse);
      const to = [grant.data.TransactionToDateTime, input.query.toBookingDateTime].filter((x): x is string => !!x).map(Date.parse);
      const inWindow = (t: AccountTransaction) => {
        const booked = Date.parse(t.BookingDateTime);
        return from.every((f) => booked >= f) && to.every((u) => booked <= u) && (t.CreditDebitIndicator === 'Credit' ? credits : debits);
      };
      const page = await listDocuments<AccountTransaction & { id: string }>(store, 'ob_transaction', { ...input.query, parentId: input.params.accountId }, inWindow);
      const detail = p.includes('ReadTransactionsDetail');
      const data = page.data.map(({ id: _id, ...t }) => (detail ? t : (({ TransactionInformation: _info, ...basic }) => basic)(t)));
      return { status: 200, body: { Data: { Transaction: data as AccountTransaction[] }, Links: links(input, `/aisp/accounts/${input.params.accountId}/transactions`), Meta: { HasMore: page.has_more, NextCursor: page.next_cursor } }, headers: fapi(input) };
    },

    createDomesticPaymentConsent: (input) =>
      idempotent(ledger, input, async (tx, at, { scope }) => {
        const { Data, Risk } = input.body;
        if (Data.Initiation.InstructedAmount.Currency !== 'GBP') throw new HttpProblem(422, 'currency-mismatch', { detail: 'domestic payments are in GBP' });
        toMinor(Data.Initiation.InstructedAmount.Amount, '/body/Data/Initiation/InstructedAmount/Amount');
        const consent: PaymentConsent = { ConsentId: newId('cons', at), CreationDateTime: isoTime(at), Status: 'AWAU', StatusUpdateDateTime: isoTime(at), Initiation: Data.Initiation };
        await tx.putDocument({ kind: 'ob_payment_consent', id: consent.ConsentId, parentId: scope, body: { data: consent, risk: Risk, clientId: scope, accountIds: [] } satisfies ConsentRecord<PaymentConsent>, now: at });
        return { status: 201 as const, body: { Data: consent, Risk, Links: links(input, `/pisp/domestic-payment-consents/${consent.ConsentId}`), Meta: {} }, headers: fapi(input) };
      }),

    getDomesticPaymentConsent: async (input) => {
      const record = await ownConsent<PaymentConsent>('ob_payment_consent', input.params.consentId, client(input));
      return { status: 200, body: { Data: current(record.data), Risk: record.risk ?? {}, Links: links(input, `/pisp/domestic-payment-consents/${record.data.ConsentId}`), Meta: {} }, headers: fapi(input) };
    },

    getDomesticPaymentConsentFundsConfirmation: async (input) => {
      const record = await ownConsent<PaymentConsent>('ob_payment_consent', input.params.consentId, client(input));
      if (current(record.data).Status !== 'AUTH') throw forbidden(`consent ${record.data.ConsentId} is ${record.data.Status}`);
      const needed = toMinor(record.data.Initiation.InstructedAmount.Amount, '/Initiation/InstructedAmount/Amount');
      const result = { FundsAvailableDateTime: isoTime(now()), FundsAvailable: (await available(record.accountIds[0]!)) >= needed };
      return { status: 200, body: { Data: { FundsAvailableResult: result }, Links: links(input, `/pisp/domestic-payment-consents/${record.data.ConsentId}/funds-confirmation`), Meta: {} }, headers: fapi(input) };
    },

    authoriseDomesticPaymentConsent: (input) =>
      idempotent(
        ledger,
        input,
        async () => {
          const record = await authorisePayment(input);
          return { status: 200, body: { Data: record.data, Risk: record.risk ?? {}, Links: links(input, `/pisp/domestic-payment-consents/${record.data.ConsentId}`), Meta: {} }, headers: fapi(input) };
        },
        { atomic: false },
      ),

    createDomesticPayment: (input) =>
      idempotent(ledger, input, async (tx, at, { scope }) => {
        const { Data } = input.body;
        const record = await tx.getDocument<ConsentRecord<PaymentConsent>>('ob_payment_consent', Data.ConsentId);
        if (!record || record.clientId !== scope) throw unknownResource('/body/Data/ConsentId', `no consent ${Data.ConsentId}`);
        if (current(record.data).Status !== 'AUTH') throw forbidden(`consent ${Data.ConsentId} is ${current(record.data).Status}`);
        if (record.used) throw invalidState(`consent ${Data.ConsentId} was already used for a payment`);
        if (canonicalJson(Data.Initiation) !== canonicalJson(record.data.Initiation)) {
          throw new HttpProblem(422, 'consent-mismatch', { detail: "the payment's Initiation differs from its consent's", errors: [{ pointer: '/body/Data/Initiation', detail: 'must equal the consent Initiation', code: 'UK.OBIE.Resource.ConsentMismatch' }] });
        }
        const id = newId('dp', at);
        const amount = toMinor(Data.Initiation.InstructedAmount.Amount, '/body/Data/Initiation/InstructedAmount/Amount');
        const debtor = record.accountIds[0]!;
        const transactionId = derivedId('txn', id);
        await commands.transfer(tx, { id, debitAccountId: debtor, creditAccountId: OUTBOUND_ACCOUNT, amount, currency: 'GBP' }, at, { freshId: true }).catch(asProblem);
        const payment: DomesticPayment = { DomesticPaymentId: id, ConsentId: Data.ConsentId, CreationDateTime: isoTime(at), Status: 'ACSC', StatusUpdateDateTime: isoTime(at), Initiation: Data.Initiation };
        await tx.putDocument({ kind: 'ob_payment', id, parentId: scope, body: { payment, transactionId }, now: at });
        await tx.putDocument({ kind: 'ob_payment_consent', id: Data.ConsentId, parentId: scope, body: { ...record, used: true }, now: at });
        await tx.putDocument({
          kind: 'ob_transaction',
          id: transactionId,
          parentId: debtor,
          body: { id: transactionId, AccountId: debtor, TransactionId: transactionId, TransactionReference: Data.Initiation.RemittanceInformation?.Reference, CreditDebitIndicator: 'Debit', Status: 'BOOK', BookingDateTime: isoTime(at), TransactionInformation: Data.Initiation.RemittanceInformation?.Unstructured ?? Data.Initiation.CreditorAccount.Name, Amount: Data.Initiation.InstructedAmount },
          now: at,
        });
        await tx.insertEvents([{ id: derivedId('evt', id, 'ACSC'), type: 'domestic-payment.status-changed', data: { DomesticPaymentId: id, ConsentId: Data.ConsentId, Status: 'ACSC', StatusUpdateDateTime: isoTime(at) } }], at);
        return { status: 201 as const, body: { Data: payment, Links: links(input, `/pisp/domestic-payments/${id}`), Meta: {} }, headers: fapi(input) };
      }),

    getDomesticPayment: async (input) => {
      const record = await store.getDocument<{ payment: DomesticPayment }>('ob_payment', input.params.domesticPaymentId);
      if (!record) throw notFound('domestic payment', input.params.domesticPaymentId);
      return { status: 200, body: { Data: record.payment, Links: links(input, `/pisp/domestic-payments/${input.params.domesticPaymentId}`), Meta: {} }, headers: fapi(input) };
    },

    getDomesticPaymentDetails: async (input) => {
      const record = await store.getDocument<{ payment: DomesticPayment; transactionId: string }>('ob_payment', input.params.domesticPaymentId);
      if (!record) throw notFound('domestic payment', input.params.domesticPaymentId);
      const status = { PaymentTransactionId: record.transactionId, Status: record.payment.Status, StatusUpdateDateTime: record.payment.StatusUpdateDateTime };
      return { status: 200, body: { Data: { PaymentStatus: [status] }, Links: links(input, `/pisp/domestic-payments/${input.params.domesticPaymentId}/payment-details`), Meta: {} }, headers: fapi(input) };
    },

    createFundsConfirmationConsent: (input) =>
      idempotent(ledger, input, async (tx, at, { scope }) => {
        const { Data } = input.body;
        const consent: FundsConsent = { ConsentId: newId('cons', at), CreationDateTime: isoTime(at), Status: 'AWAU', StatusUpdateDateTime: isoTime(at), ...Data };
        await tx.putDocument({ kind: 'ob_funds_consent', id: consent.ConsentId, parentId: scope, body: { data: consent, clientId: scope, accountIds: [] } satisfies ConsentRecord<FundsConsent>, now: at });
        return { status: 201 as const, body: { Data: consent, Links: links(input, `/cbpii/funds-confirmation-consents/${consent.ConsentId}`), Meta: {} }, headers: fapi(input) };
      }),

    getFundsConfirmationConsent: async (input) => {
      const record = await ownConsent<FundsConsent>('ob_funds_consent', input.params.consentId, client(input));
      return { status: 200, body: { Data: current(record.data), Links: links(input, `/cbpii/funds-confirmation-consents/${record.data.ConsentId}`), Meta: {} }, headers: fapi(input) };
    },

    deleteFundsConfirmationConsent: async (input) => {
      const record = await ownConsent<FundsConsent>('ob_funds_consent', input.params.consentId, client(input));
      await ledger.transaction((tx, at) =>
        tx.putDocument({ kind: 'ob_funds_consent', id: record.data.ConsentId, parentId: record.clientId, body: { ...record, data: { ...record.data, Status: 'CANC', StatusUpdateDateTime: isoTime(at) } }, now: at }),
      );
      return { status: 204, headers: fapi(input) };
    },

    authoriseFundsConfirmationConsent: (input) =>
      idempotent(
        ledger,
        input,
        async () => {
          const record = await authoriseFunds(input);
          return { status: 200, body: { Data: record.data, Links: links(input, `/cbpii/funds-confirmation-consents/${record.data.ConsentId}`), Meta: {} }, headers: fapi(input) };
        },
        { atomic: false },
      ),

    createFundsConfirmation: (input) =>
      idempotent(ledger, input, async (tx, at, { scope }) => {
        const { Data } = input.body;
        const record = await tx.getDocument<ConsentRecord<FundsConsent>>('ob_funds_consent', Data.ConsentId);
        if (!record || record.clientId !== scope) throw unknownResource('/body/Data/ConsentId', `no consent ${Data.ConsentId}`);
        if (current(record.data).Status !== 'AUTH') throw forbidden(`consent ${Data.ConsentId} is ${current(record.data).Status}`);
        if (Data.InstructedAmount.Currency !== 'GBP') throw new HttpProblem(422, 'currency-mismatch', { detail: 'the account is in GBP' });
        const needed = toMinor(Data.InstructedAmount.Amount, '/body/Data/InstructedAmount/Amount');
        const account = (await tx.lockAccounts([record.accountIds[0]!])).get(record.accountIds[0]!)!;
        const confirmation = {
          FundsConfirmationId: newId('fc', at),
          ConsentId: Data.ConsentId,
          CreationDateTime: isoTime(at),
          FundsAvailable: balanceOf(account).available >= needed,
          Reference: Data.Reference,
          InstructedAmount: Data.InstructedAmount,
        };
        return { status: 201 as const, body: { Data: confirmation, Links: links(input, `/cbpii/funds-confirmations/${confirmation.FundsConfirmationId}`), Meta: {} }, headers: fapi(input) };
      }),
  };
}
