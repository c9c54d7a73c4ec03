import { buildDocsHtml } from '@finrail/generators';
import { createSandbox, type SandboxApi } from '@finrail/ledger';
import { canonicalSpecs } from '@finrail/specs';
import { Command } from 'commander';
import { printLines } from '../output.ts';
import { UsageError, runCommand } from '../run-command.ts';

interface SandboxCommandOptions {
  port: string;
  host: string;
  storage: string;
  databaseUrl?: string;
  seed: boolean;
}

export function sandboxCommand(): Command {
  return new Command('sandbox')
    .description('run the reference ledger behind the wallets, payments and open-banking APIs: a stateful sandbox with OAuth, seed data and docs')
    .option('-p, --port <port>', 'port to listen on (0: any free port)', '4010')
    .option('--host <host>', 'interface to listen on', '127.0.0.1')
    .option('--storage <path>', "SQLite file, or ':memory:' (also spelled memory) for a sandbox that forgets on exit (ignored with --database-url)", '.finrail/ledger.sqlite')
    .option('--database-url <url>', 'PostgreSQL connection string (default: $DATABASE_URL when set)')
    .option('--no-seed', 'start empty instead of with the specs\' fixture world')
    .action(
      runCommand(async (options: SandboxCommandOptions) => {
        const port = Number(options.port);
        if (!/^\d+$/.test(options.port) || port > 65535) throw new UsageError(`--port must be an integer from 0 to 65535, got ${options.port}`);
        const databaseUrl = options.databaseUrl ?? process.env.DATABASE_URL;
        if (databaseUrl !== undefined && !/^postgres(ql)?:\/\//.test(databaseUrl)) throw new UsageError(`--database-url must be a postgres:// URL, got ${databaseUrl}`);
        const specPath = (api: SandboxApi) => canonicalSpecs.find((spec) => spec.name === api)!.path;
        const sandbox = await createSandbox({
          port,
          host: options.host,
          ...(databaseUrl ? { storage: 'postgres' as const, databaseUrl } : options.storage === ':memory:' || options.storage === 'memory' ? { storage: 'memory' as const } : { storage: 'sqlite' as const, path: options.storage }),
          seed: options.seed,
          docs: (api) => buildDocsHtml(specPath(api)),
        });
        const client = sandbox.clients[0]!;
        printLines([
          `finrail sandbox listening on ${sandbox.url} (storage: ${databaseUrl ? 'PostgreSQL' : options.storage})`,
          `  wallets       ${sandbox.url}/wallets/v1`,
          `  payments      ${sandbox.url}/payments/v1`,
          `  open banking  ${sandbox.url}/open-banking/v4.0`,
          `  docs          ${sandbox.url}/docs     health ${sandbox.url}/health`,
          `  tokens        POST ${sandbox.url}/oauth/token (grant_type=client_credentials)`,
          `  client id     ${client.clientId}`,
          `  client secret ${client.clientSecret}`,
          '',
        ]);
        const stop = () => void sandbox.close().then(() => process.exit(0));
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      }),
    );
}
