// Canonical JSON: object keys sorted, BigInts as decimal strings, no whitespace. Two equal values
// always encode to the same text, which makes it fit for hashing and for comparing requests.
// (On the hot path of every command, hence the plain loops.)

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
      const record = value as Record<string, unknown>;
      const keys = Object.keys(record);
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

/**
 * A memo of a text encoding for the few thousand texts a ledger repeats (object keys, account ids,
 * currencies): past `max` entries new texts are encoded every time rather than remembered.
 */
function memoized(encode: (text: string) => string, max = 10_000): (text: string) => string {
  const memo = new Map<string, string>();
  return (text) => {
    let encoded = memo.get(text);
    if (encoded === undefined) {
      encoded = encode(text);
      if (memo.size < max) memo.set(text, encoded);
    }
    return encoded;
  };
}

/** `"key":` by key. */
const quotedKey = memoized((key) => JSON.stringify(key) + ':');

/** JSON.stringify(name) for a name used over and over (an account id, a currency): not for one-off texts. */
export const quotedName = memoized((name) => JSON.stringify(name));

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
  // Keys in sorted order, as canonicalJson writes them.
  return '{"amount":"' + decimal(amount) + '","credit":' + quotedName(credit) + ',"currency":' + quotedName(currency) + ',"debit":' + quotedName(debit) +
    ',"expiresAt":' + (expiresAt === null ? 'null' : `${expiresAt}`) + ',"kind":"' + request.kind + '","metadata":' + canonicalJson(request.metadata) + '}';
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
