import type { JSONSchema } from "objection";
import { sortKey } from "~/lib/sort-key";
import { BaseModel, schema } from "./BaseModel";

export class Book extends BaseModel {
  static override tableName = "books";

  id!: number;
  isbn!: string;
  title!: string;
  /** Written from the title on every insert and title change (app/lib/sort-key.ts). */
  titleSort!: string;
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
      titleSort: { type: "string", maxLength: 255 },
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

  override $beforeInsert(): void {
    super.$beforeInsert();
    this.titleSort = sortKey(this.title);
  }

  override $beforeUpdate(): void {
    super.$beforeUpdate();
    if (this.title !== undefined) this.titleSort = sortKey(this.title);
  }
}
