/**
 * Stock, changed in one place. Every change is a conditional update that
 * cannot take a book below zero however many requests race (`stock >= ?` in
 * the same statement: MySQL's row lock and SQLite's single writer make it
 * atomic), and a `stock_movements` row saying why and who. Callers pass their
 * transaction, so the stock change commits or rolls back with their order.
 */
import { NotFoundError, OutOfStockError, type Shortage } from "~/lib/domain-errors.server";
import type { Db } from "~/lib/db.server";
import type { StockReason } from "~/lib/inventory-options";
import { StockMovement } from "~/models/StockMovement";

export interface StockLine {
  bookId: number;
  quantity: number;
}

export interface MovementContext {
  reason: StockReason;
  orderId?: number | null;
  userId?: number | null;
  note?: string | null;
}

/**
 * Takes `lines` out of stock, all or nothing: if any line is short, throws
 * OutOfStockError naming every short line, and the caller's transaction rolls
 * back whatever was taken. Archived books are never sold.
 */
export async function takeStock(
  trx: Db,
  lines: StockLine[],
  context: MovementContext,
): Promise<void> {
  const shortages: Shortage[] = [];
  // Always in book order: two orders for the same books lock rows in the same order, so they
  // queue instead of deadlocking.
  for (const line of sortByBook(lines)) {
    const taken = await trx("books")
      .where({ id: line.bookId })
      .where("stock", ">=", line.quantity)
      .whereNull("archivedAt")
      .decrement("stock", line.quantity);
    if (taken === 0) shortages.push(await shortageOf(trx, line));
  }
  if (shortages.length > 0) throw new OutOfStockError(shortages);
  await recordMovements(
    trx,
    lines.map((line) => ({ ...line, delta: -line.quantity })),
    context,
  );
}

/** Puts `lines` back in stock (a cancelled order, a return). */
export async function returnStock(
  trx: Db,
  lines: StockLine[],
  context: MovementContext,
): Promise<void> {
  for (const line of sortByBook(lines)) {
    await trx("books").where({ id: line.bookId }).increment("stock", line.quantity);
  }
  await recordMovements(
    trx,
    lines.map((line) => ({ ...line, delta: line.quantity })),
    context,
  );
}

/**
 * An admin's stock adjustment: `delta` up or down with a reason. Taking stock
 * away uses the same conditional update as a sale, so it can never go below
 * zero, even racing a checkout. Returns the stock after the change.
 */
export async function adjustStock(
  trx: Db,
  bookId: number,
  delta: number,
  context: MovementContext,
): Promise<{ before: number; after: number }> {
  if (!Number.isInteger(delta) || delta === 0)
    throw new RangeError("delta must be a non-zero integer");
  const changed =
    delta > 0
      ? await trx("books").where({ id: bookId }).increment("stock", delta)
      : await trx("books")
          .where({ id: bookId })
          .where("stock", ">=", -delta)
          .decrement("stock", -delta);
  const row = (await trx("books").select("title", "stock").where({ id: bookId }).first()) as
    { title: string; stock: number } | undefined;
  if (!row) throw new NotFoundError("We could not find that book.");
  if (changed === 0) {
    throw new OutOfStockError([
      { bookId, title: row.title, requested: -delta, available: row.stock },
    ]);
  }
  await recordMovements(trx, [{ bookId, delta }], context);
  return { before: row.stock - delta, after: row.stock };
}

/** What is left of each line's book, to tell the shopper before anything is charged. */
export async function findShortages(db: Db, lines: StockLine[]): Promise<Shortage[]> {
  if (lines.length === 0) return [];
  const books = (await db("books")
    .select("id", "title", "stock", "archivedAt")
    .whereIn(
      "id",
      lines.map((line) => line.bookId),
    )) as Array<{ id: number; title: string; stock: number; archivedAt: string | null }>;
  const byId = new Map(books.map((book) => [book.id, book]));
  return lines.flatMap((line) => {
    const book = byId.get(line.bookId);
    const available = book && !book.archivedAt ? book.stock : 0;
    return available >= line.quantity
      ? []
      : [
          {
            bookId: line.bookId,
            title: book?.title ?? "A book",
            requested: line.quantity,
            available,
          },
        ];
  });
}

async function shortageOf(trx: Db, line: StockLine): Promise<Shortage> {
  const [shortage] = await findShortages(trx, [line]);
  return (
    shortage ?? { bookId: line.bookId, title: "A book", requested: line.quantity, available: 0 }
  );
}

async function recordMovements(
  trx: Db,
  changes: Array<{ bookId: number; delta: number }>,
  { reason, orderId = null, userId = null, note = null }: MovementContext,
): Promise<void> {
  for (const change of changes) {
    await StockMovement.query(trx).insert({
      bookId: change.bookId,
      delta: change.delta,
      reason,
      orderId,
      userId,
      note,
    });
  }
}

function sortByBook<T extends StockLine>(lines: T[]): T[] {
  return [...lines].sort((a, b) => a.bookId - b.bookId);
}
