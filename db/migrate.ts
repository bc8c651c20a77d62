/**
 * Runs migrations so that many instances may start at once against one MySQL.
 *
 * knex's own lock (the knex_migrations_lock row) makes a second migrator fail
 * with "Migration table is already locked" rather than wait, and two migrators
 * racing on a fresh database can both try to create knex's bookkeeping tables.
 * So on MySQL the whole run is serialized with a named advisory lock
 * (GET_LOCK), held on one dedicated connection: the others wait for it, then
 * find nothing left to do. MySQL frees an advisory lock when its connection
 * dies, so a crashed migrator cannot leave the fleet stuck; if knex's own lock
 * row was left set by such a crash, holding the advisory lock proves no one is
 * migrating, and the row is freed.
 *
 * SQLite is one file used by one host: the process that owns it migrates
 * before it forks workers.
 */
import type { Knex } from "knex";
import { dialectOf, type Db } from "../app/lib/db.server";
import { migrationSource } from "./migrations/index";

const LOCK_NAME = "bookstore:migrations";
const LOCK_WAIT_SECONDS = 300;

export const migrationConfig: Knex.MigratorConfig = {
  migrationSource,
  tableName: "knex_migrations",
};

export interface MigrationResult {
  batch: number;
  applied: string[];
}

export async function migrateLatest(db: Db): Promise<MigrationResult> {
  if (dialectOf(db) !== "mysql") return runLatest(db);
  return withAdvisoryLock(db, async () => {
    await db.migrate.forceFreeMigrationsLock(migrationConfig).catch(() => undefined);
    return runLatest(db);
  });
}

async function runLatest(db: Db): Promise<MigrationResult> {
  const [batch, applied] = (await db.migrate.latest(migrationConfig)) as [number, string[]];
  return { batch, applied };
}

async function withAdvisoryLock<T>(db: Db, work: () => Promise<T>): Promise<T> {
  // A connection of its own: GET_LOCK belongs to the session that took it.
  const connection = await db.client.acquireConnection();
  try {
    const [rows] = await db
      .raw("SELECT GET_LOCK(?, ?) AS acquired", [LOCK_NAME, LOCK_WAIT_SECONDS])
      .connection(connection);
    if (Number((rows as Array<{ acquired: unknown }>)[0]?.acquired) !== 1) {
      throw new Error(`Timed out after ${LOCK_WAIT_SECONDS}s waiting for the migration lock`);
    }
    try {
      return await work();
    } finally {
      await db.raw("SELECT RELEASE_LOCK(?)", [LOCK_NAME]).connection(connection);
    }
  } finally {
    await db.client.releaseConnection(connection);
  }
}
