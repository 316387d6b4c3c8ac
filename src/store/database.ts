import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import SQLite from 'better-sqlite3';
import {
  CompiledQuery,
  type DatabaseConnection,
  type Driver,
  Kysely,
  Migrator,
  SqliteDialect,
  type SqliteDialectConfig,
  SqliteDriver,
  sql,
} from 'kysely';
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
  const db = new Kysely<Database>({ dialect: new WritingSqliteDialect({ database: sqlite }) });
  registerRawSqlite(db, sqlite);
  return { db, sqlite };
}

/**
 * Kysely's SQLite dialect whose transactions take the write lock as they begin (BEGIN IMMEDIATE). Every
 * transaction here writes, and the write worker commits on its own connection all the time: a transaction
 * begun deferred that reads first (a shift looked up, then deleted) fails at once with SQLITE_BUSY_SNAPSHOT
 * when the worker commits between its read and its write (WAL mode; the busy timeout does not help there),
 * and the supervisor got a 500. Begun immediate, it waits for the worker's commit instead (busy_timeout),
 * and the worker waits for it.
 */
class WritingSqliteDialect extends SqliteDialect {
  readonly #config: SqliteDialectConfig;

  constructor(config: SqliteDialectConfig) {
    super(config);
    this.#config = config;
  }

  override createDriver(): Driver {
    return new (class extends SqliteDriver {
      override async beginTransaction(connection: DatabaseConnection): Promise<void> {
        await connection.executeQuery(CompiledQuery.raw('begin immediate'));
      }
    })(this.#config);
  }
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

/**
 * The migrations this version has that the database has not had yet, and how many it has had (0: a new
 * database, nothing on record yet).
 */
export async function migrationsDue(db: Kysely<Database>): Promise<{ due: string[]; had: number }> {
  const all = await new Migrator({ db, provider: { getMigrations: async () => migrations } }).getMigrations();
  const due = all.filter((m) => m.executedAt === undefined).map((m) => m.name);
  return { due, had: all.length - due.length };
}

export async function databaseIsUp(db: Kysely<Database>): Promise<boolean> {
  try {
    await sql`select 1`.execute(db);
    return true;
  } catch {
    return false;
  }
}
