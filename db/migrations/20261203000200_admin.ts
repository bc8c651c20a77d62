import type { Knex } from "knex";

/**
 * The admin area's tables: an audit trail of every admin change (who, when,
 * what, before → after) and the books customers offer to sell to the shop.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable("audit_events", (t) => {
    t.increments("id").primary();
    // Kept when the admin's account goes: the trail outlives its authors.
    t.integer("user_id").unsigned().nullable().references("users.id").onDelete("SET NULL");
    t.string("actor_email", 254).notNullable();
    t.string("action", 64).notNullable();
    t.string("entity_type", 32).notNullable();
    t.integer("entity_id").unsigned().nullable();
    t.text("before").nullable();
    t.text("after").nullable();
    t.timestamp("created_at").notNullable().defaultTo(knex.fn.now());
    t.index(["created_at"], "audit_events_created_idx");
    t.index(["entity_type", "entity_id"], "audit_events_entity_idx");
    t.index(["user_id"], "audit_events_user_idx");
  });

  await knex.schema.createTable("offers", (t) => {
    t.increments("id").primary();
    t.integer("user_id").unsigned().notNullable().references("users.id").onDelete("CASCADE");
    t.string("isbn", 13).notNullable();
    t.string("title", 255).notNullable();
    t.string("author", 255).notNullable();
    t.string("condition", 16).notNullable();
    t.integer("asking_price_cents").unsigned().notNullable();
    t.string("photo_path", 255).nullable();
    t.string("status", 16).notNullable().defaultTo("pending");
    t.string("decision_note", 500).nullable();
    t.integer("accepted_price_cents").unsigned().nullable();
    t.integer("book_id").unsigned().nullable().references("books.id").onDelete("SET NULL");
    t.integer("decided_by").unsigned().nullable().references("users.id").onDelete("SET NULL");
    t.dateTime("decided_at").nullable();
    t.timestamp("created_at").notNullable().defaultTo(knex.fn.now());
    t.timestamp("updated_at").notNullable().defaultTo(knex.fn.now());
    t.index(["user_id", "created_at"], "offers_user_idx");
    t.index(["status", "created_at"], "offers_status_idx");
    t.check("?? in ('pending', 'accepted', 'rejected')", ["status"], "offers_status_known");
    t.check(
      "?? in ('new', 'like_new', 'good', 'fair', 'poor')",
      ["condition"],
      "offers_condition_known",
    );
  });

  // The admin's low-stock filter. (Not archived_at: nearly every book has it NULL, and SQLite
  // would then pick that index for the catalog's listing and sort every book on each page
  // instead of reading them in title order; tests/integration/migrations.test.ts checks.)
  await knex.schema.alterTable("books", (t) => {
    t.index(["stock"], "books_stock_idx");
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable("books", (t) => {
    t.dropIndex(["stock"], "books_stock_idx");
  });
  await knex.schema.dropTableIfExists("offers");
  await knex.schema.dropTableIfExists("audit_events");
}
