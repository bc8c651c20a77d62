/**
 * The catalog as shoppers see it: what is on sale (never archived books),
 * searchable, filterable by genre, sortable and paginated.
 *
 * Reads return plain rows straight from knex: these are the hottest queries
 * in the shop, and Objection's model instances add nothing to read-only data.
 * How many books each genre has is cached for a few seconds per instance:
 * it costs a scan of the catalog, every page shows it, and it also gives the
 * total for unfiltered listings without a count query.
 */
import type { Knex } from "knex";
import { PAGE_SIZE, type Sort } from "~/lib/catalog-options";
import type { Db } from "~/lib/db.server";
import { applySearch, planSearch } from "~/lib/search.server";
import { cached, forget } from "~/lib/ttl-cache.server";

export interface BookSummary {
  id: number;
  title: string;
  author: string;
  genre: string;
  publishedYear: number;
  priceCents: number;
  stock: number;
  coverPath: string | null;
}

export interface BookDetails extends BookSummary {
  isbn: string;
  description: string;
}

export interface CatalogQuery {
  q?: string;
  genre?: string;
  sort?: Sort;
  page?: number;
}

export interface CatalogPage {
  books: BookSummary[];
  total: number;
  page: number;
  pageCount: number;
  sort: Sort;
}

const SUMMARY_COLUMNS = [
  "books.id",
  "books.title",
  "books.author",
  "books.genre",
  "books.publishedYear",
  "books.priceCents",
  "books.stock",
  "books.coverPath",
] as const;

/** How long genre counts (and so unfiltered totals) may lag behind the database. */
export const CATALOG_CACHE_TTL_MS = 15_000;

export async function listBooks(db: Db, query: CatalogQuery): Promise<CatalogPage> {
  const base = db("books").whereNull("books.archivedAt");
  if (query.genre) base.where("books.genre", query.genre);

  const plan = query.q ? planSearch(query.q) : null;
  const search = plan ? applySearch(db, base, plan) : {};
  // "Relevance" only means something for a search; otherwise fall back to titles.
  const sort: Sort = query.sort ?? (plan ? "relevance" : "title");

  const pageOf = (page: number) => {
    const rows = base.clone().select(...SUMMARY_COLUMNS);
    // A search counts its matches in the same pass (a window over the full result),
    // instead of evaluating the full-text match twice.
    if (plan) rows.select(db.raw("COUNT(*) OVER () AS ??", ["matches"]));
    orderBy(rows, sort, search.orderByRelevance);
    return rows.limit(PAGE_SIZE).offset((page - 1) * PAGE_SIZE) as Promise<
      Array<BookSummary & { matches?: number | string }>
    >;
  };

  let page = Math.max(1, query.page ?? 1);
  let total: number;
  let rows: Array<BookSummary & { matches?: number | string }>;
  if (plan) {
    rows = await pageOf(page);
    total = rows.length > 0 ? Number(rows[0].matches) : page === 1 ? 0 : await countRows(base);
    const last = Math.max(1, Math.ceil(total / PAGE_SIZE));
    // Past the end: show the last page rather than an empty one.
    if (page > last) rows = await pageOf((page = last));
  } else {
    total = await unfilteredTotal(db, query.genre);
    page = Math.min(page, Math.max(1, Math.ceil(total / PAGE_SIZE)));
    rows = await pageOf(page);
  }
  const pageCount = Math.max(1, Math.ceil(total / PAGE_SIZE));
  return { books: rows.map(toSummary), total, page, pageCount, sort };
}

function orderBy(
  rows: Knex.QueryBuilder,
  sort: Sort,
  byRelevance: ((query: Knex.QueryBuilder) => void) | undefined,
): void {
  switch (sort) {
    case "relevance":
      byRelevance?.(rows);
      rows.orderBy("books.title");
      break;
    case "title":
      rows.orderBy("books.title");
      break;
    case "price-asc":
      rows.orderBy("books.priceCents", "asc");
      break;
    case "price-desc":
      rows.orderBy("books.priceCents", "desc");
      break;
    case "newest":
      rows.orderBy("books.publishedYear", "desc");
      break;
  }
  // A total order, so pages never overlap or skip a book.
  rows.orderBy("books.id");
}

async function countRows(query: Knex.QueryBuilder): Promise<number> {
  const row = (await query.clone().clearSelect().count({ count: "*" }).first()) as
    { count: number | string } | undefined;
  return Number(row?.count ?? 0);
}

async function unfilteredTotal(db: Db, genre: string | undefined): Promise<number> {
  const genres = await listGenres(db);
  if (genre) return genres.find((g) => g.genre === genre)?.count ?? 0;
  return genres.reduce((sum, g) => sum + g.count, 0);
}

/** Most recently added books, for the home page. */
export async function newArrivals(db: Db, limit = 8): Promise<BookSummary[]> {
  const rows = (await db("books")
    .select(...SUMMARY_COLUMNS)
    .whereNull("books.archivedAt")
    .orderBy("books.createdAt", "desc")
    .orderBy("books.id", "desc")
    .limit(limit)) as BookSummary[];
  return rows.map(toSummary);
}

/** Genres on sale with how many books each has, cached briefly (see the top of this file). */
export function listGenres(db: Db): Promise<Array<{ genre: string; count: number }>> {
  return cached(db, "genres", CATALOG_CACHE_TTL_MS, async () => {
    const rows = (await db("books")
      .select("genre")
      .count({ count: "*" })
      .whereNull("archivedAt")
      .groupBy("genre")
      .orderBy("genre")) as Array<{ genre: string; count: number | string }>;
    return rows.map((row) => ({ genre: row.genre, count: Number(row.count) }));
  });
}

/** Call after changing books, so this instance shows the change at once. */
export function forgetCatalogCaches(db: Db): void {
  forget(db);
}

/** A book that is on sale, or null (unknown and archived books look the same to shoppers). */
export async function findBook(db: Db, id: number): Promise<BookDetails | null> {
  const book = (await db("books")
    .select(...SUMMARY_COLUMNS, "books.isbn", "books.description")
    .where("books.id", id)
    .whereNull("books.archivedAt")
    .first()) as (BookSummary & { isbn: string; description: string }) | undefined;
  if (!book) return null;
  return { ...toSummary(book), isbn: book.isbn, description: book.description };
}

/** Title and author for the generated cover of any book, archived or not (old orders link to it). */
export async function findCoverInfo(
  db: Db,
  id: number,
): Promise<{ title: string; author: string; coverPath: string | null } | null> {
  const book = (await db("books")
    .select("title", "author", "coverPath")
    .where("id", id)
    .first()) as { title: string; author: string; coverPath: string | null } | undefined;
  return book ?? null;
}

function toSummary(book: BookSummary): BookSummary {
  return {
    id: book.id,
    title: book.title,
    author: book.author,
    genre: book.genre,
    publishedYear: book.publishedYear,
    priceCents: book.priceCents,
    stock: book.stock,
    coverPath: book.coverPath,
  };
}
