/**
 * The one place that turns configuration into a knex instance. Everything that
 * differs between the embedded default (SQLite) and production (MySQL) at the
 * connection level lives here; query-level differences live in search.server.ts.
 */
import fs from "node:fs";
import path from "node:path";
import knexFactory, { type Knex } from "knex";
import { knexSnakeCaseMappers } from "objection";
import type { Config, DatabaseConfig } from "./config.server";

export type Db = Knex;
export type Dialect = "sqlite" | "mysql";

export interface CreateDbOptions {
  /** Builds mysql2 connection settings on demand (e.g. from Secrets Manager). */
  mysqlConnection?: () => Promise<Knex.MySql2ConnectionConfig>;
}

/** Tables and columns are snake_case; code sees camelCase. */
const columnNames = knexSnakeCaseMappers();

export function createDb(
  database: DatabaseConfig,
  pool: Config["pool"] = { min: 0, max: 10 },
  options: CreateDbOptions = {},
): Db {
  if (database.client === "sqlite") {
    if (database.filename !== ":memory:") {
      fs.mkdirSync(path.dirname(path.resolve(database.filename)), { recursive: true });
    }
    return knexFactory({
      client: "better-sqlite3",
      connection: { filename: database.filename },
      useNullAsDefault: true,
      ...columnNames,
      // better-sqlite3 is synchronous: one connection per process is the fastest and safest.
      pool: {
        min: 1,
        max: 1,
        afterCreate(conn: SqliteConnection, done: (err: Error | null, conn: unknown) => void) {
          // WAL lets the cluster's workers read while one writes; busy_timeout makes
          // writers wait for each other instead of failing with SQLITE_BUSY.
          conn.pragma("journal_mode = WAL");
          conn.pragma("synchronous = NORMAL");
          conn.pragma("foreign_keys = ON");
          conn.pragma("busy_timeout = 5000");
          done(null, conn);
        },
      },
    });
  }

  const staticConnection: Knex.MySql2ConnectionConfig = {
    ...MYSQL_SESSION_SETTINGS,
    host: database.host,
    port: database.port,
    user: database.user,
    password: database.password,
    database: database.database,
    ssl: mysqlTls(database.sslCa),
  };
  return knexFactory({
    client: "mysql2",
    connection: options.mysqlConnection ?? staticConnection,
    pool: { min: pool.min, max: pool.max },
    acquireConnectionTimeout: 10_000,
    ...columnNames,
  });
}

/**
 * Every MySQL connection speaks full UTF-8 and UTC, however its settings were
 * obtained. Timestamps come back as the same "YYYY-MM-DD HH:MM:SS" text SQLite
 * returns (see sqlTimestamp), not as Date objects: one shape on both engines.
 */
export const MYSQL_SESSION_SETTINGS = {
  charset: "utf8mb4",
  timezone: "Z",
  supportBigNumbers: true,
  dateStrings: true,
} as const;

/** RDS runs with require_secure_transport=ON: verify the server against the RDS CA bundle. */
export function mysqlTls(caFile: string | undefined): { ca: string } | undefined {
  return caFile ? { ca: fs.readFileSync(caFile, "utf8") } : undefined;
}

interface SqliteConnection {
  pragma(sql: string): unknown;
}

export function dialectOf(db: Db): Dialect {
  const client = String(db.client.config.client);
  return client === "mysql2" || client === "mysql" ? "mysql" : "sqlite";
}

/** A cheap round trip, bounded in time, for readiness checks. */
export async function pingDb(db: Db, timeoutMs = 2000): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`database did not answer in ${timeoutMs} ms`)),
      timeoutMs,
    );
  });
  try {
    await Promise.race([db.raw("select 1"), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * A timestamp both engines store and compare the same way ("YYYY-MM-DD HH:MM:SS",
 * UTC). Passing a Date would store text in MySQL but epoch milliseconds in
 * SQLite, where it then sorts apart from CURRENT_TIMESTAMP defaults.
 */
export function sqlTimestamp(date: Date = new Date()): string {
  return date.toISOString().slice(0, 19).replace("T", " ");
}

/**
 * True when a write broke a unique index: Objection's UniqueViolationError on
 * MySQL, or better-sqlite3's own error, which Objection does not recognise.
 */
export function isUniqueViolation(error: unknown): boolean {
  if (!error || typeof error !== "object") return false;
  if ((error as Error).name === "UniqueViolationError") return true;
  const native = (error as { nativeError?: unknown }).nativeError ?? error;
  const { code, errno } = native as { code?: unknown; errno?: unknown };
  return (
    code === "ER_DUP_ENTRY" ||
    errno === 1062 ||
    code === "SQLITE_CONSTRAINT_UNIQUE" ||
    code === "SQLITE_CONSTRAINT_PRIMARYKEY"
  );
}

const DEADLOCK_ERRNOS = new Set([1213 /* ER_LOCK_DEADLOCK */, 1205 /* ER_LOCK_WAIT_TIMEOUT */]);

/**
 * Runs `work` in one transaction. MySQL may pick a transaction as the victim
 * of a deadlock and roll it back; it is then safe to run again from the top,
 * which this does (at most three times), so callers see a deadlock only if it
 * keeps happening.
 */
export async function inTransaction<T>(
  db: Db,
  work: (trx: Knex.Transaction) => Promise<T>,
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await db.transaction(work);
    } catch (error) {
      const errno =
        (error as { errno?: number; nativeError?: { errno?: number } }).errno ??
        (error as { nativeError?: { errno?: number } }).nativeError?.errno;
      if (attempt >= 3 || errno === undefined || !DEADLOCK_ERRNOS.has(errno)) throw error;
    }
  }
}

/**
 * Matching what someone typed inside a column: `LIKE ? ESCAPE '!'`, with "!"
 * escaping the typed text's own % and _ on both engines (SQLite's LIKE has no
 * default escape character, and a backslash means different things in each
 * engine's string literals). Use as whereRaw(`LOWER(??) ${LIKE_ESCAPED}`, [column, pattern]).
 */
export const LIKE_ESCAPED = "LIKE ? ESCAPE '!'";

export function likePattern(text: string, { startsWith = false } = {}): string {
  const escaped = text.toLowerCase().replace(/[!%_]/g, "!$&");
  return startsWith ? `${escaped}%` : `%${escaped}%`;
}
