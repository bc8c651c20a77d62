/**
 * Staff managing the inventory over HTTP, on SQLite and MySQL: creating and
 * editing books (with their audit rows), archiving, deleting only what was
 * never sold, stock changed only by adjustments with a reason, and the
 * last-admin rule. On MySQL, an adjustment races checkouts for the same book.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLogger } from "../../app/lib/logger.server";
import { createMailer } from "../../app/lib/mailer.server";
import { createSimulatedGateway, TEST_CARDS } from "../../app/lib/payments.server";
import { adjustBookStock } from "../../app/services/books.server";
import { addToCart, ensureCart } from "../../app/services/cart.server";
import { placeOrder } from "../../app/services/checkout.server";
import { setDisabled, setRole } from "../../app/services/users.server";
import { createTestDatabase, enginesUnderTest, type TestDatabase } from "../helpers/databases";
import { checkoutFields, createUser, insertBook, type TestUser } from "../helpers/fixtures";
import { inputValue, locationOf, TestClient, textOf } from "../helpers/http-client";
import { startTestServer, type TestServer } from "../helpers/server";

const engines = await enginesUnderTest();

describe.each(engines)("the inventory on %s", (engine) => {
  let t: TestDatabase;
  let server: TestServer;
  let admin: TestUser;
  let staff: TestClient;

  beforeAll(async () => {
    t = await createTestDatabase(engine, { seed: true });
    server = await startTestServer(t.db);
    admin = await createUser(t.db, { role: "admin" });
    staff = new TestClient(server.url);
    expect(
      (await staff.post("/login", { email: admin.email, password: admin.password })).status,
    ).toBe(302);
  });

  afterAll(async () => {
    await server?.close();
    await t?.destroy();
  });

  const actor = () => ({ id: admin.id, email: admin.email });
  const audit = (entityId: number) =>
    t
      .db("auditEvents")
      .where({ entityType: "book", entityId })
      .orderBy("id")
      .select("action", "actorEmail", "before", "after");
  const newBook = (overrides: Record<string, string> = {}) => ({
    isbn: "978-0-14-044913-6",
    title: "Crime and Punishment",
    author: "Fyodor Dostoevsky",
    description: "A student's crime and its weight.",
    genre: `Russian ${engine}`,
    publishedYear: "1866",
    priceCents: "14.50",
    stock: "7",
    ...overrides,
  });

  it("adds a book: ISBN checked, initial stock as a movement, an audit row, on sale at once", async () => {
    const bad = await staff.post("/admin/books/new", newBook({ isbn: "978-0-14-044913-7" }));
    expect(bad.status).toBe(400);
    const badHtml = await bad.text();
    expect(textOf(badHtml)).toContain(
      "Enter a valid ISBN-10 or ISBN-13 (the check digit must match).",
    );
    expect(inputValue(badHtml, "title")).toBe("Crime and Punishment");

    const created = await staff.post("/admin/books/new", newBook());
    expect(created.status).toBe(302);
    const id = Number(/\/admin\/books\/(\d+)/.exec(locationOf(created))![1]);
    expect(await t.db("books").where({ id }).first()).toMatchObject({
      isbn: "9780140449136",
      priceCents: 1450,
      stock: 7,
    });
    expect(
      await t.db("stockMovements").where({ bookId: id }).select("delta", "reason", "userId"),
    ).toEqual([{ delta: 7, reason: "received", userId: admin.id }]);
    const [row] = await audit(id);
    expect(row).toMatchObject({ action: "book.create", actorEmail: admin.email, before: null });
    expect(JSON.parse(row.after)).toMatchObject({ title: "Crime and Punishment", stock: 7 });
    // The new genre shows to shoppers on the next page, not after a cache expires.
    const shelf = textOf(
      await (
        await new TestClient(server.url).get(
          `/books?genre=${encodeURIComponent(`Russian ${engine}`)}`,
        )
      ).text(),
    );
    expect(shelf).toContain("Crime and Punishment");

    const duplicate = await staff.post("/admin/books/new", newBook({ isbn: "0140449132" }));
    expect(duplicate.status).toBe(409);
    expect(textOf(await duplicate.text())).toContain("Another book already has this ISBN.");
  });

  it("edits a book and records only what changed, before → after", async () => {
    const id = await insertBook(t.db, { title: "Old Title", priceCents: 1000 });
    const page = await staff.get(`/admin/books/${id}`);
    const html = await page.text();
    const fields = Object.fromEntries(
      ["isbn", "title", "author", "genre", "publishedYear", "priceCents"].map((name) => [
        name,
        inputValue(html, name) ?? "",
      ]),
    );
    const saved = await staff.post(`/admin/books/${id}`, {
      ...fields,
      description: "A book made for a test.",
      title: "New Title",
      priceCents: "11.00",
      intent: "details",
    });
    expect(locationOf(saved)).toBe(`/admin/books/${id}?notice=saved`);
    const [row] = await audit(id);
    expect(row.action).toBe("book.update");
    expect(JSON.parse(row.before)).toEqual({ title: "Old Title", priceCents: 1000 });
    expect(JSON.parse(row.after)).toEqual({ title: "New Title", priceCents: 1100 });
  });

  it("adjusts stock only with a reason, never below zero, and shows the history", async () => {
    const id = await insertBook(t.db, { stock: 3 });
    const noReason = await staff.post(`/admin/books/${id}`, {
      intent: "stock",
      delta: "2",
      reason: "",
    });
    expect(noReason.status).toBe(400);
    expect(textOf(await noReason.text())).toContain("Choose a reason.");

    const tooMany = await staff.post(`/admin/books/${id}`, {
      intent: "stock",
      delta: "-4",
      reason: "damaged",
    });
    expect(tooMany.status).toBe(409);
    expect(textOf(await tooMany.text())).toContain("Stock cannot go below zero: there are only 3.");

    for (const [delta, reason] of [
      ["5", "received"],
      ["-2", "damaged"],
    ]) {
      const res = await staff.post(`/admin/books/${id}`, {
        intent: "stock",
        delta,
        reason,
        note: "Shelf count",
      });
      expect(res.status).toBe(302);
    }
    expect((await t.db("books").where({ id }).first()).stock).toBe(6);
    const history = textOf(await (await staff.get(`/admin/books/${id}`)).text());
    expect(history).toMatch(/\+5 received .*Shelf count/);
    expect(history).toMatch(/-2 damaged/);
    expect((await audit(id)).map((row) => row.action)).toEqual(["book.stock", "book.stock"]);
  });

  it("archives a book (shoppers no longer see it) and refuses to delete one that was sold", async () => {
    const id = await insertBook(t.db, { title: "Sold Once", stock: 5 });
    const buyer = await createUser(t.db);
    const cartId = await ensureCart(t.db, { userId: buyer.id });
    await addToCart(t.db, cartId, id, 1);
    const logger = createLogger("silent");
    await placeOrder(
      {
        db: t.db,
        payments: createSimulatedGateway(),
        mailer: createMailer({ from: "x@test.invalid", outboxDir: server.outboxDir }, logger, {
          logLinks: false,
        }),
        logger,
        publicUrl: server.url,
      },
      {
        userId: buyer.id,
        address: { ...checkoutFields(), line2: undefined },
        deliveryProviderId: (await t.db("deliveryProviders").first()).id,
        card: { number: TEST_CARDS.approved, expiry: { month: 12, year: 2039 }, cvc: "123" },
        idempotencyKey: `inventory-${engine}-${Date.now()}`,
      },
    );

    const refused = await staff.post(`/admin/books/${id}`, { intent: "delete" });
    expect(refused.status).toBe(409);
    expect(textOf(await refused.text())).toContain(
      "“Sold Once” appears in 1 order, so it cannot be deleted. Archive it instead",
    );
    expect(await t.db("books").where({ id }).first()).toBeDefined();

    expect(locationOf(await staff.post(`/admin/books/${id}`, { intent: "archive" }))).toBe(
      `/admin/books/${id}?notice=archived`,
    );
    expect((await new TestClient(server.url).get(`/books/${id}`)).status).toBe(404);
    expect((await staff.get(`/admin/books?archived=archived&q=Sold+Once`)).status).toBe(200);

    const unsold = await insertBook(t.db, { title: "Never Sold" });
    expect(locationOf(await staff.post(`/admin/books/${unsold}`, { intent: "delete" }))).toMatch(
      /^\/admin\/books\?notice=/,
    );
    expect(await t.db("books").where({ id: unsold }).first()).toBeUndefined();
    expect((await audit(unsold)).map((row) => row.action)).toEqual(["book.delete"]);
  });

  it("filters, sorts and pages the inventory", async () => {
    const low = await insertBook(t.db, { title: "Zzz Nearly Out", stock: 1 });
    const lowPage = textOf(
      await (await staff.get("/admin/books?low=1&threshold=1&sort=stock&dir=asc")).text(),
    );
    expect(lowPage).toContain("Zzz Nearly Out");
    expect(lowPage).not.toContain("Crime and Punishment");
    for (const nonsense of [
      "?sort=evil&dir=sideways&page=-1",
      "?threshold=abc&archived=maybe",
      "?page=99999",
    ]) {
      expect((await staff.get(`/admin/books${nonsense}`)).status).toBe(200);
    }
    expect(low).toBeGreaterThan(0);

    // What staff type is matched literally: % and _ are not wildcards (SQLite has no default escape).
    await insertBook(t.db, { title: "Gin_and 100% Tonic" });
    await insertBook(t.db, { title: "Ginxand 1000 Tonic" });
    const literal = textOf(
      await (await staff.get(`/admin/books?q=${encodeURIComponent("gin_and 100%")}`)).text(),
    );
    expect(literal).toContain("Gin_and 100% Tonic");
    expect(literal).not.toContain("Ginxand 1000 Tonic");
    const audit = textOf(
      await (await staff.get(`/admin/audit?actor=${encodeURIComponent("%")}`)).text(),
    );
    expect(audit).toContain("0 changes");
  });

  it("keeps an admin: nobody demotes or disables themselves, and the last admin stays", async () => {
    const lone = await createTestDatabase(engine, { seed: false });
    try {
      const only = await createUser(lone.db, { role: "admin" });
      const me = { id: only.id, email: only.email };
      await expect(setRole(lone.db, me, only.id, "customer")).rejects.toThrow(
        "You cannot demote yourself.",
      );
      await expect(setDisabled(lone.db, me, only.id, true)).rejects.toThrow(
        "You cannot disable yourself.",
      );
      const other = await createUser(lone.db);
      await setRole(lone.db, me, other.id, "admin");
      await setRole(lone.db, { id: other.id, email: other.email }, only.id, "customer");
      await expect(
        setRole(lone.db, { id: null, email: "cli" }, other.id, "customer"),
      ).rejects.toThrow("This is the last admin");
      expect(await lone.db("users").where({ role: "admin" }).pluck("id")).toEqual([other.id]);
    } finally {
      await lone.destroy();
    }
  });

  it.runIf(engine === "mysql")(
    "never lets stock go negative when an adjustment races checkouts",
    async () => {
      const id = await insertBook(t.db, { stock: 30 });
      const logger = createLogger("silent");
      const deps = {
        db: t.db,
        payments: createSimulatedGateway(),
        mailer: createMailer({ from: "x@test.invalid", outboxDir: server.outboxDir }, logger, {
          logLinks: false,
        }),
        logger,
        publicUrl: server.url,
      };
      const providerId = (await t.db("deliveryProviders").first()).id;
      const buyers = await Promise.all(
        Array.from({ length: 8 }, async () => {
          const user = await createUser(t.db);
          await addToCart(t.db, await ensureCart(t.db, { userId: user.id }), id, 3);
          return user;
        }),
      );
      await t.db("books").where({ id }).update({ stock: 12 });
      await t
        .db("stockMovements")
        .insert({ bookId: id, delta: 12, reason: "correction", createdAt: "2026-01-01 00:00:00" });
      await t.db("stockMovements").where({ bookId: id }).whereNot({ delta: 12 }).delete();

      const results = await Promise.allSettled([
        ...buyers.map((user, i) =>
          placeOrder(deps, {
            userId: user.id,
            address: { ...checkoutFields(), line2: undefined },
            deliveryProviderId: providerId,
            card: { number: TEST_CARDS.approved, expiry: { month: 12, year: 2039 }, cvc: "123" },
            idempotencyKey: `race-${Date.now()}-${i}`,
          }),
        ),
        adjustBookStock(t.db, actor(), id, { delta: -5, reason: "damaged" }),
        adjustBookStock(t.db, actor(), id, { delta: -4, reason: "lost" }),
      ]);
      const stock = (await t.db("books").where({ id }).first()).stock;
      expect(stock).toBeGreaterThanOrEqual(0);
      const sum = await t.db("stockMovements").where({ bookId: id }).sum({ n: "delta" }).first();
      expect(Number(sum?.n)).toBe(stock);
      expect(results.filter((r) => r.status === "fulfilled").length).toBeGreaterThan(0);
    },
  );
});
