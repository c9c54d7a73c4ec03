// The `finrail` command: a thin commander program. Each command lives in ./commands/<name>.ts,
// parses its options and calls library code; ./run-command.ts gives them shared error handling
// and exit codes. To add a command: add one line to `commands` below.
import { Command, CommanderError } from 'commander';
import packageJson from '../package.json' with { type: 'json' };
import { EXIT } from './exit-codes.ts';
import { reportError } from './run-command.ts';

// Commands load on demand: `finrail mock` should not pay for the ledger, pg or Pact in memory
// and start-up time. Top-level help (no command named) loads them all to list them.
const commands: Record<string, () => Promise<Command>> = {
  lint: async () => (await import('./commands/lint.ts')).lintCommand(),
  bundle: async () => (await import('./commands/bundle.ts')).bundleCommand(),
  docs: async () => (await import('./commands/docs.ts')).docsCommand(),
  start: async () => (await import('./commands/start.ts')).startCommand(),
  generate: async () => (await import('./commands/generate.ts')).generateCommand(),
  contracts: async () => (await import('./commands/contracts.ts')).contractsCommand(),
  mock: async () => (await import('./commands/mock.ts')).mockCommand(),
  sandbox: async () => (await import('./commands/sandbox.ts')).sandboxCommand(),
};

const program = new Command('finrail')
  .description('Contract-first OpenAPI toolkit for fintech: lint, bundle, document, generate, mock and verify OpenAPI 3.0/3.1 APIs')
  .version(packageJson.version);

const requested = process.argv.slice(2).find((argument) => !argument.startsWith('-'));
const toLoad = requested !== undefined && Object.hasOwn(commands, requested) ? [requested] : Object.keys(commands);
for (const name of toLoad) program.addCommand(await commands[name]!());

// Usage errors (unknown option, bad --format...) exit 2 after commander's own message; --help and --version exit 0.
const throwOnUsageErrors = (command: Command): void => {
  command.exitOverride();
  command.commands.forEach(throwOnUsageErrors);
};
throwOnUsageErrors(program);
// `finrail lint | head` closes stdout early: stop quietly instead of crashing on EPIPE.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(process.exitCode ?? EXIT.ok);
  throw error;
});

try {
  await program.parseAsync();
} catch (error) {
  if (error instanceof CommanderError) process.exitCode = error.exitCode === 0 ? EXIT.ok : EXIT.input;
  else process.exitCode = reportError(error);
}
