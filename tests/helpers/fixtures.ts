import type { Db } from "../../app/lib/db.server";

let counter = 0;

/** Inserts a book with sensible defaults; ISBNs from a range the demo seed never uses. */
export async function insertBook(
  db: Db,
  overrides: Partial<{
    title: string;
    author: string;
    description: string;
    genre: string;
    publishedYear: number;
    priceCents: number;
    stock: number;
    archivedAt: string | null;
    coverPath: string | null;
  }> = {},
): Promise<number> {
  counter += 1;
  const isbn = `97800${String(process.pid % 1000).padStart(3, "0")}${String(counter).padStart(5, "0")}`;
  const [id] = await db("books").insert({
    isbn,
    title: "Untitled Fixture",
    author: "Anonymous Fixture",
    description: "A book made for a test.",
    genre: "Fiction",
    publishedYear: 1900,
    priceCents: 999,
    stock: 10,
    ...overrides,
  });
  return Number(id);
}
