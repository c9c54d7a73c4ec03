// A tiny client for the sandbox in tests: token fetch, JSON requests, idempotency keys.
import { randomUUID } from 'node:crypto';
import type { Sandbox } from '../../src/sandbox/sandbox.ts';

export interface ApiResponse<T = any> {
  status: number;
  headers: Headers;
  body: T;
}

export async function accessToken(sandbox: Sandbox, scope?: string): Promise<string> {
  const client = sandbox.clients[0]!;
  const form = new URLSearchParams({ grant_type: 'client_credentials', client_id: client.clientId, client_secret: client.clientSecret, ...(scope ? { scope } : {}) });
  const response = await fetch(`${sandbox.url}/oauth/token`, { method: 'POST', body: form });
  const body = (await response.json()) as { access_token: string };
  return body.access_token;
}

export function apiClient(sandbox: Sandbox, token: string, basePath = '/wallets/v1') {
  return async function call<T = any>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<ApiResponse<T>> {
    const response = await fetch(`${sandbox.url}${basePath}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        // Open banking names the header the UK way.
        ...(method === 'POST' && !('Idempotency-Key' in headers) && !('x-idempotency-key' in headers)
          ? { [basePath.startsWith('/open-banking') ? 'x-idempotency-key' : 'Idempotency-Key']: randomUUID() }
          : {}),
        ...headers,
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : undefined };
  };
}
