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

/** Per prefix, the millisecond and random part of the last fresh id: see newId. */
const lastRandom = new Map<string, { time: number; random: Uint8Array }>();

/**
 * A fresh id (`evt_…`): a ULID, 48 bits of milliseconds then 80 random bits, so ids made one
 * after another sort together and their unique index grows at its end. Within one millisecond
 * the random part of a prefix's ids grows too (by a random 32-bit step, as ULID's monotonic mode
 * does by one, so the next id is still not guessable): each id then lands at the very end of its
 * index, where SQLite appends without redistributing the last page among its neighbours.
 */
export function newId(prefix: string, now = Date.now()): string {
  let time = '';
  for (let i = 0, t = now; i < 10; i++, t = Math.floor(t / 32)) time = CROCKFORD[t % 32]! + time;
  const last = lastRandom.get(prefix);
  const random = (last?.time === now && steppedUp(last.random)) || Uint8Array.from(randomSlice(10));
  lastRandom.set(prefix, { time: now, random });
  return `${prefix}_${time}${base32(random, 16)}`;
}

/** `random` (big-endian) plus a random step of 1 to 2^32, or undefined if that overflows its 80 bits. */
function steppedUp(random: Uint8Array): Uint8Array | undefined {
  const step = randomSlice(4);
  const next = Uint8Array.from(random);
  let carry = 1 + (((step[0]! << 24) | (step[1]! << 16) | (step[2]! << 8) | step[3]!) >>> 0);
  for (let i = next.length - 1; i >= 0 && carry > 0; i--) {
    const sum = next[i]! + (carry % 256);
    next[i] = sum % 256;
    carry = Math.floor(carry / 256) + Math.floor(sum / 256);
  }
  return carry > 0 ? undefined : next;
}

/**
 * The id of what a request creates outside a ledger transaction (a webhook endpoint), derived from
 * its idempotency key: a retry after a crash between the write and storing the response gets the
 * same id, so it finds the first write instead of making a second. Work inside a ledger transaction
 * stores its response atomically with its writes, and takes a fresh newId() instead.
 */
export function idForKey(prefix: string, scope: string, key: string): string {
  return `${prefix}_${base32(hash('sha256', `${prefix}\u0000${scope}\u0000${key}`, 'buffer'), 26)}`;
}

const TIME_PART = /^[^_]+_([0-9A-HJKMNP-TV-Z]{10})/;

/**
 * A stable id for something that belongs to `sourceId` (the wallet-side transactions of a
 * transfer): the source's time part, then a hash of the source and `parts`. It sorts with its
 * source, so its unique index grows at its end as the source's does.
 */
export function derivedId(prefix: string, sourceId: string, ...parts: string[]): string {
  const digest = hash('sha256', [sourceId, ...parts].join('\u0000'), 'buffer');
  const time = TIME_PART.exec(sourceId)?.[1];
  return time === undefined ? `${prefix}_${base32(digest, 26)}` : `${prefix}_${time}${base32(digest, 16)}`;
}
