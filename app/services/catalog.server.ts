/**
 * The catalog as shoppers see it: what is on sale (never archived books),
 * searchable, filterable by genre, sortable and paginated.
 */
import type { Knex } from "knex";
import type { Db } from "~/lib/db.server";
import { applySearch, planSearch } from "~/lib/search.server";
import { Book } from "~/models/Book";
import { PAGE_SIZE, type Sort } from "~/lib/catalog-options";

export { PAGE_SIZE };

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

export async function listBooks(db: Db, query: CatalogQuery): Promise<CatalogPage> {
  const base = Book.query(db).whereNull("books.archivedAt");
  if (query.genre) base.where("books.genre", query.genre);

  const plan = query.q ? planSearch(query.q) : null;
  const search = plan ? applySearch(db, base as unknown as Knex.QueryBuilder, plan) : {};
  // "Relevance" only means something for a search; otherwise fall back to titles.
  const sort: Sort = query.sort ?? (plan ? "relevance" : "title");

  const countRow = (await base.clone().clearSelect().count({ count: "*" }).first()) as unknown as
    { count: number | string } | undefined;
  const total = Number(countRow?.count ?? 0);
  const pageCount = Math.max(1, Math.ceil(total / PAGE_SIZE));
  const page = Math.min(Math.max(1, query.page ?? 1), pageCount);

  const rows = base.select(...SUMMARY_COLUMNS);
  switch (sort) {
    case "relevance":
      if (search.orderByRelevance) search.orderByRelevance(rows as unknown as Knex.QueryBuilder);
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
  rows
    .orderBy("books.id")
    .limit(PAGE_SIZE)
    .offset((page - 1) * PAGE_SIZE);

  const books = (await rows).map(toSummary);
  return { books, total, page, pageCount, sort };
}

/** Most recently added books, for the home page. */
export async function newArrivals(db: Db, limit = 8): Promise<BookSummary[]> {
  const rows = await Book.query(db)
    .select(...SUMMARY_COLUMNS)
    .whereNull("archivedAt")
    .orderBy("createdAt", "desc")
    .orderBy("id", "desc")
    .limit(limit);
  return rows.map(toSummary);
}

export async function listGenres(db: Db): Promise<Array<{ genre: string; count: number }>> {
  const rows = (await db("books")
    .select("genre")
    .count({ count: "*" })
    .whereNull("archivedAt")
    .groupBy("genre")
    .orderBy("genre")) as Array<{ genre: string; count: number | string }>;
  return rows.map((row) => ({ genre: row.genre, count: Number(row.count) }));
}

/** A book that is on sale, or null (unknown and archived books look the same to shoppers). */
export async function findBook(db: Db, id: number): Promise<BookDetails | null> {
  const book = await Book.query(db).findById(id).whereNull("archivedAt");
  if (!book) return null;
  return { ...toSummary(book), isbn: book.isbn, description: book.description };
}

/** Title and author for the generated cover of any book, archived or not (old orders link to it). */
export async function findCoverInfo(
  db: Db,
  id: number,
): Promise<{ title: string; author: string; coverPath: string | null } | null> {
  const book = await Book.query(db).findById(id).select("title", "author", "coverPath");
  return book ? { title: book.title, author: book.author, coverPath: book.coverPath } : null;
}

function toSummary(book: Book): BookSummary {
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
