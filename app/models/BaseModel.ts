import { Model, type JSONSchema } from "objection";
import { sqlTimestamp } from "~/lib/db.server";

/**
 * What every table written through Objection shares: timestamps written by
 * the code in the one format both engines store and sort alike (see
 * `sqlTimestamp`), and validation against the model's `jsonSchema` on every
 * insert and patch (Objection's default, which we rely on).
 */
export abstract class BaseModel extends Model {
  /** Which timestamp columns the table has; tables without `updated_at` override this. */
  static timestamps: { createdAt: boolean; updatedAt: boolean } = {
    createdAt: true,
    updatedAt: true,
  };

  declare createdAt?: string;
  declare updatedAt?: string;

  override $beforeInsert(): void {
    const { timestamps } = this.constructor as typeof BaseModel;
    const now = sqlTimestamp();
    if (timestamps.createdAt) this.createdAt ??= now;
    if (timestamps.updatedAt) this.updatedAt = now;
  }

  override $beforeUpdate(): void {
    const { timestamps } = this.constructor as typeof BaseModel;
    if (timestamps.updatedAt) this.updatedAt = sqlTimestamp();
  }
}

/** JSON-schema pieces the models share. */
const TIMESTAMP = "^\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2}$";

export const schema = {
  id: { type: "integer", minimum: 1 } as JSONSchema,
  optionalId: { type: ["integer", "null"], minimum: 1 } as JSONSchema,
  cents: { type: "integer", minimum: 0, maximum: 2_000_000_000 } as JSONSchema,
  timestamp: { type: "string", pattern: TIMESTAMP } as JSONSchema,
  optionalTimestamp: { type: ["string", "null"], pattern: TIMESTAMP } as JSONSchema,
  text: (maxLength: number, minLength = 1): JSONSchema => ({
    type: "string",
    minLength,
    maxLength,
  }),
  optionalText: (maxLength: number): JSONSchema => ({ type: ["string", "null"], maxLength }),
  oneOf: (values: readonly string[]): JSONSchema => ({ type: "string", enum: [...values] }),
};
