import { afterEach, describe, expect, it } from "vitest";
import { parseDatabaseUrl } from "../../app/lib/config.server";
import { createDb, type Db } from "../../app/lib/db.server";
import { migrateLatest, migrationConfig } from "../../db/migrate";
import { seedDemoData } from "../../db/seeds/demo";
import { createTestDatabase, enginesUnderTest, type TestDatabase } from "../helpers/databases";

const engines = await enginesUnderTest();
const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()!();
});

async function fresh(engine: "sqlite" | "mysql"): Promise<TestDatabase> {
  const t = await createTestDatabase(engine, { migrate: false });
  cleanups.push(() => t.destroy());
  return t;
}

describe.each(engines)("migrations on %s", (engine) => {
  it("migrate up, down and up again, and are idempotent", async () => {
    const { db } = await fresh(engine);
    const first = await migrateLatest(db);
    expect(first.applied.length).toBeGreaterThanOrEqual(2);
    expect((await migrateLatest(db)).applied).toEqual([]);
    await db.migrate.rollback(migrationConfig, true);
    expect(await db.schema.hasTable("books")).toBe(false);
    expect((await migrateLatest(db)).applied).toEqual(first.applied);
  });

  it("keep full-text search in step with inserts, updates and deletes", async () => {
    const { db } = await fresh(engine);
    await migrateLatest(db);
    await seedDemoData(db);
    const search = async (word: string) =>
      (await import("../../app/services/catalog.server")).listBooks(db, { q: word });
    const [book] = await db("books").select("id").where("title", "like", "Frankenstein%");
    expect((await search("frankenstein")).books.map((b) => b.id)).toContain(book.id);
    await db("books").where({ id: book.id }).update({ title: "Xylophonic Renamed" });
    expect((await search("xylophonic")).books.map((b) => b.id)).toEqual([book.id]);
    await db("books").where({ id: book.id }).delete();
    expect((await search("xylophonic")).total).toBe(0);
  });

  it("refuse stock below zero in the database itself", async () => {
    const { db } = await fresh(engine);
    await migrateLatest(db);
    await seedDemoData(db);
    const [book] = await db("books").select("id").limit(1);
    await expect(db("books").where({ id: book.id }).update({ stock: -1 })).rejects.toThrow();
  });

  it.runIf(engine === "sqlite")(
    "let the catalog read books in title order from an index, never sort them all per page",
    async () => {
      const { db } = await fresh(engine);
      await migrateLatest(db);
      const plan = async (sql: string) =>
        ((await db.raw(`EXPLAIN QUERY PLAN ${sql}`)) as Array<{ detail: string }>)
          .map((row) => row.detail)
          .join(" | ");
      // What listBooks runs for /books (sorted by title) and the home page's new arrivals.
      for (const sql of [
        "SELECT id FROM books WHERE archived_at IS NULL ORDER BY title_sort, id LIMIT 24",
        "SELECT id FROM books WHERE archived_at IS NULL ORDER BY created_at DESC, id DESC LIMIT 10",
      ]) {
        expect(await plan(sql)).not.toMatch(/TEMP B-TREE FOR ORDER BY/);
      }
    },
  );

  it("seeding twice adds nothing the second time", async () => {
    const { db } = await fresh(engine);
    await migrateLatest(db);
    const first = await seedDemoData(db);
    expect(first.booksAdded).toBeGreaterThanOrEqual(200);
    expect(first.providersAdded).toBe(4);
    expect(await seedDemoData(db)).toEqual({ booksAdded: 0, providersAdded: 0 });
  });
});

describe.runIf(engines.includes("mysql"))(
  "migrations when several instances start at once (MySQL)",
  () => {
    function openAnother(url: string): Db {
      const db = createDb(parseDatabaseUrl(url), { min: 0, max: 3 });
      cleanups.push(() => db.destroy());
      return db;
    }

    it("let concurrent migrators all succeed, applying each migration exactly once", async () => {
      const { url } = await fresh("mysql");
      const migrators = [openAnother(url), openAnother(url), openAnother(url)];
      const results = await Promise.all(migrators.map((db) => migrateLatest(db)));
      const applied = results.flatMap((r) => r.applied);
      expect(applied.length).toBeGreaterThanOrEqual(2);
      expect(new Set(applied).size).toBe(applied.length);
      expect(results.filter((r) => r.applied.length > 0)).toHaveLength(1);
      const rows = await migrators[0]("knex_migrations").select("name");
      expect(rows.map((r) => r.name).sort()).toEqual([...applied].sort());
    });

    it("recover from a migrator that crashed holding knex's lock", async () => {
      const { db } = await fresh("mysql");
      await migrateLatest(db);
      const [, rolledBack] = (await db.migrate.down(migrationConfig)) as [number, string[]];
      await db("knex_migrations_lock").update({ isLocked: 1 });
      await expect(db.migrate.latest(migrationConfig)).rejects.toThrow(/locked/i);
      expect((await migrateLatest(db)).applied).toEqual(rolledBack);
    });
  },
);
