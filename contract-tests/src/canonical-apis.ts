// The three canonical APIs: where their spec lives, what the SDK calls them, and the names their
// pacts are written under (`finrail-sdk-<provider>.json`).
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const PACTS_DIR = fileURLToPath(new URL('../pacts', import.meta.url));
export const CONSUMER = 'finrail-sdk';

export interface CanonicalApi {
  /** Folder under specs/ and the pact's provider name. */
  name: 'wallets' | 'payments' | 'open-banking';
  /** Property of `Finrail` that exposes the API's client. */
  sdkProperty: 'wallets' | 'payments' | 'openBanking';
  /** Spec path relative to the repository root. */
  spec: string;
}

export const CANONICAL_APIS: readonly CanonicalApi[] = [
  { name: 'wallets', sdkProperty: 'wallets', spec: 'specs/wallets/openapi.yaml' },
  { name: 'payments', sdkProperty: 'payments', spec: 'specs/payments/openapi.yaml' },
  { name: 'open-banking', sdkProperty: 'openBanking', spec: 'specs/open-banking/openapi.yaml' },
];

export function pactFileOf(api: CanonicalApi, dir = PACTS_DIR): string {
  return `${dir.replace(/\/$/, '')}/${CONSUMER}-${api.name}.json`;
}
