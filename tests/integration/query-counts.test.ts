/**
 * The N+1 guard: how many SQL statements each page costs, counted with knex's
 * `query` events on the test database, with few rows behind the page and
 * with many (3 vs 30 cart lines, 2 vs 40 orders, a full page of admin rows…).
 * A page whose count grows with its rows runs a query per row; every page
 * here must cost the same with many rows as with few.
 *
 * `QUERY_COUNT_REPORT=1` prints the table (page: statements and rows shown,
 * few → many).
 */
import crypto from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "../../app/lib/db.server";
import { createTestDatabase, enginesUnderTest, type TestDatabase } from "../helpers/databases";
import { createUser, insertBook, type TestUser } from "../helpers/fixtures";
import { TestClient } from "../helpers/http-client";
import { startTestServer, type TestServer } from "../helpers/server";

const engines = await enginesUnderTest();

type Who = "anonymous" | "guest" | "shopper" | "buyer" | "admin";

/** The rows one state of the database puts behind the pages. */
interface Fixtures {
  book: number;
  order: number;
}

interface PageCase {
  name: string;
  who: Who;
  path: (fixtures: Fixtures) => string;
  /** Rows the page shows (a sanity check that "many" really shows more); default: table rows. */
  rows?: RegExp;
}

const TABLE_ROWS = /<tbody>[\s\S]*?<\/tbody>/g;
const BOOK_CARDS = /class="book-card"/g;
const OFFERS = /class="offer"/g;

const PAGES: PageCase[] = [
  { name: "/", who: "anonymous", path: () => "/", rows: BOOK_CARDS },
  { name: "/books", who: "anonymous", path: () => "/books", rows: BOOK_CARDS },
  { name: "/books?q=", who: "anonymous", path: () => "/books?q=lighthouse", rows: BOOK_CARDS },
  {
    name: "/books?genre=",
    who: "anonymous",
    path: () => "/books?genre=Seafaring",
    rows: BOOK_CARDS,
  },
  {
    name: "/books?sort=price-desc",
    who: "anonymous",
    path: () => "/books?sort=price-desc",
    rows: BOOK_CARDS,
  },
  {
    name: "/books/:id",
    who: "anonymous",
    path: (f) => `/books/${f.book}`,
    rows: /class="book-detail"/g,
  },
  { name: "/books (signed in)", who: "shopper", path: () => "/books", rows: BOOK_CARDS },
  { name: "/cart (guest)", who: "guest", path: () => "/cart", rows: /class="cart-line"/g },
  { name: "/cart", who: "shopper", path: () => "/cart", rows: /class="cart-line"/g },
  { name: "/checkout", who: "shopper", path: () => "/checkout", rows: /<li>\d+<!-- --> × /g },
  { name: "/orders", who: "buyer", path: () => "/orders" },
  { name: "/orders/:id", who: "buyer", path: (f) => `/orders/${f.order}` },
  { name: "/offers", who: "buyer", path: () => "/offers" },
  { name: "/admin (dashboard)", who: "admin", path: () => "/admin", rows: /<li>/g },
  { name: "/admin/books", who: "admin", path: () => "/admin/books" },
  { name: "/admin/books/:id", who: "admin", path: (f) => `/admin/books/${f.book}` },
  { name: "/admin/orders", who: "admin", path: () => "/admin/orders" },
  { name: "/admin/orders/:id", who: "admin", path: (f) => `/admin/orders/${f.order}` },
  { name: "/admin/users", who: "admin", path: () => "/admin/users" },
  { name: "/admin/offers", who: "admin", path: () => "/admin/offers", rows: OFFERS },
  {
    name: "/admin/offers?status=all",
    who: "admin",
    path: () => "/admin/offers?status=all",
    rows: OFFERS,
  },
  { name: "/admin/audit", who: "admin", path: () => "/admin/audit" },
  { name: "/admin/delivery-providers", who: "admin", path: () => "/admin/delivery-providers" },
];

interface Measurement {
  statements: string[];
  rows: number;
}

describe.each(engines)("SQL statements per page on %s, few rows vs many", (engine) => {
  let t: TestDatabase;
  let server: TestServer;
  const clients = {} as Record<Who, TestClient>;
  const users = {} as Record<"shopper" | "buyer" | "admin", TestUser>;
  const few = new Map<string, Measurement>();
  const many = new Map<string, Measurement>();
  let providers: number[] = [];
  let books: number[] = [];
  let guestCart: number;
  let shopperCart: number;

  beforeAll(async () => {
    t = await createTestDatabase(engine);
    server = await startTestServer(t.db);
    users.shopper = await createUser(t.db, { name: "Cary Lines" });
    users.buyer = await createUser(t.db, { name: "Orla Orders" });
    users.admin = await createUser(t.db, { name: "Ada Admin", role: "admin" });
    clients.anonymous = new TestClient(server.url);
    for (const who of ["shopper", "buyer", "admin"] as const) {
      clients[who] = new TestClient(server.url);
      const res = await clients[who].post("/login", {
        email: users[who].email,
        password: users[who].password,
      });
      expect(res.status).toBe(302);
    }

    // Few rows: 3 books, 2 delivery providers, 3 cart lines, 2 orders of 1 line, 2 offers…
    providers = await insertProviders(t.db, 2);
    books = await insertBooks(t.db, 3);
    // The guest's cart comes from the cart page's form, which sets its session cookie.
    clients.guest = new TestClient(server.url);
    const added = await clients.guest.post("/cart", {
      intent: "add",
      bookId: books[0],
      quantity: 1,
    });
    expect(added.status).toBe(302);
    const newest = (await t.db("carts").whereNull("userId").max({ id: "id" }).first()) as {
      id: number;
    };
    guestCart = Number(newest.id);
    await addCartLines(t.db, guestCart, books.slice(1, 3));
    [shopperCart] = await t.db("carts").insert({ userId: users.shopper.id });
    await addCartLines(t.db, Number(shopperCart), books.slice(0, 3));
    const firstOrder = await insertOrder(t.db, users.buyer.id, providers[0], books.slice(0, 1));
    await insertOrder(t.db, users.buyer.id, providers[1], books.slice(1, 2));
    await insertOffers(t.db, users.buyer.id, 2);
    await insertAudit(t.db, users.admin, 2);
    await insertMovements(t.db, books[0], users.admin.id, 1);
    await t.db("books").where({ id: books[2] }).update({ stock: 2 }); // one low-stock book

    await measureAll(few, { book: books[0], order: firstOrder });

    // Many rows: 40 books, 6 providers, 30 cart lines, 40 orders (one of 30 lines), 30 offers,
    // 30 more users, 60 audit events, 30 stock movements, 15 low-stock books.
    providers = [...providers, ...(await insertProviders(t.db, 4))];
    books = [...books, ...(await insertBooks(t.db, 37))];
    await addCartLines(t.db, guestCart, books.slice(3, 30));
    await addCartLines(t.db, Number(shopperCart), books.slice(3, 30));
    const bigOrder = await insertOrder(t.db, users.buyer.id, providers[2], books.slice(0, 30));
    for (let i = 0; i < 37; i++) {
      await insertOrder(
        t.db,
        users.buyer.id,
        providers[i % providers.length],
        books.slice(i % 40, (i % 40) + 1),
      );
    }
    await insertOffers(t.db, users.buyer.id, 28);
    await insertUsers(t.db, 30);
    await insertAudit(t.db, users.admin, 58);
    await insertMovements(t.db, books[0], users.admin.id, 29);
    await t.db("books").whereIn("id", books.slice(10, 25)).update({ stock: 3 });

    await measureAll(many, { book: books[0], order: bigOrder });
  });

  afterAll(async () => {
    if (process.env.QUERY_COUNT_REPORT && few.size) {
      const lines = PAGES.map((page) => {
        const a = few.get(page.name)!;
        const b = many.get(page.name)!;
        return `| ${page.name} | ${page.who} | ${a.statements.length} | ${b.statements.length} | ${a.rows} → ${b.rows} |`;
      });
      console.log(
        [
          `\nSQL statements per page on ${engine}`,
          "| page | as | statements, few rows | statements, many rows | rows shown |",
          "| --- | --- | --- | --- | --- |",
          ...lines,
        ].join("\n"),
      );
    }
    await server?.close();
    await t?.destroy();
  });

  async function measureAll(into: Map<string, Measurement>, fixtures: Fixtures) {
    for (const page of PAGES) into.set(page.name, await measure(page, fixtures));
  }

  /**
   * The statements of one GET. Each page is asked three times and the
   * smallest of the last two counts: the first warms the per-instance caches
   * (genre counts, the footer's providers), and a cache refreshing during one
   * of the other two adds a statement that has nothing to do with rows.
   */
  async function measure(page: PageCase, fixtures: Fixtures): Promise<Measurement> {
    const pathname = page.path(fixtures);
    let best: Measurement | undefined;
    for (let run = 0; run < 3; run++) {
      const statements: string[] = [];
      const listener = (query: { sql: string }) => statements.push(query.sql);
      t.db.on("query", listener);
      let html: string;
      try {
        const res = await clients[page.who].get(pathname);
        expect(res.status, `${page.who} GET ${pathname}`).toBe(200);
        html = await res.text();
      } finally {
        t.db.off("query", listener);
      }
      if (run === 0) continue;
      if (!best || statements.length < best.statements.length)
        best = { statements, rows: rowsOf(html, page.rows) };
    }
    return best!;
  }

  it.each(PAGES.map((page) => [page.name, page] as const))(
    "%s costs as many statements with many rows as with few",
    (_name, page) => {
      const a = few.get(page.name)!;
      const b = many.get(page.name)!;
      // The fixture did put more rows on the page (a book page has none to grow).
      if (page.name !== "/books/:id") expect(b.rows, "rows shown").toBeGreaterThan(a.rows);
      expect(
        b.statements.length,
        `few rows:\n  ${a.statements.join("\n  ")}\nmany rows:\n  ${b.statements.join("\n  ")}`,
      ).toBe(a.statements.length);
    },
  );

  it("keeps each page to a handful of statements", () => {
    for (const page of PAGES) {
      expect(many.get(page.name)!.statements.length, page.name).toBeLessThanOrEqual(10);
    }
  });
});

function rowsOf(html: string, pattern?: RegExp): number {
  if (pattern) return html.match(pattern)?.length ?? 0;
  return (html.match(TABLE_ROWS) ?? []).reduce(
    (sum, body) => sum + (body.match(/<tr[\s>]/g)?.length ?? 0),
    0,
  );
}

async function insertProviders(db: Db, n: number): Promise<number[]> {
  const ids: number[] = [];
  for (let i = 0; i < n; i++) {
    const [id] = await db("deliveryProviders").insert({
      name: `Carrier ${crypto.randomBytes(4).toString("hex")}`,
      coverageArea: "Everywhere",
      costCents: 400 + i,
      active: true,
    });
    ids.push(Number(id));
  }
  return ids;
}

async function insertBooks(db: Db, n: number): Promise<number[]> {
  const ids: number[] = [];
  for (let i = 0; i < n; i++) {
    ids.push(
      await insertBook(db, {
        title: `Lighthouse Keeper ${crypto.randomBytes(3).toString("hex")}`,
        author: "Morwenna Tide",
        genre: "Seafaring",
        priceCents: 500 + i * 10,
        stock: 50,
      }),
    );
  }
  return ids;
}

async function addCartLines(db: Db, cartId: number, bookIds: number[]) {
  await db("cartItems").insert(bookIds.map((bookId) => ({ cartId, bookId, quantity: 1 })));
}

/** A paid order of one copy of each book, with its payment and history, as checkout writes it. */
async function insertOrder(
  db: Db,
  userId: number,
  deliveryProviderId: number,
  bookIds: number[],
): Promise<number> {
  const lines = (await db("books")
    .whereIn("id", bookIds)
    .select("id", "title", "priceCents")) as Array<{
    id: number;
    title: string;
    priceCents: number;
  }>;
  const subtotalCents = lines.reduce((sum, line) => sum + line.priceCents, 0);
  const [id] = await db("orders").insert({
    userId,
    status: "paid",
    subtotalCents,
    shippingCents: 500,
    totalCents: subtotalCents + 500,
    deliveryProviderId,
    shipName: "Orla Orders",
    shipLine1: "1 Quay Street",
    shipCity: "Falmouth",
    shipRegion: "Cornwall",
    shipPostalCode: "TR11 3HH",
    shipCountry: "United Kingdom",
    idempotencyKey: crypto.randomUUID(),
  });
  const orderId = Number(id);
  await db("orderItems").insert(
    lines.map((line) => ({
      orderId,
      bookId: line.id,
      title: line.title,
      unitPriceCents: line.priceCents,
      quantity: 1,
    })),
  );
  await db("payments").insert({
    orderId,
    method: "card",
    cardBrand: "Visa",
    cardLast4: "4242",
    amountCents: subtotalCents + 500,
    status: "captured",
    reference: `sim_${crypto.randomBytes(6).toString("hex")}`,
  });
  await db("orderEvents").insert({ orderId, status: "paid", note: "Payment captured", userId });
  return orderId;
}

async function insertOffers(db: Db, userId: number, n: number) {
  await db("offers").insert(
    Array.from({ length: n }, (_, i) => ({
      userId,
      isbn: String(9780000000000 + Math.floor(Math.random() * 1e9)).slice(0, 13),
      title: `Offered Book ${i}`,
      author: "A. Seller",
      condition: "good",
      askingPriceCents: 300 + i,
      status: "pending",
    })),
  );
}

async function insertUsers(db: Db, n: number) {
  await db("users").insert(
    Array.from({ length: n }, () => {
      const tag = crypto.randomBytes(5).toString("hex");
      return { email: `listed-${tag}@example.com`, name: `Listed ${tag}`, passwordHash: "x" };
    }),
  );
}

async function insertAudit(db: Db, actor: TestUser, n: number) {
  await db("auditEvents").insert(
    Array.from({ length: n }, (_, i) => ({
      userId: actor.id,
      actorEmail: actor.email,
      action: i % 2 ? "book.update" : "order.ship",
      entityType: i % 2 ? "book" : "order",
      entityId: i + 1,
      before: JSON.stringify({ n: i }),
      after: JSON.stringify({ n: i + 1 }),
    })),
  );
}

async function insertMovements(db: Db, bookId: number, userId: number, n: number) {
  await db("stockMovements").insert(
    Array.from({ length: n }, (_, i) => ({
      bookId,
      delta: 1,
      reason: "received",
      userId,
      note: `Delivery ${i}`,
    })),
  );
}
