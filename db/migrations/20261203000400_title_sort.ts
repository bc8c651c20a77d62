import type { Knex } from "knex";
import { sortKey } from "../../app/lib/sort-key";

/**
 * books.title_sort: the title's sort key (app/lib/sort-key.ts), so a catalog
 * sorted by title is in one order on both engines (decision 043). Written by
 * the code on every insert and title change; binary collation on MySQL so it
 * orders by code point as SQLite does. Indexed: the catalog reads its first
 * page in this order from the index instead of sorting every book.
 */
const BATCH = 500;

export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable("books", (t) => {
    const column = t.string("title_sort", 255).notNullable().defaultTo("");
    if (isMysql(knex)) column.collate("utf8mb4_bin");
  });
  for (let lastId = 0; ;) {
    const rows = (await knex("books")
      .select("id", "title")
      .where("id", ">", lastId)
      .orderBy("id")
      .limit(BATCH)) as Array<{ id: number; title: string }>;
    if (rows.length === 0) break;
    for (const row of rows) {
      await knex("books")
        .where({ id: row.id })
        .update({ title_sort: sortKey(row.title) });
    }
    lastId = rows[rows.length - 1].id;
  }
  await knex.schema.alterTable("books", (t) => t.index(["title_sort"], "books_title_sort_idx"));
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable("books", (t) => {
    t.dropIndex(["title_sort"], "books_title_sort_idx");
    t.dropColumn("title_sort");
  });
}

function isMysql(knex: Knex): boolean {
  return String(knex.client.config.client).startsWith("mysql");
}
