/**
 * `runCommand(action)` wraps a commander action so every finrail command handles failure the same
 * way. Use it for every command:
 *
 *   new Command('mock').argument('[specs...]').action(runCommand(async (specs, options) => {
 *     ...;                 // call library code in @finrail/generators / packages
 *     return EXIT.failed;  // or EXIT.ok / nothing; becomes the process exit code
 *   }));
 *
 * - Return an exit code from `EXIT` (./exit-codes.ts), or nothing for 0. The code is set on
 *   `process.exitCode`, never `process.exit()`, so pending output is flushed.
 * - Throw `SpecInputError` (from `loadSpec` and friends): printed to stderr as
 *   `file:line:col  error  input  message`, exit 2.
 * - Throw `UsageError` for a bad combination of options: `finrail <command>: message`, exit 2.
 * - A server that cannot listen (port taken, no permission, no such address) is the machine's
 *   state or the options, not a bug: one line saying which, exit 2.
 * - Anything else is a bug: one line plus "please report", exit 3. The stack trace is printed
 *   only with FINRAIL_DEBUG=1.
 * Long-running commands (servers) may simply never resolve; they own their signal handling.
 */
import { isSpecInputError } from '@finrail/generators/model';
import type { Command } from 'commander';
import { EXIT } from './exit-codes.ts';
import { formatProblemLine, inputErrorLine, note } from './output.ts';

/** A user mistake in how the command was called (not in the spec): exit 2, no stack. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

export function runCommand<Args extends unknown[]>(action: (...args: Args) => Promise<number | void> | number | void) {
  return async (...args: Args): Promise<void> => {
    try {
      const code = await action(...args);
      process.exitCode = code ?? EXIT.ok;
    } catch (error) {
      process.exitCode = reportError(error, commandName(args));
    }
  };
}

/** Prints any thrown error the finrail way and returns the exit code it maps to. */
export function reportError(error: unknown, command = 'finrail'): number {
  if (isSpecInputError(error)) {
    note(formatProblemLine(inputErrorLine(error)));
    return EXIT.input;
  }
  if (error instanceof UsageError) {
    note(`${command}: ${error.message}`);
    return EXIT.input;
  }
  const listen = listenFailure(error);
  if (listen) {
    note(`${command}: ${listen}`);
    return EXIT.input;
  }
  const message = error instanceof Error ? error.message.split('\n')[0] : String(error);
  note(`${command}: unexpected error: ${message} (this is a bug in finrail, please report it with the command you ran${isDebug() ? '' : '; FINRAIL_DEBUG=1 prints the stack trace'})`);
  if (isDebug() && error instanceof Error && error.stack) note(error.stack);
  return EXIT.internal;
}

/** Why a server could not listen, for the errors the machine or the options cause. */
function listenFailure(error: unknown): string | undefined {
  const { syscall, code, address, port } = (error ?? {}) as NodeJS.ErrnoException & { address?: string; port?: number };
  if (syscall !== 'listen') return undefined;
  const where = `cannot listen on ${address}:${port}`;
  if (code === 'EADDRINUSE') return `${where}: the port is in use (another sandbox or mock server?); stop it, or choose another port with --port`;
  if (code === 'EACCES') return `${where}: permission denied (ports below 1024 need privileges); choose another port with --port`;
  if (code === 'EADDRNOTAVAIL') return `${where}: no interface of this machine has that address; check --host`;
  return undefined;
}

function isDebug(): boolean {
  const flag = process.env.FINRAIL_DEBUG;
  return flag !== undefined && flag !== '' && flag !== '0' && flag !== 'false';
}

/** Commander passes the Command itself as the last action argument. */
function commandName(args: unknown[]): string {
  const last = args.at(-1) as Command | undefined;
  return typeof last?.name === 'function' ? `finrail ${last.name()}` : 'finrail';
}
