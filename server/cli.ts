/**
 * Operations CLI: `node build/server/cli.js migrate|seed` in production,
 * `npm run db:migrate` / `npm run db:seed` in development.
 */
import { migrateLatest } from "../db/migrate";
import { seedDemoData } from "../db/seeds/demo";
import type { Db } from "../app/lib/db.server";
import { createLogger, loadConfigOrExit, openDatabase } from "./runtime";

const commands = {
  async migrate(db) {
    const { applied } = await migrateLatest(db);
    return applied.length > 0 ? { applied } : { applied, note: "already up to date" };
  },
  async seed(db) {
    await migrateLatest(db);
    return seedDemoData(db);
  },
} satisfies Record<string, (db: Db) => Promise<object>>;

const name = process.argv[2];
if (!name || !(name in commands)) {
  console.error(`usage: cli.js <${Object.keys(commands).join("|")}>`);
  process.exit(2);
}

const config = loadConfigOrExit();
const logger = createLogger(config.logLevel);
const db = await openDatabase(config);
try {
  const result = await commands[name as keyof typeof commands](db);
  logger.info({ command: name, database: config.database.client, ...result }, `${name} done`);
} catch (error) {
  logger.error({ err: error, command: name }, `${name} failed`);
  process.exitCode = 1;
} finally {
  await db.destroy();
}
