import { request } from 'node:http';
import { describe, expect, it } from 'vitest';
import { createRouter, serve, type ApiDefinition } from '../src/index.ts';

const api: ApiDefinition = {
  operations: [{ operationId: 'slow', method: 'get', path: '/slow', parameters: [], responses: { '200': { contentTypes: ['application/json'] } }, validators: {} }],
};

function get(url: string): Promise<{ status: number; body: string; connection: string | undefined }> {
  return new Promise((resolve, reject) => {
    request(url, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, connection: res.headers.connection }));
    })
      .on('error', reject)
      .end();
  });
}

describe('graceful shutdown', () => {
  it('drains in-flight requests, then refuses new connections', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let entered!: () => void;
    const inside = new Promise<void>((resolve) => (entered = resolve));
    const router = createRouter(
      api,
      {
        slow: async () => {
          entered();
          await gate;
          return { status: 200, body: { done: true } };
        },
      },
      { logger: false },
    );
    let shutdownHookRan = false;
    const handle = await serve(router, { signals: false, onShutdown: () => void (shutdownHookRan = true) });
    const inFlight = get(`${handle.url}/slow`);
    await inside;
    let closed = false;
    const closing = handle.close().then(() => (closed = true));
    await new Promise((resolve) => setImmediate(resolve));
    expect(closed).toBe(false);
    await expect(get(`${handle.url}/slow`)).rejects.toThrow(/ECONNREFUSED/);
    release();
    const response = await inFlight;
    expect(response).toMatchObject({ status: 200, body: '{"done":true}', connection: 'close' });
    await closing;
    expect(closed).toBe(true);
    expect(shutdownHookRan).toBe(true);
  });

  it('drains on SIGTERM when signals are handled', async () => {
    const router = createRouter(api, { slow: () => ({ status: 200, body: {} }) }, { logger: false });
    const handle = await serve(router, { signals: ['SIGUSR2'] });
    const closed = new Promise<void>((resolve) => handle.server.once('close', () => resolve()));
    // A second listener keeps the runtime from re-raising the signal (which would end the test process).
    const keepAlive = () => {};
    process.on('SIGUSR2', keepAlive);
    try {
      process.kill(process.pid, 'SIGUSR2');
      await closed;
      // The runtime's own continuation on close() was registered first, so it has run by now.
      await handle.close();
      expect(handle.server.listening).toBe(false);
    } finally {
      process.off('SIGUSR2', keepAlive);
    }
  });
});
