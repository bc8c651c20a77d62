import type { JSONSchema } from "objection";
import { BaseModel, schema } from "./BaseModel";

export const PAYMENT_STATUSES = ["authorized", "captured", "voided", "refunded"] as const;
export type PaymentStatus = (typeof PAYMENT_STATUSES)[number];

/** What the gateway said about an order's payment. Never the card number: brand and last four. */
export class Payment extends BaseModel {
  static override tableName = "payments";

  id!: number;
  orderId!: number;
  method!: "card";
  cardBrand!: string;
  cardLast4!: string;
  amountCents!: number;
  status!: PaymentStatus;
  reference!: string;

  static override jsonSchema: JSONSchema = {
    type: "object",
    required: ["orderId", "method", "cardBrand", "cardLast4", "amountCents", "status", "reference"],
    properties: {
      id: schema.id,
      orderId: schema.id,
      method: { type: "string", enum: ["card"] },
      cardBrand: schema.text(20),
      cardLast4: { type: "string", pattern: "^\\d{4}$" },
      amountCents: schema.cents,
      status: schema.oneOf(PAYMENT_STATUSES),
      reference: schema.text(64),
      createdAt: schema.timestamp,
      updatedAt: schema.timestamp,
    },
  };
}
