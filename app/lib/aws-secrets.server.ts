/**
 * Secrets from AWS Secrets Manager, read at run time by ARN (the instance's
 * environment file carries only ARNs, never values).
 *
 * - DATABASE_SECRET_ARN is the RDS-managed master user secret: JSON
 *   {"username": "...", "password": "..."}. RDS rotates the password, so
 *   `mysqlConnectionFromSecret` caches the secret and re-reads it when MySQL
 *   refuses a new connection for bad credentials (ER_ACCESS_DENIED_ERROR, 1045).
 * - SESSION_SECRET_ARN is created by infra (infra/constructs/session-secret.ts)
 *   as JSON {"SESSION_SECRET": "<64 hex chars>"}; `resolveSessionSecret` reads that key.
 * - SMTP_URL_SECRET_ARN is created empty by infra (infra/constructs/smtp-secret.ts);
 *   operations put the SES SMTP URL in it as a plain string
 *   (smtps://USER:PASS@email-smtp.<region>.amazonaws.com:465); `resolveSmtpUrl` reads it.
 *
 * Wiring the database (app/lib/db.server.ts):
 *
 *   const connection = mysqlConnectionFromSecret({ secretArn, host, port, database, user, ssl: { ca }, region });
 *   const db = knex({ client: "mysql2", connection });
 *   refreshOnAccessDenied(db, connection);
 *
 * How the refresh works: knex calls `connection()` for its settings and, before
 * every new pooled connection, the returned `expirationChecker()`. It returns
 * true only after `connection.invalidate()`; knex then calls `connection()`
 * again, which fetches the secret anew, and recycles pooled connections made
 * with the old settings. `refreshOnAccessDenied` listens to the pool's
 * `createFail` event and invalidates on error 1045. With knex's default
 * `pool.propagateCreateError: true` the query that hit the rotated password
 * fails once and the next succeeds; with `propagateCreateError: false` the pool
 * retries the connection itself (after ~200 ms) and the query succeeds.
 * Code that does not use the pool can call `connection.handleConnectionError(err)`.
 */
import { GetSecretValueCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import type { Knex } from "knex";
import { parseSmtpUrl } from "./config.server";

export interface SecretClientOptions {
  /** Defaults to AWS_REGION. */
  region?: string;
  /** Custom endpoint (tests, VPC endpoints). */
  endpoint?: string;
  /** A ready client; overrides region and endpoint. */
  client?: SecretsManagerClient;
}

const clients = new Map<string, SecretsManagerClient>();

function clientFor(opts: SecretClientOptions = {}): SecretsManagerClient {
  if (opts.client) return opts.client;
  const region = opts.region ?? process.env.AWS_REGION;
  const key = `${region ?? ""}|${opts.endpoint ?? ""}`;
  let client = clients.get(key);
  if (!client) {
    client = new SecretsManagerClient({ region, endpoint: opts.endpoint, maxAttempts: 3 });
    clients.set(key, client);
  }
  return client;
}

/** The current (AWSCURRENT) string value of a secret. Throws if it has none. */
export async function readSecretString(arn: string, opts?: SecretClientOptions): Promise<string> {
  const result = await clientFor(opts).send(new GetSecretValueCommand({ SecretId: arn }));
  if (typeof result.SecretString !== "string" || result.SecretString === "") {
    throw new Error(`secret ${arn} has no string value`);
  }
  return result.SecretString;
}

function parseJsonObject(arn: string, text: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(text);
    if (value && typeof value === "object" && !Array.isArray(value))
      return value as Record<string, unknown>;
  } catch {
    // fall through to the error below, without echoing the secret
  }
  throw new Error(`secret ${arn} is not a JSON object`);
}

/** SESSION_SECRET from its secret: JSON {"SESSION_SECRET": "..."} (at least 32 characters). */
export async function resolveSessionSecret(
  arn: string,
  opts?: SecretClientOptions,
): Promise<string> {
  const value = parseJsonObject(arn, await readSecretString(arn, opts)).SESSION_SECRET;
  if (typeof value !== "string" || value.length < 32) {
    throw new Error(`secret ${arn} must hold {"SESSION_SECRET": "<at least 32 characters>"}`);
  }
  return value;
}

/**
 * SMTP_URL from its secret: the string value is the URL itself, checked by the
 * rule SMTP_URL follows. It holds a password: errors name the secret, never the value.
 */
export async function resolveSmtpUrl(arn: string, opts?: SecretClientOptions): Promise<string> {
  const value = await readSecretString(arn, opts);
  try {
    return parseSmtpUrl(value);
  } catch {
    throw new Error(`secret ${arn} must hold an SMTP URL: smtp://… or smtps://…`);
  }
}

/** True for MySQL's "access denied" on connect: the password changed (rotation) or is wrong. */
export function isAccessDeniedError(error: unknown): boolean {
  if (!error || typeof error !== "object") return false;
  const { code, errno } = error as { code?: unknown; errno?: unknown };
  return code === "ER_ACCESS_DENIED_ERROR" || errno === 1045;
}

export interface MysqlSecretConnectionOptions extends SecretClientOptions {
  secretArn: string;
  host: string;
  port: number;
  database: string;
  /** Defaults to the secret's username. */
  user?: string;
  ssl?: { ca: string };
}

/** knex's `connection` option, plus the hooks that make it re-read a rotated secret. */
export interface MysqlSecretConnection {
  (): Promise<Record<string, unknown>>;
  /** Forget the cached secret: the next new connection fetches it again. */
  invalidate(): void;
  /** Invalidates when `error` is an access-denied error; returns whether it did. */
  handleConnectionError(error: unknown): boolean;
  /** How many times the secret has been fetched (for logs and tests). */
  readonly fetchCount: number;
}

export function mysqlConnectionFromSecret(
  opts: MysqlSecretConnectionOptions,
): MysqlSecretConnection {
  let cached: Promise<{ username: string; password: string }> | undefined;
  let fetchCount = 0;

  const fetchCredentials = async () => {
    fetchCount += 1;
    const secret = parseJsonObject(opts.secretArn, await readSecretString(opts.secretArn, opts));
    if (typeof secret.username !== "string" || typeof secret.password !== "string") {
      throw new Error(`secret ${opts.secretArn} must hold {"username", "password"}`);
    }
    return { username: secret.username, password: secret.password };
  };

  const connection = async (): Promise<Record<string, unknown>> => {
    if (!cached) {
      const pending = fetchCredentials();
      cached = pending;
      // A failed fetch must not stick: the next connection attempt retries it.
      pending.catch(() => {
        if (cached === pending) cached = undefined;
      });
    }
    const current = cached;
    const credentials = await current;
    return {
      host: opts.host,
      port: opts.port,
      database: opts.database,
      user: opts.user ?? credentials.username,
      password: credentials.password,
      ...(opts.ssl ? { ssl: { ca: opts.ssl.ca } } : {}),
      // Asked by knex before each new connection: expired once the cache was invalidated.
      expirationChecker: () => cached !== current,
    };
  };

  const invalidate = () => {
    cached = undefined;
  };
  const result = Object.assign(connection, {
    invalidate,
    handleConnectionError(error: unknown) {
      if (!isAccessDeniedError(error)) return false;
      invalidate();
      return true;
    },
  });
  return Object.defineProperty(result, "fetchCount", {
    get: () => fetchCount,
    enumerable: true,
  }) as MysqlSecretConnection;
}

/**
 * Invalidates `connection`'s cached secret whenever knex's pool fails to open a
 * connection with "access denied". Call again after `db.destroy()` +
 * `db.initialize()` (a new pool). Returns a function that detaches the listener.
 */
export function refreshOnAccessDenied(db: Knex, connection: MysqlSecretConnection): () => void {
  const pool = (db.client as { pool?: PoolEvents }).pool;
  if (!pool) throw new Error("knex pool is not initialized");
  const listener = (_eventId: number, error: unknown) => {
    connection.handleConnectionError(error);
  };
  pool.on("createFail", listener);
  return () => pool.removeListener("createFail", listener);
}

interface PoolEvents {
  on(event: "createFail", listener: (eventId: number, error: unknown) => void): void;
  removeListener(event: "createFail", listener: (eventId: number, error: unknown) => void): void;
}
