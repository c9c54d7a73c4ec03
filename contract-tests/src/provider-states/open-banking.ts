// Provider states of the open-banking spec. The fixture consents (specs/README.md) are written in
// `AWAU` under their fixture ids for the provider's client, then decided through the sandbox's
// own authorisation step (`.../authorise`, approve or reject), as a customer would. The settled
// fixture domestic payment, whose id the API cannot produce, is one ledger transaction: the
// journal entry, its document and its account transaction, with the consent marked used.
import { FIXTURES, commands } from '@finrail/ledger';
import type { ProviderUnderTest } from '../provider.ts';
import type { ProviderStateHandler, StateParams } from '../verify-provider.ts';
import { CLIENT_ID, empty, expectOk, param, seeded, write } from './support.ts';

const OPEN_BANKING = '/open-banking/v4.0';
const OUTBOUND_ACCOUNT = 'ob.outbound.GBP';
const ALICE_CURRENT_ACCOUNT = { SchemeName: 'UK.OBIE.SortCodeAccountNumber', Identification: '04000412345678', Name: 'Alice Martin' };
const CREATED = '2026-11-20T10:00:00Z';

export const OPEN_BANKING_FIXTURES = {
  accessConsent: 'cons_01JDF4ZW3DJ4KDH18SHRN1Z7ZK',
  paymentConsent: 'cons_01JDFKZ2ZQAF6JMHJQ3SD0KZK3',
  fundsConsent: 'cons_01JDFFFPFWSYZKAZ8WNWV2C0ME',
  domesticPayment: 'dp_01JDFWTPABD35PP6P929DB19EZ',
  domesticPaymentTransaction: 'txn_01JDFDHS09X12GSG1WAXCJN6QA',
} as const;

/** The energy bill: what the payment consent and its payment initiate. */
const ENERGY_BILL = {
  InstructionIdentification: 'ACME-INV-7731',
  EndToEndIdentification: 'E2E-ENERGY-7731',
  InstructedAmount: { Amount: '165.88', Currency: 'GBP' },
  DebtorAccount: ALICE_CURRENT_ACCOUNT,
  CreditorAccount: { SchemeName: 'UK.OBIE.SortCodeAccountNumber', Identification: '08080021325698', Name: 'ACME Energy Ltd' },
  RemittanceInformation: { Reference: 'ENERGY-7731', Unstructured: 'Energy bill November' },
};

interface ConsentKind {
  kind: string;
  path: string;
  data: Record<string, unknown>;
  risk?: Record<string, unknown>;
}

/** Each fixture consent: where the ledger keeps it, where the API serves it, what it asks for. */
const CONSENTS: Record<string, ConsentKind> = {
  [OPEN_BANKING_FIXTURES.accessConsent]: {
    kind: 'ob_access_consent',
    path: '/aisp/account-access-consents',
    data: {
      Permissions: ['ReadAccountsDetail', 'ReadBalances', 'ReadTransactionsDetail'],
      ExpirationDateTime: '2027-02-20T00:00:00Z',
      TransactionFromDateTime: '2026-08-01T00:00:00Z',
      TransactionToDateTime: '2027-02-20T00:00:00Z',
    },
    risk: {},
  },
  [OPEN_BANKING_FIXTURES.paymentConsent]: {
    kind: 'ob_payment_consent',
    path: '/pisp/domestic-payment-consents',
    data: { Initiation: ENERGY_BILL },
    risk: { PaymentContextCode: 'BillingGoodsAndServicesInArrears' },
  },
  [OPEN_BANKING_FIXTURES.fundsConsent]: {
    kind: 'ob_funds_consent',
    path: '/cbpii/funds-confirmation-consents',
    data: { DebtorAccount: ALICE_CURRENT_ACCOUNT, ExpirationDateTime: '2027-11-20T00:00:00Z' },
  },
};

function consentKind(consentId: string): ConsentKind {
  const consent = CONSENTS[consentId];
  if (!consent) throw new Error(`${consentId} is not one of the specs' fixture consents`);
  return consent;
}

/** A fixture consent awaiting authorisation, owned by the provider's client and reaching no account yet. */
async function awaitingConsent(provider: ProviderUnderTest, consentId: string): Promise<void> {
  const { kind, data, risk } = consentKind(consentId);
  const body = {
    data: { ConsentId: consentId, CreationDateTime: CREATED, Status: 'AWAU', StatusUpdateDateTime: CREATED, ...data },
    ...(risk && { risk }),
    clientId: CLIENT_ID,
    accountIds: [],
  };
  await write(provider, (tx, now) => tx.putDocument({ kind, id: consentId, parentId: CLIENT_ID, body, now }));
}

/** The customer's decision on a fixture consent, through the sandbox's authorisation endpoint. */
async function decidedConsent(provider: ProviderUnderTest, consentId: string, decision: 'approve' | 'reject', accountIds?: string[]): Promise<void> {
  await awaitingConsent(provider, consentId);
  const body = { decision, ...(accountIds && { account_ids: accountIds }) };
  await expectOk(provider, 'POST', `${OPEN_BANKING}${consentKind(consentId).path}/${encodeURIComponent(consentId)}/authorise`, body);
}

const stringList = (params: StateParams, name: string): string[] | undefined => {
  const value = params[name];
  if (value === undefined) return undefined;
  if (!Array.isArray(value) || !value.every((item) => typeof item === 'string')) throw new Error(`"${name}" must be a list of ids, got ${JSON.stringify(value)}`);
  return value;
};

/** Pays money out of the current account (to the bank's outbound account) until `available` (decimal GBP) is left. */
async function leaveAvailable(provider: ProviderUnderTest, accountId: string, available: string): Promise<void> {
  if (!/^\d+\.\d{2}$/.test(available)) throw new Error(`availableAmount must be a decimal string with pence, got ${available}`);
  const wanted = BigInt(available.replace('.', ''));
  const balance = await provider.sandbox.ledger.balance(accountId);
  if (!balance) throw new Error(`no account ${accountId}`);
  const current = balance.available;
  if (current < wanted) throw new Error(`${accountId} has only ${current} pence available, less than ${wanted}`);
  if (current === wanted) return;
  await write(provider, (tx, now) =>
    commands.transfer(tx, { id: 'provider-state.leave-available', debitAccountId: accountId, creditAccountId: OUTBOUND_ACCOUNT, amount: current - wanted, currency: 'GBP' }, now),
  );
}

/** The fixture energy-bill payment, settled (`ACSC`) under its consent, which it used up. */
async function settledDomesticPayment(provider: ProviderUnderTest, domesticPaymentId: string, consentId: string): Promise<void> {
  if (domesticPaymentId !== OPEN_BANKING_FIXTURES.domesticPayment || consentId !== OPEN_BANKING_FIXTURES.paymentConsent) {
    throw new Error(`${domesticPaymentId} under ${consentId} is not the specs' fixture domestic payment`);
  }
  await decidedConsent(provider, consentId, 'approve');
  const transactionId = OPEN_BANKING_FIXTURES.domesticPaymentTransaction;
  const at = '2026-11-20T10:05:00Z';
  await write(provider, async (tx, now) => {
    const consent = (await tx.getDocument<Record<string, unknown>>('ob_payment_consent', consentId))!;
    await commands.transfer(tx, { id: domesticPaymentId, debitAccountId: FIXTURES.currentAccount, creditAccountId: OUTBOUND_ACCOUNT, amount: 16_588n, currency: 'GBP' }, now);
    const payment = { DomesticPaymentId: domesticPaymentId, ConsentId: consentId, CreationDateTime: at, Status: 'ACSC', StatusUpdateDateTime: at, Initiation: ENERGY_BILL };
    await tx.putDocument({ kind: 'ob_payment', id: domesticPaymentId, parentId: CLIENT_ID, body: { payment, transactionId }, now });
    await tx.putDocument({ kind: 'ob_payment_consent', id: consentId, parentId: CLIENT_ID, body: { ...consent, used: true }, now });
    await tx.putDocument({
      kind: 'ob_transaction',
      id: transactionId,
      parentId: FIXTURES.currentAccount,
      body: {
        id: transactionId,
        AccountId: FIXTURES.currentAccount,
        TransactionId: transactionId,
        TransactionReference: ENERGY_BILL.RemittanceInformation.Reference,
        CreditDebitIndicator: 'Debit',
        Status: 'BOOK',
        BookingDateTime: at,
        TransactionInformation: ENERGY_BILL.RemittanceInformation.Unstructured,
        Amount: ENERGY_BILL.InstructedAmount,
      },
      now,
    });
  });
}

export function openBankingStates(provider: ProviderUnderTest): Record<string, ProviderStateHandler> {
  const awaiting = () => seeded(provider, (params) => awaitingConsent(provider, param(params, 'consentId')));
  const rejected = () => seeded(provider, (params) => decidedConsent(provider, param(params, 'consentId'), 'reject'));
  return {
    'accounts exist': seeded(provider),
    'consent exists': awaiting(),
    'consent does not exist': seeded(provider),
    'account access consent awaits authorisation': awaiting(),
    'account access consent is authorised': seeded(provider, (params) =>
      decidedConsent(provider, param(params, 'consentId'), 'approve', stringList(params, 'accountIds')),
    ),
    'account access consent is rejected': rejected(),
    // The account itself is unknown to the ledger (an account that exists but is not shared is a 403).
    'account does not exist': empty(provider),
    'domestic payment consent awaits authorisation': awaiting(),
    'domestic payment consent is authorised': seeded(provider, async (params) => {
      await decidedConsent(provider, param(params, 'consentId'), 'approve');
      if (params.availableAmount !== undefined) await leaveAvailable(provider, param(params, 'debtorAccountId'), param(params, 'availableAmount'));
    }),
    'domestic payment consent is rejected': rejected(),
    'domestic payment exists': seeded(provider, (params) => settledDomesticPayment(provider, param(params, 'domesticPaymentId'), param(params, 'consentId'))),
    'domestic payment does not exist': seeded(provider),
    'funds confirmation consent awaits authorisation': awaiting(),
    'funds confirmation consent is authorised': seeded(provider, (params) => decidedConsent(provider, param(params, 'consentId'), 'approve')),
    'funds confirmation consent is rejected': rejected(),
  };
}
