// Fetch API adapter, `(Request) => Promise<Response>`, for Bun, Deno, edge runtimes and msw.
import type { Router } from './router.ts';
import type { RawRequest } from './types.ts';

export type FetchHandler = (request: Request) => Promise<Response>;

const NULL_BODY_STATUSES = new Set([101, 103, 204, 205, 304]);

export function toFetchHandler(router: Router): FetchHandler {
  return async (request) => {
    const url = new URL(request.url);
    const raw: RawRequest = {
      method: request.method,
      path: url.pathname,
      rawQuery: url.search.slice(1),
      header: (name) => request.headers.get(name) ?? undefined,
      readBody: (limit) => readLimited(request, limit),
      hasBody: request.body !== null,
      native: request,
    };
    const response = await router.handle(raw);
    const headers = new Headers();
    for (const [name, value] of Object.entries(response.headers)) {
      if (typeof value === 'string') headers.set(name, value);
      else for (const item of value) headers.append(name, item);
    }
    const body = NULL_BODY_STATUSES.has(response.status) ? null : (response.body ?? null);
    return new Response(body as BodyInit | null, { status: response.status, headers });
  };
}

async function readLimited(request: Request, limit: number): Promise<Uint8Array | null> {
  if (!request.body) return new Uint8Array(0);
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel();
      return null;
    }
    chunks.push(value);
  }
  const body = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    body.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return body;
}
