import { Model } from "objection";

export class DeliveryProvider extends Model {
  static override tableName = "delivery_providers";

  id!: number;
  name!: string;
  coverageArea!: string;
  costCents!: number;
  active!: boolean;

  static override jsonSchema = {
    type: "object",
    required: ["name", "coverageArea", "costCents"],
    properties: {
      id: { type: "integer" },
      name: { type: "string", minLength: 1, maxLength: 100 },
      coverageArea: { type: "string", minLength: 1, maxLength: 255 },
      costCents: { type: "integer", minimum: 0 },
      active: { type: "boolean" },
    },
  };
}
