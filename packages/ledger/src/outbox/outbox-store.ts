// Webhook endpoints, the outbox's events and their deliveries. Events are written by ledger
// commands in the same transaction as the money (see LedgerTransaction.insertEvents); this
// store serves the delivery worker and the webhook-endpoint API.
import { randomBytes, randomUUID } from 'node:crypto';
import type { Clock } from '../core/clock.ts';
import { num } from '../storage/rows.ts';
import type { Row, SqlDatabase } from '../storage/sql-database.ts';

export interface WebhookEndpoint {
  id: string;
  url: string;
  secret: string;
  /** Event types delivered, or '*' for all. */
  eventTypes: string[] | '*';
  enabled: boolean;
  description: string | null;
  /** The secret before the last rotation, still signing deliveries until it expires. */
  previousSecret: string | null;
  previousSecretExpiresAt: number | null;
  createdAt: number;
}

/** How long a rotated-out secret keeps signing deliveries alongside the new one. */
export const PREVIOUS_SECRET_TTL_MS = 24 * 60 * 60 * 1000;

export interface StoredEvent {
  seq: number;
  id: string;
  type: string;
  /** The event's data as canonical JSON text. */
  data: string;
  createdAt: number;
}

export type DeliveryStatus = 'pending' | 'delivered' | 'dead';

export interface Delivery {
  id: number;
  eventId: string;
  endpointId: string;
  status: DeliveryStatus;
  attempts: number;
  nextAttemptAt: number;
  lastStatus: number | null;
  lastError: string | null;
  deliveredAt: number | null;
}

/** A delivery claimed by a worker, with what it needs to send it. */
export interface ClaimedDelivery extends Delivery {
  url: string;
  /** Every secret currently valid for the endpoint (two during a rotation). */
  secrets: string[];
  event: StoredEvent;
}

export class OutboxStore {
  readonly #database: SqlDatabase;
  readonly #clock: Clock;

  constructor(database: SqlDatabase, clock: Clock) {
    this.#database = database;
    this.#clock = clock;
  }

  async createEndpoint(input: { url: string; eventTypes?: string[] | '*'; id?: string; secret?: string; description?: string | null }): Promise<WebhookEndpoint> {
    const endpoint: WebhookEndpoint = {
      id: input.id ?? `we_${randomUUID().replaceAll('-', '')}`,
      url: input.url,
      secret: input.secret ?? newSecret(),
      eventTypes: input.eventTypes ?? '*',
      enabled: true,
      description: input.description ?? null,
      previousSecret: null,
      previousSecretExpiresAt: null,
      createdAt: this.#clock.now(),
    };
    await this.#database.transaction((sql) =>
      sql.run('INSERT INTO webhook_endpoints (id, url, secret, event_types, enabled, description, created_at) VALUES (?, ?, ?, ?, 1, ?, ?)', [
        endpoint.id,
        endpoint.url,
        endpoint.secret,
        encodeTypes(endpoint.eventTypes),
        endpoint.description,
        endpoint.createdAt,
      ]),
    );
    return endpoint;
  }

  async listEndpoints(): Promise<WebhookEndpoint[]> {
    return (await this.#database.reader.all('SELECT * FROM webhook_endpoints ORDER BY created_at, id')).map(toEndpoint);
  }

  async getEndpoint(id: string): Promise<WebhookEndpoint | undefined> {
    const [row] = await this.#database.reader.all('SELECT * FROM webhook_endpoints WHERE id = ?', [id]);
    return row ? toEndpoint(row) : undefined;
  }

  /** Deletes an endpoint; its undelivered events are abandoned. Returns false when it did not exist. */
  async deleteEndpoint(id: string): Promise<boolean> {
    return this.#database.transaction(async (sql) => {
      await sql.run("UPDATE webhook_deliveries SET status = 'dead', last_error = 'endpoint deleted' WHERE endpoint_id = ? AND status = 'pending'", [id]);
      return (await sql.run('DELETE FROM webhook_endpoints WHERE id = ?', [id])) === 1;
    });
  }

  /** A new secret; the old one keeps signing (alongside) for `PREVIOUS_SECRET_TTL_MS`. */
  async rotateSecret(id: string): Promise<WebhookEndpoint | undefined> {
    const secret = newSecret();
    const expiresAt = this.#clock.now() + PREVIOUS_SECRET_TTL_MS;
    const changed = await this.#database.transaction((sql) =>
      sql.run('UPDATE webhook_endpoints SET previous_secret = secret, previous_secret_expires_at = ?, secret = ? WHERE id = ?', [expiresAt, secret, id]),
    );
    return changed === 1 ? this.getEndpoint(id) : undefined;
  }

  async getEvent(id: string): Promise<StoredEvent | undefined> {
    const [row] = await this.#database.reader.all('SELECT * FROM outbox_events WHERE id = ?', [id]);
    return row ? toEvent(row) : undefined;
  }

  /** Events newest first, for the events API; cursors are event ids. */
  async listEvents(options: { limit: number; startingAfter?: string; endingBefore?: string; type?: string; typePrefixes?: string[] }): Promise<{ events: StoredEvent[]; hasMore: boolean }> {
    const conditions: string[] = [];
    const params: (string | number)[] = [];
    if (options.startingAfter !== undefined) (conditions.push('seq < (SELECT seq FROM outbox_events WHERE id = ?)'), params.push(options.startingAfter));
    if (options.endingBefore !== undefined) (conditions.push('seq > (SELECT seq FROM outbox_events WHERE id = ?)'), params.push(options.endingBefore));
    if (options.type !== undefined) (conditions.push('type = ?'), params.push(options.type));
    if (options.typePrefixes !== undefined) {
      conditions.push(`(${options.typePrefixes.map(() => 'type LIKE ?').join(' OR ')})`);
      params.push(...options.typePrefixes.map((prefix) => `${prefix}%`));
    }
    const where = conditions.length > 0 ? `WHERE ${conditions.join(' AND ')}` : '';
    const rows = await this.#database.reader.all(`SELECT * FROM outbox_events ${where} ORDER BY seq DESC LIMIT ?`, [...params, options.limit + 1]);
    return { events: rows.slice(0, options.limit).map(toEvent), hasMore: rows.length > options.limit };
  }

  async listDeliveries(filter: { eventId?: string; endpointId?: string } = {}): Promise<Delivery[]> {
    const conditions: string[] = [];
    const params: string[] = [];
    if (filter.eventId !== undefined) (conditions.push('event_id = ?'), params.push(filter.eventId));
    if (filter.endpointId !== undefined) (conditions.push('endpoint_id = ?'), params.push(filter.endpointId));
    const where = conditions.length > 0 ? `WHERE ${conditions.join(' AND ')}` : '';
    return (await this.#database.reader.all(`SELECT * FROM webhook_deliveries ${where} ORDER BY id`, params)).map(toDelivery);
  }

  /**
   * Claims deliveries that are due for `leaseMs`, so concurrent workers (even in other processes
   * on PostgreSQL) never send the same attempt twice.
   */
  async claimDue(limit: number, leaseMs: number): Promise<ClaimedDelivery[]> {
    const now = this.#clock.now();
    const skipLocked = this.#database.dialect === 'postgres' ? ' FOR UPDATE SKIP LOCKED' : '';
    return this.#database.transaction(async (sql) => {
      const due = await sql.all(
        `SELECT id FROM webhook_deliveries WHERE status = 'pending' AND next_attempt_at <= ? AND locked_until <= ? ORDER BY id LIMIT ?${skipLocked}`,
        [now, now, limit],
      );
      const claimed: ClaimedDelivery[] = [];
      for (const { id } of due) {
        await sql.run('UPDATE webhook_deliveries SET locked_until = ? WHERE id = ?', [now + leaseMs, id as number]);
        const [row] = await sql.all(
          `SELECT d.*, e.url, e.secret, e.previous_secret, e.previous_secret_expires_at, v.seq AS event_seq, v.type AS event_type, v.data AS event_data, v.created_at AS event_created_at
           FROM webhook_deliveries d JOIN webhook_endpoints e ON e.id = d.endpoint_id JOIN outbox_events v ON v.id = d.event_id WHERE d.id = ?`,
          [id as number],
        );
        if (!row) continue;
        const previousValid = row.previous_secret !== null && num(row.previous_secret_expires_at) > now;
        claimed.push({
          ...toDelivery(row),
          url: row.url as string,
          secrets: previousValid ? [row.secret as string, row.previous_secret as string] : [row.secret as string],
          event: { seq: num(row.event_seq), id: row.event_id as string, type: row.event_type as string, data: row.event_data as string, createdAt: num(row.event_created_at) },
        });
      }
      return claimed;
    });
  }

  async recordSuccess(deliveryId: number, status: number): Promise<void> {
    const now = this.#clock.now();
    await this.#database.transaction((sql) =>
      sql.run("UPDATE webhook_deliveries SET status = 'delivered', attempts = attempts + 1, last_status = ?, last_error = NULL, delivered_at = ?, locked_until = 0 WHERE id = ?", [
        status,
        now,
        deliveryId,
      ]),
    );
  }

  /** Schedules the next attempt, or marks the delivery dead when `retryAt` is null. */
  async recordFailure(deliveryId: number, failure: { status: number | null; error: string; retryAt: number | null }): Promise<void> {
    await this.#database.transaction((sql) =>
      sql.run(
        `UPDATE webhook_deliveries SET attempts = attempts + 1, last_status = ?, last_error = ?, locked_until = 0,
           status = ?, next_attempt_at = ? WHERE id = ?`,
        [failure.status, failure.error.slice(0, 500), failure.retryAt === null ? 'dead' : 'pending', failure.retryAt ?? 0, deliveryId],
      ),
    );
  }

  /** Queues an event again to every endpoint it went to, or to today's matching endpoints if none. */
  async redeliverEvent(eventId: string): Promise<number> {
    const now = this.#clock.now();
    return this.#database.transaction(async (sql) => {
      const [event] = await sql.all('SELECT type FROM outbox_events WHERE id = ?', [eventId]);
      if (!event) return 0;
      await sql.run(
        `INSERT INTO webhook_deliveries (event_id, endpoint_id, status, attempts, next_attempt_at)
         SELECT ?, id, 'pending', 0, ? FROM webhook_endpoints WHERE enabled = 1 AND (event_types = '*' OR event_types LIKE ?)
         ON CONFLICT (event_id, endpoint_id) DO NOTHING`,
        [eventId, now, `%,${event.type as string},%`],
      );
      return sql.run("UPDATE webhook_deliveries SET status = 'pending', attempts = 0, next_attempt_at = ?, locked_until = 0, delivered_at = NULL WHERE event_id = ?", [now, eventId]);
    });
  }

  /** Queues a delivery again (dead or delivered), from its first attempt. */
  async redeliver(deliveryId: number): Promise<Delivery | undefined> {
    const now = this.#clock.now();
    const changed = await this.#database.transaction((sql) =>
      sql.run("UPDATE webhook_deliveries SET status = 'pending', attempts = 0, next_attempt_at = ?, locked_until = 0, delivered_at = NULL WHERE id = ?", [now, deliveryId]),
    );
    if (changed !== 1) return undefined;
    const [row] = await this.#database.reader.all('SELECT * FROM webhook_deliveries WHERE id = ?', [deliveryId]);
    return row ? toDelivery(row) : undefined;
  }
}

const ALPHANUMERIC = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** `whsec_` and 32 alphanumerics, as the specs' secret pattern requires. */
function newSecret(): string {
  return `whsec_${Array.from(randomBytes(32), (byte) => ALPHANUMERIC[byte % ALPHANUMERIC.length]).join('')}`;
}

function encodeTypes(types: string[] | '*'): string {
  return types === '*' ? '*' : `,${types.join(',')},`;
}

function toEndpoint(row: Row): WebhookEndpoint {
  const types = row.event_types as string;
  return {
    id: row.id as string,
    url: row.url as string,
    secret: row.secret as string,
    eventTypes: types === '*' ? '*' : types.split(',').filter(Boolean),
    enabled: num(row.enabled) === 1,
    description: (row.description as string | null) ?? null,
    previousSecret: (row.previous_secret as string | null) ?? null,
    previousSecretExpiresAt: row.previous_secret_expires_at === null || row.previous_secret_expires_at === undefined ? null : num(row.previous_secret_expires_at),
    createdAt: num(row.created_at),
  };
}

function toEvent(row: Row): StoredEvent {
  return { seq: num(row.seq), id: row.id as string, type: row.type as string, data: row.data as string, createdAt: num(row.created_at) };
}

function toDelivery(row: Row): Delivery {
  return {
    id: num(row.id),
    eventId: row.event_id as string,
    endpointId: row.endpoint_id as string,
    status: row.status as DeliveryStatus,
    attempts: num(row.attempts),
    nextAttemptAt: num(row.next_attempt_at),
    lastStatus: row.last_status === null ? null : num(row.last_status),
    lastError: (row.last_error as string | null) ?? null,
    deliveredAt: row.delivered_at === null ? null : num(row.delivered_at),
  };
}
