import type SQLite from 'better-sqlite3';
import type { Kysely } from 'kysely';
import type { Database } from './schema.js';

/**
 * The better-sqlite3 handle behind a Kysely instance opened by openDatabase(), for the hot write paths
 * (the timeline, agent events): they run prepared statements kept for the life of the connection instead
 * of building, compiling and preparing the same SQL through kysely on every write. Everything else (reads,
 * rare writes, migrations) stays on kysely. A Kysely made elsewhere has no handle here, and its writers
 * fall back to kysely.
 */
const handles = new WeakMap<Kysely<Database>, RawSqlite>();

export function registerRawSqlite(db: Kysely<Database>, sqlite: SQLite.Database): void {
  handles.set(db, new RawSqlite(sqlite));
}

export function rawSqliteOf(db: Kysely<Database>): RawSqlite | undefined {
  return handles.get(db);
}

const IDENTIFIER = /^[a-z_][a-z0-9_]*$/;

/** A connection's prepared statements, each prepared once on first use. */
export class RawSqlite {
  private readonly statements = new Map<string, SQLite.Statement>();

  constructor(readonly sqlite: SQLite.Database) {}

  /** The prepared statement for `sql` (prepared once per connection). */
  statement(sql: string): SQLite.Statement {
    let stmt = this.statements.get(sql);
    if (!stmt) {
      stmt = this.sqlite.prepare(sql);
      this.statements.set(sql, stmt);
    }
    return stmt;
  }

  /**
   * `update <table> set <columns of values> where <key> = ?`, for the columns of `values` that are not
   * undefined (as kysely's set() skips them). Returns the number of rows changed, or undefined when there
   * was nothing to set. Column names are checked to be plain identifiers before they reach the SQL.
   */
  updateWhere(table: string, key: string, keyValue: unknown, values: Record<string, unknown>) {
    const columns: string[] = [];
    const params: unknown[] = [];
    for (const column in values) {
      const value = values[column];
      if (value === undefined) continue;
      if (!IDENTIFIER.test(column)) throw new Error(`not a column name: ${JSON.stringify(column)}`);
      columns.push(column);
      params.push(value);
    }
    if (columns.length === 0) return undefined;
    const sql = `update "${table}" set ${columns.map((c) => `"${c}" = ?`).join(', ')} where "${key}" = ?`;
    params.push(keyValue);
    return this.statement(sql).run(...params).changes;
  }
}
