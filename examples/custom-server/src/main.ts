// Runs the payments slice on node:http with bearer JWTs (HS256, shared secret) enforced.
import { serve } from '@finrail/server';
import { createPaymentsApp } from './payments-app.ts';

const secret = process.env.PAYMENTS_JWT_SECRET ?? 'development-secret-at-least-32-bytes!!';
const app = createPaymentsApp({
  security: { bearer: { key: secret, issuer: 'https://auth.example.com', audience: 'payments', algorithms: ['HS256'] } },
});
const handle = await serve(app, { port: Number(process.env.PORT ?? 3000), host: process.env.HOST ?? '127.0.0.1' });
console.log(`payments slice listening on ${handle.url}/payments/v1 (Ctrl+C drains and stops)`);
