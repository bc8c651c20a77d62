import { Model } from "objection";

export class Book extends Model {
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
  createdAt!: string;
  updatedAt!: string;

  static override jsonSchema = {
    type: "object",
    required: ["isbn", "title", "author", "description", "genre", "publishedYear", "priceCents"],
    properties: {
      id: { type: "integer" },
      isbn: { type: "string", pattern: "^(97[89])?\\d{9}[\\dX]$" },
      title: { type: "string", minLength: 1, maxLength: 255 },
      author: { type: "string", minLength: 1, maxLength: 255 },
      description: { type: "string", maxLength: 5000 },
      genre: { type: "string", minLength: 1, maxLength: 64 },
      publishedYear: { type: "integer", minimum: 1, maximum: 9999 },
      priceCents: { type: "integer", minimum: 0 },
      stock: { type: "integer", minimum: 0 },
      coverPath: { type: ["string", "null"], maxLength: 255 },
    },
  };
}
