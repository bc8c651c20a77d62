import type { JSONSchema } from "objection";
import { BaseModel, schema } from "./BaseModel";

/** A password-reset token: only its SHA-256 is stored; single use, expiring. */
export class PasswordReset extends BaseModel {
  static override tableName = "password_resets";
  static override timestamps = { createdAt: true, updatedAt: false };

  id!: number;
  userId!: number;
  tokenHash!: string;
  expiresAt!: string;
  usedAt!: string | null;

  static override jsonSchema: JSONSchema = {
    type: "object",
    required: ["userId", "tokenHash", "expiresAt"],
    properties: {
      id: schema.id,
      userId: schema.id,
      tokenHash: { type: "string", pattern: "^[0-9a-f]{64}$" },
      expiresAt: schema.timestamp,
      usedAt: schema.optionalTimestamp,
      createdAt: schema.timestamp,
    },
  };
}
