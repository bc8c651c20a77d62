import type { RelationMappings } from "objection";
import { Book } from "./Book";
import type { JSONSchema } from "objection";
import { BaseModel, schema } from "./BaseModel";

export const MAX_LINE_QUANTITY = 99;

export class CartItem extends BaseModel {
  static override tableName = "cart_items";
  static override idColumn = ["cartId", "bookId"];

  cartId!: number;
  bookId!: number;
  quantity!: number;
  book?: Book;

  static override jsonSchema: JSONSchema = {
    type: "object",
    required: ["cartId", "bookId", "quantity"],
    properties: {
      cartId: schema.id,
      bookId: schema.id,
      quantity: { type: "integer", minimum: 1, maximum: MAX_LINE_QUANTITY },
      createdAt: schema.timestamp,
      updatedAt: schema.timestamp,
    },
  };

  static override relationMappings: RelationMappings = {
    book: {
      relation: BaseModel.BelongsToOneRelation,
      modelClass: Book,
      join: { from: "cart_items.bookId", to: "books.id" },
    },
  };
}
