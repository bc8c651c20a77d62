import type { JSONSchema } from "objection";
import { BaseModel, schema } from "./BaseModel";

/** One admin change: who, when, what, and the entity before → after (JSON). */
export class AuditEvent extends BaseModel {
  static override tableName = "audit_events";
  static override timestamps = { createdAt: true, updatedAt: false };

  id!: number;
  userId!: number | null;
  /** Kept as text: the trail still says who after the account is gone. */
  actorEmail!: string;
  action!: string;
  entityType!: string;
  entityId!: number | null;
  before!: string | null;
  after!: string | null;

  static override jsonSchema: JSONSchema = {
    type: "object",
    required: ["actorEmail", "action", "entityType"],
    properties: {
      id: schema.id,
      userId: schema.optionalId,
      actorEmail: schema.text(254),
      action: { type: "string", pattern: "^[a-z_]+\\.[a-z_]+$", maxLength: 64 },
      entityType: schema.text(32),
      entityId: schema.optionalId,
      before: { type: ["string", "null"], maxLength: 65535 },
      after: { type: ["string", "null"], maxLength: 65535 },
      createdAt: schema.timestamp,
    },
  };
}
