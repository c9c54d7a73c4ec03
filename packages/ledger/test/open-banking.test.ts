// The open-banking API over HTTP: consent lifecycle, data only within an authorised consent's
// permissions and date window, domestic payments that move money, funds confirmation.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../src/core/clock.ts';
import { createSandbox, type Sandbox } from '../src/sandbox/sandbox.ts';
import { FIXTURES } from '../src/sandbox/seed.ts';
import { accessToken, apiClient } from './support/http.ts';

describe('sandbox: open-banking API', () => {
  let sandbox: Sandbox;
  let ob: ReturnType<typeof apiClient>;
  const clock = new ManualClock(Date.UTC(2026, 10, 23));

  beforeAll(async () => {
    sandbox = await createSandbox({ port: 0, storage: 'memory', logger: false, intervalMs: 0, validateResponses: true, clock });
    ob = apiClient(sandbox, await accessToken(sandbox), '/open-banking/v4.0');
  });
  afterAll(async () => {
    expect(await sandbox.ledger.audit()).toEqual([]);
    await sandbox.close();
  });

  const consent = (permissions: string[], window: Record<string, string> = {}) =>
    ob('POST', '/aisp/account-access-consents', { Data: { Permissions: permissions, ExpirationDateTime: '2026-12-31T00:00:00Z', ...window }, Risk: {} }, { 'x-idempotency-key': crypto.randomUUID() });
  const decide = (id: string, decision: 'approve' | 'reject', accountIds?: string[]) =>
    ob('POST', `/aisp/account-access-consents/${id}/authorise`, { decision, ...(accountIds ? { account_ids: accountIds } : {}) });

  it('shows nothing before authorisation, then exactly what the consent permits', async () => {
    // Before the client has any consent at all.
    expect(await ob('GET', '/aisp/accounts')).toMatchObject({ status: 403, body: { type: 'https://docs.finrail.dev/problems/consent-not-authorised' } });
    const created = await consent(['ReadAccountsBasic', 'ReadBalances']);
    expect(created).toMatchObject({ status: 201, body: { Data: { Status: 'AWAU' } } });
    expect(created.headers.get('x-fapi-interaction-id')).toBeTruthy();
    expect((await ob('GET', `/aisp/accounts/${FIXTURES.currentAccount}`)).status).toBe(403);
    const unauthorisedList = await ob('GET', '/aisp/accounts');
    expect(unauthorisedList).toMatchObject({ status: 403, body: { type: 'https://docs.finrail.dev/problems/consent-not-authorised', detail: `Consent ${created.body.Data.ConsentId} is AWAU; the customer has not authorised it.` } });

    expect((await decide(created.body.Data.ConsentId, 'approve', [FIXTURES.currentAccount])).body).toMatchObject({ Data: { Status: 'AUTH' } });
    const accounts = await ob('GET', '/aisp/accounts');
    expect(accounts.body.Data.Account.map((a: { AccountId: string }) => a.AccountId)).toEqual([FIXTURES.currentAccount]);
    expect(accounts.body.Data.Account[0].Account).toBeUndefined();
    const balances = await ob('GET', `/aisp/accounts/${FIXTURES.currentAccount}/balances`);
    expect(balances.body.Data.Balance).toContainEqual(expect.objectContaining({ Type: 'ITAV', CreditDebitIndicator: 'Credit', Amount: { Amount: '2500.00', Currency: 'GBP' } }));
    expect((await ob('GET', `/aisp/accounts/${FIXTURES.currentAccount}/transactions`)).status).toBe(403);
    expect((await ob('GET', `/aisp/accounts/${FIXTURES.savingsAccount}/balances`)).status).toBe(403);
  });

  it('limits transactions to the consent window and to credits when asked', async () => {
    const created = await consent(['ReadTransactionsDetail', 'ReadTransactionsCredits'], { TransactionFromDateTime: '2026-11-01T00:00:00Z', TransactionToDateTime: '2026-11-30T00:00:00Z' });
    await decide(created.body.Data.ConsentId, 'approve');
    const list = await ob('GET', `/aisp/accounts/${FIXTURES.currentAccount}/transactions`);
    expect(list.status).toBe(200);
    expect(list.body.Data.Transaction.map((t: { CreditDebitIndicator: string }) => t.CreditDebitIndicator)).toEqual(['Credit']);
    const before = await ob('GET', `/aisp/accounts/${FIXTURES.currentAccount}/transactions?toBookingDateTime=2026-11-10T00:00:00Z`);
    expect(before.body.Data.Transaction).toEqual([]);
  });

  it('rejected, revoked and expired consents reach nothing', async () => {
    const rejected = await consent(['ReadAccountsDetail']);
    expect((await decide(rejected.body.Data.ConsentId, 'reject')).body.Data.Status).toBe('RJCT');
    expect((await decide(rejected.body.Data.ConsentId, 'approve')).status).toBe(409);
    const revoked = await consent(['ReadAccountsDetail']);
    await decide(revoked.body.Data.ConsentId, 'approve', [FIXTURES.savingsAccount]);
    expect((await ob('GET', `/aisp/accounts/${FIXTURES.savingsAccount}`)).status).toBe(200);
    expect((await ob('DELETE', `/aisp/account-access-consents/${revoked.body.Data.ConsentId}`)).status).toBe(204);
    expect((await ob('GET', `/aisp/accounts/${FIXTURES.savingsAccount}`)).status).toBe(403);
    expect((await ob('GET', `/aisp/account-access-consents/${revoked.body.Data.ConsentId}`)).body.Data.Status).toBe('CANC');

    const expiring = await consent(['ReadAccountsDetail']);
    await decide(expiring.body.Data.ConsentId, 'approve', [FIXTURES.savingsAccount]);
    expect((await ob('GET', `/aisp/accounts/${FIXTURES.savingsAccount}`)).status).toBe(200);
    clock.set(Date.UTC(2027, 0, 1));
    expect((await ob('GET', `/aisp/account-access-consents/${expiring.body.Data.ConsentId}`)).body.Data.Status).toBe('EXPD');
    expect((await ob('GET', `/aisp/accounts/${FIXTURES.savingsAccount}`)).status).toBe(403);
    clock.set(Date.UTC(2026, 10, 23));
  });

  it('pays under an authorised consent exactly once, moving money in the journal', async () => {
    const initiation = {
      InstructionIdentification: 'ACME412',
      EndToEndIdentification: 'FRESCO.21302.GFX.20',
      InstructedAmount: { Amount: '165.88', Currency: 'GBP' },
      CreditorAccount: { SchemeName: 'UK.OBIE.SortCodeAccountNumber', Identification: '08080021325698', Name: 'ACME Energy Ltd' },
      RemittanceInformation: { Reference: 'FRESCO-101', Unstructured: 'Energy bill' },
    };
    const created = await ob('POST', '/pisp/domestic-payment-consents', { Data: { Initiation: initiation }, Risk: { PaymentContextCode: 'BillingGoodsAndServicesInArrears' } }, { 'x-idempotency-key': crypto.randomUUID() });
    const consentId = created.body.Data.ConsentId;
    const pay = (body: unknown) => ob('POST', '/pisp/domestic-payments', body, { 'x-idempotency-key': crypto.randomUUID() });
    expect((await pay({ Data: { ConsentId: consentId, Initiation: initiation }, Risk: {} })).status).toBe(403);
    await ob('POST', `/pisp/domestic-payment-consents/${consentId}/authorise`, { decision: 'approve', account_ids: [FIXTURES.currentAccount] });
    expect((await ob('GET', `/pisp/domestic-payment-consents/${consentId}/funds-confirmation`)).body.Data.FundsAvailableResult.FundsAvailable).toBe(true);
    const mismatch = await pay({ Data: { ConsentId: consentId, Initiation: { ...initiation, InstructedAmount: { Amount: '165.89', Currency: 'GBP' } } }, Risk: {} });
    expect(mismatch).toMatchObject({ status: 422, body: { type: 'https://docs.finrail.dev/problems/consent-mismatch' } });
    const paid = await pay({ Data: { ConsentId: consentId, Initiation: initiation }, Risk: {} });
    expect(paid).toMatchObject({ status: 201, body: { Data: { Status: 'ACSC' } } });
    expect((await pay({ Data: { ConsentId: consentId, Initiation: initiation }, Risk: {} })).status).toBe(409);
    const details = await ob('GET', `/pisp/domestic-payments/${paid.body.Data.DomesticPaymentId}/payment-details`);
    expect(details.body.Data.PaymentStatus[0]).toMatchObject({ Status: 'ACSC' });
    expect(await sandbox.ledger.balance(FIXTURES.currentAccount)).toMatchObject({ posted: 250_000n - 16_588n });
  });

  it('confirms funds under a funds-confirmation consent', async () => {
    const created = await ob('POST', '/cbpii/funds-confirmation-consents', { Data: { DebtorAccount: { SchemeName: 'UK.OBIE.SortCodeAccountNumber', Identification: '04000412345678' } } }, { 'x-idempotency-key': crypto.randomUUID() });
    expect(created.status).toBe(201);
    const consentId = created.body.Data.ConsentId;
    await ob('POST', `/cbpii/funds-confirmation-consents/${consentId}/authorise`, { decision: 'approve' });
    const check = (amount: string) => ob('POST', '/cbpii/funds-confirmations', { Data: { ConsentId: consentId, Reference: 'card auth', InstructedAmount: { Amount: amount, Currency: 'GBP' } } }, { 'x-idempotency-key': crypto.randomUUID() });
    expect((await check('20.00')).body.Data.FundsAvailable).toBe(true);
    expect((await check('99999.00')).body.Data.FundsAvailable).toBe(false);
  });
});
