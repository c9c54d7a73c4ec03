// Idempotency keys as the specs document them: the first response to a key is stored for 24 hours
// and replayed to every retry with the same request; the same key with another request is refused;
// a retry that arrives while the first attempt is still running is told so (409).
//
// A request that moves money stores its response in the same ledger transaction as the movement
// (api/idempotent.ts), so no crash can leave the money moved and the key without its response:
// every retry within the retention period replays it.
import { hash } from 'node:crypto';
import { canonicalJson } from '../core/canonical.ts';
import type { Clock } from '../core/clock.ts';
import { KeyIndex } from './key-index.ts';
import { upsertResponses } from '../storage/row-writes.ts';
import { num } from '../storage/rows.ts';
import { placeholders, type Row, type SqlDatabase, type SqlExecutor } from '../storage/sql-database.ts';

export const IDEMPOTENCY_RETENTION_MS = 24 * 60 * 60 * 1000;
/** Stored keys read per query when loading the key index. */
const KEY_LOAD_CHUNK = 10_000;
/** Expired keys deleted per transaction, so that purging a large backlog never holds the writer for long. */
const PURGE_CHUNK = 10_000;
/** How long an attempt may stay in flight before another may take the key over (crashed owner). */
const IN_FLIGHT_LEASE_MS = 60 * 1000;

export interface StoredResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** Which key's stored response to read, and on SQLite where it may be (key-index.ts). */
export interface KeyLookup {
  scope: string;
  key: string;
  /** SQLite: the expiries the key's rows may have; none means it has no response stored. */
  expiries?: readonly number[];
}

export type IdempotencyDecision =
  /**
   * The caller owns the key: run the request, then `complete()` (or `release()` on failure). With
   * `deferredLookup`, a response may be stored but was not read yet: the caller's ledger
   * transaction reads it (`LedgerTransaction.storedDecision`) before doing anything.
   */
  | { kind: 'proceed'; deferredLookup?: KeyLookup }
  | { kind: 'replay'; response: StoredResponse }
  /** Same key, different request: 422 idempotency-key-reused. */
  | { kind: 'mismatch' }
  /** The first attempt is still running: 409. */
  | { kind: 'in_flight' };

/** Every decision but proceed: the key is not the caller's to run. */
export type RefusedKey = Exclude<IdempotencyDecision, { kind: 'proceed' }>;

/** The hash a key is bound to: method, path and body, canonically encoded. */
export function requestFingerprint(request: { method: string; path: string; body: unknown }): string {
  return hash('sha256', canonicalJson([request.method.toUpperCase(), request.path, request.body ?? null]), 'hex');
}

export class IdempotencyStore {
  readonly #database: SqlDatabase;
  readonly #clock: Clock;
  /** Stores a response in a transaction of its own (on SQLite, a staged one of the group commit). */
  readonly #save: (saved: SavedResponse) => Promise<void>;
  /**
   * SQLite has one writer process, so attempts in flight are tracked in memory (nothing in flight
   * survives a crash anyway). PostgreSQL may be shared by several processes: there the marker is
   * a row with a lease.
   */
  readonly #inFlight = new Map<string, string>();
  /** SQLite: where each stored key's response is (key-index.ts), loaded at the first begin. */
  #keys: KeyIndex | undefined;
  #loadingKeys: Promise<KeyIndex> | undefined;

  constructor(database: SqlDatabase, clock: Clock, save: (saved: SavedResponse) => Promise<void>) {
    this.#database = database;
    this.#clock = clock;
    this.#save = save;
  }

  /**
   * Claims the key, or says why not. On SQLite a key that the key index has no entry for has no
   * stored response, and is claimed without a read. `deferLookup` (for work that runs in a ledger
   * transaction): on SQLite the key is only claimed in memory, and a response that may be stored is
   * read by that transaction, in the read snapshot its whole group-commit batch shares, rather than
   * in a read transaction of its own per request (whose pages a commit since the last one has
   * dropped from the cache).
   */
  async begin(scope: string, key: string, requestHash: string, options: { deferLookup?: boolean } = {}): Promise<IdempotencyDecision> {
    if (this.#database.dialect !== 'sqlite') return this.#beginShared(scope, key, requestHash);
    return this.#beginLocal(scope, key, requestHash, options.deferLookup ?? false);
  }

  async complete(scope: string, key: string, requestHash: string, response: StoredResponse): Promise<void> {
    const expiresAt = this.#clock.now() + IDEMPOTENCY_RETENTION_MS;
    await this.#save({ scope, key, requestHash, response, expiresAt });
    this.settled(scope, key, expiresAt);
  }

  /**
   * Call once the ledger transaction that ran a claimed key's work is durable: with the expiry of
   * the response it saved (`LedgerTransaction.saveResponse`), or none if it found one stored.
   */
  settled(scope: string, key: string, savedUntil?: number): void {
    const id = localKey(scope, key);
    if (savedUntil !== undefined) this.#keys?.add(id, savedUntil, this.#clock.now());
    this.#inFlight.delete(id);
  }

  /** Gives the key up without storing a response (the attempt failed before doing anything). */
  async release(scope: string, key: string): Promise<void> {
    this.#inFlight.delete(localKey(scope, key));
    if (this.#database.dialect === 'postgres') {
      await this.#database.transaction((sql) => sql.run("DELETE FROM idempotency_keys WHERE scope = ? AND key = ? AND status = 'in_flight'", [scope, key]));
    }
  }

  /**
   * Forgets keys older than the retention period, about PURGE_CHUNK at a time (each chunk a
   * transaction of its own, bounded through the expiry index). Returns how many were deleted.
   */
  async purgeExpired(): Promise<number> {
    const now = this.#clock.now();
    let purged = 0;
    for (;;) {
      const [chunk] = await this.#database.reader.all(
        'SELECT count(*) AS n, max(expires_at) AS up_to FROM (SELECT expires_at FROM idempotency_keys WHERE expires_at <= ? ORDER BY expires_at LIMIT ?) AS expired',
        [now, PURGE_CHUNK],
      );
      const count = num(chunk!.n);
      if (count === 0) return purged;
      purged += await this.#database.transaction((sql) => sql.run('DELETE FROM idempotency_keys WHERE expires_at <= ?', [num(chunk!.up_to)]));
      if (count < PURGE_CHUNK) return purged;
    }
  }

  async #beginLocal(scope: string, key: string, requestHash: string, deferLookup: boolean): Promise<IdempotencyDecision> {
    const keys = this.#keys ?? (await (this.#loadingKeys ??= this.#loadKeys()));
    const id = localKey(scope, key);
    const running = this.#inFlight.get(id);
    if (running !== undefined) return running === requestHash ? { kind: 'in_flight' } : { kind: 'mismatch' };
    const expiries = keys.expiriesOf(id, this.#clock.now());
    if (expiries.length === 0 || deferLookup) {
      this.#inFlight.set(id, requestHash);
      return expiries.length === 0 ? { kind: 'proceed' } : { kind: 'proceed', deferredLookup: { scope, key, expiries } };
    }
    const stored = await storedDecision(this.#database.reader, { scope, key, expiries }, requestHash, this.#clock.now());
    // Another begin may have claimed the key while we read.
    if (this.#inFlight.has(id)) return this.#beginLocal(scope, key, requestHash, false);
    if (stored) return stored;
    this.#inFlight.set(id, requestHash);
    return { kind: 'proceed' };
  }

  /**
   * Reads every unexpired stored key into the key index, a chunk at a time between other work.
   * No key is claimed until it is done, so no response is saved meanwhile.
   */
  async #loadKeys(): Promise<KeyIndex> {
    try {
      const keys = new KeyIndex(IDEMPOTENCY_RETENTION_MS, this.#clock.now());
      for (let after = 0; ; ) {
        const rows = await this.#database.reader.all(
          'SELECT rowid AS r, scope, key, expires_at FROM idempotency_keys WHERE rowid > ? AND expires_at > ? ORDER BY rowid LIMIT ?',
          [after, this.#clock.now(), KEY_LOAD_CHUNK],
        );
        const now = this.#clock.now();
        for (const row of rows) keys.add(localKey(row.scope as string, row.key as string), num(row.expires_at), now);
        if (rows.length < KEY_LOAD_CHUNK) break;
        after = num(rows[rows.length - 1]!.r);
        await new Promise((resolve) => setImmediate(resolve));
      }
      return (this.#keys = keys);
    } finally {
      // On failure (the ledger closed meanwhile, or could not be read), the next begin tries again.
      this.#loadingKeys = undefined;
    }
  }

  async #beginShared(scope: string, key: string, requestHash: string): Promise<IdempotencyDecision> {
    const now = this.#clock.now();
    return this.#database.transaction(async (sql) => {
      const inserted = await sql.run(
        `INSERT INTO idempotency_keys (scope, key, request_hash, status, locked_until, expires_at) VALUES (?, ?, ?, 'in_flight', ?, ?)
         ON CONFLICT (scope, key) DO NOTHING`,
        [scope, key, requestHash, now + IN_FLIGHT_LEASE_MS, now + IDEMPOTENCY_RETENTION_MS],
      );
      if (inserted === 1) return { kind: 'proceed' } as const;
      const [row] = await sql.all(`SELECT * FROM idempotency_keys WHERE scope = ? AND key = ?${this.#database.forUpdate}`, [scope, key]);
      if (!row) return { kind: 'in_flight' } as const;
      const expired = num(row.expires_at) <= now;
      const abandoned = row.status === 'in_flight' && num(row.locked_until) <= now && row.request_hash === requestHash;
      if (expired || abandoned) {
        await sql.run(
          "UPDATE idempotency_keys SET request_hash = ?, status = 'in_flight', response_status = NULL, response_headers = NULL, response_body = NULL, locked_until = ?, expires_at = ? WHERE scope = ? AND key = ?",
          [requestHash, now + IN_FLIGHT_LEASE_MS, expired ? now + IDEMPOTENCY_RETENTION_MS : num(row.expires_at), scope, key],
        );
        return { kind: 'proceed' } as const;
      }
      return decide(row, requestHash);
    });
  }
}

export interface SavedResponse {
  scope: string;
  key: string;
  requestHash: string;
  response: StoredResponse;
  expiresAt: number;
}

/**
 * What the response stored for a key (unexpired) decides, if there is one. On SQLite only committed
 * responses count: one not durable yet belongs to a key still claimed in memory (settled() runs
 * once it is durable), which begin() has answered already. SQLite's table has no index on the key:
 * its rows are found by their expiry, one of `lookup.expiries`.
 */
export async function storedDecision(sql: SqlExecutor, lookup: KeyLookup, requestHash: string, now: number): Promise<RefusedKey | undefined> {
  const row = await unexpiredRow(sql, lookup, now);
  return row ? decide(row, requestHash) : undefined;
}

/** The row stored for a key that has not expired by `now`: by the key on PostgreSQL, by its expiries on SQLite. */
async function unexpiredRow(sql: SqlExecutor, { scope, key, expiries }: KeyLookup, now: number): Promise<Row | undefined> {
  if (expiries === undefined) return (await sql.all('SELECT * FROM idempotency_keys WHERE scope = ? AND key = ? AND expires_at > ?', [scope, key, now]))[0];
  // Filtered here rather than by `expires_at > ?`, which SQLite could answer with a range scan.
  const unexpired = expiries.filter((expiresAt) => expiresAt > now);
  if (unexpired.length === 0) return undefined;
  return (await sql.all(lookupByExpirySql(unexpired.length), [...unexpired, scope, key]))[0];
}

/** SQLite: a key's newest row among those with one of `count` expiries, through the expiry index. */
export function lookupByExpirySql(count: number): string {
  return `SELECT * FROM idempotency_keys WHERE expires_at IN (${placeholders(count)}) AND scope = ? AND key = ? ORDER BY expires_at DESC LIMIT 1`;
}

/** Stores a key's response; inside a ledger transaction it commits atomically with the money. */
export function saveResponse(sql: SqlExecutor, saved: SavedResponse): Promise<void> {
  return upsertResponses(sql, [saved]);
}

function decide(row: Row, requestHash: string): RefusedKey {
  if (row.request_hash !== requestHash) return { kind: 'mismatch' };
  if (row.status !== 'completed') return { kind: 'in_flight' };
  return {
    kind: 'replay',
    response: { status: num(row.response_status), headers: JSON.parse(row.response_headers as string) as Record<string, string>, body: row.response_body as string },
  };
}

function localKey(scope: string, key: string): string {
  return `${scope}\u0000${key}`;
}
