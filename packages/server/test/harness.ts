// Runs the same request through either adapter so every behaviour is checked on both.
import { afterAll } from 'vitest';
import { createRouter, serve, toFetchHandler, type ApiDefinition, type HandlerMap, type RouterOptions, type ServerHandle } from '../src/index.ts';

export type AdapterName = 'node' | 'fetch';
export const ADAPTERS: AdapterName[] = ['node', 'fetch'];

export interface TestResponse {
  status: number;
  headers: Headers;
  text: string;
  json: any;
}

export interface SendOptions {
  method?: string;
  headers?: Record<string, string>;
  body?: string | Uint8Array;
}

export type Send = (path: string, options?: SendOptions) => Promise<TestResponse>;

const handles: ServerHandle[] = [];
afterAll(async () => {
  await Promise.all(handles.splice(0).map((handle) => handle.close()));
});

export async function start(adapter: AdapterName, api: ApiDefinition, handlers: HandlerMap, options: RouterOptions = {}): Promise<Send> {
  const router = createRouter(api, handlers, { logger: false, security: false, ...options });
  if (adapter === 'node') {
    const handle = await serve(router, { signals: false });
    handles.push(handle);
    return async (path, init = {}) => toTestResponse(await fetch(`${handle.url}${path}`, { method: init.method ?? 'GET', headers: init.headers, body: init.body as BodyInit }));
  }
  const handler = toFetchHandler(router);
  return async (path, init = {}) =>
    toTestResponse(await handler(new Request(`http://example.test${path}`, { method: init.method ?? 'GET', headers: init.headers, body: init.body as BodyInit })));
}

async function toTestResponse(response: Response): Promise<TestResponse> {
  const text = await response.text();
  let json: unknown;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  return { status: response.status, headers: response.headers, text, json };
}
