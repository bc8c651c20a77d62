/**
 * Search at the database layer: `listBooks(db, { q })`, the exact code the
 * /books page runs for a search (the page of 24 and the count query), timed in
 * the bench process before any HTTP load starts, so nothing else competes.
 */
import type { Db } from "../app/lib/db.server";
import { findBook, listBooks, listGenres, newArrivals } from "../app/services/catalog.server";
import { candidateWords, type SeedReport } from "./seed";
import { percentiles, round, type Percentiles } from "./stats";

export const SEARCH_P95_TARGET_MS = 20;

export interface SearchQuery {
  q: string;
  /** Why this query is in the set. */
  kind: string;
  /** Books it matches (the page's total). */
  matches: number;
}

export interface SearchTiming extends SearchQuery {
  runs: number;
  ms: Percentiles;
  pass: boolean;
}

async function matchCount(db: Db, q: string): Promise<number> {
  return (await listBooks(db, { q })).total;
}

/**
 * Words that hit a realistic share of the catalog (about 0.2 %, 1 % and 3 %
 * of it: a narrow, an ordinary and a broad search), an author's surname, a
 * two-word search, and the two paths the full-text index cannot serve: a
 * two-letter word and a query made only of a stop word (both become LIKE
 * prefix matches on title and author, see app/lib/search.server.ts).
 */
export async function chooseSearchQueries(db: Db, seed: SeedReport): Promise<SearchQuery[]> {
  const chosen: SearchQuery[] = [];
  const used = new Set<string>();
  const total = seed.totalBooks;
  for (const [kind, share] of [
    ["narrow (≈0.2%)", 0.002],
    ["ordinary (≈1%)", 0.01],
    ["broad (≈3%)", 0.03],
  ] as const) {
    const target = Math.max(3, total * share);
    let best: SearchQuery | undefined;
    for (const word of candidateWords(seed.documentFrequency, target, used)) {
      const matches = await matchCount(db, word);
      if (
        !best ||
        Math.abs(Math.log(matches / target)) < Math.abs(Math.log(best.matches / target))
      ) {
        best = { q: word, kind, matches };
      }
    }
    if (best) {
      chosen.push(best);
      used.add(best.q);
    }
  }
  // A famous surname from the demo seed: a shopper's typical query (synthetic authors reuse it).
  const surname = "dickens";
  chosen.push({ q: surname, kind: "author surname", matches: await matchCount(db, surname) });
  if (chosen.length >= 3) {
    const q = `${chosen[1].q} ${chosen[2].q}`;
    chosen.push({ q, kind: "two words (both required)", matches: await matchCount(db, q) });
  }
  for (const [q, kind] of [
    ["oz", "two letters (LIKE on title/author)"],
    ["the", "stop word only (LIKE on title/author)"],
  ] as const) {
    chosen.push({ q, kind, matches: await matchCount(db, q) });
  }
  return chosen;
}

/** Times `call` `runs` times after `warmup` runs (or until `maxSeconds` have passed). */
export async function timeCall(
  call: () => Promise<unknown>,
  { runs = 200, warmup = 20, maxSeconds = 20 } = {},
): Promise<Percentiles> {
  for (let i = 0; i < warmup; i++) await call();
  const samples: number[] = [];
  const deadline = performance.now() + maxSeconds * 1000;
  while (samples.length < runs && performance.now() < deadline) {
    const started = performance.now();
    await call();
    samples.push(performance.now() - started);
  }
  const ms = percentiles(samples);
  return {
    count: ms.count,
    mean: round(ms.mean, 3),
    p50: round(ms.p50, 3),
    p95: round(ms.p95, 3),
    p99: round(ms.p99, 3),
    max: round(ms.max, 3),
  };
}

export async function timeSearches(
  db: Db,
  queries: SearchQuery[],
  options: { runs?: number; warmup?: number; maxSeconds?: number } = {},
): Promise<SearchTiming[]> {
  const results: SearchTiming[] = [];
  for (const query of queries) {
    const ms = await timeCall(() => listBooks(db, { q: query.q }), options);
    results.push({ ...query, runs: ms.count, ms, pass: ms.p95 < SEARCH_P95_TARGET_MS });
  }
  return results;
}

export interface LoaderTiming {
  page: string;
  queries: string;
  ms: Percentiles;
}

/**
 * The database work of each page's loader, run as the loader runs it (the
 * same calls, concurrently where the loader uses Promise.all): how much of a
 * page's time is the database's.
 */
export async function timePageLoaders(
  db: Db,
  { searchWord, bookIds }: { searchWord: string; bookIds: number[] },
  options: { runs?: number; warmup?: number; maxSeconds?: number } = {},
): Promise<LoaderTiming[]> {
  let turn = 0;
  const cases: Array<[string, string, () => Promise<unknown>]> = [
    [
      "home",
      "newArrivals(8) + listGenres()",
      () => Promise.all([newArrivals(db, 8), listGenres(db)]),
    ],
    [
      "books",
      "listBooks({}) + listGenres()",
      () => Promise.all([listBooks(db, {}), listGenres(db)]),
    ],
    [
      "search",
      `listBooks({ q: "${searchWord}" }) + listGenres()`,
      () => Promise.all([listBooks(db, { q: searchWord }), listGenres(db)]),
    ],
    ["book", "findBook(id), ids in turn", () => findBook(db, bookIds[turn++ % bookIds.length])],
    ["(part) count", "listBooks({}) alone", () => listBooks(db, {})],
    ["(part) genres", "listGenres() alone", () => listGenres(db)],
  ];
  const results: LoaderTiming[] = [];
  for (const [page, queries, call] of cases) {
    results.push({ page, queries, ms: await timeCall(call, options) });
  }
  return results;
}
