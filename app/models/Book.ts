import type { JSONSchema } from "objection";
import { BaseModel, schema } from "./BaseModel";

export class Book extends BaseModel {
  static override tableName = "books";

  id!: number;
  isbn!: string;
  title!: string;
  author!: string;
  description!: string;
  genre!: string;
  publishedYear!: number;
  priceCents!: number;
  stock!: number;
  coverPath!: string | null;
  archivedAt!: string | null;

  static override jsonSchema: JSONSchema = {
    type: "object",
    required: ["isbn", "title", "author", "description", "genre", "publishedYear", "priceCents"],
    properties: {
      id: schema.id,
      isbn: { type: "string", pattern: "^(97[89])?\\d{9}[\\dX]$" },
      title: { type: "string", minLength: 1, maxLength: 255 },
      author: { type: "string", minLength: 1, maxLength: 255 },
      description: { type: "string", maxLength: 5000 },
      genre: { type: "string", minLength: 1, maxLength: 64 },
      publishedYear: { type: "integer", minimum: 1, maximum: 9999 },
      priceCents: schema.cents,
      stock: { type: "integer", minimum: 0 },
      coverPath: schema.optionalText(255),
      archivedAt: schema.optionalTimestamp,
    },
  };
}
