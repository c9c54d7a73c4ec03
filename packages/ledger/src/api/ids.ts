// Resource ids: a prefix and 26 Crockford base32 characters, as the specs' id patterns require.
import { createHash, randomBytes } from 'node:crypto';

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

function base32(bytes: Uint8Array, length: number): string {
  let out = '';
  let buffer = 0;
  let bits = 0;
  for (const byte of bytes) {
    buffer = (buffer << 8) | byte;
    bits += 8;
    while (bits >= 5 && out.length < length) {
      out += CROCKFORD[(buffer >>> (bits - 5)) & 31];
      bits -= 5;
    }
    buffer &= (1 << bits) - 1;
  }
  return out;
}

/** A fresh random id (`evt_…`). */
export function newId(prefix: string): string {
  return `${prefix}_${base32(randomBytes(17), 26)}`;
}

/**
 * The id of what a request creates, derived from its idempotency key: a retry after a crash gets
 * the same id, so the ledger replays the first movement instead of making a second one.
 */
export function idForKey(prefix: string, scope: string, key: string): string {
  return `${prefix}_${base32(createHash('sha256').update(`${prefix}\u0000${scope}\u0000${key}`).digest(), 26)}`;
}

/** A stable id derived from another id (the wallet-side transactions of an entry). */
export function derivedId(prefix: string, ...parts: string[]): string {
  return `${prefix}_${base32(createHash('sha256').update(parts.join('\u0000')).digest(), 26)}`;
}
