/**
 * An order's life: paid at checkout, then shipped and delivered by an admin,
 * or cancelled while still paid. Shared by the models (allowed values) and
 * the pages (labels); which moves are allowed lives in app/services/orders.server.ts.
 */
export const ORDER_STATUSES = [
  "pending_payment",
  "paid",
  "shipped",
  "delivered",
  "cancelled",
] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

export const ORDER_STATUS_LABELS: Record<OrderStatus, string> = {
  pending_payment: "Awaiting payment",
  paid: "Paid",
  shipped: "Shipped",
  delivered: "Delivered",
  cancelled: "Cancelled",
};
