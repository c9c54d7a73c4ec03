// The sandbox under test when bench/http.ts runs it in a process of its own (the default), so
// the load generator does not share its event loop. Talks to the parent over IPC.
//   http-server.ts <sqlite file> [--profile FILE] [--access-log]
// --profile CPU-profiles the measured window (between the two `measure` commands) into FILE;
// --access-log logs every request as the CLI's sandbox does (to this process's stdout).
import { parseArgs } from 'node:util';
import { createSandbox } from '../src/sandbox/sandbox.ts';
import { startableProfiler } from './profiler.ts';
import { cpuByThreadName } from './thread-cpu.ts';

const { positionals, values } = parseArgs({ allowPositionals: true, options: { profile: { type: 'string' }, 'access-log': { type: 'boolean', default: false } } });
const [path] = positionals as [string];
const profiler = values.profile === undefined ? undefined : await startableProfiler(values.profile);
// Without a logger of its own the sandbox logs as the CLI's does: pino, level info, to stdout.
const logger = values['access-log'] ? undefined : false;
const sandbox = await createSandbox({ port: 0, storage: 'sqlite', path, logger, seed: false, intervalMs: 0, validateResponses: false });
const database = sandbox.ledger.store.database as unknown as { stats: { commits: number; transactions: number } };

process.on('message', (message: { command: 'measure' | 'close' }) => {
  if (message.command === 'measure') {
    const measure = { cpu: process.cpuUsage(), thread: process.threadCpuUsage(), loop: performance.eventLoopUtilization(), stats: { ...database.stats }, threads: [...cpuByThreadName()] };
    if (profiler) void profiler.toggle().then(() => process.send!(measure));
    else process.send!(measure);
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
