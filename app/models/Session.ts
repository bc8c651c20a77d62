import type { JSONSchema } from "objection";
import { BaseModel, schema } from "./BaseModel";

/** A signed-in or guest session: the cookie holds only `id` (signed). */
export class Session extends BaseModel {
  static override tableName = "sessions";

  id!: string;
  userId!: number | null;
  /** JSON of the Remix session's data. */
  data!: string;
  expiresAt!: string;

  static override jsonSchema: JSONSchema = {
    type: "object",
    required: ["id", "data", "expiresAt"],
    properties: {
      id: { type: "string", pattern: "^[A-Za-z0-9_-]{32,64}$" },
      userId: schema.optionalId,
      data: { type: "string", maxLength: 4096 },
      expiresAt: schema.timestamp,
      createdAt: schema.timestamp,
      updatedAt: schema.timestamp,
    },
  };
}
