// Where each idempotency key's stored response is, in memory (SQLite: one writer process, so it
// sees every key saved). SQLite's table has no index on the key: a client's keys are random, so
// such an index took a leaf page of its own per request in every commit's WAL (a third of the
// frames). The table's expiry index, which grows at its end, finds the rows instead: this index
// gives the expiry times a key's rows may have, and the read checks the key. A key it has no
// entry for has no stored response, so its request needs no read at all.
//
// An entry is a 64-bit hash of the key and its row's expiry. Two keys may share a hash: both
// entries are kept, and a read of the other key's row finds it is not this key's. A table is at
// most half full, 16 bytes a slot; nothing is ever rehashed: a generation grows by adding a table
// twice as large as its last (so 32 to 64 bytes a key, and no pause to copy millions of entries),
// and lookups probe each of its tables (eight at ten million keys).
//
// Generations: a response is kept for `retentionMs` after it is saved, so the entries added in a
// generation can be dropped once the generation after it has lasted that long.

const FIRST_CAPACITY = 1 << 16;

/** Open addressing with linear probing, at most half full; an expiry of 0 marks a free slot. */
class HashTable {
  readonly capacity: number;
  count = 0;
  readonly #low: Uint32Array;
  readonly #high: Uint32Array;
  readonly #expiries: Float64Array;
  readonly #mask: number;

  constructor(capacity: number) {
    this.capacity = capacity;
    this.#low = new Uint32Array(capacity * 2);
    this.#high = new Uint32Array(capacity * 2);
    this.#expiries = new Float64Array(capacity * 2);
    this.#mask = capacity * 2 - 1;
  }

  add(low: number, high: number, expiresAt: number): void {
    let slot = low & this.#mask;
    while (this.#expiries[slot] !== 0) slot = (slot + 1) & this.#mask;
    this.#low[slot] = low;
    this.#high[slot] = high;
    this.#expiries[slot] = expiresAt;
    this.count += 1;
  }

  /** Pushes onto `into` the expiries after `now` stored under this hash. */
  collect(low: number, high: number, now: number, into: number[]): void {
    for (let slot = low & this.#mask; this.#expiries[slot] !== 0; slot = (slot + 1) & this.#mask) {
      if (this.#low[slot] === low && this.#high[slot] === high && this.#expiries[slot]! > now) into.push(this.#expiries[slot]!);
    }
  }
}

export type KeyHash = (key: string) => readonly [low: number, high: number];

export class KeyIndex {
  readonly #retentionMs: number;
  readonly #hash: KeyHash;
  #current: HashTable[] = [new HashTable(FIRST_CAPACITY)];
  #previous: HashTable[] = [];
  #currentSince: number;

  /** `hash` is for tests that need keys to collide. */
  constructor(retentionMs: number, now: number, hash: KeyHash = keyHash) {
    this.#retentionMs = retentionMs;
    this.#hash = hash;
    this.#currentSince = now;
  }

  /** Records that `key` has a response stored until `expiresAt` (at most `retentionMs` after `now`). */
  add(key: string, expiresAt: number, now: number): void {
    this.#rotate(now);
    let table = this.#current[this.#current.length - 1]!;
    if (table.count >= table.capacity) this.#current.push((table = new HashTable(table.capacity * 2)));
    const [low, high] = this.#hash(key);
    table.add(low, high, expiresAt);
  }

  /**
   * The expiries, later than `now`, of the rows that may hold `key`'s response: none when it has
   * none. A few may belong to other keys with the same hash.
   */
  expiriesOf(key: string, now: number): number[] {
    this.#rotate(now);
    const [low, high] = this.#hash(key);
    const expiries: number[] = [];
    for (const table of this.#current) table.collect(low, high, now, expiries);
    for (const table of this.#previous) table.collect(low, high, now, expiries);
    return expiries;
  }

  /**
   * Starts a generation once the current one has lasted the retention period. The one before it is
   * dropped: its keys were all added before the current one began, so their responses have expired.
   */
  #rotate(now: number): void {
    const elapsed = now - this.#currentSince;
    if (elapsed < this.#retentionMs) return;
    // After a jump of two periods or more, the current generation's keys have expired too.
    this.#previous = elapsed < 2 * this.#retentionMs ? this.#current : [];
    this.#current = [new HashTable(FIRST_CAPACITY)];
    this.#currentSince = elapsed < 2 * this.#retentionMs ? this.#currentSince + this.#retentionMs : now;
  }
}

/** A 64-bit hash of a string, as two 32-bit halves (FNV-1a, and a multiply-xorshift mix). */
function keyHash(text: string): [number, number] {
  let low = 0x811c9dc5;
  let high = 0x9747b28c;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    low = Math.imul(low ^ code, 0x01000193);
    high = Math.imul(high ^ code, 0x5bd1e995);
    high ^= high >>> 15;
  }
  // FNV's low bits, which pick the slot, mix poorly: finish with murmur3's avalanche.
  low ^= low >>> 16;
  low = Math.imul(low, 0x85ebca6b);
  low ^= low >>> 13;
  low = Math.imul(low, 0xc2b2ae35);
  low ^= low >>> 16;
  return [low >>> 0, high >>> 0];
}
