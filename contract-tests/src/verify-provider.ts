import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Verifier as PactCoreVerifier } from '@pact-foundation/pact-core';

// The Rust core reports anonymous usage unless told not to; tests must not phone home.
process.env.PACT_DO_NOT_TRACK ??= 'true';

export type StateParams = Record<string, unknown>;

/** Seeds (and optionally cleans up) the provider so that one named provider state holds. */
export interface ProviderStateHandler {
  setup?: (params: StateParams) => Promise<Record<string, unknown> | void> | Record<string, unknown> | void;
  teardown?: (params: StateParams) => Promise<void> | void;
}

export interface VerifyPactsOptions {
  /** Base URL of the running provider under test. */
  providerBaseUrl: string;
  provider: string;
  pactFiles: string[];
  stateHandlers: Record<string, ProviderStateHandler>;
  logLevel?: 'trace' | 'debug' | 'info' | 'warn' | 'error';
}

export interface StateFailure {
  state: string;
  action: 'setup' | 'teardown';
  params: StateParams;
  message: string;
}

export interface InteractionFailure {
  interaction: string;
  mismatches: string[];
}

/** Verification failed: interactions that did not match and/or provider states that could not be set up. */
export class ProviderVerificationError extends Error {
  readonly interactionFailures: InteractionFailure[];
  readonly stateFailures: StateFailure[];
  readonly missingStates: string[];

  constructor(failures: { interactions: InteractionFailure[]; states: StateFailure[]; missingStates: string[] }) {
    const lines: string[] = [];
    for (const name of failures.missingStates) lines.push(`no state handler for provider state "${name}"`);
    for (const f of failures.states) {
      lines.push(`provider state "${f.state}" failed on ${f.action} (params ${JSON.stringify(f.params)}): ${f.message}`);
    }
    for (const f of failures.interactions) lines.push(`${f.interaction}: ${f.mismatches.join('; ')}`);
    super(`provider verification failed:\n  ${lines.join('\n  ')}`);
    this.name = 'ProviderVerificationError';
    this.interactionFailures = failures.interactions;
    this.stateFailures = failures.states;
    this.missingStates = failures.missingStates;
  }
}

/**
 * Verifies pact files against a running provider with the Pact Verifier (the Rust core), stricter
 * than Pact JS's defaults: every provider state named in the pacts must have a handler (checked
 * before anything runs), and a handler that throws fails the verification. Pact JS only logs a
 * throwing handler; here the state-change endpoint is our own: it records the failure, still
 * answers 2xx (a non-2xx makes the core retry with backoff), and the failure is raised once the
 * run completes.
 */
export async function verifyPacts(options: VerifyPactsOptions): Promise<void> {
  const missingStates = (await providerStatesOf(options.pactFiles)).filter((name) => !Object.hasOwn(options.stateHandlers, name));
  if (missingStates.length > 0) throw new ProviderVerificationError({ interactions: [], states: [], missingStates });

  const stateFailures: StateFailure[] = [];
  const stateServer = createServer(async (req, res) => {
    const change = await readStateChange(req);
    const handler = change && options.stateHandlers[change.state];
    let result: Record<string, unknown> | void = undefined;
    if (change && handler) {
      try {
        result = change.action === 'teardown' ? await handler.teardown?.(change.params) : await handler.setup?.(change.params);
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        stateFailures.push({ state: change.state, action: change.action, params: change.params, message });
      }
    }
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(result ?? {}));
  });
  await new Promise<void>((resolve) => stateServer.listen(0, '127.0.0.1', resolve));
  const { port } = stateServer.address() as AddressInfo;

  let interactionFailures: InteractionFailure[] = [];
  try {
    await new PactCoreVerifier({
      provider: options.provider,
      providerBaseUrl: options.providerBaseUrl,
      pactUrls: options.pactFiles,
      providerStatesSetupUrl: `http://127.0.0.1:${port}/`,
      logLevel: options.logLevel ?? 'warn',
    }).verify();
  } catch (error) {
    interactionFailures = parseVerifierFailure(error);
  } finally {
    await new Promise((resolve) => stateServer.close(resolve));
  }
  if (interactionFailures.length > 0 || stateFailures.length > 0) {
    throw new ProviderVerificationError({ interactions: interactionFailures, states: stateFailures, missingStates: [] });
  }
}

interface StateChange {
  state: string;
  action: StateFailure['action'];
  params: StateParams;
}

async function readStateChange(req: IncomingMessage): Promise<StateChange | undefined> {
  let raw = '';
  for await (const chunk of req) raw += chunk;
  try {
    const body = JSON.parse(raw) as { state?: unknown; action?: unknown; params?: unknown };
    if (typeof body.state !== 'string') return undefined;
    return { state: body.state, action: body.action === 'teardown' ? 'teardown' : 'setup', params: asParams(body.params) };
  } catch {
    return undefined;
  }
}

function asParams(params: unknown): StateParams {
  return params !== null && typeof params === 'object' && !Array.isArray(params) ? (params as StateParams) : {};
}

/** Every distinct provider state name used by the interactions of the given pact files. */
export async function providerStatesOf(pactFiles: string[]): Promise<string[]> {
  const names = new Set<string>();
  for (const file of pactFiles) {
    const pact = JSON.parse(await readFile(file, 'utf8')) as {
      interactions?: Array<{ providerState?: string; providerStates?: Array<{ name: string }> }>;
    };
    for (const interaction of pact.interactions ?? []) {
      if (interaction.providerState) names.add(interaction.providerState);
      for (const state of interaction.providerStates ?? []) names.add(state.name);
    }
  }
  return [...names].sort();
}

// Pact JS rejects with an Error whose message is the core's JSON result; anything else is unexpected.
function parseVerifierFailure(error: unknown): InteractionFailure[] {
  const message = error instanceof Error ? error.message : String(error);
  let result: { errors?: Array<{ interaction: string; mismatch?: { mismatches?: Array<{ mismatch?: string; path?: string }>; message?: string } }> };
  try {
    result = JSON.parse(message);
  } catch {
    return [{ interaction: '(verifier)', mismatches: [message] }];
  }
  const failures = (result.errors ?? []).map((e) => ({
    interaction: e.interaction,
    mismatches: e.mismatch?.mismatches?.map((m) => (m.path ? `${m.path}: ${m.mismatch}` : String(m.mismatch))) ?? [
      e.mismatch?.message ?? 'failed',
    ],
  }));
  return failures.length > 0 ? failures : [{ interaction: '(verifier)', mismatches: [message.slice(0, 500)] }];
}
