import type { JSONSchema } from "objection";
import {
  OFFER_CONDITIONS,
  OFFER_STATUSES,
  type OfferCondition,
  type OfferStatus,
} from "~/lib/offer-options";
import { BaseModel, schema } from "./BaseModel";

/** A book a customer offers to sell to the shop; an admin accepts or rejects it. */
export class Offer extends BaseModel {
  static override tableName = "offers";

  id!: number;
  userId!: number;
  isbn!: string;
  title!: string;
  author!: string;
  condition!: OfferCondition;
  askingPriceCents!: number;
  photoPath!: string | null;
  status!: OfferStatus;
  decisionNote!: string | null;
  acceptedPriceCents!: number | null;
  bookId!: number | null;
  decidedBy!: number | null;
  decidedAt!: string | null;

  static override jsonSchema: JSONSchema = {
    type: "object",
    required: ["userId", "isbn", "title", "author", "condition", "askingPriceCents"],
    properties: {
      id: schema.id,
      userId: schema.id,
      isbn: { type: "string", pattern: "^(\\d{9}[\\dX]|\\d{13})$" },
      title: schema.text(255),
      author: schema.text(255),
      condition: schema.oneOf(OFFER_CONDITIONS),
      askingPriceCents: schema.cents,
      photoPath: schema.optionalText(255),
      status: schema.oneOf(OFFER_STATUSES),
      decisionNote: schema.optionalText(500),
      acceptedPriceCents: { type: ["integer", "null"], minimum: 0, maximum: 2_000_000_000 },
      bookId: schema.optionalId,
      decidedBy: schema.optionalId,
      decidedAt: schema.optionalTimestamp,
      createdAt: schema.timestamp,
      updatedAt: schema.timestamp,
    },
  };
}
