/**
 * Placing an order. The rules, in the order they apply:
 *
 * 1. A checkout form carries an idempotency key minted when the page was
 *    rendered. If an order with that key exists, this is a double click or a
 *    retry: the existing order is the answer, nothing is charged twice.
 * 2. Prices and totals come from the database; nothing the form says about
 *    money is read.
 * 3. Stock is checked before the card is touched, so a shopper whose book just
 *    sold out is told so without a hold on their card.
 * 4. The gateway authorizes the total. A decline writes nothing: stock and
 *    cart stay as they were.
 * 5. One transaction writes the order, its lines (title and price copied),
 *    takes the stock (a conditional update per line, in the inventory
 *    service), records the payment and the first status, and empties the cart.
 *    A line that ran short in the meantime rolls it all back and the hold is
 *    released. Two submissions with the same key race on the unique key: one
 *    order is written, the other submission finds it.
 * 6. After the commit the payment is captured and the confirmation mailed.
 */
import { inTransaction, isUniqueViolation, type Db } from "~/lib/db.server";
import { ConflictError, OutOfStockError, PaymentDeclinedError } from "~/lib/domain-errors.server";
import type { Logger } from "~/lib/logger.server";
import type { Mailer } from "~/lib/mailer.server";
import { formatCents } from "~/lib/money";
import type { CardDetails, PaymentGateway } from "~/lib/payments.server";
import { DeliveryProvider } from "~/models/DeliveryProvider";
import { Order } from "~/models/Order";
import { OrderEvent } from "~/models/OrderEvent";
import { OrderItem } from "~/models/OrderItem";
import { Payment } from "~/models/Payment";
import { User } from "~/models/User";
import { emptyCart, findCartId, getCart } from "./cart.server";
import { findShortages, takeStock } from "./inventory.server";

export interface ShippingAddress {
  fullName: string;
  line1: string;
  line2?: string;
  city: string;
  region: string;
  postalCode: string;
  country: string;
}

export interface CheckoutRequest {
  userId: number;
  address: ShippingAddress;
  deliveryProviderId: number;
  card: CardDetails;
  idempotencyKey: string;
}

export interface CheckoutDependencies {
  db: Db;
  payments: PaymentGateway;
  mailer: Mailer;
  logger: Logger;
  /** Origin for the link in the confirmation e-mail. */
  publicUrl: string;
}

export interface PlacedOrder {
  orderId: number;
  /** False when the key had already placed this order (a retry or a double click). */
  created: boolean;
}

/** A delivery option that is no longer offered; the message is for the Delivery field. */
export class DeliveryUnavailableError extends ConflictError {
  constructor() {
    super("That delivery option is no longer available. Please choose another.");
    this.name = "DeliveryUnavailableError";
  }
}

export async function activeDeliveryProviders(db: Db) {
  return DeliveryProvider.query(db)
    .select("id", "name", "coverageArea", "costCents")
    .where({ active: true })
    .orderBy("costCents")
    .orderBy("id");
}

export async function placeOrder(
  deps: CheckoutDependencies,
  request: CheckoutRequest,
): Promise<PlacedOrder> {
  const { db, payments } = deps;
  const previous = await orderForKey(db, request);
  if (previous) return previous;

  const cart = await getCart(db, await findCartId(db, { userId: request.userId }));
  if (cart.lines.length === 0 || cart.id === null) {
    throw new ConflictError("Your cart is empty: add a book before checking out.");
  }
  const provider = await DeliveryProvider.query(db)
    .findById(request.deliveryProviderId)
    .where({ active: true });
  if (!provider) throw new DeliveryUnavailableError();

  const lines = cart.lines.map((line) => ({ bookId: line.bookId, quantity: line.quantity }));
  const shortages = await findShortages(db, lines);
  if (shortages.length > 0) throw new OutOfStockError(shortages);

  const subtotalCents = cart.subtotalCents;
  const shippingCents = provider.costCents;
  const totalCents = subtotalCents + shippingCents;

  const authorization = await payments.authorize({
    amountCents: totalCents,
    card: request.card,
    idempotencyKey: request.idempotencyKey,
  });
  if (!authorization.approved) throw new PaymentDeclinedError(authorization.message);

  let orderId: number;
  try {
    orderId = await inTransaction(db, async (trx) => {
      const order = await Order.query(trx).insert({
        userId: request.userId,
        status: "paid",
        subtotalCents,
        shippingCents,
        totalCents,
        deliveryProviderId: provider.id,
        shipName: request.address.fullName,
        shipLine1: request.address.line1,
        shipLine2: request.address.line2 || null,
        shipCity: request.address.city,
        shipRegion: request.address.region,
        shipPostalCode: request.address.postalCode,
        shipCountry: request.address.country,
        trackingNumber: null,
        idempotencyKey: request.idempotencyKey,
      });
      // Stock first: the book rows are locked before anything else refers to them.
      await takeStock(trx, lines, { reason: "sale", orderId: order.id, userId: request.userId });
      for (const line of cart.lines) {
        await OrderItem.query(trx).insert({
          orderId: order.id,
          bookId: line.bookId,
          title: line.title,
          unitPriceCents: line.unitPriceCents,
          quantity: line.quantity,
        });
      }
      await Payment.query(trx).insert({
        orderId: order.id,
        method: "card",
        cardBrand: authorization.brand,
        cardLast4: authorization.last4,
        amountCents: totalCents,
        status: "authorized",
        reference: authorization.reference,
      });
      await OrderEvent.query(trx).insert({
        orderId: order.id,
        status: "paid",
        note: "Order placed",
        userId: request.userId,
      });
      await emptyCart(trx, cart.id!);
      return order.id;
    });
  } catch (error) {
    if (isUniqueViolation(error)) {
      // The same form was submitted twice at once and the other submission won:
      // its order holds this very authorization, so it must not be voided.
      const placed = await orderForKey(db, request);
      if (placed) return placed;
    }
    await payments.void(authorization.reference);
    throw error;
  }

  await capture(deps, orderId, authorization.reference);
  await sendConfirmation(deps, orderId);
  return { orderId, created: true };
}

async function orderForKey(db: Db, request: CheckoutRequest): Promise<PlacedOrder | null> {
  const order = await Order.query(db)
    .select("id", "userId")
    .findOne({ idempotencyKey: request.idempotencyKey });
  if (!order) return null;
  // Someone else's key: never show their order; the form is simply stale.
  if (order.userId !== request.userId) {
    throw new ConflictError("This checkout form has expired. Please reload the page.");
  }
  return { orderId: order.id, created: false };
}

/** Captured after the commit; a failure leaves the payment authorized for staff to settle. */
async function capture(deps: CheckoutDependencies, orderId: number, reference: string) {
  try {
    await deps.payments.capture(reference);
    await Payment.query(deps.db).patch({ status: "captured" }).where({ orderId, reference });
  } catch (error) {
    deps.logger.error({ err: error, orderId }, "payment capture failed; left authorized");
  }
}

/** The order stands whether or not the e-mail goes out. */
async function sendConfirmation(deps: CheckoutDependencies, orderId: number) {
  try {
    const order = await Order.query(deps.db).findById(orderId).withGraphFetched("items");
    const user = await User.query(deps.db).select("email", "name").findById(order!.userId);
    const lines = order!.items!.map(
      (item) =>
        `  ${item.quantity} × ${item.title}  ${formatCents(item.unitPriceCents * item.quantity)}`,
    );
    await deps.mailer.send({
      to: user!.email,
      subject: `Your Bookstore order #${orderId}`,
      text: [
        `Hello ${user!.name},`,
        "",
        `Thank you for your order #${orderId}. We will let you know when it ships.`,
        "",
        ...lines,
        `  Shipping  ${formatCents(order!.shippingCents)}`,
        `  Total  ${formatCents(order!.totalCents)}`,
        "",
        `Follow it at ${deps.publicUrl}/orders/${orderId}`,
      ].join("\n"),
    });
  } catch (error) {
    deps.logger.error({ err: error, orderId }, "order confirmation e-mail failed");
  }
}
