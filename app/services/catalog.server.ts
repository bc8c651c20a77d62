/**
 * The catalog as shoppers see it: what is on sale (never archived books),
 * searchable, filterable by genre, sortable and paginated.
 *
 * Reads return plain rows straight from knex: these are the hottest queries
 * in the shop, and Objection's model instances add nothing to read-only data.
 * How many books each genre has is cached for a few seconds per instance:
 * it costs a scan of the catalog, every page shows it, and it also gives the
 * total for unfiltered listings without a count query.
 *
 * Both engines must give one answer to every query. Text comparisons are where
 * they differ: MySQL's collation ignores case and accents, SQLite compares
 * bytes. So genres are matched here, in code, the same way for both: a genre
 * asked for in any case finds the catalog's genre, and spellings that differ
 * only in case or accents are one genre, named by its most common spelling.
 */
import type { Knex } from "knex";
import { PAGE_SIZE, type Sort } from "~/lib/catalog-options";
import { dialectOf, type Db } from "~/lib/db.server";
import { sortKey } from "~/lib/sort-key";
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
  /** The genre asked for, as the catalog spells it; absent if it has no such genre. */
  genre?: string;
  /** The search text had no letters or digits, so nothing was searched for. */
  nothingToSearch?: boolean;
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
  const plan = query.q ? planSearch(query.q) : null;
  // "Relevance" only means something for a search; otherwise fall back to titles.
  const sort: Sort = query.sort ?? (plan ? "relevance" : "title");
  const genre = query.genre ? await findGenre(db, query.genre) : undefined;
  // A genre the catalog does not have, or a search for no words at all ("!!!"),
  // matches no book: answered without asking the database.
  if ((query.genre && !genre) || (query.q && !plan)) {
    const nothingToSearch = Boolean(query.q && !plan);
    return {
      books: [],
      total: 0,
      page: 1,
      pageCount: 1,
      sort,
      genre: genre?.genre,
      nothingToSearch,
    };
  }

  const base = db("books").whereNull("books.archivedAt");
  if (genre) base.whereIn("books.genre", genre.spellings);
  const search = plan ? applySearch(db, base, plan) : {};

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
    total = genre ? genre.count : (await listGenres(db)).reduce((sum, g) => sum + g.count, 0);
    page = Math.min(page, Math.max(1, Math.ceil(total / PAGE_SIZE)));
    rows = await pageOf(page);
  }
  const pageCount = Math.max(1, Math.ceil(total / PAGE_SIZE));
  return { books: rows.map(toSummary), total, page, pageCount, sort, genre: genre?.genre };
}

function orderBy(
  rows: Knex.QueryBuilder,
  sort: Sort,
  byRelevance: ((query: Knex.QueryBuilder) => void) | undefined,
): void {
  switch (sort) {
    case "relevance":
      byRelevance?.(rows);
      rows.orderBy("books.titleSort");
      break;
    case "title":
      // The title's sort key, not the title: the same order on both engines.
      rows.orderBy("books.titleSort");
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
export async function listGenres(db: Db): Promise<Array<{ genre: string; count: number }>> {
  return (await genreGroups(db)).map(({ genre, count }) => ({ genre, count }));
}

interface GenreGroup {
  /** How the catalog names it: its most common spelling. */
  genre: string;
  count: number;
  /** Every spelling of it in the books table, to match them all on either engine. */
  spellings: string[];
  key: string;
}

async function findGenre(db: Db, genre: string): Promise<GenreGroup | undefined> {
  // Spellings of one genre share a sort key (no case, no accents, single spaces): at least as
  // forgiving as MySQL's collations, so whatever MySQL would match is among a group's spellings.
  const key = sortKey(genre);
  return (await genreGroups(db)).find((group) => group.key === key);
}

function genreGroups(db: Db): Promise<GenreGroup[]> {
  return cached(db, "genres", CATALOG_CACHE_TTL_MS, async () => {
    // Each spelling on its own, on MySQL too: its collation would fold "fiction"
    // into "Fiction" under either name, and the grouping below must see both.
    const query = db("books")
      .select(db.raw("MIN(??) AS ??", ["genre", "genre"]))
      .count({ count: "*" })
      .whereNull("archivedAt");
    if (dialectOf(db) === "mysql") query.groupByRaw("CAST(?? AS BINARY)", ["genre"]);
    else query.groupBy("genre");
    const rows = (await query) as Array<{ genre: string; count: number | string }>;

    const groups = new Map<string, GenreGroup & { largest: number }>();
    for (const row of rows.sort((a, b) => byCodePoint(a.genre, b.genre))) {
      const count = Number(row.count);
      const key = sortKey(row.genre);
      const group = groups.get(key);
      if (!group) {
        groups.set(key, { genre: row.genre, count, spellings: [row.genre], key, largest: count });
        continue;
      }
      group.count += count;
      group.spellings.push(row.genre);
      if (count > group.largest) Object.assign(group, { genre: row.genre, largest: count });
    }
    return [...groups.values()]
      .sort((a, b) => byCodePoint(a.key, b.key))
      .map(({ genre, count, spellings, key }) => ({ genre, count, spellings, key }));
  });
}

/** The same order on every engine and in every locale. */
function byCodePoint(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
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
