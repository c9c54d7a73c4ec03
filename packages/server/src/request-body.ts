// Reading and parsing a request body against the operation's declared media types: 415 for an
// undeclared Content-Type, 413 past the size limit, 400 for JSON or multipart that does not parse.
import { coerceForm, multipartEntries, parseUrlEncoded, type FormFields } from './form-body.ts';
import { essence, isJsonMediaType, matchDeclared } from './media-types.ts';
import type { RawRequest, RequestBodyDefinition } from './types.ts';

export type BodyRead =
  | { kind: 'absent' }
  | { kind: 'unsupported'; contentType: string }
  | { kind: 'too-large' }
  | { kind: 'malformed'; detail: string; code: 'malformed_json' | 'malformed_form' }
  | { kind: 'ok'; mediaType: string; value: unknown };

export async function readRequestBody(raw: RawRequest, definition: RequestBodyDefinition, limit: number): Promise<BodyRead> {
  const length = raw.header('content-length');
  const sent = raw.hasBody ?? (raw.header('transfer-encoding') !== undefined || (length !== undefined && length !== '0'));
  if (!sent) return { kind: 'absent' };
  const contentType = raw.header('content-type') ?? '';
  const mediaType = matchDeclared(definition.contentTypes, contentType);
  if (mediaType === undefined) return { kind: 'unsupported', contentType };
  if (length !== undefined && Number(length) > limit) return { kind: 'too-large' };
  const bytes = await raw.readBody(limit);
  if (bytes === null) return { kind: 'too-large' };
  if (bytes.byteLength === 0) return { kind: 'absent' };
  return parseBody(bytes, contentType, mediaType, definition.forms?.[mediaType]);
}

const decoder = new TextDecoder();

function parseBody(bytes: Uint8Array, contentType: string, mediaType: string, fields: FormFields | undefined): BodyRead | Promise<BodyRead> {
  const concrete = essence(contentType);
  if (isJsonMediaType(concrete)) {
    try {
      return { kind: 'ok', mediaType, value: JSON.parse(decoder.decode(bytes)) };
    } catch (error) {
      return { kind: 'malformed', detail: `the body is not valid JSON: ${(error as Error).message}`, code: 'malformed_json' };
    }
  }
  if (concrete === 'application/x-www-form-urlencoded') {
    return { kind: 'ok', mediaType, value: parseUrlEncoded(decoder.decode(bytes), fields ?? NO_FIELDS) };
  }
  // Without a documented schema a multipart body is handed over as it came.
  if (concrete === 'multipart/form-data' && fields) return parseMultipart(bytes, contentType, mediaType, fields);
  if (concrete.startsWith('text/')) return { kind: 'ok', mediaType, value: decoder.decode(bytes) };
  return { kind: 'ok', mediaType, value: bytes };
}

async function parseMultipart(bytes: Uint8Array, contentType: string, mediaType: string, fields: FormFields): Promise<BodyRead> {
  const entries = await multipartEntries(bytes, contentType, fields);
  if (!entries) return { kind: 'malformed', detail: 'the body is not valid multipart/form-data', code: 'malformed_form' };
  return { kind: 'ok', mediaType, value: coerceForm(entries, fields) };
}

const NO_FIELDS: FormFields = {};
