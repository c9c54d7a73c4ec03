// Which idempotency keys may have a stored response, in memory (SQLite: one writer process, so it
// sees every key saved). A key the filter has never seen has none, and its request needs no read of
// the key index, whose leaf for a random key is not in the reader's cache after a commit (SQLite
// drops a WAL reader's cache whenever another connection committed). A key it may have seen is read
// as before: a false positive (under 1% per filter) costs a read, never a wrong answer.
//
// Bloom filters, in two generations: a response is kept for `retentionMs` after it is saved, so
// the keys seen in a generation can be forgotten once the generation after it has lasted that long.
// A generation grows by adding filters four times larger than its last, so no capacity is set.

/** Bits per key and probes: about 0.8% false positives per filter when full. */
const BITS_PER_KEY = 10;
const PROBES = 7;
const FIRST_CAPACITY = 1 << 16;

class BloomFilter {
  readonly capacity: number;
  count = 0;
  readonly #bits: Uint32Array;
  readonly #mask: number;

  constructor(capacity: number) {
    this.capacity = capacity;
    const bits = 2 ** Math.ceil(Math.log2(capacity * BITS_PER_KEY));
    this.#bits = new Uint32Array(bits / 32);
    this.#mask = bits - 1;
  }

  add(h1: number, h2: number): void {
    for (let i = 0; i < PROBES; i++) {
      const bit = (h1 + Math.imul(i, h2)) & this.#mask;
      this.#bits[bit >>> 5]! |= 1 << (bit & 31);
    }
    this.count += 1;
  }

  has(h1: number, h2: number): boolean {
    for (let i = 0; i < PROBES; i++) {
      const bit = (h1 + Math.imul(i, h2)) & this.#mask;
      if ((this.#bits[bit >>> 5]! & (1 << (bit & 31))) === 0) return false;
    }
    return true;
  }
}

export class KeyFilter {
  readonly #retentionMs: number;
  #current: BloomFilter[] = [new BloomFilter(FIRST_CAPACITY)];
  #previous: BloomFilter[] = [];
  #currentSince: number;

  constructor(retentionMs: number, now: number) {
    this.#retentionMs = retentionMs;
    this.#currentSince = now;
  }

  /** Records that `key` may have a response stored from `now` on (for at most `retentionMs`). */
  add(key: string, now: number): void {
    this.#rotate(now);
    let filter = this.#current[this.#current.length - 1]!;
    if (filter.count >= filter.capacity) this.#current.push((filter = new BloomFilter(filter.capacity * 4)));
    const [h1, h2] = hashes(key);
    filter.add(h1, h2);
  }

  /** False when no response can be stored for `key`; true when one may be. */
  mayHave(key: string, now: number): boolean {
    this.#rotate(now);
    const [h1, h2] = hashes(key);
    return this.#current.some((filter) => filter.has(h1, h2)) || this.#previous.some((filter) => filter.has(h1, h2));
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
    this.#current = [new BloomFilter(FIRST_CAPACITY)];
    this.#currentSince = elapsed < 2 * this.#retentionMs ? this.#currentSince + this.#retentionMs : now;
  }
}

/** Two 32-bit hashes of a string (FNV-1a, and a multiply-xorshift mix), for double hashing. */
function hashes(text: string): [number, number] {
  let h1 = 0x811c9dc5;
  let h2 = 0x9747b28c;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ code, 0x01000193);
    h2 = Math.imul(h2 ^ code, 0x5bd1e995);
    h2 ^= h2 >>> 15;
  }
  // An odd step visits distinct bits for every probe.
  return [h1 >>> 0, (h2 | 1) >>> 0];
}
