// Resource ids: a prefix and 26 Crockford base32 characters, as the specs' id patterns require.
import { hash, randomBytes } from 'node:crypto';
import { writeAscii } from '../core/ascii-text.ts';

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

function randomSlice(length: number): Buffer {
  if (pool.used + length > pool.bytes.length) {
    pool.bytes = randomBytes(4096);
    pool.used = 0;
  }
  pool.used += length;
  return pool.bytes.subarray(pool.used - length, pool.used);
}

// A ULID's 80 random bits are handled as two 40-bit halves, each exact in a double and spelt by
// 8 base32 characters: stepping and offsetting them is then plain arithmetic.
const HALF = 2 ** 40;

/** Base32 characters as the number they spell (up to 10: a ULID's time part, 50 bits, is exact in a double). */
function fromBase32(text: string): number {
  let value = 0;
  for (let i = 0; i < text.length; i++) value = value * 32 + CROCKFORD.indexOf(text[i]!);
  return value;
}

/** (high, low) plus (addHigh, addLow), in halves; the high half may reach HALF (the caller wraps or refuses it). */
function addHalves(high: number, low: number, addHigh: number, addLow: number): [high: number, low: number] {
  const sumLow = low + addLow;
  return sumLow >= HALF ? [high + addHigh + 1, sumLow - HALF] : [high + addHigh, sumLow];
}

/**
 * `prefix_` and the ULID of `time` (milliseconds) and the two halves of a random part. Spelt in one
 * reused buffer and read out as one flat string: prepending a character at a time made a string per
 * character, most of what an API transfer's three fresh ids allocated.
 */
function ulid(prefix: string, time: number, high: number, low: number): string {
  if (prefix.length > MAX_PREFIX || !writeAscii(ulidBytes, 0, prefix)) throw new RangeError(`an id prefix is up to ${MAX_PREFIX} ASCII characters: ${prefix}`);
  let at = prefix.length;
  ulidBytes[at++] = UNDERSCORE;
  at = writeBase32(time, 10, at);
  at = writeBase32(high, 8, at);
  at = writeBase32(low, 8, at);
  return ulidBytes.toString('latin1', 0, at);
}

const MAX_PREFIX = 16;
const UNDERSCORE = 0x5f;
const CROCKFORD_CODES = Uint8Array.from(CROCKFORD, (char) => char.charCodeAt(0));
/** Room for writeAscii (three bytes a character), the underscore and 26 characters. */
const ulidBytes = Buffer.alloc(3 * MAX_PREFIX + 1 + 26);

/** Writes `value` (below 32^digits) as `digits` base32 characters into ulidBytes from `at`; returns where they end. */
function writeBase32(value: number, digits: number, at: number): number {
  for (let i = at + digits - 1; i >= at; i--, value = Math.floor(value / 32)) ulidBytes[i] = CROCKFORD_CODES[value % 32]!;
  return at + digits;
}

/** Per prefix, the millisecond and random part of the last fresh id: see newId. */
const lastRandom = new Map<string, { time: number; high: number; low: number }>();

/**
 * A fresh id (`evt_…`): a ULID, 48 bits of milliseconds then 80 random bits, so ids made one
 * after another sort together and their unique index grows at its end. Within one millisecond
 * the random part of a prefix's ids grows too (by a random 32-bit step, as ULID's monotonic mode
 * does by one, so the next id is still not guessable): each id then lands on the last page of
 * its index, not anywhere among the same millisecond's ids.
 */
export function newId(prefix: string, now = Date.now()): string {
  let last = lastRandom.get(prefix);
  if (!last) lastRandom.set(prefix, (last = { time: -1, high: 0, low: 0 }));
  // A fresh random part in a new millisecond, or when the step would overflow the 80 bits.
  if (last.time !== now || !stepUp(last)) {
    const random = randomSlice(10);
    [last.high, last.low] = [random.readUIntBE(0, 5), random.readUIntBE(5, 5)];
  }
  last.time = now;
  return ulid(prefix, now, last.high, last.low);
}

/** Adds a random step of 1 to 2^32 to `last`'s random part; false, leaving it as it was, if that overflows. */
function stepUp(last: { high: number; low: number }): boolean {
  const [high, low] = addHalves(last.high, last.low, 0, 1 + randomSlice(4).readUInt32BE(0));
  if (high >= HALF) return false;
  [last.high, last.low] = [high, low];
  return true;
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

/** A ULID-form id: its prefix, then 10 characters of time and the two halves of the random part. */
const ULID_FORM = /^[^_]+_([0-9A-HJKMNP-TV-Z]{10})([0-9A-HJKMNP-TV-Z]{8})([0-9A-HJKMNP-TV-Z]{8})$/;
/** Per `parts`, the 80-bit offset derived ids add to their source's random part, as two halves. */
const partOffsets = new Map<string, readonly [high: number, low: number]>();

/**
 * A stable id for something that belongs to `sourceId` (the wallet-side transactions of a
 * transfer), distinct per `parts`. From a ULID-form source: the source's time part, then its random
 * part plus an 80-bit offset hashed from `parts` once (none without parts), modulo 2^80: no hash
 * per id, and ids derived with the same parts sort as their sources do. Two sources' ids collide
 * only if their random parts differ by the difference of two offsets, as unlikely as two random
 * ids colliding. Any other source: a hash of it and `parts`.
 */
export function derivedId(prefix: string, sourceId: string, ...parts: string[]): string {
  const form = ULID_FORM.exec(sourceId);
  if (!form) return `${prefix}_${base32(hash('sha256', [sourceId, ...parts].join('\u0000'), 'buffer'), 26)}`;
  const [, time, high, low] = form as unknown as [string, string, string, string];
  if (parts.length === 0) return `${prefix}_${time}${high}${low}`;
  const [offsetHigh, offsetLow] = partOffset(parts.join('\u0000'));
  const [sumHigh, sumLow] = addHalves(fromBase32(high), fromBase32(low), offsetHigh, offsetLow);
  return ulid(prefix, fromBase32(time), sumHigh % HALF, sumLow);
}

function partOffset(parts: string): readonly [number, number] {
  let offset = partOffsets.get(parts);
  if (!offset) {
    const digest = hash('sha256', parts, 'buffer');
    partOffsets.set(parts, (offset = [digest.readUIntBE(0, 5), digest.readUIntBE(5, 5)]));
  }
  return offset;
}
