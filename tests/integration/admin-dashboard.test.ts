/**
 * The dashboard's figures against orders whose amounts and days we chose, on
 * both engines: today, 7 and 30 days to the cent, cancelled orders left out,
 * and the chart readable without JavaScript.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sqlTimestamp } from "../../app/lib/db.server";
import { dailySales, dashboard } from "../../app/services/dashboard.server";
import { createTestDatabase, enginesUnderTest, type TestDatabase } from "../helpers/databases";
import { createUser, insertBook } from "../helpers/fixtures";
import { TestClient, textOf } from "../helpers/http-client";
import { startTestServer, type TestServer } from "../helpers/server";

const engines = await enginesUnderTest();
const DAY = 86_400_000;

describe.each(engines)("the dashboard on %s", (engine) => {
  let t: TestDatabase;
  let server: TestServer;
  const now = new Date();
  let orderNumber = 0;

  async function order(totalCents: number, daysAgo: number, status = "paid") {
    const user = await createUser(t.db);
    const provider = await t.db("deliveryProviders").first();
    orderNumber += 1;
    // Noon UTC of that day, so the day never depends on the hour the test runs.
    const day = new Date(now.getTime() - daysAgo * DAY);
    const createdAt = sqlTimestamp(
      new Date(Date.UTC(day.getUTCFullYear(), day.getUTCMonth(), day.getUTCDate(), 0, 30)),
    );
    await t.db("orders").insert({
      userId: user.id,
      status,
      subtotalCents: totalCents - 500,
      shippingCents: 500,
      totalCents,
      deliveryProviderId: provider.id,
      shipName: "X",
      shipLine1: "Y",
      shipCity: "Z",
      shipRegion: "R",
      shipPostalCode: "12345",
      shipCountry: "C",
      idempotencyKey: `dashboard-${engine}-${orderNumber}-${Date.now()}`,
      createdAt,
      updatedAt: createdAt,
    });
  }

  beforeAll(async () => {
    t = await createTestDatabase(engine, { seed: true });
    server = await startTestServer(t.db);
    await order(1_001, 0);
    await order(2_002, 0, "shipped");
    await order(3_003, 0, "delivered");
    await order(99_999, 0, "cancelled");
    await order(4_004, 5);
    await order(5_005, 20);
    await order(7_777, 40);
    // Every demo book well stocked, but one.
    await t.db("books").update({ stock: 50 });
    await insertBook(t.db, { title: "Last Copy Standing", stock: 1 });
  });

  afterAll(async () => {
    await server?.close();
    await t?.destroy();
  });

  it("sums today, 7 and 30 days to the cent, leaving cancelled orders out", async () => {
    const figures = await dashboard(t.db, now);
    expect(figures.today).toEqual({ orders: 3, revenueCents: 6_006 });
    expect(figures.last7Days).toEqual({ orders: 4, revenueCents: 10_010 });
    expect(figures.last30Days).toEqual({ orders: 5, revenueCents: 15_015 });
    expect(figures.lowStock.map((book) => book.title)).toContain("Last Copy Standing");
  });

  it("gives one entry per day for 30 days, zeros included, oldest first", async () => {
    const days = await dailySales(t.db, 30, now);
    expect(days).toHaveLength(30);
    expect(days[29]).toMatchObject({
      day: now.toISOString().slice(0, 10),
      orders: 3,
      revenueCents: 6_006,
    });
    expect(days.filter((day) => day.orders > 0)).toHaveLength(3);
    expect(days[0].day < days[29].day).toBe(true);
  });

  it("draws the chart on the server with a text alternative", async () => {
    const admin = await createUser(t.db, { role: "admin" });
    const staff = new TestClient(server.url);
    await staff.post("/login", { email: admin.email, password: admin.password });
    const html = await (await staff.get("/admin")).text();
    expect(html).toMatch(
      /<svg[^>]*role="img"[^>]*aria-labelledby="sales-chart-title sales-chart-desc"/,
    );
    expect(html.match(/<rect /g)?.length).toBe(30);
    const text = textOf(html);
    expect(text).toContain("Today $60.06 from 3 orders");
    expect(text).toContain("Last 30 days $150.15 from 5 orders");
    expect(text).toContain("$150.15 in the last 30 days");
    expect(text).toMatch(/Last Copy Standing ?: 1 left/);
  });
});
