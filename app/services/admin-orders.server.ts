/**
 * Orders as staff see and move them: every customer's orders, filtered and
 * searched, and the moves an order makes after checkout:
 *
 *   paid → shipped (with the carrier's tracking number) → delivered
 *   paid → cancelled (stock back, payment voided or refunded: the customer's
 *          own cancellation, `cancelPaidOrder` in orders.server.ts)
 *
 * Anything else is refused with a ConflictError (409) saying why. Each move is
 * one conditional update (`WHERE status = <expected>`), so when an admin's
 * shipment and a customer's cancellation race, exactly one changes the row
 * and the other is refused. Each move writes the order's history (what the
 * customer reads on their order page) and an audit row in its transaction.
 */
import { inTransaction, LIKE_ESCAPED, likePattern, type Db } from "~/lib/db.server";
import { ConflictError, NotFoundError } from "~/lib/domain-errors.server";
import { ORDER_STATUS_LABELS, type OrderStatus } from "~/lib/order-status";
import { Order } from "~/models/Order";
import { OrderEvent } from "~/models/OrderEvent";
import { recordAudit, type Actor } from "./audit.server";
import {
  cancelPaidOrder,
  shipToOf,
  type CancelDependencies,
  type RefundOutcome,
} from "./orders.server";

export const ADMIN_ORDERS_PAGE_SIZE = 25;

export const ORDER_MOVES = ["ship", "deliver", "cancel"] as const;
export type OrderMove = (typeof ORDER_MOVES)[number];

const MOVES: Record<OrderMove, { from: OrderStatus; to: OrderStatus; done: string }> = {
  ship: { from: "paid", to: "shipped", done: "shipped" },
  deliver: { from: "shipped", to: "delivered", done: "marked delivered" },
  cancel: { from: "paid", to: "cancelled", done: "cancelled" },
};

/** Why an order in `status` cannot make `move`, for the admin who tried. */
export function refusal(move: OrderMove, status: OrderStatus): string {
  const { from, to, done } = MOVES[move];
  if (status === to) return `This order is already ${ORDER_STATUS_LABELS[to].toLowerCase()}.`;
  // Only when the row changed and changed back under us; reloading shows where it is.
  if (status === from) return "This order changed while you were working on it. Please try again.";
  const because: Record<OrderStatus, string> = {
    pending_payment: "is still awaiting payment",
    paid: "has not shipped yet",
    shipped: "has already shipped",
    delivered: "was already delivered",
    cancelled: "is cancelled",
  };
  return `This order ${because[status]}, so it cannot be ${done}.`;
}

/** The moves an order in `status` can make now, for the page's buttons. */
export function movesFrom(status: OrderStatus): OrderMove[] {
  return ORDER_MOVES.filter((move) => MOVES[move].from === status);
}

export interface AdminOrderQuery {
  status?: OrderStatus;
  /** Placed on or after this day (YYYY-MM-DD, UTC). */
  from?: string;
  /** Placed on or before this day (YYYY-MM-DD, UTC). */
  to?: string;
  /** An order number ("42" or "#42") or part of the customer's email. */
  q?: string;
  page?: number;
}

export interface AdminOrderRow {
  id: number;
  status: OrderStatus;
  totalCents: number;
  itemCount: number;
  createdAt: string;
  customerEmail: string;
  customerName: string;
  providerName: string;
}

export async function listAdminOrders(db: Db, query: AdminOrderQuery) {
  const base = db("orders")
    .join("users", "users.id", "orders.userId")
    .join("deliveryProviders", "deliveryProviders.id", "orders.deliveryProviderId");
  if (query.status) base.where("orders.status", query.status);
  // Timestamps are UTC "YYYY-MM-DD HH:MM:SS" text on both engines, so days compare as text.
  if (query.from) base.where("orders.createdAt", ">=", `${query.from} 00:00:00`);
  if (query.to) base.where("orders.createdAt", "<", `${dayAfter(query.to)} 00:00:00`);
  if (query.q) {
    const q = query.q.trim();
    // Emails are stored lower-cased.
    const like = likePattern(q);
    const orderNumber = /^#?(\d{1,10})$/.exec(q);
    base.where((w) => {
      w.whereRaw(`?? ${LIKE_ESCAPED}`, ["users.email", like]);
      if (orderNumber) w.orWhere("orders.id", Number(orderNumber[1]));
    });
  }

  const countRow = (await base.clone().count({ n: "*" }).first()) as { n: number | string };
  const total = Number(countRow.n);
  const pageCount = Math.max(1, Math.ceil(total / ADMIN_ORDERS_PAGE_SIZE));
  const page = Math.min(Math.max(1, query.page ?? 1), pageCount);
  const rows = (await base
    .select(
      "orders.id",
      "orders.status",
      "orders.totalCents",
      "orders.createdAt",
      "users.email as customerEmail",
      "users.name as customerName",
      "deliveryProviders.name as providerName",
      db("orderItems")
        .sum("quantity")
        .where("orderItems.orderId", db.ref("orders.id"))
        .as("itemCount"),
    )
    .orderBy("orders.createdAt", "desc")
    .orderBy("orders.id", "desc")
    .limit(ADMIN_ORDERS_PAGE_SIZE)
    .offset((page - 1) * ADMIN_ORDERS_PAGE_SIZE)) as Array<
    AdminOrderRow & { itemCount: number | string | null }
  >;
  return {
    orders: rows.map((row) => ({ ...row, itemCount: Number(row.itemCount ?? 0) })),
    total,
    page,
    pageCount,
  };
}

function dayAfter(day: string): string {
  const date = new Date(`${day}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + 1);
  return date.toISOString().slice(0, 10);
}

/** Everything about one order, for staff: lines, money, address, customer, payment, history. */
export async function getAdminOrder(db: Db, orderId: number) {
  const order = await Order.query(db)
    .findById(orderId)
    .withGraphFetched("[items(byId), payments(byId), deliveryProvider]")
    .modifiers({ byId: (query) => query.orderBy("id") });
  if (!order) throw new NotFoundError("We could not find that order.");
  const [customer, history] = await Promise.all([
    db("users")
      .select("id", "email", "name", "disabledAt")
      .where({ id: order.userId })
      .first() as Promise<{ id: number; email: string; name: string; disabledAt: string | null }>,
    db("orderEvents")
      .leftJoin("users", "users.id", "orderEvents.userId")
      .select(
        "orderEvents.id",
        "orderEvents.status",
        "orderEvents.note",
        "orderEvents.createdAt",
        "users.email as byEmail",
      )
      .where("orderEvents.orderId", orderId)
      .orderBy("orderEvents.id") as Promise<
      Array<{
        id: number;
        status: OrderStatus;
        note: string | null;
        createdAt: string;
        byEmail: string | null;
      }>
    >,
  ]);
  const provider = order.deliveryProvider!;
  return {
    id: order.id,
    status: order.status,
    subtotalCents: order.subtotalCents,
    shippingCents: order.shippingCents,
    totalCents: order.totalCents,
    trackingNumber: order.trackingNumber,
    createdAt: order.createdAt!,
    updatedAt: order.updatedAt!,
    customer,
    shipTo: shipToOf(order),
    deliveryProvider: {
      id: provider.id,
      name: provider.name,
      coverageArea: provider.coverageArea,
      active: Boolean(provider.active),
    },
    items: order.items!.map(({ id, bookId, title, unitPriceCents, quantity }) => ({
      id,
      bookId,
      title,
      unitPriceCents,
      quantity,
    })),
    payments: order.payments!.map((payment) => ({
      id: payment.id,
      cardBrand: payment.cardBrand,
      cardLast4: payment.cardLast4,
      amountCents: payment.amountCents,
      status: payment.status,
      reference: payment.reference,
    })),
    history,
    moves: movesFrom(order.status),
  };
}

/** paid → shipped: the tracking number is what the customer follows the parcel with. */
export async function shipOrder(
  db: Db,
  actor: Actor,
  orderId: number,
  trackingNumber: string,
): Promise<void> {
  await inTransaction(db, async (trx) => {
    await changeStatus(trx, orderId, "ship", { trackingNumber });
    const { providerName } = (await trx("orders")
      .join("deliveryProviders", "deliveryProviders.id", "orders.deliveryProviderId")
      .select("deliveryProviders.name as providerName")
      .where("orders.id", orderId)
      .first()) as { providerName: string };
    await OrderEvent.query(trx).insert({
      orderId,
      status: "shipped",
      note: `Shipped with ${providerName}, tracking ${trackingNumber}`,
      userId: actor.id,
    });
    await recordAudit(trx, actor, {
      action: "order.ship",
      entityType: "order",
      entityId: orderId,
      before: { status: "paid", trackingNumber: null },
      after: { status: "shipped", trackingNumber },
    });
  });
}

/** shipped → delivered. */
export async function deliverOrder(db: Db, actor: Actor, orderId: number): Promise<void> {
  await inTransaction(db, async (trx) => {
    await changeStatus(trx, orderId, "deliver");
    await OrderEvent.query(trx).insert({
      orderId,
      status: "delivered",
      note: "Delivered",
      userId: actor.id,
    });
    await recordAudit(trx, actor, {
      action: "order.deliver",
      entityType: "order",
      entityId: orderId,
      before: { status: "shipped" },
      after: { status: "delivered" },
    });
  });
}

/**
 * paid → cancelled by staff: the very cancellation a customer makes (stock
 * back with movement rows naming this admin, payment voided or refunded),
 * plus an audit row in the same transaction.
 */
export async function cancelOrderAsStaff(
  deps: CancelDependencies,
  actor: Actor,
  orderId: number,
  reason?: string,
): Promise<RefundOutcome> {
  return cancelPaidOrder(deps, {
    orderId,
    ownerId: null,
    byUserId: actor.id,
    note: reason ? `Cancelled by the shop: ${reason}` : "Cancelled by the shop",
    refusal: (status) => refusal("cancel", status),
    alsoInTransaction: (trx) =>
      recordAudit(trx, actor, {
        action: "order.cancel",
        entityType: "order",
        entityId: orderId,
        before: { status: "paid" },
        after: reason ? { status: "cancelled", reason } : { status: "cancelled" },
      }),
  });
}

/**
 * The move itself: one statement that changes the row only if it is still
 * where the move starts. The update comes before any read, so on MySQL the
 * read that explains a refusal sees what the winner of a race committed.
 */
async function changeStatus(
  trx: Db,
  orderId: number,
  move: OrderMove,
  patch: Partial<Pick<Order, "trackingNumber">> = {},
): Promise<void> {
  const { from, to } = MOVES[move];
  const changed = await Order.query(trx)
    .patch({ ...patch, status: to })
    .where({ id: orderId, status: from });
  if (changed > 0) return;
  const order = await Order.query(trx).select("status").findById(orderId);
  if (!order) throw new NotFoundError("We could not find that order.");
  throw new ConflictError(refusal(move, order.status));
}
