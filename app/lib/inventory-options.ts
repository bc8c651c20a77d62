/**
 * Inventory options shared by the server (queries, rules) and the admin pages
 * in the browser. Not *.server.ts on purpose: a page that renders these must
 * not import them from a server module (the browser bundle gets an empty stub).
 */
export const INVENTORY_SORTS = ["title", "author", "stock", "price", "updated", "isbn"] as const;
export type InventorySort = (typeof INVENTORY_SORTS)[number];

export const LOW_STOCK_THRESHOLD = 5;

/** Every reason a book's stock may change; see app/services/inventory.server.ts. */
export const STOCK_REASONS = [
  "sale",
  "cancellation",
  "received",
  "returned",
  "damaged",
  "lost",
  "correction",
] as const;
export type StockReason = (typeof STOCK_REASONS)[number];

/** Reasons an admin may give ("sale" and "cancellation" belong to orders). */
export const ADJUSTMENT_REASONS = [
  "received",
  "returned",
  "damaged",
  "lost",
  "correction",
] as const satisfies readonly StockReason[];
