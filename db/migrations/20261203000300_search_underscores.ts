import type { Knex } from "knex";

/**
 * SQLite's full-text index keeps `_` inside words, as InnoDB's parser does:
 * "snake_case" is one word on both engines, so a search finds the same books
 * on each (tests/integration/engines-agree.test.ts). MySQL needs nothing.
 * The external-content table is rebuilt from books; its triggers name it and
 * stay as they are.
 */
export async function up(knex: Knex): Promise<void> {
  if (isMysql(knex)) return;
  await recreate(knex, "unicode61 remove_diacritics 2 tokenchars ''_''");
}

export async function down(knex: Knex): Promise<void> {
  if (isMysql(knex)) return;
  await recreate(knex, "unicode61 remove_diacritics 2");
}

async function recreate(knex: Knex, tokenize: string): Promise<void> {
  await knex.raw("DROP TABLE books_fts");
  await knex.raw(`
    CREATE VIRTUAL TABLE books_fts USING fts5(
      title, author, description,
      content='books', content_rowid='id',
      tokenize='${tokenize}'
    )`);
  await knex.raw("INSERT INTO books_fts(books_fts) VALUES ('rebuild')");
}

function isMysql(knex: Knex): boolean {
  return String(knex.client.config.client).startsWith("mysql");
}
