import type { JSONSchema } from "objection";
import { STOCK_REASONS, type StockReason } from "~/lib/inventory-options";
import { BaseModel, schema } from "./BaseModel";

/** One change of a book's stock; written only by app/services/inventory.server.ts. */
export class StockMovement extends BaseModel {
  static override tableName = "stock_movements";
  static override timestamps = { createdAt: true, updatedAt: false };

  id!: number;
  bookId!: number;
  delta!: number;
  reason!: StockReason;
  orderId!: number | null;
  userId!: number | null;
  note!: string | null;

  static override jsonSchema: JSONSchema = {
    type: "object",
    required: ["bookId", "delta", "reason"],
    properties: {
      id: schema.id,
      bookId: schema.id,
      delta: { type: "integer", not: { const: 0 } },
      reason: schema.oneOf(STOCK_REASONS),
      orderId: schema.optionalId,
      userId: schema.optionalId,
      note: schema.optionalText(255),
      createdAt: schema.timestamp,
    },
  };
}
