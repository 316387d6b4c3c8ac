import type SQLite from 'better-sqlite3';
import type { Kysely } from 'kysely';
import type { Database } from './schema.js';

/** Every connection to the database is opened with these (openDatabase and the write worker alike). */
export const CONNECTION_PRAGMAS = [
  'journal_mode = WAL',
  'synchronous = FULL',
  'foreign_keys = ON',
  'busy_timeout = 5000',
] as const;

/**
 * The better-sqlite3 handle behind a Kysely instance opened by openDatabase(), for the hot write paths
 * (the timeline, agent events): they are written as plans of prepared statements instead of building,
 * compiling and preparing the same SQL through kysely on every write. Everything else (reads, rare
 * writes, migrations) stays on kysely. A Kysely made elsewhere has no handle here: its plans' statements
 * then run through kysely (GroupCommit.runPlan).
 */
const handles = new WeakMap<Kysely<Database>, RawSqlite>();

export function registerRawSqlite(db: Kysely<Database>, sqlite: SQLite.Database): void {
  handles.set(db, new RawSqlite(sqlite));
}

export function rawSqliteOf(db: Kysely<Database>): RawSqlite | undefined {
  return handles.get(db);
}

/** One statement of a write: SQL with `?` parameters. */
export interface PlannedStatement {
  sql: string;
  params: (string | number | null)[];
  /** The write fails (WritePlan.noChange) when this statement changes no row. */
  mustChange?: boolean;
  /** The write's value is this statement's last inserted rowid. */
  returnsRowid?: boolean;
}

/**
 * One write as data: its statements run in order in one savepoint, so it can be carried out on this thread
 * or handed to the write worker alike.
 */
export interface WritePlan {
  statements: PlannedStatement[];
  /** The error a `mustChange` statement that changed nothing turns into (e.g. an unknown interaction). */
  noChange?: () => Error;
}

/** What a plan's executor reports when a `mustChange` statement changed nothing. */
export const NO_CHANGE = 'WRITE_PLAN_NO_CHANGE';

const IDENTIFIER = /^[a-z_][a-z0-9_]*$/;

/**
 * `update <table> set <columns of values> where <key> = ?`, for the columns of `values` that are not
 * undefined (as kysely's set() skips them), or undefined when there is nothing to set. Column names are
 * checked to be plain identifiers before they reach the SQL.
 */
export function planUpdate(
  table: string,
  key: string,
  keyValue: string,
  values: Record<string, unknown>,
  /** A further condition on the row, constant SQL (e.g. `"state" = 'open'`). */
  andWhere?: string,
): PlannedStatement | undefined {
  const columns: string[] = [];
  const params: (string | number | null)[] = [];
  for (const column in values) {
    const value = values[column];
    if (value === undefined) continue;
    if (!IDENTIFIER.test(column)) throw new Error(`not a column name: ${JSON.stringify(column)}`);
    columns.push(column);
    params.push(value as string | number | null);
  }
  if (columns.length === 0) return undefined;
  params.push(keyValue);
  return {
    sql:
      `update "${table}" set ${columns.map((c) => `"${c}" = ?`).join(', ')} where "${key}" = ?` +
      (andWhere ? ` and ${andWhere}` : ''),
    params,
    mustChange: true,
  };
}

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

  /** Runs a plan's statements on this connection (the caller holds the transaction and savepoint). */
  runPlan(plan: WritePlan): number | undefined {
    let value: number | undefined;
    for (const s of plan.statements) {
      const result = this.statement(s.sql).run(...s.params);
      if (s.mustChange && result.changes === 0) throw plan.noChange?.() ?? new Error(NO_CHANGE);
      if (s.returnsRowid) value = Number(result.lastInsertRowid);
    }
    return value;
  }
}
