/**
 * Demo data for a newcomer's first `npm start` and for tests: the catalog of
 * real public-domain books and the four delivery providers of the original shop.
 * Idempotent: books are keyed by ISBN and providers by name, so running the seed
 * twice changes nothing.
 */
import { sqlTimestamp, type Db } from "../../app/lib/db.server";
import { Book } from "../../app/models/Book";
import { DeliveryProvider } from "../../app/models/DeliveryProvider";
import { demoBooks } from "./catalog-data";
import { sortKey } from "../../app/lib/sort-key";

export const deliveryProviders = [
  { name: "DHL", coverageArea: "International: 220 countries and territories", costCents: 2490 },
  {
    name: "FedEx",
    coverageArea: "International: Americas, Europe and Asia-Pacific",
    costCents: 2190,
  },
  { name: "Envía", coverageArea: "Colombia: national, all departments", costCents: 890 },
  { name: "Servientrega", coverageArea: "Colombia and Ecuador: cities and towns", costCents: 750 },
] as const;

/**
 * A syntactically valid ISBN-13 for the n-th demo book. Public-domain works have
 * no single ISBN; these are made up, in a range reserved here for demo data.
 */
export function demoIsbn(n: number): string {
  return isbn13("9799", n);
}

/** An ISBN-13: a 4-digit prefix, `n` as 8 digits, and the check digit. */
export function isbn13(prefix: string, n: number): string {
  const body = `${prefix}${String(n).padStart(8, "0")}`;
  const sum = [...body].reduce((acc, digit, i) => acc + Number(digit) * (i % 2 === 0 ? 1 : 3), 0);
  return body + String((10 - (sum % 10)) % 10);
}

export interface SeedResult {
  booksAdded: number;
  providersAdded: number;
}

export async function seedDemoData(db: Db, now: Date = new Date()): Promise<SeedResult> {
  return db.transaction(async (trx) => {
    const existingIsbns = new Set(
      (await trx("books").select("isbn")).map((row: { isbn: string }) => row.isbn),
    );
    // Stagger the dates so "new arrivals" shows the last books of the list first.
    const rows = demoBooks
      .map((book, index) => ({
        isbn: demoIsbn(index + 1),
        title: book.title,
        titleSort: sortKey(book.title),
        author: book.author,
        description: book.description,
        genre: book.genre,
        publishedYear: book.publishedYear,
        priceCents: book.priceCents,
        stock: book.stock,
        createdAt: sqlTimestamp(new Date(now.getTime() - (demoBooks.length - index) * 3_600_000)),
        updatedAt: sqlTimestamp(now),
      }))
      .filter((row) => !existingIsbns.has(row.isbn));
    // The models' JSON schemas hold the catalog's invariants: bad demo data fails here, loudly.
    rows.forEach((row) => Book.fromJson(row));
    for (let i = 0; i < rows.length; i += 100) {
      await trx("books").insert(rows.slice(i, i + 100));
    }

    const existingProviders = new Set(
      (await trx("deliveryProviders").select("name")).map((row: { name: string }) => row.name),
    );
    const providers = deliveryProviders
      .filter((provider) => !existingProviders.has(provider.name))
      .map((provider) => ({ ...provider, active: true }));
    providers.forEach((provider) => DeliveryProvider.fromJson(provider));
    if (providers.length > 0) await trx("deliveryProviders").insert(providers);

    return { booksAdded: rows.length, providersAdded: providers.length };
  });
}

export async function isCatalogEmpty(db: Db): Promise<boolean> {
  const row = (await db("books").count({ count: "*" }).first()) as { count: number | string };
  return Number(row.count) === 0;
}
