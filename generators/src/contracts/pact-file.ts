// Reads Pact files (specification V2, V3 and V4) into one normalized shape for the cross-check.
// Only HTTP interactions are read; message interactions have no OpenAPI counterpart.
import { readFile } from 'node:fs/promises';
import { essence, isJsonMediaType } from '@finrail/server';
import { isRecord } from '../model/refs.ts';

export interface PactBody {
  /** Content type from the body (V4) or the Content-Type header, lower-cased essence ('' if unknown). */
  contentType: string;
  /** Parsed JSON for JSON content types, otherwise the raw text. */
  value: unknown;
}

export interface PactRequest {
  method: string;
  path: string;
  /** Query parameters by name, every value as sent. */
  query: Record<string, string[]>;
  /** Headers by lower-cased name. */
  headers: Record<string, string[]>;
  body?: PactBody;
}

export interface PactResponse {
  status: number;
  headers: Record<string, string[]>;
  body?: PactBody;
}

export interface PactInteraction {
  description: string;
  providerStates: Array<{ name: string; params: Record<string, unknown> }>;
  request: PactRequest;
  response: PactResponse;
}

export interface PactFile {
  /** The path the pact was read from, as given. */
  file: string;
  consumer: string;
  provider: string;
  /** e.g. '4.0', '3.0.0', '2.0.0'. */
  specification: string;
  interactions: PactInteraction[];
  /** Descriptions of interactions that are not HTTP (messages), left out of `interactions`. */
  skipped: string[];
}

/** The pact file cannot be used at all (missing, not JSON, not a pact): CLI exit code 2. */
export class PactInputError extends Error {
  readonly file: string;
  constructor(file: string, message: string) {
    super(`${file}: ${message}`);
    this.name = 'PactInputError';
    this.file = file;
  }
}

export async function readPactFile(file: string): Promise<PactFile> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new PactInputError(file, code === 'ENOENT' ? 'file not found' : `cannot read the file (${code ?? String(error)})`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new PactInputError(file, `not valid JSON: ${(error as Error).message}`);
  }
  return parsePact(file, json);
}

export function parsePact(file: string, json: unknown): PactFile {
  if (!isRecord(json) || !Array.isArray(json.interactions)) {
    throw new PactInputError(file, 'not a Pact file: expected an object with an "interactions" array');
  }
  const metadata = isRecord(json.metadata) ? json.metadata : {};
  const specification =
    stringAt(metadata, 'pactSpecification', 'version') ?? stringAt(metadata, 'pact-specification', 'version') ?? '2.0.0';
  const interactions: PactInteraction[] = [];
  const skipped: string[] = [];
  json.interactions.forEach((raw, index) => {
    if (!isRecord(raw)) throw new PactInputError(file, `interactions[${index}] is not an object`);
    const description = typeof raw.description === 'string' ? raw.description : `interaction #${index + 1}`;
    if (typeof raw.type === 'string' && raw.type !== 'Synchronous/HTTP') {
      skipped.push(description);
      return;
    }
    if (!isRecord(raw.request) || !isRecord(raw.response)) {
      throw new PactInputError(file, `interaction "${description}" has no request or response`);
    }
    interactions.push({
      description,
      providerStates: providerStates(raw),
      request: readRequest(file, description, raw.request),
      response: readResponse(file, description, raw.response),
    });
  });
  return {
    file,
    consumer: stringAt(json, 'consumer', 'name') ?? '',
    provider: stringAt(json, 'provider', 'name') ?? '',
    specification,
    interactions,
    skipped,
  };
}

function stringAt(value: Record<string, unknown>, key: string, inner: string): string | undefined {
  const nested = value[key];
  return isRecord(nested) && typeof nested[inner] === 'string' ? nested[inner] : undefined;
}

function providerStates(raw: Record<string, unknown>): PactInteraction['providerStates'] {
  if (Array.isArray(raw.providerStates)) {
    return raw.providerStates.filter(isRecord).map((state) => ({
      name: String(state.name ?? ''),
      params: isRecord(state.params) ? state.params : {},
    }));
  }
  return typeof raw.providerState === 'string' ? [{ name: raw.providerState, params: {} }] : [];
}

function readRequest(file: string, description: string, raw: Record<string, unknown>): PactRequest {
  if (typeof raw.method !== 'string' || typeof raw.path !== 'string') {
    throw new PactInputError(file, `interaction "${description}": the request needs a method and a path`);
  }
  const headers = readHeaders(raw.headers);
  const body = readBody(raw, headers);
  return { method: raw.method.toLowerCase(), path: raw.path, query: readQuery(raw.query), headers, ...(body && { body }) };
}

function readResponse(file: string, description: string, raw: Record<string, unknown>): PactResponse {
  const status = typeof raw.status === 'number' ? raw.status : 200;
  if (!Number.isInteger(status)) throw new PactInputError(file, `interaction "${description}": status must be an integer`);
  const headers = readHeaders(raw.headers);
  const body = readBody(raw, headers);
  return { status, headers, ...(body && { body }) };
}

function readHeaders(raw: unknown): Record<string, string[]> {
  const headers: Record<string, string[]> = {};
  if (!isRecord(raw)) return headers;
  for (const [name, value] of Object.entries(raw)) {
    // V2/V3 keep one string per header (comma-joined); V4 keeps a list.
    headers[name.toLowerCase()] = Array.isArray(value) ? value.map(String) : [String(value)];
  }
  return headers;
}

function readQuery(raw: unknown): Record<string, string[]> {
  const query: Record<string, string[]> = {};
  if (typeof raw === 'string') {
    for (const [name, value] of new URLSearchParams(raw)) (query[name] ??= []).push(value);
  } else if (isRecord(raw)) {
    for (const [name, value] of Object.entries(raw)) query[name] = Array.isArray(value) ? value.map(String) : [String(value)];
  }
  return query;
}

function readBody(raw: Record<string, unknown>, headers: Record<string, string[]>): PactBody | undefined {
  if (!('body' in raw) || raw.body === undefined) return undefined;
  const headerType = essence(headers['content-type']?.[0] ?? '');
  // V4: { content, contentType, encoded }.
  if (isRecord(raw.body) && 'content' in raw.body && ('contentType' in raw.body || 'encoded' in raw.body)) {
    const { content, encoded } = raw.body;
    // The header is what goes on the wire; Pact JS stamps jsonBody() bodies 'application/json' even
    // when the header says 'application/problem+json'.
    const contentType = headerType || (typeof raw.body.contentType === 'string' ? essence(raw.body.contentType) : '');
    let value: unknown = content;
    if (encoded === 'base64' || encoded === true) value = Buffer.from(String(content), 'base64').toString('utf8');
    if ((encoded === 'json' || encoded === 'JSON' || typeof value === 'string') && isJsonMediaType(contentType) && typeof value === 'string') {
      value = parseJson(value);
    }
    return { contentType, value };
  }
  return { contentType: headerType || (typeof raw.body === 'string' ? '' : 'application/json'), value: raw.body };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
