import type { Knex } from "knex";

/** Books and delivery providers: what the catalog and checkout read. */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable("books", (t) => {
    t.increments("id").primary();
    t.string("isbn", 17).notNullable().unique();
    t.string("title", 255).notNullable();
    t.string("author", 255).notNullable();
    t.text("description").notNullable();
    t.string("genre", 64).notNullable();
    t.integer("published_year").notNullable();
    t.integer("price_cents").unsigned().notNullable();
    t.integer("stock").unsigned().notNullable().defaultTo(0);
    t.string("cover_path", 255).nullable();
    t.timestamp("archived_at").nullable();
    t.timestamp("created_at").notNullable().defaultTo(knex.fn.now());
    t.timestamp("updated_at").notNullable().defaultTo(knex.fn.now());
    t.index(["genre", "archived_at"], "books_genre_idx");
    t.index(["created_at"], "books_created_at_idx");
    t.index(["price_cents"], "books_price_idx");
    t.index(["title"], "books_title_idx");
    // Stock and money invariants hold in the database too, not only in code.
    t.check("?? >= 0", ["stock"], "books_stock_nonnegative");
    t.check("?? >= 0", ["price_cents"], "books_price_nonnegative");
  });

  await knex.schema.createTable("delivery_providers", (t) => {
    t.increments("id").primary();
    t.string("name", 100).notNullable().unique();
    t.string("coverage_area", 255).notNullable();
    t.integer("cost_cents").unsigned().notNullable();
    t.boolean("active").notNullable().defaultTo(true);
    t.timestamp("created_at").notNullable().defaultTo(knex.fn.now());
    t.timestamp("updated_at").notNullable().defaultTo(knex.fn.now());
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists("delivery_providers");
  await knex.schema.dropTableIfExists("books");
}
