// A slice of the payments API on the generated stubs: create, retrieve, list, capture and cancel
// payments, kept in memory. Requests arrive validated, typed and authenticated; responses are
// checked against the spec at compile time (and at run time unless switched off).
import { randomBytes } from 'node:crypto';
import { notImplemented, problem, type Router, type RouterOptions } from '@finrail/server';
import { createRouter } from './generated/server.ts';
import type { components } from './generated/types.ts';

type Payment = components['schemas']['Payment'];
type Money = components['schemas']['Money'];

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const newId = (prefix: string): string => prefix + Array.from(randomBytes(26), (byte) => CROCKFORD[byte % 32]).join('');
const zero = (amount: Money): Money => ({ amount: 0, currency: amount.currency });

export function createPaymentsApp(options: RouterOptions = {}): Router {
  const payments = new Map<string, Payment>();
  const notFound = (id: string) => problem(404, 'not-found', { detail: `There is no payment ${id}.` });
  const invalidState = (payment: Payment, action: string) =>
    problem(409, 'invalid-state', { detail: `Payment ${payment.id} is ${payment.status} and cannot be ${action}.` });

  return createRouter(
    {
      createPayment: ({ body }) => {
        const now = new Date().toISOString();
        const status = !body.confirm ? 'requires_confirmation' : body.capture_method === 'manual' ? 'requires_capture' : 'succeeded';
        const payment: Payment = {
          id: newId('pay_'),
          status,
          amount: body.amount,
          amount_capturable: status === 'requires_capture' ? body.amount : zero(body.amount),
          amount_received: status === 'succeeded' ? body.amount : zero(body.amount),
          amount_refunded: zero(body.amount),
          capture_method: body.capture_method,
          source_wallet_id: body.source_wallet_id,
          destination_wallet_id: body.destination_wallet_id,
          description: body.description ?? null,
          failure_code: null,
          failure_message: null,
          cancellation_reason: null,
          capture_before: status === 'requires_capture' ? new Date(Date.now() + 7 * 86_400_000).toISOString() : null,
          metadata: body.metadata ?? {},
          created_at: now,
          updated_at: now,
        };
        payments.set(payment.id, payment);
        return { status: 201, body: payment, headers: { location: `/payments/v1/payments/${payment.id}` } };
      },
      getPayment: ({ params }) => {
        const payment = payments.get(params.paymentId);
        return payment ? { status: 200, body: payment } : notFound(params.paymentId);
      },
      listPayments: ({ query }) => {
        const matching = [...payments.values()].filter((payment) => !query.status || payment.status === query.status);
        const start = query.starting_after ? matching.findIndex((payment) => payment.id === query.starting_after) + 1 : 0;
        const page = matching.slice(start, start + (query.limit ?? 20));
        const hasMore = start + page.length < matching.length;
        return { status: 200, body: { data: page, has_more: hasMore, next_cursor: hasMore ? page.at(-1)!.id : null } };
      },
      capturePayment: ({ params, body }) => {
        const payment = payments.get(params.paymentId);
        if (!payment) return notFound(params.paymentId);
        if (payment.status !== 'requires_capture') return invalidState(payment, 'captured');
        const amount = body?.amount ?? payment.amount_capturable;
        if (amount.currency !== payment.amount.currency || amount.amount > payment.amount_capturable.amount) {
          return problem(422, 'amount-too-large', { detail: `At most ${payment.amount_capturable.amount} can be captured.` });
        }
        const captured: Payment = { ...payment, status: 'succeeded', amount_received: amount, amount_capturable: zero(amount), updated_at: new Date().toISOString() };
        payments.set(captured.id, captured);
        return { status: 200, body: captured };
      },
      cancelPayment: ({ params, body }) => {
        const payment = payments.get(params.paymentId);
        if (!payment) return notFound(params.paymentId);
        if (payment.status !== 'requires_confirmation' && payment.status !== 'requires_capture') return invalidState(payment, 'canceled');
        const canceled: Payment = { ...payment, status: 'canceled', amount_capturable: zero(payment.amount), cancellation_reason: body?.cancellation_reason ?? 'requested_by_customer', updated_at: new Date().toISOString() };
        payments.set(canceled.id, canceled);
        return { status: 200, body: canceled };
      },
      confirmPayment: notImplemented,
      createRefund: notImplemented,
      listRefunds: notImplemented,
      getRefund: notImplemented,
      listEvents: notImplemented,
      getEvent: notImplemented,
      redeliverEvent: notImplemented,
      createWebhookEndpoint: notImplemented,
      listWebhookEndpoints: notImplemented,
      getWebhookEndpoint: notImplemented,
      deleteWebhookEndpoint: notImplemented,
      rotateWebhookEndpointSecret: notImplemented,
    },
    options,
  );
}
