import type { Pojo } from "objection";
import type { JSONSchema } from "objection";
import { BaseModel, schema } from "./BaseModel";

export const ROLES = ["customer", "admin"] as const;
export type Role = (typeof ROLES)[number];

export class User extends BaseModel {
  static override tableName = "users";

  id!: number;
  /** Always lower case: emails compare case-insensitively. */
  email!: string;
  name!: string;
  passwordHash!: string;
  role!: Role;
  disabledAt!: string | null;

  static override jsonSchema: JSONSchema = {
    type: "object",
    required: ["email", "name", "passwordHash"],
    properties: {
      id: schema.id,
      email: { type: "string", minLength: 3, maxLength: 254, pattern: "^[^A-Z\\s@]+@[^A-Z\\s@]+$" },
      name: schema.text(100),
      passwordHash: schema.text(255),
      role: schema.oneOf(ROLES),
      disabledAt: schema.optionalTimestamp,
      createdAt: schema.timestamp,
      updatedAt: schema.timestamp,
    },
  };

  /** The hash never leaves the model: not in loader data, not in logs. */
  override $formatJson(json: Pojo): Pojo {
    const { passwordHash: _omitted, ...rest } = super.$formatJson(json);
    return rest;
  }
}
