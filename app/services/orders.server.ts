/**
 * A shopper's orders: only ever their own. Asking for someone else's order
 * is answered exactly like asking for one that does not exist (404), so order
 * numbers reveal nothing. The cancellation itself (`cancelPaidOrder`) is
 * shared with staff (app/services/admin-orders.server.ts): one set of rules
 * for stock and refunds, whoever cancels.
 */
import { inTransaction, type Db } from "~/lib/db.server";
import { ConflictError, NotFoundError } from "~/lib/domain-errors.server";
import type { Logger } from "~/lib/logger.server";
import type { OrderStatus } from "~/lib/order-status";
import type { PaymentGateway } from "~/lib/payments.server";
import { Order } from "~/models/Order";
import { OrderEvent } from "~/models/OrderEvent";
import { OrderItem } from "~/models/OrderItem";
import { Payment } from "~/models/Payment";
import { returnStock } from "./inventory.server";

export interface OrderSummary {
  id: number;
  status: OrderStatus;
  totalCents: number;
  itemCount: number;
  createdAt: string;
}

export interface OrderDetails {
  id: number;
  status: OrderStatus;
  subtotalCents: number;
  shippingCents: number;
  totalCents: number;
  trackingNumber: string | null;
  createdAt: string;
  shipTo: {
    fullName: string;
    line1: string;
    line2: string | null;
    city: string;
    region: string;
    postalCode: string;
    country: string;
  };
  deliveryProvider: { name: string; coverageArea: string };
  items: Array<{ bookId: number; title: string; unitPriceCents: number; quantity: number }>;
  payment: { cardBrand: string; cardLast4: string; status: string } | null;
  history: Array<{ status: OrderStatus; note: string | null; createdAt: string }>;
  canCancel: boolean;
}

/** Only a paid order that has not shipped can be cancelled by its shopper. */
/** Where an order goes, from its ship_* columns (the shopper's and the admin's order pages). */
export function shipToOf(order: Order): OrderDetails["shipTo"] {
  return {
    fullName: order.shipName,
    line1: order.shipLine1,
    line2: order.shipLine2,
    city: order.shipCity,
    region: order.shipRegion,
    postalCode: order.shipPostalCode,
    country: order.shipCountry,
  };
}

export function isCancellable(status: OrderStatus): boolean {
  return status === "paid";
}

export async function listOrders(db: Db, userId: number): Promise<OrderSummary[]> {
  const rows = (await db("orders")
    .leftJoin("orderItems", "orderItems.orderId", "orders.id")
    .select("orders.id", "orders.status", "orders.totalCents", "orders.createdAt")
    .sum({ itemCount: "orderItems.quantity" })
    .where("orders.userId", userId)
    .groupBy("orders.id", "orders.status", "orders.totalCents", "orders.createdAt")
    .orderBy("orders.createdAt", "desc")
    .orderBy("orders.id", "desc")) as Array<OrderSummary & { itemCount: number | string }>;
  return rows.map((row) => ({ ...row, itemCount: Number(row.itemCount ?? 0) }));
}

export async function getOrder(db: Db, userId: number, orderId: number): Promise<OrderDetails> {
  const order = await Order.query(db)
    .findOne({ id: orderId, userId })
    .withGraphFetched("[items(byId), payments(byId), events(byId), deliveryProvider]")
    .modifiers({ byId: (query) => query.orderBy("id") });
  if (!order) throw new NotFoundError("We could not find that order.");
  const payment = order.payments?.[order.payments.length - 1];
  return {
    id: order.id,
    status: order.status,
    subtotalCents: order.subtotalCents,
    shippingCents: order.shippingCents,
    totalCents: order.totalCents,
    trackingNumber: order.trackingNumber,
    createdAt: order.createdAt!,
    shipTo: shipToOf(order),
    deliveryProvider: {
      name: order.deliveryProvider!.name,
      coverageArea: order.deliveryProvider!.coverageArea,
    },
    items: order.items!.map(({ bookId, title, unitPriceCents, quantity }) => ({
      bookId,
      title,
      unitPriceCents,
      quantity,
    })),
    payment: payment
      ? { cardBrand: payment.cardBrand, cardLast4: payment.cardLast4, status: payment.status }
      : null,
    history: order.events!.map(({ status, note, createdAt }) => ({
      status,
      note,
      createdAt: createdAt!,
    })),
    canCancel: isCancellable(order.status),
  };
}

/**
 * Cancels a paid, unshipped order of this shopper (anyone else's is "not
 * found"). The rules are those of every cancellation: see `cancelPaidOrder`.
 */
export async function cancelOrder(
  deps: CancelDependencies,
  userId: number,
  orderId: number,
): Promise<RefundOutcome> {
  return cancelPaidOrder(deps, {
    orderId,
    ownerId: userId,
    byUserId: userId,
    note: "Cancelled by the customer",
    refusal: (status) =>
      status === "cancelled"
        ? "This order is already cancelled."
        : "This order has already shipped, so it can no longer be cancelled.",
  });
}

export interface CancelDependencies {
  db: Db;
  payments: PaymentGateway;
  logger: Logger;
}

export interface Cancellation {
  orderId: number;
  /** Only this shopper's order may be cancelled (anyone else's is "not found"); null for staff. */
  ownerId: number | null;
  /** Who cancelled: the history and the stock movements name them. */
  byUserId: number | null;
  /** The history's note, which the shopper reads on their order page. */
  note: string;
  /** What to tell the person when the order is no longer paid (in `status` now). */
  refusal: (status: OrderStatus) => string;
  /** More writes that must commit with the cancellation, or not at all (staff's audit row). */
  alsoInTransaction?: (trx: Db) => Promise<void>;
}

/** What happened to the money: nothing to give back, the hold released, a refund, or a failure. */
export type RefundOutcome = "none" | "voided" | "refunded" | "failed";

/**
 * Every cancellation, the shopper's and staff's alike: the status changes
 * only if it is still `paid` in the same statement (so a shipment recorded at
 * the same moment and this cancellation cannot both win), the stock goes back
 * with "cancellation" movement rows naming who cancelled, and once that is
 * committed the payment is voided (still only authorized) or refunded.
 */
export async function cancelPaidOrder(
  deps: CancelDependencies,
  cancellation: Cancellation,
): Promise<RefundOutcome> {
  const { orderId, ownerId, byUserId } = cancellation;
  const ofThisOrder = ownerId === null ? { id: orderId } : { id: orderId, userId: ownerId };
  const payment = await inTransaction(deps.db, async (trx) => {
    // The update comes before any read: on MySQL a later read then sees what
    // the winner of a race committed, so the refusal names the real status.
    const changed = await Order.query(trx)
      .patch({ status: "cancelled" })
      .where({ ...ofThisOrder, status: "paid" });
    if (changed === 0) {
      const order = await Order.query(trx).select("status").findOne(ofThisOrder);
      if (!order) throw new NotFoundError("We could not find that order.");
      throw new ConflictError(cancellation.refusal(order.status));
    }
    const items = await OrderItem.query(trx).select("bookId", "quantity").where({ orderId });
    await returnStock(trx, items, { reason: "cancellation", orderId, userId: byUserId });
    await OrderEvent.query(trx).insert({
      orderId,
      status: "cancelled",
      note: cancellation.note,
      userId: byUserId,
    });
    await cancellation.alsoInTransaction?.(trx);
    return Payment.query(trx).findOne({ orderId }).orderBy("id", "desc");
  });

  if (!payment) return "none";
  try {
    if (payment.status === "authorized") await deps.payments.void(payment.reference);
    else await deps.payments.refund(payment.reference, payment.amountCents);
    const status = payment.status === "authorized" ? "voided" : "refunded";
    await Payment.query(deps.db).patch({ status }).where({ id: payment.id });
    return status;
  } catch (error) {
    deps.logger.error(
      { err: error, orderId },
      "refund failed; order cancelled, payment left as is",
    );
    return "failed";
  }
}
