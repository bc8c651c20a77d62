import type { JSONSchema } from "objection";
import { BaseModel, schema } from "./BaseModel";
import { MAX_LINE_QUANTITY } from "./CartItem";

/** A line of an order: title and unit price copied from the book at purchase. */
export class OrderItem extends BaseModel {
  static override tableName = "order_items";
  static override timestamps = { createdAt: false, updatedAt: false };

  id!: number;
  orderId!: number;
  bookId!: number;
  title!: string;
  unitPriceCents!: number;
  quantity!: number;

  static override jsonSchema: JSONSchema = {
    type: "object",
    required: ["orderId", "bookId", "title", "unitPriceCents", "quantity"],
    properties: {
      id: schema.id,
      orderId: schema.id,
      bookId: schema.id,
      title: schema.text(255),
      unitPriceCents: schema.cents,
      quantity: { type: "integer", minimum: 1, maximum: MAX_LINE_QUANTITY },
    },
  };
}
