/**
 * Start-up wiring shared by the server and the CLI: configuration, logger and
 * the database connection (with the password from Secrets Manager on AWS).
 */
import { ConfigError, loadConfig, type Config } from "../app/lib/config.server";
import { createDb, type Db } from "../app/lib/db.server";
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

export function openDatabase(config: Config): Db {
  return createDb(config.database, config.pool);
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
  const db = openDatabase(config);
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
