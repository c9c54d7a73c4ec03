// Canonical JSON: object keys sorted, BigInts as decimal strings, no whitespace. Two equal values
// always encode to the same text, which makes it fit for hashing and for comparing requests.
// (On the hot path of every command, hence the plain loops.)
import { AsciiText } from './ascii-text.ts';

/** One empty object for the many values that have no members (metadata left out): encoded without listing its keys. */
export const EMPTY_OBJECT: Readonly<Record<string, never>> = Object.freeze({});

export function canonicalJson(value: unknown): string {
  switch (typeof value) {
    case 'bigint':
      return '"' + value + '"';
    case 'undefined':
      return 'null';
    case 'object': {
      if (value === null) return 'null';
      if (Array.isArray(value)) {
        let out = '[';
        for (let i = 0; i < value.length; i++) out += (i === 0 ? '' : ',') + canonicalJson(value[i]);
        return out + ']';
      }
      if (value === EMPTY_OBJECT) return '{}';
      const record = value as Record<string, unknown>;
      const keys = Object.keys(record);
      if (keys.length === 0) return '{}';
      if (!isSorted(keys)) keys.sort();
      let out = '{';
      for (let i = 0; i < keys.length; i++) {
        const key = keys[i]!;
        const item = record[key];
        if (item === undefined) continue;
        out += (out.length === 1 ? '' : ',') + quotedKey(key) + canonicalJson(item);
      }
      return out + '}';
    }
    default:
      return JSON.stringify(value);
  }
}

function isSorted(keys: readonly string[]): boolean {
  for (let i = 1; i < keys.length; i++) if (keys[i - 1]! > keys[i]!) return false;
  return true;
}

/** `"key":` by key: an API's objects use a few dozen names, over and over. */
const quotedKeys = new Map<string, string>();
const QUOTED_KEYS_MAX = 4096;

function quotedKey(key: string): string {
  let quoted = quotedKeys.get(key);
  if (quoted === undefined) {
    quoted = JSON.stringify(key) + ':';
    if (quotedKeys.size < QUOTED_KEYS_MAX) quotedKeys.set(key, quoted);
  }
  return quoted;
}

/**
 * JSON.stringify(name) for a short text (an id, a currency): quoted as it is unless a character
 * needs escaping, which a plain scan finds in a fraction of JSON.stringify's cost for such texts.
 */
export function quotedName(name: string): string {
  return isPlainName(name) ? '"' + name + '"' : JSON.stringify(name);
}

/**
 * Whether JSON quotes `name` as it is (no character needs escaping): callers that write the quotes
 * into longer constant pieces then concatenate fewer strings (each concatenation allocates).
 */
export function isPlainName(name: string): boolean {
  for (let i = 0; i < name.length; i++) {
    const code = name.charCodeAt(i);
    // Control characters, '"', '\\' and surrogates (a lone one is escaped): JSON.stringify decides.
    if (code < 0x20 || code === 0x22 || code === 0x5c || (code >= 0xd800 && code <= 0xdfff)) return false;
  }
  return true;
}

let lastAmount: bigint | undefined;
let lastDecimal = '';

/** An amount in decimal: the same amount is written four times per transfer (request, two postings, entry). */
export function decimal(amount: bigint): string {
  if (amount !== lastAmount) {
    lastDecimal = `${amount}`;
    lastAmount = amount;
  }
  return lastDecimal;
}

/** What a transfer's request text is made of (commands.ts): kind, accounts, amount, currency, expiry, metadata. */
export interface TransferRequest {
  kind: 'transfer' | 'pending';
  debit: string;
  credit: string;
  amount: bigint;
  currency: string;
  expiresAt: number | null;
  metadata: unknown;
}

/**
 * canonicalJson(request), spelled out for the shape every valid transfer has: the generic encoder
 * costs a tenth of a whole transfer. Anything else (a caller's untyped input) takes the generic path,
 * so the text is always exactly canonicalJson's (a property test holds them together).
 */
export function canonicalTransferRequest(request: TransferRequest): string {
  const { debit, credit, amount, currency, expiresAt } = request;
  if (typeof debit !== 'string' || typeof credit !== 'string' || typeof amount !== 'bigint' || typeof currency !== 'string' || (expiresAt !== null && !Number.isSafeInteger(expiresAt))) {
    return canonicalJson(request);
  }
  return transferRequestText(request.kind, debit, credit, amount, currency, expiresAt, canonicalJson(request.metadata));
}

/**
 * The request of a plain transfer (no hold) as canonicalTransferRequest writes it, from the fields
 * its journal entry holds anyway: the journal stores no request for such an entry (rows.ts).
 */
export function impliedTransferRequest(amount: bigint, debit: string, credit: string, currency: string, metadata: string): string {
  return transferRequestText('transfer', debit, credit, amount, currency, null, metadata);
}

/**
 * Whether `request` is impliedTransferRequest(...) of the rest: for the plain names nearly every
 * transfer has, by matching its pieces in place (a text built to be compared would be a tenth of
 * what a batched transfer allocates).
 */
export function isImpliedTransferRequest(request: string, amount: bigint, debit: string, credit: string, currency: string, metadata: string): boolean {
  if (!(isPlainName(credit) && isPlainName(currency) && isPlainName(debit))) return request === impliedTransferRequest(amount, debit, credit, currency, metadata);
  // The pieces of transferRequestText's plain-name form, in order.
  let at = follows(request, 0, '{"amount":"');
  at = follows(request, at, decimal(amount));
  at = follows(request, at, '","credit":"');
  at = follows(request, at, credit);
  at = follows(request, at, '","currency":"');
  at = follows(request, at, currency);
  at = follows(request, at, '","debit":"');
  at = follows(request, at, debit);
  at = follows(request, at, PLAIN_TRANSFER_TAIL);
  at = follows(request, at, metadata);
  return follows(request, at, '}') === request.length;
}

/** Where `piece` ends if `text` has it at `at` (-1 stays -1). */
function follows(text: string, at: number, piece: string): number {
  return at >= 0 && text.startsWith(piece, at) ? at + piece.length : -1;
}

const requestText = new AsciiText();

/** What follows a plain transfer's debit account in its request, up to its metadata. */
const PLAIN_TRANSFER_FIELDS = ',"expiresAt":null,"kind":"transfer","metadata":';
/** The same with the debit account's closing quote before it, as isImpliedTransferRequest matches it. */
const PLAIN_TRANSFER_TAIL = '"' + PLAIN_TRANSFER_FIELDS;

/** A transfer request's canonical text, its metadata already encoded: keys in sorted order. */
function transferRequestText(kind: TransferRequest['kind'], debit: string, credit: string, amount: bigint, currency: string, expiresAt: number | null, metadata: string): string {
  const fields = expiresAt === null && kind === 'transfer' ? PLAIN_TRANSFER_FIELDS : ',"expiresAt":' + (expiresAt === null ? 'null' : `${expiresAt}`) + ',"kind":"' + kind + '","metadata":';
  // Assembled as ASCII when it is (one flat string, not one per concatenation), else concatenated.
  requestText.start().text('{"amount":"').text(decimal(amount)).text('","credit":').quoted(credit).text(',"currency":').quoted(currency).text(',"debit":').quoted(debit);
  if (requestText.text(fields).text(metadata).text('}').ascii) return requestText.string();
  return '{"amount":"' + decimal(amount) + '","credit":' + quotedName(credit) + ',"currency":' + quotedName(currency) + ',"debit":' + quotedName(debit) + fields + metadata + '}';
}

/** The JSON.stringify text of objects already encoded once (an API resource stored as a document and sent as the response). */
const encoded = new WeakMap<object, string>();

/**
 * JSON.stringify(value), encoded once per object: the same resource object written as a document
 * and then stored as the idempotent response is not serialised twice. Only for objects that are
 * no longer changed once encoded (the API's resources are built fresh and then left alone).
 */
export function encodedJson(value: unknown): string {
  if (typeof value !== 'object' || value === null) return JSON.stringify(value);
  let text = encoded.get(value);
  if (text === undefined) encoded.set(value, (text = JSON.stringify(value)));
  return text;
}

/**
 * JSON text for an outbox event's data, which is usually an API resource also stored as a document:
 * its encodedJson text, encoded once for both. Data holding BigInts (which JSON.stringify refuses)
 * is encoded canonically instead, amounts as decimal strings.
 */
export function eventDataJson(value: unknown): string {
  try {
    return encodedJson(value);
  } catch (error) {
    if (error instanceof TypeError) return canonicalJson(value);
    throw error;
  }
}
