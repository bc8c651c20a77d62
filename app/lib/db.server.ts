/**
 * The one place that turns configuration into a knex instance. Everything that
 * differs between the embedded default (SQLite) and production (MySQL) at the
 * connection level lives here; query-level differences live in search.server.ts.
 */
import fs from "node:fs";
import path from "node:path";
import knexFactory, { type Knex } from "knex";
import { knexSnakeCaseMappers } from "objection";
import type { DatabaseConfig } from "./config.server";
import { DomainError } from "./domain-errors.server";

export type Db = Knex;
export type Dialect = "sqlite" | "mysql";

export interface CreateDbOptions {
  /** Builds mysql2 connection settings on demand (e.g. from Secrets Manager). */
  mysqlConnection?: () => Promise<Knex.MySql2ConnectionConfig>;
}

/**
 * The pool's size and how long anything may wait on the database. The server
 * passes the configured bounds (DB_*_TIMEOUT_MS); without them (migrations,
 * tests, the bench) the old generous waits apply: a migration may wait minutes
 * for its advisory lock, and must.
 */
export interface PoolSettings {
  min: number;
  max: number;
  /** MySQL: TCP connect plus handshake (mysql2 connectTimeout; its default is 10 s). */
  connectTimeoutMs?: number;
  /** How long a query may wait for a pooled connection (knex acquireConnectionTimeout). */
  acquireTimeoutMs?: number;
  /**
   * MySQL: the longest any one statement may take before its connection is
   * destroyed and the request answers 503. SQLite: how long a writer waits for
   * the file's lock (busy_timeout); a synchronous driver cannot be interrupted.
   */
  queryTimeoutMs?: number;
}

/** Tables and columns are snake_case; code sees camelCase. */
const columnNames = knexSnakeCaseMappers();

export function createDb(
  database: DatabaseConfig,
  pool: PoolSettings = { min: 0, max: 10 },
  options: CreateDbOptions = {},
): Db {
  if (database.client === "sqlite") {
    if (database.filename !== ":memory:") {
      fs.mkdirSync(path.dirname(path.resolve(database.filename)), { recursive: true });
    }
    const busyTimeoutMs = pool.queryTimeoutMs ?? 5000;
    const sqlite = knexFactory({
      client: "better-sqlite3",
      connection: { filename: database.filename },
      useNullAsDefault: true,
      // Requests queue for the one connection while a transaction holds it: bounded.
      acquireConnectionTimeout: pool.acquireTimeoutMs ?? 60_000,
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
          conn.pragma(`busy_timeout = ${busyTimeoutMs}`);
          done(null, conn);
        },
      },
    });
    return boundDatabaseWaits(sqlite, {});
  }

  // The handshake is part of connecting: a server that accepts TCP and then says
  // nothing fails here after connectTimeoutMs instead of mysql2's 10 s.
  const connectTimeout =
    pool.connectTimeoutMs === undefined ? {} : { connectTimeout: pool.connectTimeoutMs };
  const staticConnection: Knex.MySql2ConnectionConfig = {
    ...MYSQL_SESSION_SETTINGS,
    ...connectTimeout,
    host: database.host,
    port: database.port,
    user: database.user,
    password: database.password,
    database: database.database,
    ssl: mysqlTls(database.sslCa),
  };
  const fromProvider = options.mysqlConnection;
  const mysql = knexFactory({
    client: "mysql2",
    connection: fromProvider
      ? async () => ({ ...connectTimeout, ...(await fromProvider()) })
      : staticConnection,
    pool: { min: pool.min, max: pool.max },
    acquireConnectionTimeout: pool.acquireTimeoutMs ?? 10_000,
    ...columnNames,
  });
  return boundDatabaseWaits(mysql, { queryTimeoutMs: pool.queryTimeoutMs });
}

/**
 * The database did not answer in time, or could not be reached: a 503 with
 * Retry-After for the person (through server/route-modules.ts, like any domain
 * error), never a page that hangs. The cause is kept for the logs.
 */
export class DatabaseUnavailableError extends DomainError {
  readonly status = 503;
  /** Seconds a client should wait before trying again. */
  static readonly retryAfterSeconds = 5;
  /** What people are told (server/admission.ts's 503 page says the same). */
  static readonly publicMessage =
    "We could not reach our shelves just now. Please try again in a few seconds.";

  constructor(
    /** What happened, for logs; people see the fixed message. */
    readonly detail: string,
    options?: { cause?: unknown },
  ) {
    super(DatabaseUnavailableError.publicMessage, options);
    this.name = "DatabaseUnavailableError";
  }

  override headers() {
    return { "Retry-After": String(DatabaseUnavailableError.retryAfterSeconds) };
  }
}

export function isDatabaseUnavailable(error: unknown): error is DatabaseUnavailableError {
  return error instanceof Error && error.name === "DatabaseUnavailableError";
}

/**
 * Errors that mean "the database is not there right now", as opposed to "the
 * statement is wrong": the network, a full server, a dead connection, SQLite's
 * lock wait running out. Refused credentials stay what they are (a rotated
 * password is handled by aws-secrets.server.ts; a wrong one is a bug to see).
 */
const UNREACHABLE_CODES = new Set([
  "ETIMEDOUT",
  "ECONNREFUSED",
  "ECONNRESET",
  "EPIPE",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "EAI_AGAIN",
  "PROTOCOL_CONNECTION_LOST",
  "PROTOCOL_SEQUENCE_TIMEOUT",
  "ER_CON_COUNT_ERROR",
  "ER_SERVER_SHUTDOWN",
  "SQLITE_BUSY",
]);

function asUnavailable(error: unknown, detail: string): DatabaseUnavailableError | undefined {
  if (isDatabaseUnavailable(error)) return error;
  if (!error || typeof error !== "object") return undefined;
  const { name, code, fatal, message } = error as {
    name?: string;
    code?: string;
    fatal?: boolean;
    message?: string;
  };
  const unreachable =
    name === "KnexTimeoutError" ||
    (code !== undefined && UNREACHABLE_CODES.has(code)) ||
    // mysql2's "Can't add new command when connection is in closed state": a dead connection.
    (fatal === true && code === undefined);
  return unreachable
    ? new DatabaseUnavailableError(`${detail}: ${message ?? code ?? name}`, { cause: error })
    : undefined;
}

interface KnexClientInternals {
  query(connection: unknown, obj: unknown): Promise<unknown>;
  acquireConnection(): Promise<unknown>;
}

interface MysqlConnectionInternals {
  __knex__disposed?: unknown;
  destroy(): void;
}

/**
 * Bounds every statement and connection wait of one knex instance.
 *
 * knex has no setting for a statement timeout: `.timeout()` is opt-in per
 * query, and the `query` event gets a copy of the query, too late to change
 * it. mysql2's own per-query `timeout` fails the query but leaves the
 * connection busy with it, so the pool would hand out a connection stuck
 * behind a statement that may never end. Instead this gives the instance's
 * client a subclass of its own dialect (only this instance: migrations and
 * tests keep theirs) that overrides the two doors every statement goes
 * through: `query`, which runs each statement, inside transactions too (knex
 * builds a transaction's client from `client.constructor.prototype`), and
 * `acquireConnection`. A statement still running after queryTimeoutMs has its
 * connection destroyed: the statement fails at once, the pool never hands that
 * connection out again and opens a fresh one. Errors that mean "unreachable"
 * become DatabaseUnavailableError (503). tests/integration/db-timeouts.test.ts
 * pins this against knex's internals.
 */
function boundDatabaseWaits(db: Db, { queryTimeoutMs }: { queryTimeoutMs?: number }): Db {
  const client = db.client as KnexClientInternals;
  const Dialect = client.constructor as new (...args: never[]) => KnexClientInternals;
  if (typeof Dialect.prototype.query !== "function" || !Dialect.prototype.acquireConnection) {
    throw new Error("knex's client no longer has query/acquireConnection: see boundDatabaseWaits");
  }
  class BoundedClient extends Dialect {
    override async acquireConnection() {
      try {
        return await super.acquireConnection();
      } catch (error) {
        throw asUnavailable(error, "no database connection") ?? error;
      }
    }

    override query(connection: unknown, obj: unknown) {
      const running = super.query(connection, obj);
      if (!queryTimeoutMs) {
        return running.catch((error: unknown) => {
          throw asUnavailable(error, "the database connection failed") ?? error;
        });
      }
      return new Promise<unknown>((resolve, reject) => {
        const timer = setTimeout(() => {
          const error = new DatabaseUnavailableError(
            `the database did not answer a statement within ${queryTimeoutMs} ms`,
          );
          const dead = connection as MysqlConnectionInternals;
          // knex logs this when the pool drops the connection: the detail, not the page's text.
          dead.__knex__disposed = new Error(error.detail);
          dead.destroy();
          reject(error);
        }, queryTimeoutMs);
        running.then(
          (result) => {
            clearTimeout(timer);
            resolve(result);
          },
          (error: unknown) => {
            clearTimeout(timer);
            reject(asUnavailable(error, "the database connection failed") ?? error);
          },
        );
      });
    }
  }
  Object.setPrototypeOf(client, BoundedClient.prototype);
  return db;
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
