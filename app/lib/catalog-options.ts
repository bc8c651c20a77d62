/**
 * Catalog options shared by the server (queries) and the browser (forms).
 * Not *.server.ts on purpose: the /books page renders these in the client too.
 */
export const PAGE_SIZE = 24;
export const MAX_QUERY_LENGTH = 200;

export const SORTS = ["relevance", "title", "price-asc", "price-desc", "newest"] as const;
export type Sort = (typeof SORTS)[number];

export const SORT_LABELS: Record<Sort, string> = {
  relevance: "Relevance",
  title: "Title (A–Z)",
  "price-asc": "Price: low to high",
  "price-desc": "Price: high to low",
  newest: "Newest first (by year)",
};
