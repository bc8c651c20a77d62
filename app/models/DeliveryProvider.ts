import type { JSONSchema } from "objection";
import { BaseModel, schema } from "./BaseModel";

export class DeliveryProvider extends BaseModel {
  static override tableName = "delivery_providers";

  id!: number;
  name!: string;
  coverageArea!: string;
  costCents!: number;
  active!: boolean;

  static override jsonSchema: JSONSchema = {
    type: "object",
    required: ["name", "coverageArea", "costCents"],
    properties: {
      id: schema.id,
      name: schema.text(100),
      coverageArea: schema.text(255),
      costCents: schema.cents,
      active: { type: "boolean" },
    },
  };
}
