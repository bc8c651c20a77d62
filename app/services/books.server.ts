/**
 * The inventory as staff manage it: every book (archived ones too), created
 * and edited with an audit row, archived instead of deleted once sold, and
 * stock changed only through an adjustment with a reason (the inventory
 * service, the same conditional update checkout uses).
 *
 * After a write this instance's cached genre counts are dropped, so the
 * admin's next page shows the change at once; other instances catch up within
 * CATALOG_CACHE_TTL_MS.
 */
import {
  inTransaction,
  isUniqueViolation,
  LIKE_ESCAPED,
  likePattern,
  sqlTimestamp,
  type Db,
} from "~/lib/db.server";
import { ConflictError, NotFoundError } from "~/lib/domain-errors.server";
import { Book } from "~/models/Book";
import {
  type ADJUSTMENT_REASONS,
  type InventorySort,
  LOW_STOCK_THRESHOLD,
  type StockReason,
} from "~/lib/inventory-options";
import { changedFields, recordAudit, type Actor } from "./audit.server";
import { forgetCatalogCaches } from "./catalog.server";
import { adjustStock } from "./inventory.server";

export const INVENTORY_PAGE_SIZE = 25;

export interface BookInput {
  isbn: string;
  title: string;
  author: string;
  description: string;
  genre: string;
  publishedYear: number;
  priceCents: number;
}

/** A problem with one field of the book form (e.g. an ISBN another book has). */
export class BookFieldError extends ConflictError {
  constructor(
    readonly field: keyof BookInput,
    message: string,
  ) {
    super(message);
    this.name = "BookFieldError";
  }
}

export interface InventoryQuery {
  q?: string;
  genre?: string;
  lowStock?: boolean;
  threshold?: number;
  archived?: "active" | "archived" | "all";
  sort?: InventorySort;
  direction?: "asc" | "desc";
  page?: number;
}

export interface InventoryRow {
  id: number;
  isbn: string;
  title: string;
  author: string;
  genre: string;
  priceCents: number;
  stock: number;
  archivedAt: string | null;
  updatedAt: string;
}

const SORT_COLUMNS: Record<InventorySort, string> = {
  title: "title",
  author: "author",
  stock: "stock",
  price: "priceCents",
  updated: "updatedAt",
  isbn: "isbn",
};

export async function listInventory(db: Db, query: InventoryQuery) {
  const base = db("books");
  if (query.q) {
    const like = likePattern(query.q);
    const isbnStart = likePattern(query.q.replace(/[\s-]/g, ""), { startsWith: true });
    base.where((w) =>
      w
        .whereRaw(`LOWER(??) ${LIKE_ESCAPED}`, ["title", like])
        .orWhereRaw(`LOWER(??) ${LIKE_ESCAPED}`, ["author", like])
        .orWhereRaw(`?? ${LIKE_ESCAPED}`, ["isbn", isbnStart]),
    );
  }
  if (query.genre) base.where("genre", query.genre);
  if (query.lowStock) base.where("stock", "<=", query.threshold ?? LOW_STOCK_THRESHOLD);
  const archived = query.archived ?? "active";
  if (archived === "active") base.whereNull("archivedAt");
  if (archived === "archived") base.whereNotNull("archivedAt");

  const countRow = (await base.clone().count({ n: "*" }).first()) as { n: number | string };
  const total = Number(countRow.n);
  const pageCount = Math.max(1, Math.ceil(total / INVENTORY_PAGE_SIZE));
  const page = Math.min(Math.max(1, query.page ?? 1), pageCount);
  const rows = (await base
    .select(
      "id",
      "isbn",
      "title",
      "author",
      "genre",
      "priceCents",
      "stock",
      "archivedAt",
      "updatedAt",
    )
    .orderBy(SORT_COLUMNS[query.sort ?? "title"], query.direction ?? "asc")
    .orderBy("id")
    .limit(INVENTORY_PAGE_SIZE)
    .offset((page - 1) * INVENTORY_PAGE_SIZE)) as InventoryRow[];
  return { books: rows, total, page, pageCount };
}

/** Genres in use, for filters and the book form's suggestions. */
export async function inventoryGenres(db: Db): Promise<string[]> {
  return (await db("books").distinct("genre").orderBy("genre")).map(
    (row: { genre: string }) => row.genre,
  );
}

export async function getBookForAdmin(db: Db, bookId: number) {
  const book = await Book.query(db).findById(bookId);
  if (!book) throw new NotFoundError("We could not find that book.");
  const [movements, sold] = await Promise.all([
    db("stockMovements")
      .leftJoin("users", "users.id", "stockMovements.userId")
      .select(
        "stockMovements.id",
        "stockMovements.delta",
        "stockMovements.reason",
        "stockMovements.note",
        "stockMovements.orderId",
        "stockMovements.createdAt",
        "users.email as userEmail",
      )
      .where("stockMovements.bookId", bookId)
      .orderBy("stockMovements.id", "desc")
      .limit(100) as Promise<
      Array<{
        id: number;
        delta: number;
        reason: StockReason;
        note: string | null;
        orderId: number | null;
        createdAt: string;
        userEmail: string | null;
      }>
    >,
    db("orderItems").where({ bookId }).countDistinct({ n: "orderId" }).first() as Promise<{
      n: number | string;
    }>,
  ]);
  return {
    book: {
      id: book.id,
      isbn: book.isbn,
      title: book.title,
      author: book.author,
      description: book.description,
      genre: book.genre,
      publishedYear: book.publishedYear,
      priceCents: book.priceCents,
      stock: book.stock,
      coverPath: book.coverPath,
      archivedAt: book.archivedAt,
    },
    movements,
    orderCount: Number(sold.n),
  };
}

export async function createBook(
  db: Db,
  actor: Actor,
  input: BookInput & { stock: number },
): Promise<number> {
  const { stock, ...fields } = input;
  const id = await inTransaction(db, async (trx) => {
    const book = await insertUnique(trx, fields);
    // The first stock arrives like any other: a movement with a reason.
    if (stock > 0)
      await adjustStock(trx, book.id, stock, {
        reason: "received",
        userId: actor.id,
        note: "Initial stock",
      });
    await recordAudit(trx, actor, {
      action: "book.create",
      entityType: "book",
      entityId: book.id,
      after: { ...fields, stock },
    });
    return book.id;
  });
  forgetCatalogCaches(db);
  return id;
}

async function insertUnique(trx: Db, fields: BookInput) {
  try {
    return await Book.query(trx).insert({ ...fields, stock: 0, coverPath: null, archivedAt: null });
  } catch (error) {
    if (isUniqueViolation(error))
      throw new BookFieldError("isbn", "Another book already has this ISBN.");
    throw error;
  }
}

export async function updateBook(
  db: Db,
  actor: Actor,
  bookId: number,
  input: BookInput,
): Promise<void> {
  await inTransaction(db, async (trx) => {
    const book = await Book.query(trx).findById(bookId);
    if (!book) throw new NotFoundError("We could not find that book.");
    const { before, after } = changedFields<BookInput>(book, input);
    if (Object.keys(after).length === 0) return;
    try {
      await Book.query(trx).patch(after).where({ id: bookId });
    } catch (error) {
      if (isUniqueViolation(error))
        throw new BookFieldError("isbn", "Another book already has this ISBN.");
      throw error;
    }
    await recordAudit(trx, actor, {
      action: "book.update",
      entityType: "book",
      entityId: bookId,
      before,
      after,
    });
  });
  forgetCatalogCaches(db);
}

/** Archived books are hidden from shoppers and kept for the orders that have them. */
export async function setArchived(
  db: Db,
  actor: Actor,
  bookId: number,
  archived: boolean,
): Promise<void> {
  await inTransaction(db, async (trx) => {
    const book = await Book.query(trx).findById(bookId);
    if (!book) throw new NotFoundError("We could not find that book.");
    if (Boolean(book.archivedAt) === archived) return;
    const archivedAt = archived ? sqlTimestamp() : null;
    await Book.query(trx).patch({ archivedAt }).where({ id: bookId });
    await recordAudit(trx, actor, {
      action: archived ? "book.archive" : "book.restore",
      entityType: "book",
      entityId: bookId,
      before: { archivedAt: book.archivedAt },
      after: { archivedAt },
    });
  });
  forgetCatalogCaches(db);
}

/** Deletes a book no order ever had; one that was sold can only be archived. */
export async function deleteBook(
  db: Db,
  actor: Actor,
  bookId: number,
): Promise<{ coverPath: string | null }> {
  const coverPath = await inTransaction(db, async (trx) => {
    const book = await Book.query(trx).findById(bookId);
    if (!book) throw new NotFoundError("We could not find that book.");
    const sold = (await trx("orderItems")
      .where({ bookId })
      .countDistinct({ n: "orderId" })
      .first()) as { n: number | string };
    if (Number(sold.n) > 0) {
      throw new ConflictError(
        `“${book.title}” appears in ${Number(sold.n)} ${Number(sold.n) === 1 ? "order" : "orders"}, so it cannot be deleted. Archive it instead: shoppers stop seeing it and past orders keep it.`,
      );
    }
    await Book.query(trx).deleteById(bookId);
    await recordAudit(trx, actor, {
      action: "book.delete",
      entityType: "book",
      entityId: bookId,
      before: { isbn: book.isbn, title: book.title, author: book.author, stock: book.stock },
    });
    return book.coverPath;
  });
  forgetCatalogCaches(db);
  return { coverPath };
}

export async function adjustBookStock(
  db: Db,
  actor: Actor,
  bookId: number,
  change: { delta: number; reason: (typeof ADJUSTMENT_REASONS)[number]; note?: string },
): Promise<{ before: number; after: number }> {
  const result = await inTransaction(db, async (trx) => {
    const stock = await adjustStock(trx, bookId, change.delta, {
      reason: change.reason,
      userId: actor.id,
      note: change.note || null,
    });
    await recordAudit(trx, actor, {
      action: "book.stock",
      entityType: "book",
      entityId: bookId,
      before: { stock: stock.before },
      after: { stock: stock.after, reason: change.reason, note: change.note || null },
    });
    return stock;
  });
  forgetCatalogCaches(db);
  return result;
}

/**
 * Points the book at a new cover file; returns the previous file's path, which
 * the caller removes once no other row references it.
 */
export async function setBookCover(
  db: Db,
  actor: Actor,
  bookId: number,
  coverPath: string | null,
): Promise<{ previous: string | null }> {
  return inTransaction(db, async (trx) => {
    const book = await Book.query(trx).findById(bookId);
    if (!book) throw new NotFoundError("We could not find that book.");
    await Book.query(trx).patch({ coverPath }).where({ id: bookId });
    await recordAudit(trx, actor, {
      action: "book.cover",
      entityType: "book",
      entityId: bookId,
      before: { coverPath: book.coverPath },
      after: { coverPath },
    });
    return { previous: book.coverPath };
  });
}
