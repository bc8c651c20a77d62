import { ORDER_STATUSES, type OrderStatus } from "~/lib/order-status";
import type { JSONSchema } from "objection";
import { BaseModel, schema } from "./BaseModel";

/** An order's status history: one row per change, with who made it. */
export class OrderEvent extends BaseModel {
  static override tableName = "order_events";
  static override timestamps = { createdAt: true, updatedAt: false };

  id!: number;
  orderId!: number;
  status!: OrderStatus;
  note!: string | null;
  userId!: number | null;

  static override jsonSchema: JSONSchema = {
    type: "object",
    required: ["orderId", "status"],
    properties: {
      id: schema.id,
      orderId: schema.id,
      status: schema.oneOf(ORDER_STATUSES),
      note: schema.optionalText(255),
      userId: schema.optionalId,
      createdAt: schema.timestamp,
    },
  };
}
