// A webhook endpoint: verify the signature over the raw bytes, then act on the typed event.
import { createServer, type Server } from 'node:http';
import { WebhookSignatureError, type Finrail, type WebhookEvent } from '@finrail/sdk';

export function createWebhookReceiver(finrail: Finrail, secret: string, onEvent: (event: WebhookEvent) => void): Server {
  return createServer(async (request, response) => {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    try {
      // The raw body, not re-serialized JSON: the signature covers the exact bytes sent.
      const event = await finrail.webhooks.verify(Buffer.concat(chunks), request.headers, secret);
      onEvent(event);
      response.writeHead(204).end();
    } catch (error) {
      if (!(error instanceof WebhookSignatureError)) throw error;
      const problem = { type: 'https://docs.finrail.dev/problems/invalid-request', title: 'Invalid request', status: 400, detail: error.message };
      response.writeHead(400, { 'content-type': 'application/problem+json' }).end(JSON.stringify(problem));
    }
  });
}
