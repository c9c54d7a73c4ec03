import { fileURLToPath } from 'node:url';

export { fixtureIds, type FixtureId } from './fixtures.ts';

export interface CanonicalSpec {
  /** Short name: the folder under specs/ and the API's namespace in generated clients. */
  readonly name: 'wallets' | 'payments' | 'open-banking';
  /** The document's `info.title`. */
  readonly title: string;
  /** Absolute path of the spec's entry file. */
  readonly path: string;
}

const packageRoot = new URL('../', import.meta.url);

function inPackage(relative: string): string {
  return fileURLToPath(new URL(relative, packageRoot));
}

/** Absolute path of the specs package root (holds wallets/, payments/, open-banking/, common/). */
export const specsDir: string = inPackage('./');

/** The three canonical Finrail specs, in a stable order. */
export const canonicalSpecs: readonly CanonicalSpec[] = [
  { name: 'wallets', title: 'Finrail Wallets API', path: inPackage('wallets/openapi.yaml') },
  { name: 'payments', title: 'Finrail Payments API', path: inPackage('payments/openapi.yaml') },
  { name: 'open-banking', title: 'Finrail Open Banking API', path: inPackage('open-banking/openapi.yaml') },
];

/** Redocly configuration with Finrail's ruleset: recommended, strict rules as errors, finrail/* plugin rules. */
export const redoclyConfigPath: string = inPackage('redocly.yaml');
