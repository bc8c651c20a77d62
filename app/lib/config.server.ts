/**
 * Configuration: read from the environment once, at start, into a typed object.
 * A bad or missing value stops the process with one line naming the variable
 * (see `ConfigError`), so a misconfigured instance fails its health check
 * loudly instead of half-working.
 */
import os from "node:os";
import { z } from "zod";

const LOG_LEVELS = ["fatal", "error", "warn", "info", "debug", "trace", "silent"] as const;

const int = (min: number, max: number) =>
  z
    .string()
    .trim()
    .regex(/^\d+$/, `must be a whole number between ${min} and ${max}`)
    .transform(Number)
    .refine((n) => n >= min && n <= max, `must be a whole number between ${min} and ${max}`);

const databaseUrl = z
  .string()
  .trim()
  .refine(
    (url) => /^sqlite:.+/.test(url) || /^mysql:\/\/[^/]+\/[^/?]+/.test(url),
    "must be sqlite:<path> or mysql://user:pass@host:3306/database",
  );

const SMTP_URL_PATTERN = /^smtps?:\/\/[^/]+/;
const SMTP_URL_MESSAGE = "must be smtp://… or smtps://…";

const schema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  HOST: z.string().trim().min(1).default("0.0.0.0"),
  PORT: int(0, 65535).default("3000"),
  DATABASE_URL: databaseUrl.default("sqlite:var/bookstore.sqlite"),
  // On AWS the database password lives in Secrets Manager (rotated by RDS):
  // these replace DATABASE_URL when DATABASE_SECRET_ARN is set.
  DATABASE_SECRET_ARN: z
    .string()
    .trim()
    .startsWith("arn:", "must be a Secrets Manager ARN")
    .optional(),
  // The migrator's secret: `cli.js migrate` connects with it (DDL rights); the server
  // never does. With DATABASE_SECRET_ARN (the app's DML-only user) on AWS.
  DATABASE_MIGRATOR_SECRET_ARN: z
    .string()
    .trim()
    .startsWith("arn:", "must be a Secrets Manager ARN")
    .optional(),
  // The RDS master user's secret, read only by `cli.js db:users` (break-glass; the
  // instances' role cannot read it, so ops pass it where their own credentials can).
  DATABASE_MASTER_SECRET_ARN: z
    .string()
    .trim()
    .startsWith("arn:", "must be a Secrets Manager ARN")
    .optional(),
  DB_HOST: z.string().trim().min(1).optional(),
  DB_PORT: int(1, 65535).default("3306"),
  DB_NAME: z.string().trim().regex(/^\w+$/, "must be a database name").optional(),
  DB_USER: z.string().trim().min(1).optional(),
  DB_SSL_CA: z.string().trim().min(1).optional(),
  DB_POOL_MIN: int(0, 100).default("0"),
  DB_POOL_MAX: int(1, 100).default("10"),
  // Bounds on the database, so a database that accepts connections but never
  // answers costs a page a few seconds and a 503, not a hang
  // (docs/decisions/042-admission-control-and-timeouts.md).
  DB_CONNECT_TIMEOUT_MS: int(100, 60_000).default("2000"),
  DB_ACQUIRE_TIMEOUT_MS: int(100, 60_000).default("2000"),
  DB_QUERY_TIMEOUT_MS: int(100, 600_000).default("3000"),
  AWS_REGION: z.string().trim().min(1).optional(),
  UPLOADS_DIR: z.string().trim().min(1).default("var/uploads"),
  SHARED_ASSETS_DIR: z.string().trim().min(1).optional(),
  // Comma-separated for rotation: the first signs new cookies, every one is accepted.
  SESSION_SECRET: z
    .string()
    .transform((value, ctx) => {
      try {
        return parseSessionSecrets(value);
      } catch (error) {
        ctx.addIssue({ code: z.ZodIssueCode.custom, message: (error as Error).message });
        return z.NEVER;
      }
    })
    .optional(),
  SESSION_SECRET_ARN: z
    .string()
    .trim()
    .startsWith("arn:", "must be a Secrets Manager ARN")
    .optional(),
  // Outgoing mail: SMTP in production (e.g. smtps://user:pass@email-smtp.eu-west-1.amazonaws.com);
  // without it every message is written to MAIL_OUTBOX_DIR instead.
  SMTP_URL: z.string().trim().regex(SMTP_URL_PATTERN, SMTP_URL_MESSAGE).optional(),
  // On AWS the SMTP URL (it holds the SES SMTP password) lives in Secrets Manager: the
  // secret's string value is the URL itself, read at start (server/runtime.ts resolveSecrets).
  SMTP_URL_SECRET_ARN: z
    .string()
    .trim()
    .startsWith("arn:", "must be a Secrets Manager ARN")
    .optional(),
  MAIL_FROM: z.string().trim().min(3).default("Bookstore <no-reply@bookstore.localhost>"),
  MAIL_OUTBOX_DIR: z.string().trim().min(1).default("var/outbox"),
  // The site's own address, for links in e-mails. Never taken from the request's
  // Host header in production, which anyone can set (password-reset link poisoning).
  PUBLIC_URL: z
    .string()
    .trim()
    .regex(/^https?:\/\/[^/]+$/, "must be an origin such as https://shop.example.com")
    .optional(),
  LOG_LEVEL: z
    .enum(LOG_LEVELS, { message: `must be one of ${LOG_LEVELS.join(", ")}` })
    .default("info"),
  TRUST_PROXY: int(0, 10).default("0"),
  WEB_CONCURRENCY: int(1, 256).optional(),
  SHUTDOWN_TIMEOUT_MS: int(0, 600_000).default("10000"),
  // Admission control, per worker (server/admission.ts): requests in flight, then
  // a short queue, then an immediate 503. ADMISSION_MAX_IN_FLIGHT=0 turns it off.
  ADMISSION_MAX_IN_FLIGHT: int(0, 10_000).default("8"),
  ADMISSION_MAX_QUEUE: int(0, 100_000).default("32"),
  ADMISSION_QUEUE_TIMEOUT_MS: int(1, 60_000).default("1000"),
});

export type DatabaseConfig =
  | { client: "sqlite"; filename: string }
  | {
      client: "mysql";
      host: string;
      port: number;
      database: string;
      user?: string;
      password?: string;
      /** The app user's secret (DATABASE_SECRET_ARN): what the server connects with. */
      secretArn?: string;
      /** The migrator's secret (DATABASE_MIGRATOR_SECRET_ARN): what `cli.js migrate` connects with. */
      migratorSecretArn?: string;
      /** The master user's secret (DATABASE_MASTER_SECRET_ARN): `cli.js db:users` only. */
      masterSecretArn?: string;
      sslCa?: string;
    };

export interface Config {
  env: "development" | "production" | "test";
  isProduction: boolean;
  host: string;
  port: number;
  database: DatabaseConfig;
  /**
   * The app's MySQL pool per worker and its bounds: connecting, waiting for a
   * free connection, and any one statement (app/lib/db.server.ts).
   */
  pool: {
    min: number;
    max: number;
    connectTimeoutMs: number;
    acquireTimeoutMs: number;
    queryTimeoutMs: number;
  };
  awsRegion?: string;
  uploadsDir: string;
  /** Where every release publishes its fingerprinted assets (EFS), so old pages find theirs. */
  sharedAssetsDir?: string;
  /**
   * Signing secrets for the session cookie, newest first. Undefined only when
   * they are to be read from Secrets Manager (sessionSecretArn).
   */
  sessionSecrets?: string[];
  sessionSecretArn?: string;
  /** Cookies only over HTTPS: on in production, where the ALB terminates TLS. */
  secureCookies: boolean;
  /**
   * Outgoing mail. `smtpUrl` (a credential: never logged) is undefined until
   * resolved when only `smtpUrlSecretArn` is configured (see resolveSecrets).
   */
  mail: { smtpUrl?: string; smtpUrlSecretArn?: string; from: string; outboxDir: string };
  publicUrl?: string;
  logLevel: (typeof LOG_LEVELS)[number];
  trustProxy: number;
  webConcurrency: number;
  shutdownTimeoutMs: number;
  /** Requests in flight and queued per worker, and the longest wait in the queue (server/admission.ts). */
  admission: { maxInFlight: number; maxQueue: number; queueTimeoutMs: number };
}

export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    detail: string,
  ) {
    super(`Invalid configuration: ${variable} ${detail}`);
    this.name = "ConfigError";
  }
}

/** Development-only fallback so `npm start` works on a fresh clone. Never used in production. */
const DEVELOPMENT_SESSION_SECRET = "development-only-session-secret-change-me-0123456789";

export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  // Empty strings are "unset": systemd EnvironmentFile and compose files often write KEY=.
  const cleaned = Object.fromEntries(
    Object.entries(env).filter(([, value]) => value !== undefined && value !== ""),
  );
  const parsed = schema.safeParse(cleaned);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const variable = String(issue.path[0] ?? "environment");
    const got = cleaned[variable];
    // Never echo a credential: secrets, and the SMTP URL (its password is in it).
    const shown =
      variable.includes("SECRET") || variable === "SMTP_URL" || got === undefined
        ? ""
        : ` (got "${got.slice(0, 80)}")`;
    throw new ConfigError(variable, `${issue.message}${shown}`);
  }
  const e = parsed.data;
  const isProduction = e.NODE_ENV === "production";

  if (isProduction && !e.SESSION_SECRET && !e.SESSION_SECRET_ARN) {
    throw new ConfigError(
      "SESSION_SECRET",
      "is required when NODE_ENV=production (or set SESSION_SECRET_ARN)",
    );
  }
  if (e.SMTP_URL && e.SMTP_URL_SECRET_ARN) {
    throw new ConfigError(
      "SMTP_URL_SECRET_ARN",
      "cannot be combined with SMTP_URL: set one (the ARN on AWS, the URL elsewhere)",
    );
  }
  if (isProduction && (e.SMTP_URL || e.SMTP_URL_SECRET_ARN) && !e.PUBLIC_URL) {
    throw new ConfigError(
      "PUBLIC_URL",
      `is required with ${e.SMTP_URL ? "SMTP_URL" : "SMTP_URL_SECRET_ARN"} in production (links in e-mails)`,
    );
  }
  if (e.DB_POOL_MIN > e.DB_POOL_MAX) {
    throw new ConfigError("DB_POOL_MIN", `must not exceed DB_POOL_MAX (${e.DB_POOL_MAX})`);
  }

  return {
    env: e.NODE_ENV,
    isProduction,
    host: e.HOST,
    port: e.PORT,
    database: databaseConfig(e),
    pool: {
      min: e.DB_POOL_MIN,
      max: e.DB_POOL_MAX,
      connectTimeoutMs: e.DB_CONNECT_TIMEOUT_MS,
      acquireTimeoutMs: e.DB_ACQUIRE_TIMEOUT_MS,
      queryTimeoutMs: e.DB_QUERY_TIMEOUT_MS,
    },
    awsRegion: e.AWS_REGION,
    uploadsDir: e.UPLOADS_DIR,
    sharedAssetsDir: e.SHARED_ASSETS_DIR,
    sessionSecrets:
      e.SESSION_SECRET ?? (e.SESSION_SECRET_ARN ? undefined : [DEVELOPMENT_SESSION_SECRET]),
    sessionSecretArn: e.SESSION_SECRET_ARN,
    secureCookies: isProduction,
    mail: {
      smtpUrl: e.SMTP_URL,
      ...(e.SMTP_URL_SECRET_ARN ? { smtpUrlSecretArn: e.SMTP_URL_SECRET_ARN } : {}),
      from: e.MAIL_FROM,
      outboxDir: e.MAIL_OUTBOX_DIR,
    },
    publicUrl: e.PUBLIC_URL,
    logLevel: e.LOG_LEVEL,
    trustProxy: e.TRUST_PROXY,
    webConcurrency: e.WEB_CONCURRENCY ?? (isProduction ? os.availableParallelism() : 1),
    shutdownTimeoutMs: e.SHUTDOWN_TIMEOUT_MS,
    admission: {
      maxInFlight: e.ADMISSION_MAX_IN_FLIGHT,
      maxQueue: e.ADMISSION_MAX_QUEUE,
      queueTimeoutMs: e.ADMISSION_QUEUE_TIMEOUT_MS,
    },
  };
}

/**
 * "secret1,secret2": the first signs, all are accepted, so a new secret can be
 * put in front and the old one dropped a session lifetime later.
 */
export function parseSessionSecrets(value: string): string[] {
  const secrets = value.split(",").map((secret) => secret.trim());
  if (secrets.some((secret) => secret.length < 32)) {
    throw new Error("must be at least 32 characters (each, when comma-separated)");
  }
  return secrets;
}

/**
 * Checks an SMTP URL read from Secrets Manager (SMTP_URL_SECRET_ARN) by the rule
 * SMTP_URL follows. The error names the secret, never its value (it holds a password).
 */
export function parseSmtpUrl(value: string, source = "SMTP_URL"): string {
  const url = value.trim();
  if (!SMTP_URL_PATTERN.test(url)) throw new ConfigError(source, SMTP_URL_MESSAGE);
  return url;
}

function databaseConfig(e: z.infer<typeof schema>): DatabaseConfig {
  if (e.DATABASE_SECRET_ARN) {
    if (!e.DB_HOST) throw new ConfigError("DB_HOST", "is required with DATABASE_SECRET_ARN");
    if (!e.DB_NAME) throw new ConfigError("DB_NAME", "is required with DATABASE_SECRET_ARN");
    return {
      client: "mysql",
      host: e.DB_HOST,
      port: e.DB_PORT,
      database: e.DB_NAME,
      user: e.DB_USER,
      secretArn: e.DATABASE_SECRET_ARN,
      ...(e.DATABASE_MIGRATOR_SECRET_ARN
        ? { migratorSecretArn: e.DATABASE_MIGRATOR_SECRET_ARN }
        : {}),
      ...(e.DATABASE_MASTER_SECRET_ARN ? { masterSecretArn: e.DATABASE_MASTER_SECRET_ARN } : {}),
      sslCa: e.DB_SSL_CA,
    };
  }
  for (const variable of ["DATABASE_MIGRATOR_SECRET_ARN", "DATABASE_MASTER_SECRET_ARN"] as const) {
    if (e[variable]) {
      throw new ConfigError(
        variable,
        "needs DATABASE_SECRET_ARN (with DB_HOST and DB_NAME): the database users are for RDS",
      );
    }
  }
  return parseDatabaseUrl(e.DATABASE_URL, e.DB_SSL_CA);
}

export function parseDatabaseUrl(url: string, sslCa?: string): DatabaseConfig {
  if (url.startsWith("sqlite:")) {
    return { client: "sqlite", filename: url.slice("sqlite:".length).replace(/^\/\/(?=\/)/, "") };
  }
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new ConfigError("DATABASE_URL", "is not a valid URL");
  }
  return {
    client: "mysql",
    host: parsed.hostname,
    port: parsed.port ? Number(parsed.port) : 3306,
    database: decodeURIComponent(parsed.pathname.slice(1)),
    user: decodeURIComponent(parsed.username) || undefined,
    password: decodeURIComponent(parsed.password) || undefined,
    sslCa,
  };
}
