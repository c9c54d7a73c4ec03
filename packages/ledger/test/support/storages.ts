// The storages every shared suite runs on. PostgreSQL needs DATABASE_URL; each ledger gets a
// schema of its own, dropped when it is closed.
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { Clock } from '../../src/core/clock.ts';
import { openLedger, type Ledger, type OpenLedgerOptions, type StorageOptions } from '../../src/ledger.ts';

export const DATABASE_URL = process.env.DATABASE_URL;

export interface StorageTarget {
  name: 'sqlite' | 'postgres';
  /** Why this storage is skipped, or undefined when it runs. */
  skip: string | undefined;
}

export const storageTargets: StorageTarget[] = [
  { name: 'sqlite', skip: undefined },
  { name: 'postgres', skip: DATABASE_URL ? undefined : 'DATABASE_URL is not set (e.g. postgres://postgres@127.0.0.1:5432/test)' },
];

for (const target of storageTargets) {
  if (target.skip) console.warn(`[ledger tests] skipping ${target.name}: ${target.skip}`);
}

export function freshSchemaName(): string {
  return `ledger_test_${randomBytes(6).toString('hex')}`;
}

export function storageOptions(target: StorageTarget['name'], schema = freshSchemaName()): StorageOptions {
  return target === 'postgres' ? { storage: 'postgres', databaseUrl: DATABASE_URL!, schema } : { storage: 'sqlite', path: ':memory:' };
}

export async function dropSchema(schema: string): Promise<void> {
  const client = new pg.Client({ connectionString: DATABASE_URL });
  await client.connect();
  try {
    await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  } finally {
    await client.end();
  }
}

/** Opens a ledger on a blank database; `close()` also drops its PostgreSQL schema. */
export async function openTestLedger(target: StorageTarget['name'], options: { clock?: Clock; onExpired?: OpenLedgerOptions['onExpired'] } = {}): Promise<Ledger> {
  const schema = freshSchemaName();
  const ledger = await openLedger({ ...storageOptions(target, schema), ...options });
  if (target === 'postgres') {
    const close = ledger.close.bind(ledger);
    ledger.close = async () => {
      await close();
      await dropSchema(schema);
    };
  }
  return ledger;
}
