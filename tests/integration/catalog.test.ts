import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { findBook, listBooks, listGenres, newArrivals } from "../../app/services/catalog.server";
import { PAGE_SIZE } from "../../app/lib/catalog-options";
import { sqlTimestamp } from "../../app/lib/db.server";
import { deliveryProviders } from "../../db/seeds/demo";
import { createTestDatabase, enginesUnderTest, type TestDatabase } from "../helpers/databases";
import { insertBook } from "../helpers/fixtures";

const engines = await enginesUnderTest();

describe.each(engines)("the catalog on %s", (engine) => {
  let t: TestDatabase;
  const ids: Record<string, number> = {};

  beforeAll(async () => {
    t = await createTestDatabase(engine, { seed: true });
    ids.titleHit = await insertBook(t.db, {
      title: "The Quillfeather Affair",
      author: "Mara Vintley",
      description: "A detective story set in a harbour town.",
      genre: "Mystery",
    });
    ids.descriptionHit = await insertBook(t.db, {
      title: "Letters from the Coast",
      author: "Oren Basque",
      description: "Among the letters is one signed by a certain quillfeather, never explained.",
      genre: "Fiction",
    });
    ids.shortWord = await insertBook(t.db, { title: "Return to Oz Valley", author: "Lyman Fable" });
    ids.stopWords = await insertBook(t.db, { title: "It Was What It Was", author: "Nell Harrow" });
    ids.archived = await insertBook(t.db, {
      title: "The Quillfeather Sequel",
      author: "Mara Vintley",
      archivedAt: sqlTimestamp(),
    });
  });

  afterAll(async () => {
    await t?.destroy();
  });

  it("holds the seeded demo catalog: at least 200 books and the four delivery providers", async () => {
    const { total } = await listBooks(t.db, {});
    expect(total).toBeGreaterThanOrEqual(200);
    const providers = await t.db("deliveryProviders").select("name", "costCents").orderBy("name");
    expect(providers.map((p) => p.name).sort()).toEqual(
      deliveryProviders.map((p) => p.name).sort(),
    );
    expect(providers.every((p) => Number.isInteger(p.costCents) && p.costCents > 0)).toBe(true);
  });

  it("pages through the catalog 24 books at a time, in title order, without repeats", async () => {
    const first = await listBooks(t.db, { page: 1 });
    const second = await listBooks(t.db, { page: 2 });
    expect(first.books).toHaveLength(PAGE_SIZE);
    expect(first.pageCount).toBe(Math.ceil(first.total / PAGE_SIZE));
    const titles = first.books.map((b) => b.title);
    expect(titles).toEqual(
      [...titles].sort((a, b) => a.localeCompare(b, "en", { sensitivity: "base" })),
    );
    const firstIds = new Set(first.books.map((b) => b.id));
    expect(second.books.some((b) => firstIds.has(b.id))).toBe(false);
  });

  it("clamps a page past the end to the last page", async () => {
    const result = await listBooks(t.db, { page: 9999 });
    expect(result.page).toBe(result.pageCount);
    expect(result.books.length).toBeGreaterThan(0);
    const search = await listBooks(t.db, { q: "quillfeather", page: 7 });
    expect(search).toMatchObject({ page: 1, pageCount: 1, total: 2 });
    expect(search.books).toHaveLength(2);
  });

  it("counts every match of a search across pages", async () => {
    const first = await listBooks(t.db, { q: "the" });
    expect(first.total).toBeGreaterThan(PAGE_SIZE);
    const last = await listBooks(t.db, { q: "the", page: first.pageCount });
    expect(last.total).toBe(first.total);
    expect(last.books).toHaveLength(first.total - (first.pageCount - 1) * PAGE_SIZE);
  });

  it("ranks a book with the word in its title above one that mentions it in passing", async () => {
    const result = await listBooks(t.db, { q: "quillfeather" });
    expect(result.books.map((b) => b.id)).toEqual([ids.titleHit, ids.descriptionHit]);
    expect(result.sort).toBe("relevance");
  });

  it("matches word prefixes and requires every word", async () => {
    const prefix = await listBooks(t.db, { q: "quillfea" });
    expect(prefix.books.map((b) => b.id)).toContain(ids.titleHit);
    const both = await listBooks(t.db, { q: "quillfeather harbour" });
    expect(both.books.map((b) => b.id)).toEqual([ids.titleHit]);
  });

  it("finds real demo books by author and title words", async () => {
    const shelley = await listBooks(t.db, { q: "frankenstein shelley" });
    expect(shelley.books[0]?.title).toMatch(/Frankenstein/);
    const dickens = await listBooks(t.db, { q: "dickens" });
    expect(dickens.total).toBeGreaterThanOrEqual(3);
    expect(dickens.books.every((b) => b.author.includes("Dickens"))).toBe(true);
  });

  it("still finds books by words too short for the full-text index", async () => {
    const result = await listBooks(t.db, { q: "oz" });
    expect(result.books.map((b) => b.id)).toContain(ids.shortWord);
    const mixed = await listBooks(t.db, { q: "oz valley" });
    expect(mixed.books.map((b) => b.id)).toEqual([ids.shortWord]);
  });

  it("still finds books by stop words alone", async () => {
    const result = await listBooks(t.db, { q: "it was" });
    expect(result.books.map((b) => b.id)).toContain(ids.stopWords);
  });

  it("treats punctuation and markup in a search as plain text", async () => {
    const result = await listBooks(t.db, { q: `"quillfeather*" +(-) <harbour> ' OR ~@> --` });
    expect(result.books.map((b) => b.id)).toContain(ids.titleHit);
    const nothing = await listBooks(t.db, { q: "zzqqxxnotaword" });
    expect(nothing).toMatchObject({ total: 0, books: [], page: 1, pageCount: 1 });
  });

  it("filters by genre and sorts by price both ways", async () => {
    const cheap = await listBooks(t.db, { genre: "Mystery", sort: "price-asc" });
    expect(cheap.total).toBeGreaterThan(1);
    expect(cheap.books.every((b) => b.genre === "Mystery")).toBe(true);
    const prices = cheap.books.map((b) => b.priceCents);
    expect(prices).toEqual([...prices].sort((a, b) => a - b));
    const dear = await listBooks(t.db, { genre: "Mystery", sort: "price-desc" });
    expect(dear.books[0].priceCents).toBe(
      Math.max(...prices, ...dear.books.map((b) => b.priceCents)),
    );
  });

  it("sorts by newest publication year", async () => {
    const { books } = await listBooks(t.db, { sort: "newest" });
    const years = books.map((b) => b.publishedYear);
    expect(years).toEqual([...years].sort((a, b) => b - a));
  });

  it("never shows archived books to shoppers", async () => {
    const search = await listBooks(t.db, { q: "quillfeather sequel" });
    expect(search.books.map((b) => b.id)).not.toContain(ids.archived);
    expect(await findBook(t.db, ids.archived)).toBeNull();
    const genres = await listGenres(t.db);
    const all = await listBooks(t.db, {});
    expect(genres.reduce((sum, g) => sum + g.count, 0)).toBe(all.total);
  });

  it("shows a book's details and lists the newest additions first", async () => {
    const book = await findBook(t.db, ids.titleHit);
    expect(book).toMatchObject({
      title: "The Quillfeather Affair",
      genre: "Mystery",
      priceCents: 999,
    });
    expect(await findBook(t.db, 987654321)).toBeNull();
    const arrivals = await newArrivals(t.db, 4);
    expect(arrivals[0].id).toBe(ids.stopWords);
  });
});
