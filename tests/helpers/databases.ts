/**
 * Fresh databases for tests, one per suite: a SQLite file in a temp folder,
 * and a new database on the MySQL-compatible server (MariaDB here, MySQL 8.0
 * in the users' CI). When no MySQL answers, MySQL suites are skipped with a
 * visible notice, except under CI=true, where that is a failure.
 */
import crypto from "node:crypto";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import knexFactory from "knex";
import { parseDatabaseUrl } from "../../app/lib/config.server";
import { createDb, type Db } from "../../app/lib/db.server";
import { migrateLatest } from "../../db/migrate";
import { seedDemoData } from "../../db/seeds/demo";

export type Engine = "sqlite" | "mysql";

/** Server-level URL (no database): MYSQL_TEST_URL, or the local MariaDB's root. */
export const MYSQL_SERVER_URL = process.env.MYSQL_TEST_URL ?? "mysql://root@127.0.0.1:3306";

export interface TestDatabase {
  engine: Engine;
  db: Db;
  /** A DATABASE_URL that reaches this database (for child processes). */
  url: string;
  destroy(): Promise<void>;
}

let mysqlAnswer: Promise<boolean> | undefined;

export function mysqlAvailable(): Promise<boolean> {
  mysqlAnswer ??= (async () => {
    const probe = serverKnex();
    try {
      await probe.raw("select 1");
      return true;
    } catch {
      return false;
    } finally {
      await probe.destroy();
    }
  })();
  return mysqlAnswer;
}

/** The engines this run tests on; says loudly what it skips, and fails under CI instead. */
export async function enginesUnderTest(): Promise<Engine[]> {
  if (await mysqlAvailable()) return ["sqlite", "mysql"];
  if (process.env.CI === "true") {
    throw new Error(
      `CI=true but no MySQL answers at ${redact(MYSQL_SERVER_URL)}: MySQL tests are mandatory in CI`,
    );
  }
  console.warn(
    `\n*** NOTICE: no MySQL at ${redact(MYSQL_SERVER_URL)}: MySQL tests are SKIPPED (set MYSQL_TEST_URL) ***\n`,
  );
  return ["sqlite"];
}

export async function createTestDatabase(
  engine: Engine,
  { migrate = true, seed = false } = {},
): Promise<TestDatabase> {
  const created = engine === "sqlite" ? await createSqlite() : await createMysql();
  if (migrate) await migrateLatest(created.db);
  if (seed) await seedDemoData(created.db);
  return created;
}

async function createSqlite(): Promise<TestDatabase> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), "bookstore-test-"));
  const filename = path.join(dir, "test.sqlite");
  const db = createDb({ client: "sqlite", filename });
  return {
    engine: "sqlite",
    db,
    url: `sqlite:${filename}`,
    async destroy() {
      await db.destroy();
      await fs.rm(dir, { recursive: true, force: true });
    },
  };
}

export function uniqueDatabaseName(prefix = "bookstore_test"): string {
  return `${prefix}_${process.pid}_${crypto.randomBytes(4).toString("hex")}`;
}

async function createMysql(): Promise<TestDatabase> {
  const name = uniqueDatabaseName();
  const admin = serverKnex();
  await admin.raw(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
  await admin.destroy();
  const url = `${MYSQL_SERVER_URL.replace(/\/$/, "")}/${name}`;
  const db = createDb(parseDatabaseUrl(url), { min: 0, max: 5 });
  return {
    engine: "mysql",
    db,
    url,
    async destroy() {
      await db.destroy();
      const cleanup = serverKnex();
      await cleanup.raw(`DROP DATABASE IF EXISTS \`${name}\``);
      await cleanup.destroy();
    },
  };
}

/** A connection to the server itself, for creating and dropping databases and users. */
export function serverKnex() {
  const { host, port, user, password } = parseDatabaseUrl(
    `${MYSQL_SERVER_URL.replace(/\/$/, "")}/mysql`,
  ) as {
    host: string;
    port: number;
    user?: string;
    password?: string;
  };
  return knexFactory({
    client: "mysql2",
    connection: { host, port, user, password, connectTimeout: 2000 },
    pool: { min: 0, max: 1 },
  });
}

function redact(url: string): string {
  return url.replace(/\/\/([^:@/]+):[^@/]+@/, "//$1:***@");
}
