import { useLocation } from "@remix-run/react";

/**
 * Page links that keep the current search, genre and sort. A listing that
 * names its `params` links with those alone, so whatever else the address
 * carried (a tracking tag, a stray `_data` or `index`) is not copied onto
 * every page; without them, the current address's parameters are kept.
 */
export function Pagination({
  page,
  pageCount,
  params,
}: {
  page: number;
  pageCount: number;
  params?: Record<string, string | undefined>;
}) {
  const location = useLocation();
  if (pageCount <= 1) return null;

  const hrefFor = (target: number) => {
    const query = params
      ? new URLSearchParams(
          Object.entries(params).filter((entry): entry is [string, string] => Boolean(entry[1])),
        )
      : new URLSearchParams(location.search);
    query.set("page", String(target));
    return `${location.pathname}?${query}`;
  };
  const pages = pageWindow(page, pageCount);

  return (
    <nav className="pagination" aria-label="Pages">
      <ul>
        <li>
          {page > 1 ? (
            <a href={hrefFor(page - 1)} rel="prev">
              ← Previous
            </a>
          ) : (
            <span aria-disabled="true">← Previous</span>
          )}
        </li>
        {pages.map((target, index) =>
          target === null ? (
            <li key={`gap-${index}`} aria-hidden="true">
              …
            </li>
          ) : (
            <li key={target}>
              {target === page ? (
                <span aria-current="page">{target}</span>
              ) : (
                <a href={hrefFor(target)} aria-label={`Page ${target}`}>
                  {target}
                </a>
              )}
            </li>
          ),
        )}
        <li>
          {page < pageCount ? (
            <a href={hrefFor(page + 1)} rel="next">
              Next →
            </a>
          ) : (
            <span aria-disabled="true">Next →</span>
          )}
        </li>
      </ul>
    </nav>
  );
}

/** 1 … 4 5 [6] 7 8 … 20 */
export function pageWindow(page: number, pageCount: number): Array<number | null> {
  const wanted = new Set([1, pageCount, page - 2, page - 1, page, page + 1, page + 2]);
  const sorted = [...wanted].filter((p) => p >= 1 && p <= pageCount).sort((a, b) => a - b);
  const result: Array<number | null> = [];
  for (const p of sorted) {
    const previous = result[result.length - 1];
    if (typeof previous === "number" && p - previous > 1) result.push(null);
    result.push(p);
  }
  return result;
}
