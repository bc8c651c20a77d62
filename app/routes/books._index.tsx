import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { useLoaderData, useNavigation } from "@remix-run/react";
import { z } from "zod";
import { BookGrid } from "~/components/book-card";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { Pagination } from "~/components/pagination";
import { MAX_QUERY_LENGTH, SORT_LABELS, SORTS } from "~/lib/catalog-options";
import { listBooks, listGenres } from "~/services/catalog.server";

/**
 * Shoppers (and bots) send all sorts of things in the query string. Anything
 * unusable falls back to a sane default; only an absurdly long search is
 * refused, with a 400 that says why.
 */
const searchParamsSchema = z.object({
  q: z.string().transform(printable).optional().catch(undefined),
  genre: z.string().transform(printable).pipe(z.string().max(64)).optional().catch(undefined),
  sort: z.enum(SORTS).optional().catch(undefined),
  // Any page past the last shows the last, so 1e9 and 100000 mean the same;
  // the cap only keeps the offset a sane number.
  page: z.coerce
    .number()
    .catch(1)
    .transform((page) => (page >= 1 ? Math.min(Math.floor(page), MAX_PAGE) : 1)),
});
const MAX_PAGE = 100_000;

/** Text without control characters (a NUL has no place in a title or a form field), trimmed. */
function printable(text: string): string {
  return text.replace(/\p{Cc}+/gu, " ").trim();
}

export const meta: MetaFunction<typeof loader> = ({ data }) => {
  if (!data) return [{ title: "Books — Bookstore" }];
  const title = data.query.q
    ? `“${data.query.q}” — search — Bookstore`
    : data.query.genre
      ? `${data.query.genre} books — Bookstore`
      : "All books — Bookstore";
  return [{ title }];
};

export async function loader({ request, context }: LoaderFunctionArgs) {
  const url = new URL(request.url);
  const rawQuery = url.searchParams.get("q") ?? "";
  if (rawQuery.length > MAX_QUERY_LENGTH) {
    throw data(
      {
        message: `Searches can be at most ${MAX_QUERY_LENGTH} characters long. Please shorten yours.`,
      },
      { status: 400 },
    );
  }
  const query = searchParamsSchema.parse({
    q: rawQuery || undefined,
    genre: url.searchParams.get("genre") || undefined,
    sort: url.searchParams.get("sort") || undefined,
    page: url.searchParams.get("page") ?? 1,
  });
  const [result, genres] = await Promise.all([
    listBooks(context.db, {
      q: query.q || undefined,
      genre: query.genre,
      sort: query.sort,
      page: query.page,
    }),
    listGenres(context.db),
  ]);
  // The genre as the catalog spells it, whichever case it was asked in.
  return {
    query: { ...query, genre: result.genre ?? query.genre },
    result,
    genres: genres.map((g) => g.genre),
  };
}

export default function Books() {
  const { query, result, genres } = useLoaderData<typeof loader>();
  const navigation = useNavigation();
  const searching = navigation.state === "loading" && navigation.location.pathname === "/books";
  const heading = query.q
    ? `Results for “${query.q}”`
    : query.genre
      ? `${query.genre}`
      : "All books";

  return (
    <>
      <h1>{heading}</h1>
      <form method="get" action="/books" className="filters" aria-label="Search and filter books">
        <div className="field">
          <label htmlFor="filter-q">Search</label>
          <input
            id="filter-q"
            type="search"
            name="q"
            defaultValue={query.q ?? ""}
            maxLength={MAX_QUERY_LENGTH}
          />
        </div>
        <div className="field">
          <label htmlFor="filter-genre">Genre</label>
          <select id="filter-genre" name="genre" defaultValue={query.genre ?? ""}>
            <option value="">All genres</option>
            {genres.map((genre) => (
              <option key={genre} value={genre}>
                {genre}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="filter-sort">Sort by</label>
          <select id="filter-sort" name="sort" defaultValue={result.sort}>
            {SORTS.filter((sort) => sort !== "relevance" || query.q).map((sort) => (
              <option key={sort} value={sort}>
                {SORT_LABELS[sort]}
              </option>
            ))}
          </select>
        </div>
        <button type="submit">{searching ? "Searching…" : "Apply"}</button>
      </form>

      <div
        aria-live="polite"
        aria-busy={searching}
        className={searching ? "results results--pending" : "results"}
      >
        <p className="result-count">
          {result.nothingToSearch
            ? "There is nothing to search for: a search needs letters or digits."
            : result.total === 0
              ? "No books match."
              : `${result.total} ${result.total === 1 ? "book" : "books"} · page ${result.page} of ${result.pageCount}`}
        </p>
        {result.total === 0 ? (
          <p>
            Try fewer or different words, or <a href="/books">browse all books</a>.
          </p>
        ) : (
          <BookGrid books={result.books} />
        )}
      </div>
      <Pagination
        page={result.page}
        pageCount={result.pageCount}
        params={{ q: query.q, genre: query.genre, sort: query.sort }}
      />
    </>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
