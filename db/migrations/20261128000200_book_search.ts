import type { Knex } from "knex";

/**
 * Full-text search over title, author and description. The two engines index
 * differently, so this is the one dialect-aware migration; queries against it
 * live in app/lib/search.server.ts.
 *  - MySQL: InnoDB FULLTEXT indexes, queried in boolean mode: one over all three
 *    columns to match, one over the title alone to rank title hits first.
 *  - SQLite: an external-content FTS5 table kept in sync by triggers.
 */
export async function up(knex: Knex): Promise<void> {
  if (isMysql(knex)) {
    await knex.raw(
      "ALTER TABLE books ADD FULLTEXT INDEX books_fulltext_idx (title, author, description)",
    );
    await knex.raw("ALTER TABLE books ADD FULLTEXT INDEX books_title_fulltext_idx (title)");
    return;
  }
  await knex.raw(`
    CREATE VIRTUAL TABLE books_fts USING fts5(
      title, author, description,
      content='books', content_rowid='id',
      tokenize='unicode61 remove_diacritics 2'
    )`);
  await knex.raw(`
    CREATE TRIGGER books_fts_insert AFTER INSERT ON books BEGIN
      INSERT INTO books_fts(rowid, title, author, description)
      VALUES (new.id, new.title, new.author, new.description);
    END`);
  await knex.raw(`
    CREATE TRIGGER books_fts_delete AFTER DELETE ON books BEGIN
      INSERT INTO books_fts(books_fts, rowid, title, author, description)
      VALUES ('delete', old.id, old.title, old.author, old.description);
    END`);
  await knex.raw(`
    CREATE TRIGGER books_fts_update AFTER UPDATE OF title, author, description ON books BEGIN
      INSERT INTO books_fts(books_fts, rowid, title, author, description)
      VALUES ('delete', old.id, old.title, old.author, old.description);
      INSERT INTO books_fts(rowid, title, author, description)
      VALUES (new.id, new.title, new.author, new.description);
    END`);
  await knex.raw("INSERT INTO books_fts(books_fts) VALUES ('rebuild')");
}

export async function down(knex: Knex): Promise<void> {
  if (isMysql(knex)) {
    await knex.raw("ALTER TABLE books DROP INDEX books_title_fulltext_idx");
    await knex.raw("ALTER TABLE books DROP INDEX books_fulltext_idx");
    return;
  }
  for (const trigger of ["books_fts_insert", "books_fts_delete", "books_fts_update"]) {
    await knex.raw(`DROP TRIGGER IF EXISTS ${trigger}`);
  }
  await knex.raw("DROP TABLE IF EXISTS books_fts");
}

function isMysql(knex: Knex): boolean {
  return String(knex.client.config.client).startsWith("mysql");
}
