import { createApis, type ApiDefinition, type Apis } from './apis.ts';
import { API_BASE_PATHS } from './environments.ts';
import { OpenBankingClient, type WebhookEvent as OpenBankingEvent } from './generated/open-banking/client.ts';
import { PaymentsClient, type WebhookEvent as PaymentsEvent } from './generated/payments/client.ts';
import { WalletsClient, type WebhookEvent as WalletsEvent } from './generated/wallets/client.ts';
import type { FinrailOptions } from './options.ts';
import { Webhooks } from './webhooks.ts';

/** The Finrail APIs and the generated clients behind them. */
export const FINRAIL_APIS = {
  wallets: { Client: WalletsClient, basePath: API_BASE_PATHS.wallets, primaryResource: 'wallets' },
  payments: { Client: PaymentsClient, basePath: API_BASE_PATHS.payments, primaryResource: 'payments' },
  // UK Open Banking groups its resources by role: `finrail.openBanking.aisp.accounts.list()`.
  openBanking: { Client: OpenBankingClient, basePath: API_BASE_PATHS.openBanking },
} as const satisfies Record<string, ApiDefinition>;

type FinrailApis = Apis<typeof FINRAIL_APIS>;

/** Every event Finrail can deliver to a webhook endpoint, discriminated by `type`. */
export type WebhookEvent = WalletsEvent | PaymentsEvent | OpenBankingEvent;

/**
 * The Finrail SDK. `new Finrail({ clientId, clientSecret })` talks to the sandbox;
 * `environment: 'production'` or `{ baseUrl }` elsewhere. One OAuth token is shared by all APIs.
 */
export class Finrail {
  readonly wallets: FinrailApis['wallets'];
  readonly payments: FinrailApis['payments'];
  readonly openBanking: FinrailApis['openBanking'];
  readonly webhooks: Webhooks<WebhookEvent> = new Webhooks();

  constructor(options: FinrailOptions = {}) {
    const apis = createApis(FINRAIL_APIS, options);
    this.wallets = apis.wallets;
    this.payments = apis.payments;
    this.openBanking = apis.openBanking;
  }
}
