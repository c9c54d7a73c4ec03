// The floor bench/http.ts measures the sandbox against: a bare node:http server in a process of
// its own that reads each POST's JSON body and answers 201 with a transfer-sized JSON body, and
// does nothing else (no routing, validation, auth, idempotency, ledger or disk). Whatever this
// machine gives node:http at the moment, the sandbox cannot beat it; the ratio between the two
// says how much of it the API costs, whether the machine is in a fast or a slow phase.
// Talks to its parent over IPC: sends its URL once listening, stops on 'close'.
import { createServer } from 'node:http';

const TRANSFER = JSON.stringify({
  id: 'tr_01KBX4Q5J8V3R6T9W2Y5Z8A1C4',
  source_wallet_id: 'wal_01KBX4Q5J8V3R6T9W2Y5Z8A1C5',
  destination_wallet_id: 'wal_01KBX4Q5J8V3R6T9W2Y5Z8A1C6',
  amount: { amount: 100, currency: 'EUR' },
  description: null,
  debit_transaction_id: 'txn_01KBX4Q5J8V3R6T9W2Y5Z8A1C7',
  credit_transaction_id: 'txn_01KBX4Q5J8V3R6T9W2Y5Z8A1C8',
  metadata: {},
  created_at: '2026-12-07T12:00:00.000Z',
});

const server = createServer((request, response) => {
  const chunks: Buffer[] = [];
  request.on('data', (chunk: Buffer) => chunks.push(chunk));
  request.on('end', () => {
    JSON.parse(Buffer.concat(chunks).toString('utf8'));
    response.writeHead(201, { 'content-type': 'application/json', location: '/transfers/tr_01KBX4Q5J8V3R6T9W2Y5Z8A1C4' });
    response.end(TRANSFER);
  });
});
server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  if (typeof address === 'object' && address) process.send!({ url: `http://127.0.0.1:${address.port}` });
});
process.on('message', () => server.close(() => process.disconnect()));
