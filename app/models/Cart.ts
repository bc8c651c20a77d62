import type { RelationMappings } from "objection";
import type { JSONSchema } from "objection";
import { BaseModel, schema } from "./BaseModel";
import { CartItem } from "./CartItem";

/** One per guest (its id in the session) or per user. */
export class Cart extends BaseModel {
  static override tableName = "carts";

  id!: number;
  userId!: number | null;
  items?: CartItem[];

  static override jsonSchema: JSONSchema = {
    type: "object",
    properties: {
      id: schema.id,
      userId: schema.optionalId,
      createdAt: schema.timestamp,
      updatedAt: schema.timestamp,
    },
  };

  static override relationMappings: RelationMappings = {
    items: {
      relation: BaseModel.HasManyRelation,
      modelClass: CartItem,
      join: { from: "carts.id", to: "cart_items.cartId" },
    },
  };
}
