// The sandbox under test when bench/http.ts runs it in a process of its own (the default), so
// the load generator does not share its event loop. Talks to the parent over IPC.
import { createSandbox } from '../src/sandbox/sandbox.ts';

const [path] = process.argv.slice(2) as [string];
const sandbox = await createSandbox({ port: 0, storage: 'sqlite', path, logger: false, seed: false, intervalMs: 0, validateResponses: false });
const database = sandbox.ledger.store.database as unknown as { stats: { commits: number; transactions: number; syncs: number } };

process.on('message', (message: { command: 'measure' | 'close' }) => {
  if (message.command === 'measure') {
    process.send!({ cpu: process.cpuUsage(), loop: performance.eventLoopUtilization(), stats: { ...database.stats } });
  } else {
    void sandbox.ledger
      .audit()
      .then(async (problems) => {
        process.send!({ problems });
        await sandbox.close();
      })
      .finally(() => process.disconnect());
  }
});
process.send!({ url: sandbox.url, client: sandbox.clients[0] });
