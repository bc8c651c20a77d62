/**
 * The admin dashboard's figures. Money is integer cents summed by the
 * database, and "sales" are the orders that were paid and not cancelled
 * (paid, shipped, delivered), so every figure can be checked against the
 * orders table to the cent. Days are UTC days, like every stored timestamp.
 */
import { sqlTimestamp, type Db } from "~/lib/db.server";
import { LOW_STOCK_THRESHOLD } from "~/lib/inventory-options";

export const SOLD_STATUSES = ["paid", "shipped", "delivered"] as const;

export interface SalesFigure {
  orders: number;
  revenueCents: number;
}

export interface DailySales extends SalesFigure {
  /** YYYY-MM-DD (UTC). */
  day: string;
}

/** The last `days` UTC days, oldest first, today included; days without sales are zeros. */
export async function dailySales(db: Db, days: number, now = new Date()): Promise<DailySales[]> {
  const first = startOfUtcDay(now, days - 1);
  const rows = (await db("orders")
    .select(db.raw("DATE(??) AS ??", ["createdAt", "day"]))
    .count({ orders: "*" })
    .sum({ revenueCents: "totalCents" })
    .whereIn("status", SOLD_STATUSES)
    .where("createdAt", ">=", sqlTimestamp(first))
    .groupByRaw("DATE(??)", ["createdAt"])) as Array<{
    day: string;
    orders: number | string;
    revenueCents: number | string | null;
  }>;
  const byDay = new Map(rows.map((row) => [String(row.day).slice(0, 10), row]));
  return Array.from({ length: days }, (_, i) => {
    const day = new Date(first.getTime() + i * 86_400_000).toISOString().slice(0, 10);
    const row = byDay.get(day);
    return { day, orders: Number(row?.orders ?? 0), revenueCents: Number(row?.revenueCents ?? 0) };
  });
}

export async function dashboard(db: Db, now = new Date()) {
  const daily = await dailySales(db, 30, now);
  const total = (slice: DailySales[]): SalesFigure => ({
    orders: slice.reduce((sum, day) => sum + day.orders, 0),
    revenueCents: slice.reduce((sum, day) => sum + day.revenueCents, 0),
  });
  const [lowStock, pendingOffers, pendingOfferCount, recentOrders] = await Promise.all([
    db("books")
      .select("id", "title", "stock")
      .whereNull("archivedAt")
      .where("stock", "<=", LOW_STOCK_THRESHOLD)
      .orderBy("stock")
      .orderBy("title")
      .limit(10) as Promise<Array<{ id: number; title: string; stock: number }>>,
    db("offers")
      .select("id", "title", "askingPriceCents", "createdAt")
      .where({ status: "pending" })
      .orderBy("createdAt")
      .limit(5) as Promise<
      Array<{ id: number; title: string; askingPriceCents: number; createdAt: string }>
    >,
    db("offers").where({ status: "pending" }).count({ n: "*" }).first() as Promise<{
      n: number | string;
    }>,
    db("orders")
      .join("users", "users.id", "orders.userId")
      .select("orders.id", "orders.status", "orders.totalCents", "orders.createdAt", "users.email")
      .orderBy("orders.createdAt", "desc")
      .orderBy("orders.id", "desc")
      .limit(10) as Promise<
      Array<{ id: number; status: string; totalCents: number; createdAt: string; email: string }>
    >,
  ]);
  return {
    today: total(daily.slice(-1)),
    last7Days: total(daily.slice(-7)),
    last30Days: total(daily),
    daily,
    lowStock,
    pendingOffers,
    pendingOfferCount: Number(pendingOfferCount.n),
    recentOrders,
  };
}

function startOfUtcDay(now: Date, daysBack: number): Date {
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() - daysBack));
}
