/**
 * Staff managing delivery providers over HTTP, on SQLite and MySQL: creating
 * and editing them (unique names, dollars typed, cents stored, audit rows),
 * deactivating one (checkout no longer offers nor accepts it, past orders keep
 * it) and reactivating it; and the storefront's footer naming the active
 * providers from the database without costing catalog pages a query each.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, enginesUnderTest, type TestDatabase } from "../helpers/databases";
import { checkoutFields, createUser, insertBook, type TestUser } from "../helpers/fixtures";
import { inputValue, locationOf, TestClient, textOf } from "../helpers/http-client";
import { startTestServer, type TestServer } from "../helpers/server";

const engines = await enginesUnderTest();

describe.each(engines)("delivery providers in the admin area on %s", (engine) => {
  let t: TestDatabase;
  let server: TestServer;
  let admin: TestUser;
  let staff: TestClient;

  beforeAll(async () => {
    t = await createTestDatabase(engine, { seed: true });
    server = await startTestServer(t.db);
    admin = await createUser(t.db, { role: "admin" });
    staff = await signIn(admin);
  });

  afterAll(async () => {
    await server?.close();
    await t?.destroy();
  });

  async function signIn(user: TestUser): Promise<TestClient> {
    const browser = new TestClient(server.url);
    const res = await browser.post("/login", { email: user.email, password: user.password });
    expect(res.status).toBe(302);
    return browser;
  }

  const providerNamed = (name: string) => t.db("deliveryProviders").where({ name }).first();
  const auditOf = (providerId: number) =>
    t
      .db("auditEvents")
      .where({ entityType: "delivery_provider", entityId: providerId })
      .orderBy("id")
      .select("action", "actorEmail", "before", "after");
  const create = (fields: Record<string, string>) =>
    staff.post("/admin/delivery-providers/new", {
      name: "",
      coverageArea: "Spain and Portugal",
      costCents: "12.5",
      ...fields,
    });
  const toggle = (intent: "deactivate" | "reactivate", providerId: number) =>
    staff.post("/admin/delivery-providers", { intent, providerId });
  const footerOf = async (pathname = "/") => {
    const html = await (await new TestClient(server.url).get(pathname)).text();
    return textOf(/<footer[\s\S]*?<\/footer>/.exec(html)![0]);
  };

  it("adds a provider: dollars become cents, the name is unique, an audit row is written", async () => {
    const name = `Correos ${engine}`;
    const empty = await create({ name: " ", coverageArea: "", costCents: "twelve" });
    expect(empty.status).toBe(400);
    const emptyText = textOf(await empty.text());
    expect(emptyText).toContain("Enter the provider's name.");
    expect(emptyText).toContain("Enter where it delivers.");
    expect(emptyText).toContain("Enter a price such as 12.99.");

    const created = await create({ name });
    expect(created.status).toBe(302);
    expect(locationOf(created)).toBe("/admin/delivery-providers?notice=created");
    const row = await providerNamed(name);
    expect(row).toMatchObject({ coverageArea: "Spain and Portugal", costCents: 1250 });
    expect(Boolean(row.active)).toBe(true);
    const [audit] = await auditOf(row.id);
    expect(audit).toMatchObject({
      action: "delivery_provider.create",
      actorEmail: admin.email,
      before: null,
    });
    expect(JSON.parse(audit.after)).toEqual({
      name,
      coverageArea: "Spain and Portugal",
      costCents: 1250,
      active: true,
    });

    for (const taken of [name, name.toUpperCase(), "dhl"]) {
      const duplicate = await create({ name: taken });
      expect(duplicate.status).toBe(409);
      const html = await duplicate.text();
      expect(textOf(html)).toContain("Another delivery provider already has this name.");
      expect(inputValue(html, "coverageArea")).toBe("Spain and Portugal");
    }
    const list = textOf(await (await staff.get(locationOf(created))).text());
    expect(list).toContain("The delivery provider was added and is offered at checkout.");
    expect(list).toContain(`${name} Spain and Portugal $12.50 0 Active Deactivate`);
  });

  it("edits a provider and records only what changed", async () => {
    const name = `Edit Me ${engine}`;
    expect((await create({ name, costCents: "5" })).status).toBe(302);
    const { id } = await providerNamed(name);
    const form = await staff.get(`/admin/delivery-providers/${id}`);
    expect(form.status).toBe(200);
    const html = await form.text();
    expect(inputValue(html, "name")).toBe(name);
    expect(inputValue(html, "costCents")).toBe("5.00");

    const saved = await staff.post(`/admin/delivery-providers/${id}`, {
      name,
      coverageArea: "Spain, Portugal and Andorra",
      costCents: "$1,234.05",
    });
    expect(locationOf(saved)).toBe("/admin/delivery-providers?notice=saved");
    expect(await providerNamed(name)).toMatchObject({
      coverageArea: "Spain, Portugal and Andorra",
      costCents: 123405,
    });
    const update = (await auditOf(id)).at(-1)!;
    expect(update.action).toBe("delivery_provider.update");
    expect(JSON.parse(update.before)).toEqual({
      coverageArea: "Spain and Portugal",
      costCents: 500,
    });
    expect(JSON.parse(update.after)).toEqual({
      coverageArea: "Spain, Portugal and Andorra",
      costCents: 123405,
    });

    const clash = await staff.post(`/admin/delivery-providers/${id}`, {
      name: "FedEx",
      coverageArea: "Anywhere",
      costCents: "1",
    });
    expect(clash.status).toBe(409);
    expect(textOf(await clash.text())).toContain(
      "Another delivery provider already has this name.",
    );
    expect((await t.db("deliveryProviders").where({ id }).first()).name).toBe(name);
    expect((await staff.get("/admin/delivery-providers/99999999")).status).toBe(404);
    expect((await staff.get("/admin/delivery-providers/zero")).status).toBe(404);
  });

  it("deactivates a provider: checkout neither offers nor accepts it, past orders keep it", async () => {
    const name = `Pigeon Post ${engine}`;
    expect((await create({ name, costCents: "3.00", coverageArea: "Rooftops" })).status).toBe(302);
    const { id } = await providerNamed(name);
    const bookId = await insertBook(t.db, { title: "Carried by Pigeon", stock: 10 });
    const customer = await createUser(t.db);
    const shopper = await signIn(customer);

    const checkout = async (deliveryProviderId: number) => {
      await shopper.post("/cart", { intent: "add", bookId, quantity: 1 });
      const page = await shopper.get("/checkout");
      expect(page.status).toBe(200);
      const html = await page.text();
      const offered = [...html.matchAll(/name="deliveryProviderId"[^>]*value="(\d+)"/g)].map(
        (match) => Number(match[1]),
      );
      const res = await shopper.post("/checkout", {
        ...checkoutFields(),
        deliveryProviderId,
        idempotencyKey: inputValue(html, "idempotencyKey")!,
      });
      return { html, offered, res };
    };

    const before = await checkout(id);
    expect(before.offered).toContain(id);
    expect(textOf(before.html)).toContain(`${name} — $3.00 (Rooftops;`);
    expect(before.res.status).toBe(302);
    const pastOrder = Number(/\/orders\/(\d+)/.exec(locationOf(before.res))![1]);

    const off = await toggle("deactivate", id);
    expect(locationOf(off)).toBe("/admin/delivery-providers?notice=deactivate");
    expect(Boolean((await providerNamed(name)).active)).toBe(false);
    expect(textOf(await (await staff.get("/admin/delivery-providers")).text())).toContain(
      `${name} Rooftops $3.00 1 Inactive Reactivate`,
    );

    const orders = await t.db("orders").where({ userId: customer.id }).count({ n: "*" }).first();
    const after = await checkout(id);
    expect(after.offered).not.toContain(id);
    expect(after.offered.length).toBeGreaterThan(0);
    expect(textOf(after.html)).not.toContain(name);
    expect(after.res.status).toBe(409);
    expect(textOf(await after.res.text())).toContain(
      "That delivery option is no longer available. Please choose another.",
    );
    expect(await t.db("orders").where({ userId: customer.id }).count({ n: "*" }).first()).toEqual(
      orders,
    );
    expect((await t.db("books").where({ id: bookId }).first()).stock).toBe(9);

    const mine = textOf(await (await shopper.get(`/orders/${pastOrder}`)).text());
    expect(mine).toContain(`Delivery (${name}) $3.00`);
    expect(mine).toContain(`By ${name} (Rooftops)`);
    const staffView = textOf(await (await staff.get(`/admin/orders/${pastOrder}`)).text());
    expect(staffView).toContain(`By ${name} (Rooftops) — no longer offered at checkout`);

    const on = await toggle("reactivate", id);
    expect(locationOf(on)).toBe("/admin/delivery-providers?notice=reactivate");
    const again = await checkout(id);
    expect(again.offered).toContain(id);
    expect(again.res.status).toBe(302);
    expect((await auditOf(id)).map((row) => row.action)).toEqual([
      "delivery_provider.create",
      "delivery_provider.deactivate",
      "delivery_provider.reactivate",
    ]);
    expect((await toggle("deactivate", 99999999)).status).toBe(404);
  });

  it("names the active providers in the footer, from the database, without a query per page", async () => {
    const expected = async () => {
      const names = (await t
        .db("deliveryProviders")
        .where({ active: true })
        .orderBy("id")
        .pluck("name")) as string[];
      return `shipped by ${names.slice(0, -1).join(", ")} and ${names.at(-1)}.`;
    };
    expect(await footerOf()).toContain(await expected());

    const name = `Footer Freight ${engine}`;
    expect((await create({ name })).status).toBe(302);
    const fedex = (await providerNamed("FedEx")).id;
    expect((await toggle("deactivate", fedex)).status).toBe(302);
    // Changed on this instance: the very next page says so, no waiting for the cache.
    const footer = await footerOf("/books");
    expect(footer).toContain(await expected());
    expect(footer).toContain(`${name}.`);
    expect(footer).not.toContain("FedEx");
    expect(footer).toMatch(/^Bookstore — classic books, shipped by DHL, Envía, Servientrega, /);

    const queries: string[] = [];
    const listener = (query: { sql: string }) => queries.push(query.sql);
    t.db.on("query", listener);
    try {
      for (const pathname of ["/", "/books", "/books?q=moby", "/books/1", "/", "/books"]) {
        expect(await footerOf(pathname)).toContain(name);
      }
    } finally {
      t.db.off("query", listener);
    }
    // The listener sees the server's queries (the catalog's own), none of them for the footer.
    expect(queries.some((sql) => /books/.test(sql))).toBe(true);
    expect(queries.filter((sql) => /delivery_providers/.test(sql))).toEqual([]);
    expect(queries.filter((sql) => /sessions|users|carts|cart_items/.test(sql))).toEqual([]);

    expect((await toggle("reactivate", fedex)).status).toBe(302);
    expect(await footerOf()).toContain("FedEx");
  });
});
