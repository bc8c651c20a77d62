/**
 * The bench catalog: a fresh, migrated database with the demo seed, topped up
 * to N books with synthetic but plausible ones. Everything here is
 * deterministic (one fixed PRNG seed), so two runs with the same --books bench
 * the same rows and the same search words.
 *
 * Synthetic books recombine the demo catalog: titles from its title words,
 * authors from its first and last names, descriptions from a word-level Markov
 * chain over its descriptions (so word frequencies look like real prose rather
 * than uniform noise), genres, years and prices drawn near real ones.
 */
import { sqlTimestamp, type Db } from "../app/lib/db.server";
import { migrateLatest } from "../db/migrate";
import { demoBooks } from "../db/seeds/catalog-data";
import { isbn13, seedDemoData } from "../db/seeds/demo";
import { mulberry32 } from "./stats";
import { sortKey } from "../app/lib/sort-key";

const SEED = 0x0b00c5;
const BATCH_ROWS = 500;
const BATCHES_PER_TRANSACTION = 10;

/** The InnoDB stop words (see app/lib/search.server.ts) and a few fillers, never used as search words. */
const STOP_WORDS = new Set(
  (
    "a about an are as at be by com de en for from how i in is it la of on or that the this to " +
    "was what when where who will with und www and his her their its into than then they them " +
    "has have had him she but not one all out"
  ).split(" "),
);

/**
 * A valid ISBN-13 for the n-th synthetic book: prefix 9798, which the demo
 * seed (9799…) never uses, so the two sets cannot collide.
 */
export function syntheticIsbn(n: number): string {
  return isbn13("9798", n);
}

export interface BookRow {
  isbn: string;
  title: string;
  titleSort: string;
  author: string;
  description: string;
  genre: string;
  publishedYear: number;
  priceCents: number;
  stock: number;
  createdAt: string;
  updatedAt: string;
}

/** Lower-case words as the full-text indexes see them (letters and digits). */
export function wordsOf(text: string): string[] {
  return text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
}

class Generator {
  private readonly random = mulberry32(SEED);
  private readonly titleWords: string[];
  private readonly firstNames: string[];
  private readonly lastNames: string[];
  private readonly next = new Map<string, string[]>();
  private readonly sentenceStarts: string[] = [];

  constructor() {
    const titleWords = new Set<string>();
    const firstNames = new Set<string>();
    const lastNames = new Set<string>();
    for (const book of demoBooks) {
      for (const word of book.title.split(/\s+/)) {
        const clean = word.replace(/[^\p{L}'-]/gu, "");
        if (clean.length >= 3 && !STOP_WORDS.has(clean.toLowerCase()))
          titleWords.add(capitalize(clean));
      }
      const names = book.author.split(/\s+/).filter((name) => /^\p{L}[\p{L}.'-]*$/u.test(name));
      if (names.length >= 2) {
        firstNames.add(names[0]);
        lastNames.add(names[names.length - 1]);
      }
      const tokens = book.description.split(/\s+/).filter(Boolean);
      tokens.forEach((token, i) => {
        if (i === 0 || /[.!?]$/.test(tokens[i - 1])) this.sentenceStarts.push(token);
        if (i + 1 < tokens.length) {
          const followers = this.next.get(token) ?? [];
          followers.push(tokens[i + 1]);
          this.next.set(token, followers);
        }
      });
    }
    // Sorted, so the catalog does not depend on insertion order of Sets.
    this.titleWords = [...titleWords].sort();
    this.firstNames = [...firstNames].sort();
    this.lastNames = [...lastNames].sort();
  }

  private pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.random() * items.length)];
  }

  private int(min: number, max: number): number {
    return min + Math.floor(this.random() * (max - min + 1));
  }

  title(): string {
    const a = this.pick(this.titleWords);
    const b = this.pick(this.titleWords);
    switch (this.int(0, 5)) {
      case 0:
        return `The ${a}`;
      case 1:
        return `The ${a} of ${b}`;
      case 2:
        return `${a} and ${b}`;
      case 3:
        return `${a} ${b}`;
      case 4:
        return `A ${a} in ${b}`;
      default:
        return `${a}: ${this.sentence(4, 10).replace(/[.!?]$/, "")}`.slice(0, 200);
    }
  }

  author(): string {
    const middle = this.random() < 0.2 ? ` ${String.fromCharCode(65 + this.int(0, 25))}.` : "";
    return `${this.pick(this.firstNames)}${middle} ${this.pick(this.lastNames)}`;
  }

  /** One sentence of min..max words from the Markov chain. */
  sentence(min: number, max: number): string {
    const words = [this.pick(this.sentenceStarts)];
    while (words.length < max) {
      const last = words[words.length - 1];
      if (/[.!?]$/.test(last) && words.length >= min) break;
      const followers = this.next.get(last);
      words.push(followers ? this.pick(followers) : this.pick(this.sentenceStarts));
    }
    const text = words.join(" ");
    return /[.!?]$/.test(text) ? text : `${text.replace(/[,;:]$/, "")}.`;
  }

  description(): string {
    const sentences = this.int(1, 2);
    return Array.from({ length: sentences }, () => this.sentence(8, 30)).join(" ");
  }

  book(n: number, createdAt: Date, now: Date): BookRow {
    const model = this.pick(demoBooks);
    const title = this.title();
    return {
      isbn: syntheticIsbn(n),
      title,
      titleSort: sortKey(title),
      author: this.author(),
      description: this.description(),
      genre: model.genre,
      publishedYear: Math.min(2024, Math.max(1500, model.publishedYear + this.int(-40, 40))),
      priceCents: this.int(3, 39) * 100 + 99,
      stock: this.random() < 0.05 ? 0 : this.int(1, 60),
      createdAt: sqlTimestamp(createdAt),
      updatedAt: sqlTimestamp(now),
    };
  }
}

function capitalize(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1);
}

export interface SeedReport {
  totalBooks: number;
  demoBooks: number;
  syntheticBooks: number;
  seconds: number;
  /** How many books contain each word (title, author or description), for choosing search words. */
  documentFrequency: Map<string, number>;
}

/**
 * Migrates, seeds the demo data and inserts synthetic books until the catalog
 * holds `totalBooks` (never fewer than the demo seed's own books).
 */
export async function seedBenchCatalog(
  db: Db,
  totalBooks: number,
  log: (line: string) => void = () => undefined,
): Promise<SeedReport> {
  const started = performance.now();
  await migrateLatest(db);
  const now = new Date();
  const { booksAdded } = await seedDemoData(db, now);

  const documentFrequency = new Map<string, number>();
  const count = (row: { title: string; author: string; description: string }) => {
    for (const word of new Set(wordsOf(`${row.title} ${row.author} ${row.description}`))) {
      documentFrequency.set(word, (documentFrequency.get(word) ?? 0) + 1);
    }
  };
  demoBooks.forEach(count);

  const synthetic = Math.max(0, totalBooks - booksAdded);
  const generator = new Generator();
  // Synthetic books arrived before the demo ones, one a minute, so "new arrivals" is unchanged.
  const oldest = now.getTime() - (demoBooks.length + 24) * 3_600_000 - synthetic * 60_000;
  let inserted = 0;
  let lastReport = performance.now();
  while (inserted < synthetic) {
    await db.transaction(async (trx) => {
      for (let b = 0; b < BATCHES_PER_TRANSACTION && inserted < synthetic; b++) {
        const rows: BookRow[] = [];
        for (let i = 0; i < BATCH_ROWS && inserted + rows.length < synthetic; i++) {
          const n = inserted + rows.length + 1;
          const row = generator.book(n, new Date(oldest + n * 60_000), now);
          count(row);
          rows.push(row);
        }
        await trx("books").insert(rows);
        inserted += rows.length;
      }
    });
    if (performance.now() - lastReport > 5000) {
      lastReport = performance.now();
      log(
        `  … ${inserted.toLocaleString("en")} / ${synthetic.toLocaleString("en")} synthetic books`,
      );
    }
  }

  const row = (await db("books").count({ count: "*" }).first()) as { count: number | string };
  return {
    totalBooks: Number(row.count),
    demoBooks: booksAdded,
    syntheticBooks: inserted,
    seconds: (performance.now() - started) / 1000,
    documentFrequency,
  };
}

/**
 * Candidate search words for a target share of the catalog: real words (≥ 4
 * letters, no stop words) whose document frequency is closest to it, best
 * first. The caller checks the actual match count with the real search code,
 * since both engines match words as prefixes ("sea" also finds "season").
 */
export function candidateWords(
  documentFrequency: Map<string, number>,
  targetCount: number,
  exclude: Set<string>,
  take = 4,
): string[] {
  return [...documentFrequency.entries()]
    .filter(
      ([word]) =>
        word.length >= 4 && /^\p{L}+$/u.test(word) && !STOP_WORDS.has(word) && !exclude.has(word),
    )
    .map(([word, df]) => ({ word, distance: Math.abs(Math.log(df / targetCount)) }))
    .sort((a, b) => a.distance - b.distance || a.word.localeCompare(b.word))
    .slice(0, take)
    .map((entry) => entry.word);
}
