// Provider states of the payments spec. The fixture payments (specs/README.md) are written as
// `requires_confirmation` documents under their fixture ids, then moved through their lifecycle
// by the payments API itself (confirm, capture, cancel), so the journal holds what the state says.
// The fixture refund and event ids cannot come out of the API (it derives ids from idempotency
// keys), so those two are written with the ledger's own commands and outbox, in one transaction.
import { FIXTURES, commands } from '@finrail/ledger';
import type { ProviderUnderTest } from '../provider.ts';
import type { ProviderStateHandler, StateParams } from '../verify-provider.ts';
import { drainWallet, expectOk, param, seeded, write } from './support.ts';

const PAYMENTS = '/payments/v1';

export const PAYMENT_FIXTURES = {
  order1001: 'pay_01JDF2HTDFYHYSQ409S9WRWH46',
  bikeRental: 'pay_01JDFRX68D6XTBYGC40M65RA8J',
  refund: 're_01JDF4STBWZ7RRGHRC31AX8ZP3',
  paymentSucceededEvent: 'evt_01JDF75KD2SYE851QEVDGB0RND',
  webhookEndpoint: 'we_01JDFAF83KNE4N4WPAENZGW10E',
} as const;

interface Money {
  amount: number;
  currency: string;
}

interface Payment {
  id: string;
  status: string;
  amount: Money;
  amount_refunded: Money;
  capture_method: 'automatic' | 'manual';
  source_wallet_id: string;
  [field: string]: unknown;
}

const eur = (amount: number): Money => ({ amount, currency: 'EUR' });

/** The fixture payments as created, before confirmation. */
function fixturePayment(paymentId: string): Payment {
  const common = {
    status: 'requires_confirmation',
    amount_capturable: eur(0),
    amount_received: eur(0),
    amount_refunded: eur(0),
    source_wallet_id: FIXTURES.alice,
    destination_wallet_id: FIXTURES.bob,
    failure_code: null,
    failure_message: null,
    cancellation_reason: null,
    capture_before: null,
  };
  if (paymentId === PAYMENT_FIXTURES.order1001) {
    const at = '2026-11-19T15:00:00Z';
    return { ...common, id: paymentId, amount: eur(4999), capture_method: 'automatic', description: 'Order #1001', metadata: { order_id: '1001' }, created_at: at, updated_at: at };
  }
  if (paymentId === PAYMENT_FIXTURES.bikeRental) {
    const at = '2026-11-20T10:00:00Z';
    return { ...common, id: paymentId, amount: eur(15_000), capture_method: 'manual', description: 'Bike rental', metadata: {}, created_at: at, updated_at: at };
  }
  throw new Error(`${paymentId} is not one of the specs' fixture payments`);
}

/** Writes a fixture payment in `requires_confirmation` (no money moves until it is confirmed). */
async function createPayment(provider: ProviderUnderTest, paymentId: string, overrides: Partial<Payment> = {}): Promise<Payment> {
  const payment = { ...fixturePayment(paymentId), ...overrides };
  await write(provider, (tx, now) => tx.putDocument({ kind: 'payment', id: payment.id, parentId: null, body: payment, now }));
  return payment;
}

const action = (provider: ProviderUnderTest, paymentId: string, verb: 'confirm' | 'capture' | 'cancel', body: unknown = {}) =>
  expectOk(provider, 'POST', `${PAYMENTS}/payments/${encodeURIComponent(paymentId)}/${verb}`, body) as Promise<Payment>;

/** A fixture payment, confirmed and (manual capture) captured in full: `succeeded`. */
async function succeededPayment(provider: ProviderUnderTest, paymentId: string): Promise<Payment> {
  const payment = await createPayment(provider, paymentId);
  const confirmed = await action(provider, paymentId, 'confirm');
  const final = payment.capture_method === 'manual' ? await action(provider, paymentId, 'capture') : confirmed;
  if (final.status !== 'succeeded') throw new Error(`${paymentId} is ${final.status} after confirmation, not succeeded`);
  return final;
}

/** The fixture refund (EUR 10.00 of order #1001): a reversal of the captured entry, under the fixture refund id. */
async function refund(provider: ProviderUnderTest, refundId: string, paymentId: string): Promise<void> {
  if (refundId !== PAYMENT_FIXTURES.refund || paymentId !== PAYMENT_FIXTURES.order1001) throw new Error(`${refundId} of ${paymentId} is not the specs' fixture refund`);
  await write(provider, async (tx, now) => {
    const payment = (await tx.getDocument<Payment>('payment', paymentId))!;
    await commands.reverse(tx, { id: refundId, entryId: paymentId, amount: 1_000n }, now);
    const body = { id: refundId, payment_id: paymentId, status: 'succeeded', amount: eur(1_000), reason: 'requested_by_customer', failure_code: null, failure_message: null, metadata: {}, created_at: '2026-11-19T16:00:00Z' };
    await tx.putDocument({ kind: 'refund', id: refundId, parentId: paymentId, body, now });
    await tx.putDocument({ kind: 'payment', id: paymentId, parentId: null, body: { ...payment, amount_refunded: eur(payment.amount_refunded.amount + 1_000) }, now });
  });
}

const paymentIds = (params: StateParams): string[] => {
  const ids = params.paymentIds;
  if (!Array.isArray(ids) || !ids.every((value) => typeof value === 'string')) throw new Error(`the state needs a "paymentIds" list, got ${JSON.stringify(ids)}`);
  return ids;
};

export function paymentStates(provider: ProviderUnderTest): Record<string, ProviderStateHandler> {
  return {
    'payments exist': seeded(provider, async (params) => {
      for (const paymentId of paymentIds(params)) {
        if (paymentId === PAYMENT_FIXTURES.order1001) {
          await succeededPayment(provider, paymentId);
          await refund(provider, PAYMENT_FIXTURES.refund, paymentId);
        } else {
          await createPayment(provider, paymentId);
        }
      }
    }),
    'payment requires confirmation': seeded(provider, async (params) => {
      const payment = await createPayment(provider, param(params, 'paymentId'));
      if (params.availableAmount !== undefined) {
        if (typeof params.availableAmount !== 'number') throw new Error(`availableAmount must be minor units, got ${JSON.stringify(params.availableAmount)}`);
        await drainWallet(provider, payment.source_wallet_id, params.availableAmount);
      }
    }),
    // Authorised: manual capture, whatever the fixture's default (a capture needs a held amount).
    'payment requires capture': seeded(provider, async (params) => {
      const paymentId = param(params, 'paymentId');
      await createPayment(provider, paymentId, { capture_method: 'manual' });
      const authorised = await action(provider, paymentId, 'confirm');
      if (authorised.status !== 'requires_capture') throw new Error(`${paymentId} is ${authorised.status} after confirmation, not requires_capture`);
    }),
    'payment succeeded': seeded(provider, async (params) => void (await succeededPayment(provider, param(params, 'paymentId')))),
    'payment is canceled': seeded(provider, async (params) => {
      const paymentId = param(params, 'paymentId');
      await createPayment(provider, paymentId);
      await action(provider, paymentId, 'cancel', { cancellation_reason: 'requested_by_customer' });
    }),
    'payment does not exist': seeded(provider),
    'refund exists': seeded(provider, async (params) => {
      const paymentId = param(params, 'paymentId');
      await succeededPayment(provider, paymentId);
      await refund(provider, param(params, 'refundId'), paymentId);
    }),
    'refund does not exist': seeded(provider),
    // The payment's own `payment.succeeded` event, under the fixture event id.
    'event exists': seeded(provider, async (params) => {
      const eventId = param(params, 'eventId');
      const payment = await succeededPayment(provider, param(params, 'paymentId'));
      await write(provider, (tx, now) => tx.insertEvents([{ id: eventId, type: 'payment.succeeded', data: payment }], now));
    }),
    'event does not exist': seeded(provider),
    'no webhook endpoints exist': seeded(provider),
    'webhook endpoint exists': seeded(provider, async (params) => {
      await provider.sandbox.ledger.outbox.createEndpoint({
        id: param(params, 'webhookEndpointId'),
        url: 'https://hooks.example.com/finrail',
        eventTypes: ['payment.succeeded'],
        description: 'Order service',
      });
    }),
    'webhook endpoint does not exist': seeded(provider),
  };
}
