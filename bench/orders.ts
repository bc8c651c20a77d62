/**
 * Order placement under contention, on MySQL: N signed-in buyers (their own
 * accounts and sessions) all buying one copy of the same book, again and
 * again (bench/orders-load.ts drives them). Two scenarios, each on a book of
 * its own whose stock the bench sets first:
 *
 *  - steady: stock for far more orders than the run can place, after a
 *    warm-up: how many orders per second the shop takes when every checkout
 *    queues on the same book row;
 *  - sell-out: stock S, fewer copies than the buyers want (each would keep
 *    buying until the time is up), so they race for the last ones: the
 *    losers must be told "Not enough stock", and no copy may be sold twice.
 *
 * After each, the database must add up: the units in order lines for the book
 * plus its remaining stock equal the stock it started with (oversold = 0),
 * the stock movements say the same, and every order a buyer was told about is
 * there, and no other.
 */
import type { Db } from "../app/lib/db.server";
import { activeDeliveryProviders } from "../app/services/checkout.server";

/** Stock for the steady scenario: more than any run can sell, but still a known number. */
export const STEADY_STOCK = 1_000_000;

export interface OrderScenario {
  name: "steady" | "sell-out";
  description: string;
  bookId: number;
  stock: number;
  warmupSeconds: number;
  durationSeconds: number;
}

export function orderScenarios(
  bookIds: [number, number],
  { stock, warmup, duration }: { stock: number; warmup: number; duration: number },
): OrderScenario[] {
  return [
    {
      name: "steady",
      description: `stock ${STEADY_STOCK.toLocaleString("en")} (never runs out), ${warmup}s warm-up, ${duration}s`,
      bookId: bookIds[0],
      stock: STEADY_STOCK,
      warmupSeconds: warmup,
      durationSeconds: duration,
    },
    {
      // No warm-up of its own: it would sell the scarce copies before the window opens.
      // The server is warm from the steady scenario.
      name: "sell-out",
      description: `stock ${stock}, until sold out (at most ${duration}s)`,
      bookId: bookIds[1],
      stock,
      warmupSeconds: 0,
      durationSeconds: duration,
    },
  ];
}

/** Two saleable books nobody has ordered or put in a cart yet (not in `exclude`). */
export async function pickOrderBooks(db: Db, exclude: number[]): Promise<[number, number]> {
  const rows = (await db("books")
    .whereNull("archivedAt")
    .where("stock", ">", 0)
    .whereNotIn("id", exclude.length ? exclude : [0])
    .orderBy("id", "desc")
    .limit(2)
    .select("id")) as Array<{ id: number }>;
  if (rows.length < 2) throw new Error("the catalog has fewer than two saleable books to order");
  return [rows[0].id, rows[1].id];
}

/** The cheapest active delivery option, as most shoppers would pick. */
export async function deliveryProviderId(db: Db): Promise<number> {
  const [provider] = await activeDeliveryProviders(db);
  if (!provider) throw new Error("the seed has no active delivery provider");
  return provider.id;
}

export async function setStock(db: Db, bookId: number, stock: number): Promise<void> {
  await db("books").where({ id: bookId }).update({ stock });
}

export interface StockAudit {
  startStock: number;
  remainingStock: number;
  /** Units in order lines for the book. */
  unitsOrdered: number;
  /** Orders with a line for the book. */
  orders: number;
  /** unitsOrdered + remainingStock − startStock: copies sold that the stock never had. */
  oversold: number;
  /** Sum of the book's stock movements; must be remainingStock − startStock. */
  movementsDelta: number;
}

/** What the database says happened to the book's stock since it was set to `startStock`. */
export async function auditStock(db: Db, bookId: number, startStock: number): Promise<StockAudit> {
  const book = (await db("books").where({ id: bookId }).first("stock")) as { stock: number };
  const items = (await db("orderItems")
    .where({ bookId })
    .first(
      db.raw("coalesce(sum(quantity), 0) as units"),
      db.raw("count(distinct order_id) as n"),
    )) as {
    units: number | string;
    n: number | string;
  };
  const movements = (await db("stockMovements")
    .where({ bookId })
    .first(db.raw("coalesce(sum(delta), 0) as delta"))) as { delta: number | string };
  const remainingStock = Number(book.stock);
  const unitsOrdered = Number(items.units);
  return {
    startStock,
    remainingStock,
    unitsOrdered,
    orders: Number(items.n),
    oversold: unitsOrdered + remainingStock - startStock,
    movementsDelta: Number(movements.delta),
  };
}

/** Everything wrong with an audit, given how many orders the buyers were told were placed. */
export function auditProblems(audit: StockAudit, placedTotal: number): string[] {
  const problems: string[] = [];
  if (audit.oversold > 0) problems.push(`${audit.oversold} copies sold that were not in stock`);
  if (audit.oversold < 0)
    problems.push(`${-audit.oversold} copies left the stock without an order`);
  if (audit.remainingStock < 0) problems.push(`stock is negative (${audit.remainingStock})`);
  if (audit.movementsDelta !== audit.remainingStock - audit.startStock) {
    problems.push(
      `stock movements sum to ${audit.movementsDelta}, the stock changed by ${audit.remainingStock - audit.startStock}`,
    );
  }
  if (audit.orders !== placedTotal) {
    problems.push(`${audit.orders} orders in the database, buyers were told of ${placedTotal}`);
  }
  return problems;
}
