// Reading and parsing a request body against the operation's declared media types: 415 for an
// undeclared Content-Type, 413 past the size limit, 400 for JSON that does not parse.
import { essence, isJsonMediaType, matchDeclared } from './media-types.ts';
import type { RawRequest } from './types.ts';

export type BodyRead =
  | { kind: 'absent' }
  | { kind: 'unsupported'; contentType: string }
  | { kind: 'too-large' }
  | { kind: 'malformed'; detail: string }
  | { kind: 'ok'; mediaType: string; value: unknown };

export async function readRequestBody(raw: RawRequest, declared: readonly string[], limit: number): Promise<BodyRead> {
  const length = raw.header('content-length');
  const sent = raw.hasBody ?? (raw.header('transfer-encoding') !== undefined || (length !== undefined && length !== '0'));
  if (!sent) return { kind: 'absent' };
  const contentType = raw.header('content-type') ?? '';
  const mediaType = matchDeclared(declared, contentType);
  if (mediaType === undefined) return { kind: 'unsupported', contentType };
  if (length !== undefined && Number(length) > limit) return { kind: 'too-large' };
  const bytes = await raw.readBody(limit);
  if (bytes === null) return { kind: 'too-large' };
  if (bytes.byteLength === 0) return { kind: 'absent' };
  return parseBody(bytes, essence(contentType), mediaType);
}

const decoder = new TextDecoder();

function parseBody(bytes: Uint8Array, concrete: string, mediaType: string): BodyRead {
  if (isJsonMediaType(concrete)) {
    try {
      return { kind: 'ok', mediaType, value: JSON.parse(decoder.decode(bytes)) };
    } catch (error) {
      return { kind: 'malformed', detail: `the body is not valid JSON: ${(error as Error).message}` };
    }
  }
  if (concrete === 'application/x-www-form-urlencoded') {
    const value: Record<string, string | string[]> = {};
    for (const [key, item] of new URLSearchParams(decoder.decode(bytes))) {
      const existing = value[key];
      value[key] = existing === undefined ? item : Array.isArray(existing) ? [...existing, item] : [existing, item];
    }
    return { kind: 'ok', mediaType, value };
  }
  if (concrete.startsWith('text/')) return { kind: 'ok', mediaType, value: decoder.decode(bytes) };
  return { kind: 'ok', mediaType, value: bytes };
}
