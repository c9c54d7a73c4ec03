// Consumer side: replays generated interaction definitions through a real client (the SDK)
// against the Pact mock server, one mock server per interaction (several interactions of one
// operation share a request and differ only by provider state), and writes the pact file.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PactV4 } from '@pact-foundation/pact';
import type { TemplateHeaders } from '@pact-foundation/pact';
import type { PactInteraction } from './generated/wallets/pact-interactions.ts';

process.env.PACT_DO_NOT_TRACK ??= 'true';

/** The shape the `pact` generator target emits; every API's generated file declares the same one. */
export type { PactInteraction };

/** Calls the operation on a client pointed at `baseUrl`; resolves with the HTTP status it saw. */
export type CallThroughClient = (baseUrl: string, interaction: PactInteraction) => Promise<number>;

export interface RecordPactOptions {
  consumer: string;
  provider: string;
  /** Directory the pact file is written to, as `<consumer>-<provider>.json`. */
  dir: string;
  interactions: readonly PactInteraction[];
  call: CallThroughClient;
}

export interface RecordedInteraction {
  description: string;
  /** The status the client reported; equals the interaction's when the client behaved. */
  status: number;
}

/**
 * Registers every interaction and drives `call` against the mock server for each. Pact fails an
 * interaction the client did not send exactly (unmatched or missing request); the returned
 * statuses let the caller assert the client surfaced each response. The file is rewritten from
 * scratch with its interactions in definition order, so it is byte-identical across runs.
 */
export async function recordPact(options: RecordPactOptions): Promise<{ file: string; recorded: RecordedInteraction[] }> {
  const file = `${options.dir}/${options.consumer}-${options.provider}.json`;
  // Pact merges every test into the pact file it writes, rereading it each time; one scratch
  // directory per interaction keeps that linear, and the pieces are joined at the end.
  const scratch = await mkdtemp(join(tmpdir(), 'finrail-pact-'));
  const recorded: RecordedInteraction[] = [];
  const pieces: string[] = [];
  try {
    for (const [index, interaction] of options.interactions.entries()) {
      const dir = join(scratch, String(index));
      const pact = new PactV4({ consumer: options.consumer, provider: options.provider, dir, logLevel: 'error' });
      let builder = pact.addInteraction();
      if (interaction.providerState) builder = builder.given(interaction.providerState.name, interaction.providerState.params as never);
      await builder
        .uponReceiving(interaction.description)
        .withRequest(interaction.request.method, interaction.request.path, (request) => {
          if (interaction.request.query) request.query(interaction.request.query);
          if (interaction.request.headers) request.headers(interaction.request.headers as TemplateHeaders);
          if (interaction.request.body !== undefined) request.jsonBody(interaction.request.body);
        })
        .willRespondWith(interaction.response.status, (response) => {
          if (interaction.response.headers) response.headers(interaction.response.headers as TemplateHeaders);
          if (interaction.response.body !== undefined) response.jsonBody(interaction.response.body);
        })
        .executeTest(async (mock) => {
          recorded.push({ description: interaction.description, status: await options.call(mock.url, interaction) });
        });
      pieces.push(join(dir, `${options.consumer}-${options.provider}.json`));
    }
    await writeFile(file, await joinPacts(pieces));
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
  return { file, recorded };
}

/** One pact from single-interaction pacts, interactions in the given order, pretty-printed. */
async function joinPacts(files: readonly string[]): Promise<string> {
  let joined: { interactions: unknown[] } | undefined;
  for (const piece of files) {
    const pact = JSON.parse(await readFile(piece, 'utf8')) as { interactions: unknown[] };
    if (!joined) joined = { ...pact, interactions: [] };
    joined.interactions.push(...pact.interactions);
  }
  return `${JSON.stringify(joined ?? { interactions: [] }, null, 2)}\n`;
}
