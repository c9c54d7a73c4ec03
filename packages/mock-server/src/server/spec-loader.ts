// Reading and bundling specs needs Redocly, and a process that imports it keeps tens of MB more
// resident for as long as it runs. `finrail mock` loads its specs in a short-lived child process
// (a worker thread would leave its allocations behind): only the bundled documents come back.
import { fork } from 'node:child_process';
import { extname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SpecInputError, type LoadedSpec, type SpecInputErrorInit } from '@finrail/generators/model';

type LoaderReply = { specs: LoadedSpec[]; error?: never } | { error: Partial<SpecInputErrorInit> & { name?: string; message: string }; specs?: never };

/** Loads the specs as `loadSpec` does, in a child process; a SpecInputError thrown there is thrown here. */
export function loadSpecsApart(paths: readonly string[]): Promise<LoadedSpec[]> {
  // Resolved here, under this process's export conditions: a checkout loads the TypeScript sources.
  const loader = import.meta.resolve('@finrail/generators/load');
  // Next to this module: spec-loader-process.ts in the sources, .js or .cjs in a build.
  const script = new URL(`./spec-loader-process${extname(fileURLToPath(import.meta.url))}`, import.meta.url);
  return new Promise((resolve, reject) => {
    const child = fork(script, [loader, JSON.stringify(paths)], { execArgv: [], stdio: ['ignore', 'inherit', 'inherit', 'ipc'], serialization: 'advanced' });
    let reply: LoaderReply | undefined;
    child.once('message', (message) => (reply = message as LoaderReply));
    child.once('error', reject);
    child.once('exit', (code) => {
      if (reply?.specs) resolve(reply.specs);
      else if (reply?.error) reject(reply.error.name === 'SpecInputError' ? new SpecInputError(reply.error as SpecInputErrorInit) : new Error(reply.error.message));
      else reject(new Error(`the spec loader ended (exit code ${code}) without an answer`));
    });
  });
}
