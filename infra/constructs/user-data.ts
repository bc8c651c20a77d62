import {
  ENV_FILE,
  RDS_CA_BUNDLE,
  UPLOADS_DIR,
  SHARED_ASSETS_DIR,
  APP_PORT,
  MYSQL_PORT,
} from "../lib/naming.js";

/** Values the instance needs at boot; none of them is a secret (secrets are ARNs). */
export interface InstanceEnvironment {
  readonly environment: string;
  readonly region: string;
  readonly dbHost: string;
  readonly dbName: string;
  /** The app's DML-only user (never the RDS master user). */
  readonly dbUser: string;
  /** The app user's secret: the server connects with it. */
  readonly databaseSecretArn: string;
  /** The migrator's secret: `cli.js migrate` (ExecStartPre) connects with it. */
  readonly migratorSecretArn: string;
  readonly sessionSecretArn: string;
  readonly efsFileSystemId: string;
  readonly efsAccessPointId: string;
  /** Worker processes (WEB_CONCURRENCY) and pool size per worker (DB_POOL_MAX): the connection budget. */
  readonly webConcurrency: number;
  readonly dbPoolMax: number;
  /** Mail over SES SMTP (config `mail`): the URL's secret by ARN, the sender, the site's origin. */
  readonly mail?: InstanceMail;
}

export interface InstanceMail {
  /** SMTP_URL_SECRET_ARN: the app reads the SMTP URL (a credential) from it at start. */
  readonly smtpUrlSecretArn: string;
  /** MAIL_FROM. */
  readonly from: string;
  /** PUBLIC_URL, https://<domainName>: the origin of links in e-mails. */
  readonly publicUrl: string;
}

/** The keys of /etc/bookstore/bookstore.env, in order: the contract with the image. */
export const ENV_FILE_KEYS = [
  "NODE_ENV",
  "PORT",
  "BOOKSTORE_ENVIRONMENT",
  "AWS_REGION",
  "DB_HOST",
  "DB_PORT",
  "DB_NAME",
  "DB_USER",
  "DATABASE_SECRET_ARN",
  "DATABASE_MIGRATOR_SECRET_ARN",
  "SESSION_SECRET_ARN",
  "DB_SSL_CA",
  "EFS_FILE_SYSTEM_ID",
  "EFS_ACCESS_POINT_ID",
  "UPLOADS_DIR",
  "SHARED_ASSETS_DIR",
  "TRUST_PROXY",
  "WEB_CONCURRENCY",
  "DB_POOL_MAX",
  "LOG_LEVEL",
] as const;

/** Keys written after ENV_FILE_KEYS, only when the environment sends mail. */
export const MAIL_ENV_FILE_KEYS = ["SMTP_URL_SECRET_ARN", "MAIL_FROM", "PUBLIC_URL"] as const;

export type EnvFileKey = (typeof ENV_FILE_KEYS)[number];
export type MailEnvFileKey = (typeof MAIL_ENV_FILE_KEYS)[number];

/** The keys user data writes for `env`, in order. */
export function environmentFileKeys(env: InstanceEnvironment): (EnvFileKey | MailEnvFileKey)[] {
  return [...ENV_FILE_KEYS, ...(env.mail ? MAIL_ENV_FILE_KEYS : [])];
}

export function environmentFile(
  env: InstanceEnvironment,
): Record<EnvFileKey, string> & Partial<Record<MailEnvFileKey, string>> {
  const mail: Partial<Record<MailEnvFileKey, string>> = env.mail
    ? {
        SMTP_URL_SECRET_ARN: env.mail.smtpUrlSecretArn,
        MAIL_FROM: env.mail.from,
        PUBLIC_URL: env.mail.publicUrl,
      }
    : {};
  return {
    NODE_ENV: "production",
    PORT: String(APP_PORT),
    BOOKSTORE_ENVIRONMENT: env.environment,
    AWS_REGION: env.region,
    DB_HOST: env.dbHost,
    DB_PORT: String(MYSQL_PORT),
    DB_NAME: env.dbName,
    DB_USER: env.dbUser,
    DATABASE_SECRET_ARN: env.databaseSecretArn,
    DATABASE_MIGRATOR_SECRET_ARN: env.migratorSecretArn,
    SESSION_SECRET_ARN: env.sessionSecretArn,
    DB_SSL_CA: RDS_CA_BUNDLE,
    EFS_FILE_SYSTEM_ID: env.efsFileSystemId,
    EFS_ACCESS_POINT_ID: env.efsAccessPointId,
    UPLOADS_DIR,
    SHARED_ASSETS_DIR,
    TRUST_PROXY: "1",
    WEB_CONCURRENCY: String(env.webConcurrency),
    DB_POOL_MAX: String(env.dbPoolMax),
    LOG_LEVEL: "info",
    ...mail,
  };
}

/**
 * The launch template's user data: write the non-secret environment file
 * (0640 root:bookstore, replaced atomically) and start the units the image
 * ships enabled but stopped. It contains no double quotes, because
 * Fn.base64encode cannot carry them, and no shell expansion (quoted heredoc).
 */
export function userDataScript(env: InstanceEnvironment): string {
  const values = environmentFile(env);
  const lines = environmentFileKeys(env).map((key) => `${key}=${values[key]}`);
  const staged = `${ENV_FILE}.new`;
  const script = [
    "#!/bin/bash",
    "# Bookstore instance bootstrap (launch template user data).",
    "# Writes only non-secret settings; the app reads its secrets from Secrets Manager by ARN.",
    "set -euo pipefail",
    "umask 027",
    `cat > ${staged} <<'BOOKSTORE_ENV'`,
    ...lines,
    "BOOKSTORE_ENV",
    `chown root:bookstore ${staged}`,
    `chmod 0640 ${staged}`,
    `mv -f ${staged} ${ENV_FILE}`,
    "systemctl restart bookstore-cloudwatch.service bookstore.service",
    "",
  ].join("\n");
  if (script.includes('"'))
    throw new Error("user data must not contain double quotes (Fn.base64encode limitation)");
  return script;
}
