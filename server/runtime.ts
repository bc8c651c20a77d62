/**
 * Start-up wiring shared by the server and the CLI: configuration, logger and
 * the database connection (with the password from Secrets Manager on AWS).
 */
import {
  mysqlConnectionFromSecret,
  refreshOnAccessDenied,
  resolveSessionSecret,
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
 * The database as configured. On AWS the password is not in the environment:
 * it is read from the RDS-managed secret, and read again when MySQL refuses
 * it, because RDS rotates it (see app/lib/aws-secrets.server.ts).
 */
export async function openDatabase(config: Config): Promise<Db> {
  const { database } = config;
  if (database.client !== "mysql" || !database.secretArn) {
    return createDb(database, config.pool);
  }
  const fromSecret = mysqlConnectionFromSecret({
    secretArn: database.secretArn,
    host: database.host,
    port: database.port,
    database: database.database,
    user: database.user,
    ssl: mysqlTls(database.sslCa),
    region: config.awsRegion,
  });
  const db = createDb(database, config.pool, {
    mysqlConnection: async () => ({ ...MYSQL_SESSION_SETTINGS, ...(await fromSecret()) }),
  });
  refreshOnAccessDenied(db, fromSecret);
  return db;
}

/** Fills in SESSION_SECRET from Secrets Manager when only its ARN is configured; fails fast. */
export async function resolveSecrets(config: Config): Promise<Config> {
  if (config.sessionSecrets || !config.sessionSecretArn) return config;
  const value = await resolveSessionSecret(config.sessionSecretArn, { region: config.awsRegion });
  return { ...config, sessionSecrets: parseSessionSecrets(value) };
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
