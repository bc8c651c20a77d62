/**
 * Full-text search, behind one small adapter so the rest of the code does not
 * care which engine answers: MySQL FULLTEXT in boolean mode with prefix
 * matching, or SQLite FTS5. Both are fed the same plan, made from the user's
 * text here, so the two engines find the same books.
 *
 * Full-text indexes ignore some words: InnoDB skips tokens shorter than
 * innodb_ft_min_token_size (3) and its stop words. A search for "Oz" or "We"
 * must still find books, so such words become prefix matches on title and
 * author instead (LIKE), and stop words are dropped when the query has other
 * words to go on.
 */
import type { Knex } from "knex";
import { dialectOf, type Db } from "./db.server";

/** InnoDB's default stop word list (information_schema.INNODB_FT_DEFAULT_STOPWORD). */
const STOP_WORDS = new Set(
  (
    "a about an are as at be by com de en for from how i in is it la of on or that the this to " +
    "was what when where who will with und www"
  ).split(" "),
);
const MIN_INDEXED_LENGTH = 3;
const MAX_TERMS = 8;
const MAX_TERM_LENGTH = 40;

export interface SearchPlan {
  /** Words the full-text index knows: each must match, as a prefix. */
  fullText: string[];
  /** Words it cannot see: each must start a word of the title or the author. */
  prefixLike: string[];
}

export function planSearch(text: string): SearchPlan | null {
  const words = (
    text
      .normalize("NFKC")
      .toLowerCase()
      // Letters and digits, joined by underscores: InnoDB's parser and our FTS5
      // table (tokenchars '_') both keep "snake_case" as one word.
      .match(/[\p{L}\p{N}]+(?:_+[\p{L}\p{N}]+)*/gu) ?? []
  )
    .map((word) => word.slice(0, MAX_TERM_LENGTH))
    .filter((word, index, all) => all.indexOf(word) === index)
    .slice(0, MAX_TERMS);
  if (words.length === 0) return null;

  const meaningful = words.filter((word) => !STOP_WORDS.has(word));
  // A query made only of stop words ("it", "we", "the who") still means something.
  const kept = meaningful.length > 0 ? meaningful : words;
  const indexable = (word: string) => word.length >= MIN_INDEXED_LENGTH && !STOP_WORDS.has(word);
  return {
    fullText: kept.filter(indexable),
    prefixLike: kept.filter((word) => !indexable(word)),
  };
}

/**
 * Restricts `query` (over the books table) to the plan's matches and returns
 * the SQL expression to order by for relevance (best first), if there is one.
 */
export function applySearch(
  db: Db,
  query: Knex.QueryBuilder,
  plan: SearchPlan,
): { orderByRelevance?: (query: Knex.QueryBuilder) => void } {
  for (const word of plan.prefixLike) {
    query.where((w) => {
      for (const column of ["books.title", "books.author"]) {
        w.orWhere(column, "like", `${word}%`).orWhere(column, "like", `% ${word}%`);
      }
    });
  }
  if (plan.fullText.length === 0) return {};

  if (dialectOf(db) === "mysql") {
    const against = plan.fullText.map((word) => `+${word}*`).join(" ");
    const match = "MATCH(books.title, books.author, books.description) AGAINST (? IN BOOLEAN MODE)";
    query.whereRaw(match, [against]);
    // A hit in the title counts several times one anywhere else.
    const titleMatch = "MATCH(books.title) AGAINST (? IN BOOLEAN MODE)";
    return {
      orderByRelevance: (q) =>
        q.orderByRaw(`4 * ${titleMatch} + ${match} DESC`, [against, against]),
    };
  }

  const ftsQuery = plan.fullText.map((word) => `"${word}"*`).join(" ");
  // bm25 weights: a hit in the title counts most, then the author, then the description.
  query.join(
    db.raw(
      "(SELECT rowid AS book_id, bm25(books_fts, 10.0, 6.0, 1.0) AS rank FROM books_fts WHERE books_fts MATCH ?) AS fts",
      [ftsQuery],
    ),
    "fts.book_id",
    "books.id",
  );
  return { orderByRelevance: (q) => q.orderBy("fts.rank", "asc") };
}
