import type { DatabaseSync } from 'node:sqlite';
import type { CheckRewrite } from '../sql-database.ts';

/**
 * Replaces CHECK constraints in place, by SQLite's documented procedure for changes that leave the
 * stored rows as they are (https://sqlite.org/lang_altertable.html#otheralter): edit the table's
 * CREATE TABLE text in sqlite_schema, bump the schema version, then check the rows against the new
 * text. Runs inside the caller's transaction, so a failure leaves the schema untouched.
 */
export function rewriteChecks(db: DatabaseSync, rewrites: readonly CheckRewrite[]): void {
  const schemaVersion = Number(db.prepare('PRAGMA schema_version').get()!.schema_version);
  // Node 24.12+ opens databases in defensive mode, which forbids writing sqlite_schema; older
  // versions have neither the mode nor the method.
  const defensive = typeof db.enableDefensive === 'function';
  if (defensive) db.enableDefensive(false);
  db.exec('PRAGMA writable_schema = ON');
  try {
    const edit = db.prepare("UPDATE sqlite_schema SET sql = replace(sql, ?, ?) WHERE type = 'table' AND name = ? AND instr(sql, ?) > 0");
    for (const { table, from, to } of rewrites) {
      if (Number(edit.run(from, to, table, from).changes) !== 1) throw new Error(`table ${table} has no constraint ${from} to rewrite`);
    }
    db.exec(`PRAGMA schema_version = ${schemaVersion + 1}`);
  } finally {
    db.exec('PRAGMA writable_schema = OFF');
    if (defensive) db.enableDefensive(true);
  }
  for (const table of new Set(rewrites.map((rewrite) => rewrite.table))) {
    const problems = db.prepare(`PRAGMA quick_check(${table})`).all().map((row) => String(row.quick_check));
    if (problems.join() !== 'ok') throw new Error(`table ${table} fails its rewritten constraints: ${problems.join('; ')}`);
  }
}
