// Test-only stand-ins for the generated clients (src/generated/<api>/client.ts), in the shape
// packages/runtime/CONTRACT.md prescribes, so the SDK wrapper is tested before generation lands.
import createClient, { type Client } from 'openapi-fetch';
import { Transport, type ClientOptions, type PagePromise, type RequestOptions, type WithResponse } from '@finrail/runtime';
import type { ApiDefinition } from '../../src/apis.ts';

type Json<T> = { content: { 'application/json': T } };
type Op<Body, Result, Query = never, Path = never> = {
  parameters: { query?: Query; header?: never; cookie?: never } & ([Path] extends [never] ? { path?: never } : { path: Path });
  responses: { 200: { headers: Record<string, unknown> } & Json<Result>; default: { headers: Record<string, unknown> } & Json<{ type: string; status: number }> };
} & ([Body] extends [never] ? { requestBody?: never } : { requestBody: Json<Body> });

export interface Wallet { id: string; currency: string; balance: number }
export interface Transaction { id: string; amount: number }
export interface TransactionPage { data: Transaction[]; has_more: boolean; next_cursor: string | null }
interface Payment { id: string; status: string }

export interface paths {
  '/wallets': { post: Op<{ currency: string }, Wallet> };
  '/wallets/{wallet_id}': { get: Op<never, Wallet, never, { wallet_id: string }> };
  '/wallets/{wallet_id}/top-ups': { post: Op<{ amount: number }, Wallet, never, { wallet_id: string }> };
  '/wallets/{wallet_id}/transactions': { get: Op<never, TransactionPage, { starting_after?: string; limit?: number }, { wallet_id: string }> };
  '/payments': { post: Op<{ amount: number }, Payment> };
  '/accounts': { get: Op<never, { data: { id: string }[] }> };
}

interface WalletEvent { id: string; type: 'wallet.transaction.posted'; created_at: string; data: Transaction }
interface PaymentEvent { id: string; type: 'payment.succeeded'; created_at: string; data: Payment }
export type StandInEvent = WalletEvent | PaymentEvent;

class TransactionsResource {
  readonly #transport: Transport;
  readonly #raw: Client<paths>;
  constructor(transport: Transport, raw: Client<paths>) {
    this.#transport = transport;
    this.#raw = raw;
  }
  list(params: { walletId: string; limit?: number }, options?: RequestOptions): PagePromise<TransactionPage, Transaction> {
    return this.#transport.list(
      (cursor, init) =>
        this.#raw.GET('/wallets/{wallet_id}/transactions', { params: { path: { wallet_id: params.walletId }, query: { limit: params.limit, starting_after: cursor } }, ...init }),
      { operationId: 'listWalletTransactions', method: 'GET', pagination: { cursorParam: 'starting_after', nextCursor: 'next_cursor', hasMore: 'has_more', items: 'data' } },
      options,
    );
  }
}

class WalletsResource {
  readonly transactions: TransactionsResource;
  readonly #transport: Transport;
  readonly #raw: Client<paths>;
  constructor(transport: Transport, raw: Client<paths>) {
    this.#transport = transport;
    this.#raw = raw;
    this.transactions = new TransactionsResource(transport, raw);
  }
  create(params: { body: { currency: string } }, options?: RequestOptions): Promise<WithResponse<Wallet>> {
    return this.#transport.call((init) => this.#raw.POST('/wallets', { body: params.body, ...init }), { operationId: 'createWallet', method: 'POST', idempotencyHeader: 'Idempotency-Key' }, options);
  }
  get(params: { walletId: string }, options?: RequestOptions): Promise<WithResponse<Wallet>> {
    return this.#transport.call((init) => this.#raw.GET('/wallets/{wallet_id}', { params: { path: { wallet_id: params.walletId } }, ...init }), { operationId: 'getWallet', method: 'GET' }, options);
  }
}

class TopUpsResource {
  readonly #transport: Transport;
  readonly #raw: Client<paths>;
  constructor(transport: Transport, raw: Client<paths>) {
    this.#transport = transport;
    this.#raw = raw;
  }
  create(params: { walletId: string; body: { amount: number } }, options?: RequestOptions): Promise<WithResponse<Wallet>> {
    return this.#transport.call(
      (init) => this.#raw.POST('/wallets/{wallet_id}/top-ups', { params: { path: { wallet_id: params.walletId } }, body: params.body, ...init }),
      { operationId: 'createTopUp', method: 'POST', idempotencyHeader: 'Idempotency-Key' },
      options,
    );
  }
}

export class WalletsClient {
  readonly raw: Client<paths>;
  readonly wallets: WalletsResource;
  readonly topUps: TopUpsResource;
  constructor(options: ClientOptions) {
    const transport = new Transport(options);
    this.raw = createClient<paths>({ baseUrl: transport.baseUrl, fetch: transport.fetch });
    this.wallets = new WalletsResource(transport, this.raw);
    this.topUps = new TopUpsResource(transport, this.raw);
  }
}

export class PaymentsClient {
  readonly raw: Client<paths>;
  readonly payments: { create(params: { body: { amount: number } }, options?: RequestOptions): Promise<WithResponse<Payment>> };
  constructor(options: ClientOptions) {
    const transport = new Transport(options);
    const raw = (this.raw = createClient<paths>({ baseUrl: transport.baseUrl, fetch: transport.fetch }));
    this.payments = {
      create: (params, requestOptions) =>
        transport.call((init) => raw.POST('/payments', { body: params.body, ...init }), { operationId: 'createPayment', method: 'POST', idempotencyHeader: 'Idempotency-Key' }, requestOptions),
    };
  }
}

export class OpenBankingClient {
  readonly raw: Client<paths>;
  readonly accounts: { list(options?: RequestOptions): Promise<WithResponse<{ data: { id: string }[] }>> };
  constructor(options: ClientOptions) {
    const transport = new Transport(options);
    const raw = (this.raw = createClient<paths>({ baseUrl: transport.baseUrl, fetch: transport.fetch }));
    this.accounts = { list: (requestOptions) => transport.call((init) => raw.GET('/accounts', { ...init }), { operationId: 'listAccounts', method: 'GET' }, requestOptions) };
  }
}

export const STAND_IN_APIS = {
  wallets: { Client: WalletsClient, basePath: '/wallets/v1', primaryResource: 'wallets' },
  payments: { Client: PaymentsClient, basePath: '/payments/v1', primaryResource: 'payments' },
  openBanking: { Client: OpenBankingClient, basePath: '/open-banking/v4.0' },
} as const satisfies Record<string, ApiDefinition>;
