import pg from 'pg';
import type { Migration, Row, SqlDatabase, SqlExecutor, SqlTransaction, SqlValue } from '../sql-database.ts';

export interface PostgresOptions {
  connectionString: string;
  /** A schema to work in (created if missing); the default is the connection's search_path. */
  schema?: string;
  poolSize?: number;
  /** How many times a transaction is retried after a serialization failure or deadlock. */
  maxRetries?: number;
}

// 40001 serialization_failure, 40P01 deadlock_detected: the transaction did nothing and can run
// again. 23505 unique_violation: a concurrent twin committed the same id first; running again
// finds it and replays it.
const RETRYABLE = new Set(['40001', '40P01', '23505']);
const MIGRATION_LOCK = 7_264_001;

/**
 * PostgreSQL through a pg pool. Each transaction takes row locks in a stable order (accounts by
 * id, the chain head last) and is retried with backoff when PostgreSQL aborts it.
 */
export class PostgresDatabase implements SqlDatabase {
  readonly dialect = 'postgres' as const;
  readonly forUpdate = ' FOR UPDATE';
  readonly reader: SqlExecutor;
  readonly #pool: pg.Pool;
  readonly #maxRetries: number;

  private constructor(pool: pg.Pool, maxRetries: number) {
    this.#pool = pool;
    this.#maxRetries = maxRetries;
    this.reader = executor(pool);
  }

  static async connect(options: PostgresOptions): Promise<PostgresDatabase> {
    const schema = options.schema;
    if (schema !== undefined && !/^[a-z_][a-z0-9_]*$/.test(schema)) throw new Error(`invalid schema name: ${schema}`);
    if (schema) {
      const admin = new pg.Client({ connectionString: options.connectionString });
      await admin.connect();
      try {
        await admin.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
      } finally {
        await admin.end();
      }
    }
    const pool = new pg.Pool({
      connectionString: options.connectionString,
      max: options.poolSize ?? 10,
      ...(schema ? { options: `-c search_path=${schema}` } : {}),
    });
    return new PostgresDatabase(pool, options.maxRetries ?? 20);
  }

  async transaction<T>(work: (sql: SqlTransaction) => Promise<T>): Promise<T> {
    const client = await this.#pool.connect();
    const sql = transactionExecutor(client);
    try {
      for (let attempt = 0; ; attempt++) {
        await client.query('BEGIN');
        try {
          const value = await work(sql);
          await client.query('COMMIT');
          return value;
        } catch (error) {
          await client.query('ROLLBACK');
          const code = (error as { code?: string }).code;
          if (!code || !RETRYABLE.has(code) || attempt >= this.#maxRetries) throw error;
          await new Promise((resolve) => setTimeout(resolve, Math.random() * Math.min(100, 2 ** attempt)));
        }
      }
    } finally {
      client.release();
    }
  }

  async migrate(migrations: readonly Migration[]): Promise<number[]> {
    const client = await this.#pool.connect();
    const applied: number[] = [];
    try {
      await client.query('BEGIN');
      await client.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
      await client.query('CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)');
      const done = new Set((await client.query('SELECT version FROM schema_migrations')).rows.map((row) => Number(row.version)));
      for (const migration of migrations) {
        if (done.has(migration.version)) continue;
        await client.query(migration.sql);
        await client.query('INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)', [migration.version, migration.name, Date.now()]);
        applied.push(migration.version);
      }
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK');
      throw error;
    } finally {
      client.release();
    }
    return applied;
  }

  async close(): Promise<void> {
    await this.#pool.end();
  }
}

const numbered = new Map<string, string>();

/** `?` placeholders to PostgreSQL's `$1, $2, …` (our SQL never has a `?` inside a literal). */
function toPostgres(sql: string): string {
  let converted = numbered.get(sql);
  if (converted === undefined) {
    let index = 0;
    converted = sql.replace(/\?/g, () => `$${++index}`);
    numbered.set(sql, converted);
  }
  return converted;
}

/** Savepoints nest under one name: ROLLBACK TO and RELEASE name the innermost one. */
function transactionExecutor(client: pg.PoolClient): SqlTransaction {
  return {
    ...executor(client),
    savepoint: async (work) => {
      await client.query('SAVEPOINT nested');
      let value;
      try {
        value = await work();
      } catch (error) {
        await client.query('ROLLBACK TO SAVEPOINT nested');
        await client.query('RELEASE SAVEPOINT nested');
        throw error;
      }
      await client.query('RELEASE SAVEPOINT nested');
      return value;
    },
  };
}

function executor(client: pg.Pool | pg.PoolClient): SqlExecutor {
  return {
    all: async (sql: string, params: readonly SqlValue[] = []) => (await client.query(toPostgres(sql), params as SqlValue[])).rows as Row[],
    run: async (sql: string, params: readonly SqlValue[] = []) => (await client.query(toPostgres(sql), params as SqlValue[])).rowCount ?? 0,
  };
}
