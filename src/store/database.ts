import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, Migrator, SqliteDialect, sql } from 'kysely';
import { migrations } from '../../migrations/index.js';
import { CONNECTION_PRAGMAS, registerRawSqlite } from './raw-sqlite.js';
import type { Database } from './schema.js';

export interface OpenDatabase {
  db: Kysely<Database>;
  sqlite: SQLite.Database;
}

/**
 * Opens the SQLite database. WAL lets the API read while calls write; synchronous=FULL makes every
 * committed write durable before the call returns, so what the service acknowledged survives kill -9
 * and power loss alike.
 */
export function openDatabase(path: string): OpenDatabase {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const sqlite = new SQLite(path);
  for (const pragma of CONNECTION_PRAGMAS) sqlite.pragma(pragma);
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) });
  registerRawSqlite(db, sqlite);
  return { db, sqlite };
}

export class MigrationError extends Error {
  readonly code = 'MIGRATION_FAILED';
}

/** Brings the schema up to date; running it again is a no-op. Returns the names it applied. */
export async function migrateToLatest(db: Kysely<Database>): Promise<string[]> {
  const migrator = new Migrator({
    db,
    provider: { getMigrations: async () => migrations },
  });
  const { error, results = [] } = await migrator.migrateToLatest();
  const failed = results.find((r) => r.status === 'Error');
  if (error || failed) {
    const name = failed?.migrationName ?? 'unknown';
    throw new MigrationError(
      `migration ${name} failed: ${(error as Error | undefined)?.message ?? 'see log'}`,
    );
  }
  return results.filter((r) => r.status === 'Success').map((r) => r.migrationName);
}

export async function databaseIsUp(db: Kysely<Database>): Promise<boolean> {
  try {
    await sql`select 1`.execute(db);
    return true;
  } catch {
    return false;
  }
}
