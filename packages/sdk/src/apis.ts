import { tokenSourceFor, type ClientOptions } from '@finrail/runtime';
import { environmentOrigin } from './environments.ts';
import type { FinrailOptions } from './options.ts';
import { VERSION } from './version.ts';

/** How one generated API client is mounted on `Finrail`. */
export interface ApiDefinition<Client extends object = object> {
  Client: new (options: ClientOptions) => Client;
  /** The spec's server base path, e.g. `/wallets/v1`. */
  basePath: string;
  /** A resource of the client that is also reachable directly (`finrail.wallets.create`). */
  primaryResource?: string;
}

/**
 * A generated client, plus the members of its primary resource: `finrail.wallets.create()` is
 * `walletsClient.wallets.create()`, while `finrail.wallets.holds` stays `walletsClient.holds`.
 */
export type ApiSurface<Client, Primary extends string> = Client &
  (Primary extends keyof Client ? Omit<Client[Primary], keyof Client> : unknown);

export type Apis<Definitions extends Record<string, ApiDefinition>> = {
  [Name in keyof Definitions]: Definitions[Name] extends { Client: new (options: ClientOptions) => infer Client; primaryResource: infer Primary extends string }
    ? ApiSurface<Client, Primary>
    : Definitions[Name] extends ApiDefinition<infer Client>
      ? Client
      : never;
};

/** Instantiates every API client with shared settings and one shared OAuth token cache. */
export function createApis<const Definitions extends Record<string, ApiDefinition>>(
  definitions: Definitions,
  options: FinrailOptions,
): Apis<Definitions> {
  const origin = environmentOrigin(options.environment);
  const shared: Omit<ClientOptions, 'baseUrl'> = {
    // Resolved once, so all APIs share one token cache. The token endpoint sits beside the APIs.
    accessToken: tokenSourceFor({ ...options, baseUrl: origin, tokenUrl: options.tokenUrl ?? `${origin}/oauth/token` }),
    timeout: options.timeout,
    maxRetries: options.maxRetries,
    fetch: options.fetch,
    headers: options.headers,
    traceparent: options.traceparent,
    userAgent: options.userAgent ?? `finrail-sdk/${VERSION}`,
  };
  const apis: Record<string, unknown> = {};
  for (const [name, { Client, basePath, primaryResource }] of Object.entries(definitions)) {
    apis[name] = withPrimaryResource(new Client({ ...shared, baseUrl: origin + basePath }), primaryResource);
  }
  return apis as Apis<Definitions>;
}

function withPrimaryResource(client: object, primaryResource: string | undefined): unknown {
  const resource: unknown = primaryResource === undefined ? undefined : (client as Record<string, unknown>)[primaryResource];
  if (typeof resource !== 'object' || resource === null) return client;
  return new Proxy(client, {
    get(target, property, receiver) {
      if (property in target) return Reflect.get(target, property, receiver);
      const value: unknown = Reflect.get(resource, property);
      // Generated methods use #private fields, so they must run with the resource as `this`.
      return typeof value === 'function' ? value.bind(resource) : value;
    },
    has: (target, property) => property in target || property in resource,
  });
}
