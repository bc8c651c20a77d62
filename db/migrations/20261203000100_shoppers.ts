import type { Knex } from "knex";

/**
 * Everything a shopper writes: accounts and their sessions, carts, orders with
 * their lines, payments and status history, the stock movements that audit
 * every change of a book's stock, password-reset tokens and the shared state
 * of the sign-in rate limits.
 *
 * Invariants the code relies on are also constraints here (unique emails and
 * idempotency keys, quantities in range), so a bug or a race can fail a write
 * but never store a wrong row.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable("users", (t) => {
    t.increments("id").primary();
    // Stored lower-cased (app/services/accounts.server.ts): unique case-insensitively on both engines.
    t.string("email", 254).notNullable().unique();
    t.string("name", 100).notNullable();
    t.string("password_hash", 255).notNullable();
    t.string("role", 16).notNullable().defaultTo("customer");
    t.dateTime("disabled_at").nullable();
    t.timestamp("created_at").notNullable().defaultTo(knex.fn.now());
    t.timestamp("updated_at").notNullable().defaultTo(knex.fn.now());
    t.check("?? in ('customer', 'admin')", ["role"], "users_role_known");
  });

  // The cookie carries only the signed id; what a session holds lives here.
  await knex.schema.createTable("sessions", (t) => {
    t.string("id", 64).primary();
    // Copied out of `data` on every write so "sign out everywhere" is one indexed delete.
    t.integer("user_id").unsigned().nullable().references("users.id").onDelete("CASCADE");
    t.text("data").notNullable();
    t.dateTime("expires_at").notNullable();
    t.timestamp("created_at").notNullable().defaultTo(knex.fn.now());
    t.timestamp("updated_at").notNullable().defaultTo(knex.fn.now());
    t.index(["user_id"], "sessions_user_idx");
    t.index(["expires_at"], "sessions_expires_idx");
  });

  await knex.schema.createTable("carts", (t) => {
    t.increments("id").primary();
    // A guest's cart has no user; a user has at most one cart.
    t.integer("user_id").unsigned().nullable().unique().references("users.id").onDelete("CASCADE");
    t.timestamp("created_at").notNullable().defaultTo(knex.fn.now());
    t.timestamp("updated_at").notNullable().defaultTo(knex.fn.now());
  });

  await knex.schema.createTable("cart_items", (t) => {
    t.integer("cart_id").unsigned().notNullable().references("carts.id").onDelete("CASCADE");
    t.integer("book_id").unsigned().notNullable().references("books.id").onDelete("CASCADE");
    t.integer("quantity").notNullable();
    t.timestamp("created_at").notNullable().defaultTo(knex.fn.now());
    t.timestamp("updated_at").notNullable().defaultTo(knex.fn.now());
    t.primary(["cart_id", "book_id"]);
    t.check("?? between 1 and 99", ["quantity"], "cart_items_quantity_range");
  });

  await knex.schema.createTable("orders", (t) => {
    t.increments("id").primary();
    t.integer("user_id").unsigned().notNullable().references("users.id");
    t.string("status", 20).notNullable();
    t.integer("subtotal_cents").unsigned().notNullable();
    t.integer("shipping_cents").unsigned().notNullable();
    t.integer("total_cents").unsigned().notNullable();
    t.integer("delivery_provider_id").unsigned().notNullable().references("delivery_providers.id");
    t.string("ship_name", 100).notNullable();
    t.string("ship_line1", 200).notNullable();
    t.string("ship_line2", 200).nullable();
    t.string("ship_city", 100).notNullable();
    t.string("ship_region", 100).notNullable();
    t.string("ship_postal_code", 20).notNullable();
    t.string("ship_country", 60).notNullable();
    t.string("tracking_number", 64).nullable();
    // Minted when the checkout page renders: a retried submission finds its order here.
    t.string("idempotency_key", 64).notNullable().unique();
    t.timestamp("created_at").notNullable().defaultTo(knex.fn.now());
    t.timestamp("updated_at").notNullable().defaultTo(knex.fn.now());
    t.index(["user_id", "created_at"], "orders_user_created_idx");
    t.index(["status", "created_at"], "orders_status_created_idx");
    t.check(
      "?? in ('pending_payment', 'paid', 'shipped', 'delivered', 'cancelled')",
      ["status"],
      "orders_status_known",
    );
    t.check(
      "?? = ?? + ??",
      ["total_cents", "subtotal_cents", "shipping_cents"],
      "orders_total_sum",
    );
  });

  // Title and price are copied at purchase: later catalog edits never change an order.
  await knex.schema.createTable("order_items", (t) => {
    t.increments("id").primary();
    t.integer("order_id").unsigned().notNullable().references("orders.id").onDelete("CASCADE");
    t.integer("book_id").unsigned().notNullable().references("books.id");
    t.string("title", 255).notNullable();
    t.integer("unit_price_cents").unsigned().notNullable();
    t.integer("quantity").notNullable();
    t.index(["order_id"], "order_items_order_idx");
    t.index(["book_id"], "order_items_book_idx");
    t.check("?? between 1 and 99", ["quantity"], "order_items_quantity_range");
  });

  // Only the card's brand and last four digits are ever stored.
  await knex.schema.createTable("payments", (t) => {
    t.increments("id").primary();
    t.integer("order_id").unsigned().notNullable().references("orders.id").onDelete("CASCADE");
    t.string("method", 16).notNullable();
    t.string("card_brand", 20).notNullable();
    t.string("card_last4", 4).notNullable();
    t.integer("amount_cents").unsigned().notNullable();
    t.string("status", 16).notNullable();
    t.string("reference", 64).notNullable();
    t.timestamp("created_at").notNullable().defaultTo(knex.fn.now());
    t.timestamp("updated_at").notNullable().defaultTo(knex.fn.now());
    t.index(["order_id"], "payments_order_idx");
  });

  await knex.schema.createTable("order_events", (t) => {
    t.increments("id").primary();
    t.integer("order_id").unsigned().notNullable().references("orders.id").onDelete("CASCADE");
    t.string("status", 20).notNullable();
    t.string("note", 255).nullable();
    t.integer("user_id").unsigned().nullable().references("users.id").onDelete("SET NULL");
    t.timestamp("created_at").notNullable().defaultTo(knex.fn.now());
    t.index(["order_id"], "order_events_order_idx");
  });

  // Every change of a book's stock, with why and who: the stock is their running sum.
  await knex.schema.createTable("stock_movements", (t) => {
    t.increments("id").primary();
    t.integer("book_id").unsigned().notNullable().references("books.id").onDelete("CASCADE");
    t.integer("delta").notNullable();
    t.string("reason", 32).notNullable();
    t.integer("order_id").unsigned().nullable().references("orders.id").onDelete("SET NULL");
    t.integer("user_id").unsigned().nullable().references("users.id").onDelete("SET NULL");
    t.string("note", 255).nullable();
    t.timestamp("created_at").notNullable().defaultTo(knex.fn.now());
    t.index(["book_id", "created_at"], "stock_movements_book_idx");
    t.index(["order_id"], "stock_movements_order_idx");
  });

  // Single-use, expiring; only a hash of the token is stored, so a database leak resets nothing.
  await knex.schema.createTable("password_resets", (t) => {
    t.increments("id").primary();
    t.integer("user_id").unsigned().notNullable().references("users.id").onDelete("CASCADE");
    t.string("token_hash", 64).notNullable().unique();
    t.dateTime("expires_at").notNullable();
    t.dateTime("used_at").nullable();
    t.timestamp("created_at").notNullable().defaultTo(knex.fn.now());
    t.index(["user_id"], "password_resets_user_idx");
  });

  // rate-limiter-flexible's table layout (key, points, expire in ms), shared by every instance.
  await knex.schema.createTable("rate_limits", (t) => {
    t.string("key", 255).primary();
    t.integer("points").notNullable().defaultTo(0);
    t.bigInteger("expire").nullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  for (const table of [
    "rate_limits",
    "password_resets",
    "stock_movements",
    "order_events",
    "payments",
    "order_items",
    "orders",
    "cart_items",
    "carts",
    "sessions",
    "users",
  ]) {
    await knex.schema.dropTableIfExists(table);
  }
}
