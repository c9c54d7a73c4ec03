// The payments API on the ledger, between wallets. Authorising a payment is a pending transfer
// (a hold on the payer's wallet), capturing posts it in full or in part, canceling voids it, and a
// refund reverses the captured entry (in part or in full). Automatic capture posts at once.
import { HttpProblem } from '@finrail/server';
import * as commands from '../../core/commands.ts';
import { isLedgerError } from '../../core/errors.ts';
import type { LedgerTransaction } from '../../core/ports.ts';
import type { PendingTransfer } from '../../core/types.ts';
import type { components } from '../../generated/payments/types.ts';
import type { Handlers } from '../../generated/payments/server.ts';
import type { Ledger } from '../../ledger.ts';
import type { StoredEvent, WebhookEndpoint } from '../../outbox/outbox-store.ts';
import { idForKey, newId } from '../ids.ts';
import { idempotent } from '../idempotent.ts';
import { isoTime, minorUnits, money } from '../money.ts';
import { listDocuments } from '../pagination.ts';
import { asProblem, invalidState, notFound, unknownResource } from '../problems.ts';
import type { Wallet } from '../wallets/handlers.ts';

type Schemas = components['schemas'];
type Payment = Schemas['Payment'];
type Refund = Schemas['Refund'];

/** How long an authorisation holds the payer's money before it is released. */
const AUTHORIZATION_MS = 7 * 24 * 60 * 60 * 1000;

/** The journal entry that moved a payment's money: the transfer (automatic) or the capture (manual). */
export const capturedEntryId = (payment: Pick<Payment, 'id' | 'capture_method'>) => (payment.capture_method === 'automatic' ? payment.id : `${payment.id}.capture`);

function event(type: string, data: unknown) {
  return { id: newId('evt'), type, data };
}

async function savePayment(tx: LedgerTransaction, payment: Payment, now: number): Promise<Payment> {
  const updated = { ...payment, updated_at: isoTime(now) };
  await tx.putDocument({ kind: 'payment', id: payment.id, parentId: null, body: updated, now });
  return updated;
}

/**
 * Confirms a payment: holds the amount (manual capture) or moves it (automatic). A payer that
 * cannot pay makes the payment `failed`, announced by `payment.failed`.
 */
async function authorise(tx: LedgerTransaction, payment: Payment, now: number): Promise<Payment> {
  const manual = payment.capture_method === 'manual';
  const expiresAt = now + AUTHORIZATION_MS;
  try {
    await commands.transfer(
      tx,
      {
        id: payment.id,
        debitAccountId: payment.source_wallet_id,
        creditAccountId: payment.destination_wallet_id,
        amount: BigInt(payment.amount.amount),
        currency: payment.amount.currency,
        ...(manual ? { pending: { expiresAt } } : {}),
      },
      now,
    );
  } catch (error) {
    if (!isLedgerError(error) || (error.code !== 'insufficient_funds' && error.code !== 'account_not_open')) return asProblem(error);
    const source = await tx.getDocument<Wallet>('wallet', payment.source_wallet_id);
    const code = error.code === 'insufficient_funds' ? 'insufficient_funds' : source?.status === 'closed' ? 'wallet_closed' : 'wallet_frozen';
    const failed: Payment = { ...payment, status: 'failed', amount_capturable: money(0n, payment.amount.currency), failure_code: code, failure_message: error.message };
    await tx.insertEvents([event('payment.failed', { ...failed, updated_at: isoTime(now) })], now);
    return savePayment(tx, failed, now);
  }
  const authorised: Payment = manual
    ? { ...payment, status: 'requires_capture', amount_capturable: payment.amount, capture_before: isoTime(expiresAt) }
    : { ...payment, status: 'succeeded', amount_received: payment.amount };
  if (!manual) await tx.insertEvents([event('payment.succeeded', { ...authorised, updated_at: isoTime(now) })], now);
  return savePayment(tx, authorised, now);
}

/** Authorisations that expire are canceled, as `authorization_expired`. */
export async function onAuthorizationExpired(tx: LedgerTransaction, pending: PendingTransfer, now: number): Promise<void> {
  const payment = await tx.getDocument<Payment>('payment', pending.id);
  if (!payment || payment.status !== 'requires_capture') return;
  const canceled: Payment = { ...payment, status: 'canceled', cancellation_reason: 'authorization_expired', amount_capturable: money(0n, payment.amount.currency), capture_before: null };
  await tx.insertEvents([event('payment.canceled', { ...canceled, updated_at: isoTime(now) })], now);
  await savePayment(tx, canceled, now);
}

/** An outbox event as the API shows it; only payment and refund events reach this API. */
function eventBody(stored: StoredEvent): Schemas['Event'] {
  return { id: stored.id, type: stored.type, created_at: isoTime(stored.createdAt), data: JSON.parse(stored.data) } as Schemas['Event'];
}

function endpointBody(endpoint: WebhookEndpoint): Schemas['WebhookEndpoint'] {
  return {
    id: endpoint.id,
    url: endpoint.url,
    enabled_events: endpoint.eventTypes === '*' ? [] : endpoint.eventTypes,
    description: endpoint.description,
    previous_secret_expires_at: endpoint.previousSecretExpiresAt === null ? null : isoTime(endpoint.previousSecretExpiresAt),
    created_at: isoTime(endpoint.createdAt),
  };
}

export function createPaymentHandlers(ledger: Ledger): Handlers {
  const store = ledger.store;
  const PAYMENT_EVENTS = ['payment.', 'refund.'];

  const lockPayment = async (tx: LedgerTransaction, id: string): Promise<Payment> => {
    const payment = await tx.getDocument<Payment>('payment', id);
    if (!payment) throw notFound('payment', id);
    return payment;
  };

  return {
    createPayment: (input) =>
      idempotent(ledger, input, async (tx, now) => {
        const { body } = input;
        for (const [field, walletId] of [['source_wallet_id', body.source_wallet_id], ['destination_wallet_id', body.destination_wallet_id]] as const) {
          const wallet = await tx.getDocument<Wallet>('wallet', walletId);
          if (!wallet) throw unknownResource(`/body/${field}`, `no wallet ${walletId}`);
          if (wallet.currency !== body.amount.currency) {
            throw new HttpProblem(422, 'currency-mismatch', { detail: `wallet ${walletId} holds ${wallet.currency}`, errors: [{ pointer: '/body/amount/currency', detail: `must be ${wallet.currency}`, code: 'currency_mismatch' }] });
          }
        }
        if (body.source_wallet_id === body.destination_wallet_id) {
          throw new HttpProblem(400, 'invalid-request', { detail: 'payer and payee wallets must differ', errors: [{ pointer: '/body/destination_wallet_id', detail: 'must differ from source_wallet_id', code: 'not' }] });
        }
        minorUnits(body.amount, '/body/amount/amount');
        const zero = money(0n, body.amount.currency);
        const payment: Payment = {
          id: newId('pay', now),
          status: 'requires_confirmation',
          amount: body.amount,
          amount_capturable: zero,
          amount_received: zero,
          amount_refunded: zero,
          capture_method: body.capture_method ?? 'automatic',
          source_wallet_id: body.source_wallet_id,
          destination_wallet_id: body.destination_wallet_id,
          description: body.description ?? null,
          failure_code: null,
          failure_message: null,
          cancellation_reason: null,
          capture_before: null,
          metadata: body.metadata ?? {},
          created_at: isoTime(now),
          updated_at: isoTime(now),
        };
        const saved = body.confirm ? await authorise(tx, payment, now) : await savePayment(tx, payment, now);
        return { status: 201 as const, body: saved, headers: { Location: `/payments/${payment.id}` } };
      }),

    listPayments: async ({ query }) => {
      const { status, wallet_id: walletId } = query;
      const filter = status || walletId ? (p: Payment) => (!status || p.status === status) && (!walletId || p.source_wallet_id === walletId || p.destination_wallet_id === walletId) : undefined;
      return { status: 200, body: await listDocuments<Payment>(store, 'payment', query, filter) };
    },

    getPayment: async ({ params }) => {
      const payment = await store.getDocument<Payment>('payment', params.paymentId);
      if (!payment) throw notFound('payment', params.paymentId);
      return { status: 200, body: payment };
    },

    confirmPayment: (input) =>
      idempotent(ledger, input, async (tx, now) => {
        const payment = await lockPayment(tx, input.params.paymentId);
        if (payment.status !== 'requires_confirmation') throw invalidState(`payment ${payment.id} is ${payment.status}`);
        return { status: 200 as const, body: await authorise(tx, payment, now) };
      }),

    capturePayment: (input) =>
      idempotent(ledger, input, async (tx, now) => {
        const payment = await lockPayment(tx, input.params.paymentId);
        if (payment.status !== 'requires_capture') throw invalidState(`payment ${payment.id} is ${payment.status}`);
        const requested = input.body?.amount ?? payment.amount_capturable;
        if (requested.currency !== payment.amount.currency) throw new HttpProblem(422, 'currency-mismatch', { detail: `payment ${payment.id} is in ${payment.amount.currency}` });
        if (requested.amount > payment.amount_capturable.amount) throw new HttpProblem(422, 'amount-too-large', { detail: `only ${payment.amount_capturable.amount} can be captured` });
        await commands.postPending(tx, { id: capturedEntryId(payment), pendingId: payment.id, amount: minorUnits(requested, '/body/amount/amount') }, now).catch(asProblem);
        const captured: Payment = { ...payment, status: 'succeeded', amount_capturable: money(0n, payment.amount.currency), amount_received: requested, capture_before: null };
        await tx.insertEvents([event('payment.succeeded', { ...captured, updated_at: isoTime(now) })], now);
        return { status: 200 as const, body: await savePayment(tx, captured, now) };
      }),

    cancelPayment: (input) =>
      idempotent(ledger, input, async (tx, now) => {
        const payment = await lockPayment(tx, input.params.paymentId);
        if (payment.status !== 'requires_confirmation' && payment.status !== 'requires_capture') throw invalidState(`payment ${payment.id} is ${payment.status}`);
        if (payment.status === 'requires_capture') await commands.voidPending(tx, { id: `${payment.id}.cancel`, pendingId: payment.id }, now).catch(asProblem);
        const canceled: Payment = { ...payment, status: 'canceled', cancellation_reason: input.body?.cancellation_reason ?? 'requested_by_customer', amount_capturable: money(0n, payment.amount.currency), capture_before: null };
        await tx.insertEvents([event('payment.canceled', { ...canceled, updated_at: isoTime(now) })], now);
        return { status: 200 as const, body: await savePayment(tx, canceled, now) };
      }),

    createRefund: (input) =>
      idempotent(ledger, input, async (tx, now) => {
        const { body } = input;
        const payment = await tx.getDocument<Payment>('payment', body.payment_id);
        if (!payment) throw unknownResource('/body/payment_id', `no payment ${body.payment_id}`);
        if (payment.status !== 'succeeded') throw invalidState(`payment ${payment.id} is ${payment.status}; only succeeded payments can be refunded`);
        const refundable = payment.amount_received.amount - payment.amount_refunded.amount;
        const amount = body.amount ?? money(BigInt(refundable), payment.amount.currency);
        if (amount.currency !== payment.amount.currency) throw new HttpProblem(422, 'currency-mismatch', { detail: `payment ${payment.id} is in ${payment.amount.currency}` });
        if (amount.amount > refundable || amount.amount === 0) throw new HttpProblem(422, 'amount-too-large', { detail: `${refundable} of payment ${payment.id} is left to refund` });
        const id = newId('re', now);
        const refund: Refund = { id, payment_id: payment.id, status: 'succeeded', amount, reason: body.reason ?? null, failure_code: null, failure_message: null, metadata: body.metadata ?? {}, created_at: isoTime(now) };
        try {
          await commands.reverse(tx, { id, entryId: capturedEntryId(payment), amount: BigInt(amount.amount) }, now);
        } catch (error) {
          if (!isLedgerError(error) || error.code !== 'insufficient_funds') return asProblem(error);
          const failed: Refund = { ...refund, status: 'failed', failure_code: 'insufficient_funds', failure_message: error.message };
          await tx.putDocument({ kind: 'refund', id, parentId: payment.id, body: failed, now });
          await tx.insertEvents([event('refund.failed', failed)], now);
          return { status: 201 as const, body: failed, headers: { Location: `/refunds/${id}` } };
        }
        await tx.putDocument({ kind: 'refund', id, parentId: payment.id, body: refund, now });
        await savePayment(tx, { ...payment, amount_refunded: money(BigInt(payment.amount_refunded.amount + amount.amount), payment.amount.currency) }, now);
        await tx.insertEvents([event('refund.succeeded', refund)], now);
        return { status: 201 as const, body: refund, headers: { Location: `/refunds/${id}` } };
      }),

    listRefunds: async ({ query }) => ({ status: 200, body: await listDocuments<Refund>(store, 'refund', { ...query, ...(query.payment_id ? { parentId: query.payment_id } : {}) }) }),

    getRefund: async ({ params }) => {
      const refund = await store.getDocument<Refund>('refund', params.refundId);
      if (!refund) throw notFound('refund', params.refundId);
      return { status: 200, body: refund };
    },

    listEvents: async ({ query }) => {
      const limit = query.limit ?? 20;
      const page = await ledger.outbox.listEvents({ limit, startingAfter: query.starting_after, endingBefore: query.ending_before, type: query.type, typePrefixes: PAYMENT_EVENTS });
      const data = page.events.map(eventBody);
      return { status: 200, body: { data, has_more: page.hasMore, next_cursor: page.hasMore ? data[data.length - 1]!.id : null } };
    },

    getEvent: async ({ params }) => {
      const stored = await ledger.outbox.getEvent(params.eventId);
      if (!stored || !PAYMENT_EVENTS.some((prefix) => stored.type.startsWith(prefix))) throw notFound('event', params.eventId);
      return { status: 200, body: eventBody(stored) };
    },

    redeliverEvent: (input) =>
      idempotent(
        ledger,
        input,
        async () => {
          const stored = await ledger.outbox.getEvent(input.params.eventId);
          if (!stored || !PAYMENT_EVENTS.some((prefix) => stored.type.startsWith(prefix))) throw notFound('event', input.params.eventId);
          await ledger.outbox.redeliverEvent(stored.id);
          return { status: 202 as const, body: eventBody(stored) };
        },
        { atomic: false },
      ),

    createWebhookEndpoint: (input) =>
      idempotent(
        ledger,
        input,
        async ({ scope, key }) => {
          const { body } = input;
          const endpoint = await ledger.outbox.createEndpoint({ id: idForKey('we', scope, key), url: body.url, eventTypes: body.enabled_events, description: body.description ?? null });
          return { status: 201 as const, body: { ...endpointBody(endpoint), secret: endpoint.secret }, headers: { Location: `/webhook-endpoints/${endpoint.id}` } };
        },
        { atomic: false },
      ),

    listWebhookEndpoints: async ({ query }) => {
      const all = (await ledger.outbox.listEndpoints()).reverse().map(endpointBody);
      const start = query.starting_after ? all.findIndex((e) => e.id === query.starting_after) + 1 : 0;
      const limit = query.limit ?? 20;
      const data = all.slice(start, start + limit);
      const hasMore = start + limit < all.length;
      return { status: 200, body: { data, has_more: hasMore, next_cursor: hasMore ? data[data.length - 1]!.id : null } };
    },

    getWebhookEndpoint: async ({ params }) => {
      const endpoint = await ledger.outbox.getEndpoint(params.webhookEndpointId);
      if (!endpoint) throw notFound('webhook endpoint', params.webhookEndpointId);
      return { status: 200, body: endpointBody(endpoint) };
    },

    deleteWebhookEndpoint: async ({ params }) => {
      if (!(await ledger.outbox.deleteEndpoint(params.webhookEndpointId))) throw notFound('webhook endpoint', params.webhookEndpointId);
      return { status: 204 };
    },

    rotateWebhookEndpointSecret: (input) =>
      idempotent(
        ledger,
        input,
        async () => {
          const endpoint = await ledger.outbox.rotateSecret(input.params.webhookEndpointId);
          if (!endpoint) throw notFound('webhook endpoint', input.params.webhookEndpointId);
          return { status: 200 as const, body: { ...endpointBody(endpoint), secret: endpoint.secret } };
        },
        { atomic: false },
      ),
  };
}
