// node:http adapter: the fast path. No Fetch API objects; the body is read as Buffers and the
// response written with writeHead/end. `serve` adds listening and graceful shutdown.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { flushLogs } from './logger.ts';
import type { Router } from './router.ts';
import type { RawRequest, RawResponse } from './types.ts';

export type NodeListener = (req: IncomingMessage, res: ServerResponse) => void;

export interface NodeListenerOptions {
  /** While true (a shutdown is draining), responses close their connection. */
  isDraining?: () => boolean;
}

export function toNodeListener(router: Router, options: NodeListenerOptions = {}): NodeListener {
  const isDraining = options.isDraining ?? (() => false);
  const dispatch = router.dispatch ? router.dispatch.bind(router) : router.handle.bind(router);
  return (req, res) => {
    const raw = fromIncomingMessage(req);
    const failed = (error: unknown): void => {
      router.logger.error({ err: error }, 'adapter failure');
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/problem+json' });
      res.end('{"type":"about:blank","title":"Internal server error","status":500}');
    };
    const write = (response: RawResponse): void => {
      try {
        writeResponse(res, response, raw.truncated || isDraining());
      } catch (error) {
        failed(error); // e.g. a handler's header value node:http refuses
      }
    };
    let response: RawResponse | Promise<RawResponse>;
    try {
      response = dispatch(raw);
    } catch (error) {
      failed(error);
      return;
    }
    if (response instanceof Promise) response.then(write, failed);
    else write(response);
  };
}

interface NodeRawRequest extends RawRequest {
  truncated: boolean;
}

function fromIncomingMessage(req: IncomingMessage): NodeRawRequest {
  const url = req.url ?? '/';
  const question = url.indexOf('?');
  const headers = req.headers;
  const raw: NodeRawRequest = {
    method: req.method ?? 'GET',
    path: question === -1 ? url : url.slice(0, question),
    rawQuery: question === -1 ? '' : url.slice(question + 1),
    header: (name) => {
      const value = headers[name];
      return Array.isArray(value) ? value.join(', ') : value;
    },
    readBody: (limit) => readBody(req, limit, raw),
    native: req,
    truncated: false,
  };
  return raw;
}

function readBody(req: IncomingMessage, limit: number, raw: NodeRawRequest): Promise<Uint8Array | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size > limit) {
        cleanup();
        raw.truncated = true;
        resolve(null);
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = (): void => {
      cleanup();
      resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size));
    };
    const onError = (error: Error): void => {
      cleanup();
      reject(error);
    };
    const cleanup = (): void => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
    };
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
  });
}

function writeResponse(res: ServerResponse, response: RawResponse, closeConnection: boolean): void {
  // A body cut short at the size limit leaves unread bytes on the socket, and a draining server
  // wants its keep-alive connections gone: do not reuse the connection.
  if (closeConnection) res.shouldKeepAlive = false;
  const headers = response.headers as Record<string, string | string[]>;
  if (response.body !== undefined && headers['content-length'] === undefined) {
    headers['content-length'] = String(typeof response.body === 'string' ? Buffer.byteLength(response.body) : response.body.byteLength);
  }
  res.writeHead(response.status, headers);
  res.end(response.body);
}

export interface ServeOptions {
  /** Default 0 (an ephemeral port). */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** Signals that trigger a graceful shutdown. Default SIGTERM and SIGINT; false for none. */
  signals?: readonly NodeJS.Signals[] | false;
  /** After this many ms of draining, remaining connections are cut. Default 10 s. */
  shutdownTimeout?: number;
  /** Runs after the server drained, before a signal is re-raised (close databases here). */
  onShutdown?: () => void | Promise<void>;
}

export interface ServerHandle {
  server: Server;
  port: number;
  /** `http://host:port`. */
  url: string;
  /** Stops accepting connections, lets in-flight requests finish, then resolves. */
  close(): Promise<void>;
}

export async function serve(router: Router, options: ServeOptions = {}): Promise<ServerHandle> {
  let draining = false;
  const server = createServer({ keepAliveTimeout: 5_000 }, toNodeListener(router, { isDraining: () => draining }));
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const signals = options.signals === false ? [] : (options.signals ?? ['SIGTERM', 'SIGINT']);

  let closing: Promise<void> | undefined;
  const close = (): Promise<void> =>
    (closing ??= new Promise<void>((resolve) => {
      draining = true;
      for (const signal of signals) process.off(signal, onSignal);
      const timer = setTimeout(() => server.closeAllConnections(), options.shutdownTimeout ?? 10_000);
      timer.unref();
      server.close(() => {
        clearTimeout(timer);
        resolve();
      });
      server.closeIdleConnections();
    }).then(() => options.onShutdown?.()));

  const onSignal = (signal: NodeJS.Signals): void => {
    router.logger.info({ signal }, 'shutting down: draining in-flight requests');
    void close().then(() => {
      router.logger.info({ signal }, 'shut down');
      flushLogs();
      // Re-raise so the process ends with the conventional status for the signal.
      if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
    });
  };
  for (const signal of signals) process.once(signal, onSignal);

  const printableHost = host.includes(':') ? `[${host}]` : host;
  return { server, port, url: `http://${printableHost}:${port}`, close };
}
