/**
 * Start-up wiring shared by the server and the CLI: configuration, logger and
 * the database connection (with the password from Secrets Manager on AWS).
 */
import {
  mysqlConnectionFromSecret,
  refreshOnAccessDenied,
  resolveSessionSecret,
  resolveSmtpUrl,
} from "../app/lib/aws-secrets.server";
import {
  ConfigError,
  loadConfig,
  parseSessionSecrets,
  type Config,
} from "../app/lib/config.server";
import { createDb, MYSQL_SESSION_SETTINGS, mysqlTls, type Db } from "../app/lib/db.server";
import { createLogger, type Logger } from "../app/lib/logger.server";
import { migrateLatest } from "../db/migrate";
import { isCatalogEmpty, seedDemoData } from "../db/seeds/demo";

/** Parses the environment or ends the process with one line naming the bad variable. */
export function loadConfigOrExit(env: Record<string, string | undefined> = process.env): Config {
  try {
    return loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(1);
    }
    throw error;
  }
}

/**
 * Who a process connects as (docs/decisions/031-database-users.md): the server
 * and admin commands as the app user (DML only), migrations and seeds as the
 * migrator (DDL on the schema). The RDS master user is for `cli.js db:users`
 * and break-glass only, and is never opened through here.
 */
export type DatabaseRole = "app" | "migrator";

/**
 * A migration holds one connection for its advisory lock and runs the
 * migrations, one after the other, on a second (db/migrate.ts): two, whatever
 * DB_POOL_MAX says, and no more than that in the connection budget.
 */
const MIGRATOR_POOL = { min: 0, max: 2 };

/**
 * The database as configured, for `role`. On AWS the password is not in the
 * environment: it is read from the user's secret (DATABASE_SECRET_ARN for the
 * app, DATABASE_MIGRATOR_SECRET_ARN for the migrator), and read again when MySQL
 * refuses it, because it may have been rotated (see app/lib/aws-secrets.server.ts).
 * Without a migrator secret (development, DATABASE_URL) both roles share the
 * one configured connection.
 */
export async function openDatabase(config: Config, role: DatabaseRole = "app"): Promise<Db> {
  const { database } = config;
  const pool = role === "migrator" && database.client === "mysql" ? MIGRATOR_POOL : config.pool;
  if (database.client !== "mysql" || !database.secretArn) {
    return createDb(database, pool);
  }
  const asMigrator = role === "migrator" && database.migratorSecretArn !== undefined;
  const fromSecret = mysqlConnectionFromSecret({
    secretArn: (asMigrator && database.migratorSecretArn) || database.secretArn,
    host: database.host,
    port: database.port,
    database: database.database,
    // DB_USER names the app user; the migrator's name comes from its secret.
    user: asMigrator ? undefined : database.user,
    ssl: mysqlTls(database.sslCa),
    region: config.awsRegion,
  });
  const db = createDb(database, pool, {
    mysqlConnection: async () => ({ ...MYSQL_SESSION_SETTINGS, ...(await fromSecret()) }),
  });
  refreshOnAccessDenied(db, fromSecret);
  return db;
}

/**
 * Fills in SESSION_SECRET and SMTP_URL from Secrets Manager when only their ARNs
 * are configured; fails fast (a secret that cannot be read stops the worker, so
 * an instance refresh rolls back instead of shipping half-working instances).
 * The SMTP URL holds a password: the logger redacts `smtpUrl`, and nothing here logs it.
 */
export async function resolveSecrets(config: Config): Promise<Config> {
  const opts = { region: config.awsRegion };
  const { sessionSecretArn, mail } = config;
  const [sessionSecrets, smtpUrl] = await Promise.all([
    config.sessionSecrets || !sessionSecretArn
      ? config.sessionSecrets
      : resolveSessionSecret(sessionSecretArn, opts).then(parseSessionSecrets),
    mail.smtpUrl || !mail.smtpUrlSecretArn
      ? mail.smtpUrl
      : resolveSmtpUrl(mail.smtpUrlSecretArn, opts),
  ]);
  if (sessionSecrets === config.sessionSecrets && smtpUrl === mail.smtpUrl) return config;
  return { ...config, sessionSecrets, mail: { ...mail, smtpUrl } };
}

export { createLogger, type Logger };

/**
 * The embedded default sets itself up: a newcomer's `npm start` migrates the
 * SQLite file and fills an empty catalog with the demo data. A MySQL database is
 * never touched here: production runs `cli.js migrate` before the server, and
 * demo data only ever arrives through an explicit `npm run db:seed`.
 */
export async function prepareEmbeddedDatabase(config: Config, logger: Logger): Promise<void> {
  if (config.database.client !== "sqlite") return;
  const db = await openDatabase(config);
  try {
    const { applied } = await migrateLatest(db);
    if (applied.length > 0) logger.info({ applied }, "migrated the embedded database");
    if (await isCatalogEmpty(db)) {
      const seeded = await seedDemoData(db);
      logger.info(seeded, "seeded the demo catalog");
    }
  } finally {
    await db.destroy();
  }
}
