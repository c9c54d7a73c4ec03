// `npm start`: runs the quickstart against the sandbox (or FINRAIL_BASE_URL), then delivers a signed
// sample event to a local webhook receiver, the way Finrail delivers real ones.
import type { AddressInfo } from 'node:net';
import { Finrail } from '@finrail/sdk';
import { runQuickstart } from './quickstart.ts';
import { createWebhookReceiver } from './webhook-receiver.ts';

const finrail = new Finrail({
  environment: process.env.FINRAIL_BASE_URL ? { baseUrl: process.env.FINRAIL_BASE_URL } : 'sandbox',
  clientId: process.env.FINRAIL_CLIENT_ID ?? 'sandbox-client',
  clientSecret: process.env.FINRAIL_CLIENT_SECRET ?? 'sandbox-secret',
});
const { walletId, transactionIds } = await runQuickstart(finrail);

const secret = process.env.FINRAIL_WEBHOOK_SECRET ?? 'whsec_quickstart';
const receiver = createWebhookReceiver(finrail, secret, (event) => console.log(`webhook verified: ${event.type} ${event.id}`));
await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
const payload = JSON.stringify({
  id: 'evt_quickstart',
  type: 'wallet.transaction.posted',
  created_at: new Date().toISOString(),
  data: { id: transactionIds[0], wallet_id: walletId },
});
const signature = await finrail.webhooks.generateTestHeader({ payload, secret });
const { port } = receiver.address() as AddressInfo;
const delivery = await fetch(`http://127.0.0.1:${port}/webhooks/finrail`, { method: 'POST', headers: { 'finrail-signature': signature }, body: payload });
console.log(`receiver answered ${delivery.status}`);
receiver.close();
