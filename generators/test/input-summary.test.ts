import { describe, expect, it } from 'vitest';
import { summarizeSpec, type LoadedSpec } from '@finrail/generators';

const spec = (document: object, openapi: LoadedSpec['openapi'] = '3.1'): LoadedSpec => ({
  path: '/x/openapi.yaml',
  files: ['/x/openapi.yaml'],
  openapi,
  document: document as LoadedSpec['document'],
});

describe('summarizeSpec', () => {
  it('counts operations per path and method, webhooks, and every declared OAuth scope', () => {
    const summary = summarizeSpec(
      spec({
        openapi: '3.1.0',
        info: { title: 'Wallets', version: '1.2.0' },
        paths: {
          '/wallets': { get: {}, post: {}, parameters: [], summary: 'not an operation' },
          '/wallets/{id}': { $ref: '#/components/pathItems/Wallet' },
        },
        webhooks: { walletCreated: { post: {} }, walletClosed: { post: {} } },
        components: {
          pathItems: { Wallet: { get: {}, delete: {}, patch: {} } },
          securitySchemes: {
            oauth: { type: 'oauth2', flows: { clientCredentials: { scopes: { 'wallets:write': '', 'wallets:read': '' } } } },
            consent: { type: 'oauth2', flows: { authorizationCode: { scopes: { 'accounts:read': '', 'wallets:read': '' } } } },
            key: { type: 'apiKey', in: 'header', name: 'X-Key' },
          },
        },
      }),
    );
    expect(summary).toEqual({
      title: 'Wallets',
      version: '1.2.0',
      openapi: '3.1',
      operations: 5,
      webhooks: 2,
      scopes: ['accounts:read', 'wallets:read', 'wallets:write'],
    });
  });

  it('reads 3.0 x-webhooks and copes with a document that has no paths', () => {
    const summary = summarizeSpec(spec({ openapi: '3.0.3', info: { title: 'T', version: '1' }, 'x-webhooks': { a: {} } }, '3.0'));
    expect(summary).toMatchObject({ operations: 0, webhooks: 1, scopes: [] });
  });
});
