import { displayPath } from '@finrail/generators/model';
import { consoleLogger, createMockServer, DEFAULT_MOCK_PORT, DEFAULT_WEBHOOK_SECRET, formatRouteTable, loadSpecsApart } from '@finrail/mock';
import { Command } from 'commander';
import { PerformanceObserver } from 'node:perf_hooks';
import { getHeapSpaceStatistics, setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { specsOrCanonical } from '../canonical-specs.ts';
import { formatProblemLine, printLines } from '../output.ts';
import { UsageError, runCommand } from '../run-command.ts';

interface MockOptions {
  port: string;
  host: string;
  seed: string;
  auth: boolean;
  cors: boolean;
  webhookUrl?: string;
  webhookSecret: string;
  watch?: boolean;
}

export function mockCommand(): Command {
  return new Command('mock')
    .description('serve a mock of each spec: documented examples (Prefer: code=, example=, dynamic=true), requests validated like the real server')
    .argument('[specs...]', 'spec files (default: the canonical wallets, payments and open-banking specs)')
    .option('-p, --port <port>', 'port to listen on (0: any free port)', String(DEFAULT_MOCK_PORT))
    .option('--host <host>', 'interface to listen on', '127.0.0.1')
    .option('--seed <n>', 'seed for generated (dynamic) data', '1')
    .option('--no-auth', 'do not enforce the specs\' security requirements')
    .option('--webhook-url <url>', 'POST signed webhooks and callbacks here after the operations that trigger them')
    .option('--webhook-secret <secret>', 'secret for the Finrail-Signature header', DEFAULT_WEBHOOK_SECRET)
    .option('--no-cors', 'do not answer CORS requests')
    .option('--watch', 'reload when a spec file changes')
    .action(
      runCommand(async (specs: string[], options: MockOptions) => {
        const port = integerOption('--port', options.port, 0, 65535);
        const seed = integerOption('--seed', options.seed, 0, 2 ** 32 - 1);
        if (options.webhookUrl !== undefined && !/^https?:\/\/\S+$/.test(options.webhookUrl)) throw new UsageError(`--webhook-url must be an http(s) URL, got ${options.webhookUrl}`);
        const mock = await createMockServer({
          specs: specsOrCanonical(specs),
          port,
          host: options.host,
          seed,
          auth: options.auth,
          cors: options.cors,
          webhookUrl: options.webhookUrl,
          webhookSecret: options.webhookSecret,
          watch: options.watch,
          logger: consoleLogger(),
          // Redocly stays in the short-lived process that bundles the specs: this one serves for hours.
          loadSpecs: loadSpecsApart,
        });
        for (const problem of mock.exampleProblems) {
          printLines([formatProblemLine({ file: problem.file, severity: 'warning', rule: 'invalid-example', message: `${problem.pointer} is never served: ${problem.violations.join('; ')}` })], process.stderr);
        }
        const lines = [formatRouteTable(mock.routes, mock.url), '', `finrail mock listening on ${mock.url} (seed ${seed})`];
        if (options.auth) {
          lines.push(`tokens: POST ${mock.url}/oauth/token (grant_type=client_credentials, any client id and secret); for example:`);
          lines.push(`  Authorization: Bearer ${await mock.issueToken()}`);
        } else lines.push('security: off (--no-auth)');
        if (options.webhookUrl) lines.push(`webhooks: ${options.webhookUrl} (Finrail-Signature secret ${options.webhookSecret})`);
        if (options.watch) lines.push(`watching ${specsOrCanonical(specs).map((spec) => displayPath(spec)).join(', ')}`);
        printLines([...lines, '']);
        releaseStartupMemory();
      }),
    );
}

/**
 * Loading, bundling and compiling the specs leaves V8 with its young generation grown to the
 * maximum (two 32 MB semi-spaces) and old-space pages mostly holding start-up garbage, all resident
 * for as long as the server runs: ~205 MB where ~120 MB is live. One memory-reducing ("last resort")
 * collection gives those pages back. Load would grow the young generation to the maximum again
 * (~165 MB); it is let grow to YOUNG_GENERATION_LIMIT only: a mock's per-request garbage dies young,
 * and at that size scavenges take ~5% of the time under load (~10% at the 1 MB it shrank to).
 * This is the CLI's call, for its own process; the library never touches an embedder's heap.
 */
function releaseStartupMemory(): void {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as (options: { type: 'major'; execution: 'sync'; flavor: 'last-resort' }) => void;
  setFlagsFromString('--no-expose-gc');
  gc({ type: 'major', execution: 'sync', flavor: 'last-resort' });
  limitYoungGeneration();
}

/** Both semi-spaces together, as V8 reports new_space. */
const YOUNG_GENERATION_LIMIT = 8 * 1024 * 1024;

/** V8 sizes the young generation only at start-up; its growth factor can change at any time. */
function limitYoungGeneration(): void {
  const stopGrowing = (): boolean => {
    const size = getHeapSpaceStatistics().find((space) => space.space_name === 'new_space')?.space_size ?? 0;
    if (size < YOUNG_GENERATION_LIMIT) return false;
    setFlagsFromString('--semi-space-growth-factor=1');
    return true;
  };
  if (stopGrowing()) return;
  const observer = new PerformanceObserver(() => {
    if (stopGrowing()) observer.disconnect();
  });
  observer.observe({ entryTypes: ['gc'] });
}

function integerOption(name: string, value: string, min: number, max: number): number {
  const number = Number(value);
  if (!/^\d+$/.test(value) || number < min || number > max) throw new UsageError(`${name} must be an integer from ${min} to ${max}, got ${value}`);
  return number;
}
