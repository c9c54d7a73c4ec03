// Resource ids: a prefix and 26 Crockford base32 characters, as the specs' id patterns require.
import { hash, randomBytes } from 'node:crypto';

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

/** Random bytes drawn a pool at a time: one randomBytes() call per id cost more than the rest of an event. */
const pool = { bytes: Buffer.alloc(0), used: 0 };

function randomSlice(length: number): Uint8Array {
  if (pool.used + length > pool.bytes.length) {
    pool.bytes = randomBytes(4096);
    pool.used = 0;
  }
  pool.used += length;
  return pool.bytes.subarray(pool.used - length, pool.used);
}

/**
 * A fresh id (`evt_…`): a ULID, 48 bits of milliseconds then 80 random bits, so ids made one
 * after another sort together and their unique index grows at its end.
 */
export function newId(prefix: string, now = Date.now()): string {
  let time = '';
  for (let i = 0, t = now; i < 10; i++, t = Math.floor(t / 32)) time = CROCKFORD[t % 32]! + time;
  return `${prefix}_${time}${base32(randomSlice(10), 16)}`;
}

/**
 * The id of what a request creates, derived from its idempotency key: a retry after a crash gets
 * the same id, so the ledger replays the first movement instead of making a second one.
 */
export function idForKey(prefix: string, scope: string, key: string): string {
  return `${prefix}_${base32(hash('sha256', `${prefix}\u0000${scope}\u0000${key}`, 'buffer'), 26)}`;
}

/** A stable id derived from another id (the wallet-side transactions of an entry). */
export function derivedId(prefix: string, ...parts: string[]): string {
  return `${prefix}_${base32(hash('sha256', parts.join('\u0000'), 'buffer'), 26)}`;
}
