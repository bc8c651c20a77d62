/**
 * The one rule for comparing and ordering text alike on SQLite and MySQL: no
 * case, no accents, single spaces. Their collations differ (MySQL's ignore
 * case and accents, SQLite compares code points), so whatever must give one
 * answer on both compares this key instead: genres are grouped by it, and
 * books are ordered by their title's key (`books.title_sort`, stored in a
 * binary collation on MySQL so both engines order it by code point).
 * docs/decisions/043-genres-matched-in-code.md.
 */
export function sortKey(text: string, maxLength = 255): string {
  return text
    .normalize("NFKD")
    .replace(/\p{M}/gu, "")
    .toLowerCase()
    .replace(/\s+/g, " ")
    .trim()
    .slice(0, maxLength);
}
