// The partner quickstart: create a wallet, top it up, read its history page by page.
import type { Finrail } from '@finrail/sdk';

export interface QuickstartResult {
  walletId: string;
  transactionIds: string[];
}

export async function runQuickstart(finrail: Finrail, log: (line: string) => void = console.log): Promise<QuickstartResult> {
  const wallet = await finrail.wallets.create({
    body: { currency: 'EUR', owner_reference: 'customer-1042', display_name: 'Alice Martin' },
  });
  log(`created wallet ${wallet.id} (request ${wallet.lastResponse.requestId})`);

  // Each top-up gets its own idempotency key from the SDK, reused if the SDK has to retry it.
  for (const amount of [100_00, 250_00, 50_00]) {
    const topUp = await finrail.wallets.topUps.create({
      walletId: wallet.id,
      body: { amount: { amount, currency: 'EUR' }, funding_reference: `quickstart-${amount}` },
    });
    log(`topped up ${formatMoney(topUp.amount)} (transaction ${topUp.transaction_id})`);
  }

  // Two per page to show auto-paging: the loop fetches the next page when it needs it.
  const transactionIds: string[] = [];
  for await (const transaction of finrail.wallets.transactions.list({ walletId: wallet.id, limit: 2 })) {
    log(`  ${transaction.id} ${transaction.type} ${transaction.direction} ${formatMoney(transaction.amount)}`);
    transactionIds.push(transaction.id);
  }
  return { walletId: wallet.id, transactionIds };
}

function formatMoney(money: { amount: number; currency: string }): string {
  return `${(money.amount / 100).toFixed(2)} ${money.currency}`;
}
