// Publishing pacts to a Pact Broker (or PactFlow) with the broker's "publish contracts" API
// (POST /contracts/publish): one request per consumer version, carrying every pact, the branch
// and tags. No broker is needed for anything else in Finrail; this is for teams that run one.
import { readFile } from 'node:fs/promises';
import { PactInputError, parsePact } from './pact-file.ts';

export interface PublishPactsOptions {
  brokerUrl: string;
  pactFiles: readonly string[];
  /** The consumer's version, usually the git commit. */
  consumerVersion: string;
  branch?: string;
  tags?: readonly string[];
  /** Bearer token (PactFlow) or basic credentials (self-hosted broker). */
  token?: string;
  username?: string;
  password?: string;
  fetch?: typeof fetch;
}

export interface PublishResult {
  consumer: string;
  providers: string[];
  /** The broker's notices (what it did, where to look), as it words them. */
  notices: string[];
}

export class PactPublishError extends Error {
  readonly status: number | undefined;
  constructor(message: string, status?: number) {
    super(message);
    this.name = 'PactPublishError';
    this.status = status;
  }
}

export async function publishPacts(options: PublishPactsOptions): Promise<PublishResult> {
  const contracts: Array<Record<string, string>> = [];
  let consumer: string | undefined;
  for (const file of options.pactFiles) {
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch {
      throw new PactInputError(file, 'file not found');
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (error) {
      throw new PactInputError(file, `not valid JSON: ${(error as Error).message}`);
    }
    const pact = parsePact(file, json);
    if (!pact.consumer || !pact.provider) throw new PactInputError(file, 'the pact names no consumer or provider');
    if (consumer !== undefined && pact.consumer !== consumer) {
      throw new PactInputError(file, `consumer "${pact.consumer}" differs from "${consumer}": publish one consumer at a time`);
    }
    consumer = pact.consumer;
    contracts.push({
      consumerName: pact.consumer,
      providerName: pact.provider,
      specification: 'pact',
      contentType: 'application/json',
      content: Buffer.from(text, 'utf8').toString('base64'),
    });
  }
  if (consumer === undefined) throw new PactPublishError('no pact files to publish');

  const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/hal+json, application/json' };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  else if (options.username !== undefined) headers.authorization = `Basic ${Buffer.from(`${options.username}:${options.password ?? ''}`).toString('base64')}`;
  const body = {
    pacticipantName: consumer,
    pacticipantVersionNumber: options.consumerVersion,
    ...(options.branch && { branch: options.branch }),
    ...(options.tags && options.tags.length > 0 && { tags: [...options.tags] }),
    contracts,
  };
  const url = `${options.brokerUrl.replace(/\/+$/, '')}/contracts/publish`;
  let response: Response;
  try {
    response = await (options.fetch ?? fetch)(url, { method: 'POST', headers, body: JSON.stringify(body) });
  } catch (error) {
    throw new PactPublishError(`cannot reach the Pact Broker at ${url}: ${(error as Error).message}`);
  }
  const text = await response.text();
  if (!response.ok) throw new PactPublishError(`the Pact Broker answered ${response.status}: ${text.slice(0, 500)}`, response.status);
  let notices: string[] = [];
  try {
    const parsed = JSON.parse(text) as { notices?: Array<{ text?: string }> };
    notices = (parsed.notices ?? []).map((notice) => String(notice.text ?? '')).filter(Boolean);
  } catch {
    // A broker that answers 2xx without JSON still accepted the pacts.
  }
  return { consumer, providers: contracts.map((contract) => contract.providerName!), notices };
}
