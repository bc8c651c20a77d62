import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData, useLocation } from "@remix-run/react";
import { z } from "zod";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { Pagination } from "~/components/pagination";
import { requireAdmin } from "~/lib/auth.server";
import { formatCents } from "~/lib/money";
import { INVENTORY_SORTS, LOW_STOCK_THRESHOLD } from "~/lib/inventory-options";
import { inventoryGenres, listInventory } from "~/services/books.server";

export const meta: MetaFunction = () => [{ title: "Books — Admin — Bookstore" }];

// Whatever the query string says, the page falls back to sane defaults.
const querySchema = z.object({
  q: z.string().trim().max(200).optional().catch(undefined),
  genre: z.string().trim().max(64).optional().catch(undefined),
  low: z.literal("1").optional().catch(undefined),
  threshold: z.coerce.number().int().min(0).max(1_000_000).catch(LOW_STOCK_THRESHOLD),
  archived: z.enum(["active", "archived", "all"]).catch("active"),
  sort: z.enum(INVENTORY_SORTS).catch("title"),
  dir: z.enum(["asc", "desc"]).catch("asc"),
  page: z.coerce.number().int().min(1).max(100_000).catch(1),
});

export async function loader(args: LoaderFunctionArgs) {
  await requireAdmin(args);
  const params = new URL(args.request.url).searchParams;
  const query = querySchema.parse({
    q: params.get("q") || undefined,
    genre: params.get("genre") || undefined,
    low: params.get("low") || undefined,
    threshold: params.get("threshold") ?? LOW_STOCK_THRESHOLD,
    archived: params.get("archived") ?? "active",
    sort: params.get("sort") ?? "title",
    dir: params.get("dir") ?? "asc",
    page: params.get("page") ?? 1,
  });
  const [result, genres] = await Promise.all([
    listInventory(args.context.db, {
      q: query.q,
      genre: query.genre,
      lowStock: query.low === "1",
      threshold: query.threshold,
      archived: query.archived,
      sort: query.sort,
      direction: query.dir,
      page: query.page,
    }),
    inventoryGenres(args.context.db),
  ]);
  const notice = params.get("notice");
  return { query, result, genres, notice: notice && notice.length < 200 ? notice : null };
}

const SORT_LABELS: Record<(typeof INVENTORY_SORTS)[number], string> = {
  title: "Title",
  author: "Author",
  stock: "Stock",
  price: "Price",
  updated: "Last changed",
  isbn: "ISBN",
};

export default function AdminBooks() {
  const { query, result, genres, notice } = useLoaderData<typeof loader>();
  const location = useLocation();
  const sortHref = (sort: string) => {
    const params = new URLSearchParams(location.search);
    const same = query.sort === sort;
    params.set("sort", sort);
    params.set("dir", same && query.dir === "asc" ? "desc" : "asc");
    params.delete("page");
    return `/admin/books?${params}`;
  };
  const ariaSort = (sort: string) =>
    query.sort === sort ? (query.dir === "asc" ? "ascending" : "descending") : undefined;

  return (
    <section aria-labelledby="books-title">
      <div className="section-heading">
        <h1 id="books-title">Books</h1>
        <p className="actions">
          <a href="/admin/books/new" className="button button--primary">
            Add a book
          </a>{" "}
          <a href="/admin/books/import" className="button">
            Import CSV
          </a>{" "}
          <a href="/admin/books/export.csv" className="button">
            Export CSV
          </a>
        </p>
      </div>
      {notice ? (
        <p className="notice" role="status">
          {notice}
        </p>
      ) : null}
      <form method="get" action="/admin/books" className="filters" aria-label="Filter books">
        <div className="field">
          <label htmlFor="inventory-q">Search</label>
          <input
            id="inventory-q"
            type="search"
            name="q"
            defaultValue={query.q ?? ""}
            maxLength={200}
          />
        </div>
        <div className="field">
          <label htmlFor="inventory-genre">Genre</label>
          <select id="inventory-genre" name="genre" defaultValue={query.genre ?? ""}>
            <option value="">All genres</option>
            {genres.map((genre) => (
              <option key={genre} value={genre}>
                {genre}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="inventory-archived">Show</label>
          <select id="inventory-archived" name="archived" defaultValue={query.archived}>
            <option value="active">On sale</option>
            <option value="archived">Archived</option>
            <option value="all">All</option>
          </select>
        </div>
        <div className="field field--inline">
          <input
            id="inventory-low"
            type="checkbox"
            name="low"
            value="1"
            defaultChecked={query.low === "1"}
          />
          <label htmlFor="inventory-low">Low stock only (at most</label>
          <label htmlFor="inventory-threshold" className="visually-hidden">
            Low-stock threshold
          </label>
          <input
            id="inventory-threshold"
            type="number"
            name="threshold"
            min={0}
            defaultValue={query.threshold}
            className="input--short"
          />
          <span>)</span>
        </div>
        <button type="submit">Apply</button>
      </form>
      <p className="result-count">
        {result.total} {result.total === 1 ? "book" : "books"} · page {result.page} of{" "}
        {result.pageCount}
      </p>
      <table className="admin-table">
        <caption className="visually-hidden">Inventory</caption>
        <thead>
          <tr>
            {(["title", "author", "isbn", "price", "stock", "updated"] as const).map((sort) => (
              <th key={sort} scope="col" aria-sort={ariaSort(sort)}>
                <a href={sortHref(sort)}>{SORT_LABELS[sort]}</a>
              </th>
            ))}
            <th scope="col">Status</th>
          </tr>
        </thead>
        <tbody>
          {result.books.map((book) => (
            <tr key={book.id}>
              <th scope="row">
                <a href={`/admin/books/${book.id}`}>{book.title}</a>
              </th>
              <td>{book.author}</td>
              <td>{book.isbn}</td>
              <td>{formatCents(book.priceCents)}</td>
              <td className={book.stock <= query.threshold ? "stock--low" : undefined}>
                {book.stock}
              </td>
              <td>{book.updatedAt}</td>
              <td>{book.archivedAt ? "Archived" : "On sale"}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <Pagination page={result.page} pageCount={result.pageCount} />
    </section>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
