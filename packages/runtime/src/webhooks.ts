import { FinrailError } from './errors.ts';

export const SIGNATURE_HEADER = 'finrail-signature';
const DEFAULT_TOLERANCE_SECONDS = 300;

export type WebhookSignatureFailure =
  | 'missing-header'
  | 'malformed-header'
  | 'timestamp-outside-tolerance'
  | 'signature-mismatch'
  | 'invalid-payload';

export class WebhookSignatureError extends FinrailError {
  override name = 'WebhookSignatureError';
  readonly reason: WebhookSignatureFailure;
  constructor(reason: WebhookSignatureFailure, message: string) {
    super(message);
    this.reason = reason;
  }
}

/** Fetch `Headers`, Node's `IncomingHttpHeaders`, or a plain record. */
export type WebhookHeaders = Headers | Record<string, string | string[] | undefined>;

export interface VerifyWebhookOptions {
  /** Maximum age (and clock skew) of the signature timestamp in seconds. Default 300. */
  tolerance?: number;
  /** Current time in unix seconds (tests). */
  now?: number;
}

/**
 * Checks a `Finrail-Signature: t=<unix>,v1=<hex>[,v1=<hex>…]` header against the raw request body and
 * returns the parsed event. Several secrets (rotation) and several `v1` values are accepted; any
 * secret matching any signature is enough. Comparison is constant-time (Web Crypto `verify`).
 */
export async function verifyWebhook<Event = unknown>(
  rawBody: string | Uint8Array,
  headers: WebhookHeaders,
  secret: string | string[],
  options: VerifyWebhookOptions = {},
): Promise<Event> {
  const header = readHeader(headers, SIGNATURE_HEADER);
  if (!header) throw new WebhookSignatureError('missing-header', 'no Finrail-Signature header');
  const { timestamp, signatures } = parseSignatureHeader(header);
  const tolerance = options.tolerance ?? DEFAULT_TOLERANCE_SECONDS;
  const now = options.now ?? Math.floor(Date.now() / 1000);
  if (Math.abs(now - timestamp) > tolerance) {
    throw new WebhookSignatureError('timestamp-outside-tolerance', `signature timestamp ${timestamp} is more than ${tolerance}s from now (${now})`);
  }
  const body = typeof rawBody === 'string' ? encoder.encode(rawBody) : rawBody;
  const payload = signedPayload(timestamp, body);
  for (const candidate of Array.isArray(secret) ? secret : [secret]) {
    const key = await hmacKey(candidate);
    for (const signature of signatures) {
      if (await crypto.subtle.verify('HMAC', key, signature, payload)) return parseEvent<Event>(body);
    }
  }
  throw new WebhookSignatureError('signature-mismatch', 'no v1 signature matches the payload and secret');
}

export interface TestHeaderOptions {
  payload: string | Uint8Array;
  /** One secret, or several to produce one `v1` per secret (as during rotation). */
  secret: string | string[];
  /** Unix seconds; default now. */
  timestamp?: number;
}

/** A valid `Finrail-Signature` header value for `payload`, for partners' own tests. */
export async function generateTestHeader({ payload, secret, timestamp = Math.floor(Date.now() / 1000) }: TestHeaderOptions): Promise<string> {
  const data = signedPayload(timestamp, typeof payload === 'string' ? encoder.encode(payload) : payload);
  const parts = [`t=${timestamp}`];
  for (const candidate of Array.isArray(secret) ? secret : [secret]) {
    const signature = new Uint8Array(await crypto.subtle.sign('HMAC', await hmacKey(candidate), data));
    parts.push(`v1=${Array.from(signature, (byte) => byte.toString(16).padStart(2, '0')).join('')}`);
  }
  return parts.join(',');
}

const encoder = new TextEncoder();

function parseSignatureHeader(header: string): { timestamp: number; signatures: Uint8Array<ArrayBuffer>[] } {
  let timestamp: number | undefined;
  const signatures: Uint8Array<ArrayBuffer>[] = [];
  for (const part of header.split(',')) {
    const [key, value = ''] = part.trim().split('=', 2) as [string, string?];
    if (key === 't' && /^\d+$/.test(value)) timestamp = Number(value);
    else if (key === 'v1' && /^([0-9a-f]{2})+$/i.test(value)) signatures.push(hexToBytes(value));
  }
  if (timestamp === undefined) throw new WebhookSignatureError('malformed-header', 'Finrail-Signature has no t=<unix seconds>');
  if (signatures.length === 0) throw new WebhookSignatureError('malformed-header', 'Finrail-Signature has no v1=<hex> signature');
  return { timestamp, signatures };
}

function signedPayload(timestamp: number, body: Uint8Array): Uint8Array<ArrayBuffer> {
  const prefix = encoder.encode(`${timestamp}.`);
  const payload = new Uint8Array(prefix.length + body.length);
  payload.set(prefix);
  payload.set(body, prefix.length);
  return payload;
}

function hmacKey(secret: string): Promise<CryptoKey> {
  return crypto.subtle.importKey('raw', encoder.encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign', 'verify']);
}

function hexToBytes(hex: string): Uint8Array<ArrayBuffer> {
  const bytes = new Uint8Array(hex.length / 2);
  for (let i = 0; i < bytes.length; i++) bytes[i] = parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return bytes;
}

function readHeader(headers: WebhookHeaders, name: string): string | undefined {
  if (typeof (headers as Headers).get === 'function') return (headers as Headers).get(name) ?? undefined;
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() === name) return Array.isArray(value) ? value.join(',') : value;
  }
  return undefined;
}

function parseEvent<Event>(body: Uint8Array): Event {
  try {
    return JSON.parse(new TextDecoder().decode(body)) as Event;
  } catch {
    throw new WebhookSignatureError('invalid-payload', 'the signed payload is not JSON');
  }
}
