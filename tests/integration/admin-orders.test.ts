/**
 * Staff handling orders over HTTP, on SQLite and MySQL: the list's filters,
 * search and pages; the moves an order can make (paid → shipped → delivered,
 * paid → cancelled) with their history, audit rows and what the customer then
 * sees; every other move refused with a 409 that changes nothing; a staff
 * cancellation restoring stock and refunding like the customer's own. On
 * MySQL, an admin's shipment races the customer's cancellation.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLogger } from "../../app/lib/logger.server";
import { createMailer } from "../../app/lib/mailer.server";
import {
  createSimulatedGateway,
  TEST_CARDS,
  type PaymentGateway,
} from "../../app/lib/payments.server";
import { addToCart, ensureCart } from "../../app/services/cart.server";
import { placeOrder } from "../../app/services/checkout.server";
import { createTestDatabase, enginesUnderTest, type TestDatabase } from "../helpers/databases";
import { checkoutFields, createUser, insertBook, type TestUser } from "../helpers/fixtures";
import { locationOf, TestClient, textOf } from "../helpers/http-client";
import { startTestServer, type TestServer } from "../helpers/server";

const engines = await enginesUnderTest();

/** The simulated gateway, remembering what the shop asked of it after checkout. */
function recordingGateway(): PaymentGateway & { calls: string[] } {
  const inner = createSimulatedGateway();
  const calls: string[] = [];
  return {
    calls,
    authorize: (request) => inner.authorize(request),
    capture: async (reference) => void calls.push(`capture:${reference}`),
    void: async (reference) => void calls.push(`void:${reference}`),
    refund: async (reference, amountCents) => void calls.push(`refund:${reference}:${amountCents}`),
  };
}

describe.each(engines)("orders in the admin area on %s", (engine) => {
  let t: TestDatabase;
  let server: TestServer;
  let admin: TestUser;
  let staff: TestClient;
  let dhl: number;
  const payments = recordingGateway();

  beforeAll(async () => {
    t = await createTestDatabase(engine, { seed: true });
    server = await startTestServer(t.db, { payments });
    dhl = (await t.db("deliveryProviders").where({ name: "DHL" }).first()).id;
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

  let keys = 0;
  /** An order placed through the checkout service, as admin-inventory.test.ts does. */
  async function placeFor(user: TestUser, lines: Array<[bookId: number, quantity: number]>) {
    const logger = createLogger("silent");
    const cartId = await ensureCart(t.db, { userId: user.id });
    for (const [bookId, quantity] of lines) await addToCart(t.db, cartId, bookId, quantity);
    const { orderId } = await placeOrder(
      {
        db: t.db,
        payments,
        mailer: createMailer({ from: "x@test.invalid", outboxDir: server.outboxDir }, logger, {
          logLinks: false,
        }),
        logger,
        publicUrl: server.url,
      },
      {
        userId: user.id,
        address: { ...checkoutFields(), line2: undefined },
        deliveryProviderId: dhl,
        card: { number: TEST_CARDS.approved, expiry: { month: 12, year: 2039 }, cvc: "123" },
        idempotencyKey: `admin-orders-${engine}-${Date.now()}-${++keys}`,
      },
    );
    return orderId;
  }

  /** A paid order of one copy of a fresh book, and its customer. */
  async function paidOrder(stock = 5, quantity = 1) {
    const bookId = await insertBook(t.db, { stock, priceCents: 1000 });
    const customer = await createUser(t.db);
    const orderId = await placeFor(customer, [[bookId, quantity]]);
    return { orderId, bookId, customer };
  }

  const move = (orderId: number, intent: string, fields: Record<string, string> = {}) =>
    staff.post(`/admin/orders/${orderId}`, { intent, ...fields });
  const orderRow = (id: number) => t.db("orders").where({ id }).first();
  const eventsOf = (orderId: number) =>
    t.db("orderEvents").where({ orderId }).orderBy("id").select("status", "note", "userId");
  const auditOf = (orderId: number) =>
    t
      .db("auditEvents")
      .where({ entityType: "order", entityId: orderId })
      .orderBy("id")
      .select("action", "actorEmail", "before", "after");
  const stockOf = async (bookId: number) =>
    (await t.db("books").where({ id: bookId }).first()).stock as number;
  const movementsOf = (orderId: number) =>
    t
      .db("stockMovements")
      .where({ orderId })
      .orderBy("id")
      .select("bookId", "delta", "reason", "userId");
  const paymentOf = async (orderId: number) =>
    t.db("payments").where({ orderId }).orderBy("id", "desc").first();
  const listText = async (search: string) => {
    const res = await staff.get(`/admin/orders${search}`);
    expect(res.status).toBe(200);
    return textOf(await res.text());
  };

  describe("the list", () => {
    it("filters by status and by day, searches by order number or email, and pages", async () => {
      const bookId = await insertBook(t.db, { stock: 100 });
      const ada = await createUser(t.db, { email: `ada-${engine}-${Date.now()}@orders.test` });
      const old = await placeFor(ada, [[bookId, 2]]);
      const recent = await placeFor(ada, [[bookId, 1]]);
      await t.db("orders").where({ id: old }).update({ createdAt: "2020-01-15 10:00:00" });
      expect((await move(recent, "cancel")).status).toBe(302);

      const byEmail = await listText(`?q=${encodeURIComponent(ada.email.toUpperCase())}`);
      expect(byEmail).toContain("2 orders · page 1 of 1");
      expect(byEmail).toMatch(new RegExp(`#${recent} .*Cancelled 1 .*#${old} .*Paid 2 `));

      const byNumber = await listText(`?q=%23${old}`);
      expect(byNumber).toContain("1 order · page 1 of 1");
      expect(byNumber).toContain(`#${old} Jan 15, 2020`);
      expect(byNumber).toContain(ada.email);

      const oneDay = await listText(`?q=${ada.email}&from=2020-01-15&to=2020-01-15`);
      expect(oneDay).toContain("1 order ·");
      expect(oneDay).toContain(`#${old}`);
      expect(await listText(`?q=${ada.email}&from=2020-01-16`)).toContain("1 order ·");
      expect(await listText(`?q=${ada.email}&to=2020-01-14`)).toContain("0 orders ·");

      const cancelled = await listText(`?q=${ada.email}&status=cancelled`);
      expect(cancelled).toContain("1 order ·");
      expect(cancelled).toContain(`#${recent}`);
      expect(cancelled).not.toContain(`#${old} `);

      // 27 orders of one customer: 25 a page, newest first, so the 1/15/2020 one is last.
      const template = await orderRow(recent);
      for (let i = 0; i < 25; i++) {
        const { id: _id, ...copy } = template;
        await t
          .db("orders")
          .insert({ ...copy, idempotencyKey: `copy-${engine}-${i}-${Date.now()}` });
      }
      const first = await listText(`?q=${ada.email}`);
      expect(first).toContain("27 orders · page 1 of 2");
      expect(first).not.toContain(`#${old} `);
      const second = await listText(`?q=${ada.email}&page=2`);
      expect(second).toContain("page 2 of 2");
      expect(second).toContain(`#${old} `);

      for (const nonsense of [
        "?status=lost&from=yesterday&to=2020-02-31&page=-4",
        "?q=%25%5F!&page=99999",
      ]) {
        expect((await staff.get(`/admin/orders${nonsense}`)).status).toBe(200);
      }
    });
  });

  describe("moving an order", () => {
    it("ships a paid order only with a tracking number; the customer then sees both", async () => {
      const { orderId, customer } = await paidOrder();
      const before = await orderRow(orderId);

      const missing = await move(orderId, "ship", { trackingNumber: "  " });
      expect(missing.status).toBe(400);
      const missingHtml = await missing.text();
      expect(textOf(missingHtml)).toContain("Enter the carrier's tracking number.");
      expect(missingHtml).toMatch(/<input[^>]*name="trackingNumber"[^>]*aria-invalid="true"/);
      expect(textOf(missingHtml)).not.toContain("Use the tracking number as the carrier gives it");
      expect(await orderRow(orderId)).toEqual(before);
      expect((await move(orderId, "ship")).status).toBe(400);
      expect(await eventsOf(orderId)).toHaveLength(1);

      const shipped = await move(orderId, "ship", { trackingNumber: " 1Z999AA10123456784 " });
      expect(shipped.status).toBe(302);
      expect(locationOf(shipped)).toBe(`/admin/orders/${orderId}?notice=shipped`);
      expect(await orderRow(orderId)).toMatchObject({
        status: "shipped",
        trackingNumber: "1Z999AA10123456784",
      });
      expect((await eventsOf(orderId)).at(-1)).toEqual({
        status: "shipped",
        note: "Shipped with DHL, tracking 1Z999AA10123456784",
        userId: admin.id,
      });
      const [audit] = await auditOf(orderId);
      expect(audit).toMatchObject({ action: "order.ship", actorEmail: admin.email });
      expect(JSON.parse(audit.before)).toEqual({ status: "paid", trackingNumber: null });
      expect(JSON.parse(audit.after)).toEqual({
        status: "shipped",
        trackingNumber: "1Z999AA10123456784",
      });

      const mine = textOf(await (await (await signIn(customer)).get(`/orders/${orderId}`)).text());
      expect(mine).toContain("Status: Shipped · Tracking number: 1Z999AA10123456784");
      expect(mine).toContain("Shipped — Shipped with DHL, tracking 1Z999AA10123456784");
      expect(mine).not.toContain("Cancel order");

      const page = textOf(
        await (await staff.get(`/admin/orders/${orderId}?notice=shipped`)).text(),
      );
      expect(page).toContain("The order is shipped");
      expect(page).toContain(`Shipped with DHL, tracking 1Z999AA10123456784 (by ${admin.email})`);
      expect(page).toContain("Mark as delivered");
    });

    it("marks a shipped order delivered", async () => {
      const { orderId, customer } = await paidOrder();
      expect((await move(orderId, "ship", { trackingNumber: "JD014600006281230704" })).status).toBe(
        302,
      );
      const delivered = await move(orderId, "deliver");
      expect(locationOf(delivered)).toBe(`/admin/orders/${orderId}?notice=delivered`);
      expect(await orderRow(orderId)).toMatchObject({
        status: "delivered",
        trackingNumber: "JD014600006281230704",
      });
      expect((await eventsOf(orderId)).map((event) => event.status)).toEqual([
        "paid",
        "shipped",
        "delivered",
      ]);
      const audit = (await auditOf(orderId)).at(-1)!;
      expect(audit.action).toBe("order.deliver");
      expect(JSON.parse(audit.before)).toEqual({ status: "shipped" });
      expect(JSON.parse(audit.after)).toEqual({ status: "delivered" });
      const mine = textOf(await (await (await signIn(customer)).get(`/orders/${orderId}`)).text());
      expect(mine).toContain("Status: Delivered · Tracking number: JD014600006281230704");
    });

    it("refuses every move an order cannot make with a 409 and its reason, changing nothing", async () => {
      const inStatus = async (status: "paid" | "shipped" | "delivered" | "cancelled") => {
        const placed = await paidOrder(5, 2);
        if (status !== "paid" && status !== "cancelled")
          await move(placed.orderId, "ship", { trackingNumber: "1Z0000000000000001" });
        if (status === "delivered") await move(placed.orderId, "deliver");
        if (status === "cancelled") await move(placed.orderId, "cancel");
        expect((await orderRow(placed.orderId)).status).toBe(status);
        return placed;
      };
      const refusals = [
        ["paid", "deliver", "This order has not shipped yet, so it cannot be marked delivered."],
        ["shipped", "ship", "This order is already shipped."],
        ["shipped", "cancel", "This order has already shipped, so it cannot be cancelled."],
        ["delivered", "ship", "This order was already delivered, so it cannot be shipped."],
        ["delivered", "deliver", "This order is already delivered."],
        ["delivered", "cancel", "This order was already delivered, so it cannot be cancelled."],
        ["cancelled", "ship", "This order is cancelled, so it cannot be shipped."],
        ["cancelled", "deliver", "This order is cancelled, so it cannot be marked delivered."],
        ["cancelled", "cancel", "This order is already cancelled."],
      ] as const;
      for (const [status, intent, message] of refusals) {
        const { orderId, bookId } = await inStatus(status);
        const snapshot = async () => ({
          order: await orderRow(orderId),
          events: await eventsOf(orderId),
          audit: await auditOf(orderId),
          stock: await stockOf(bookId),
          movements: await movementsOf(orderId),
          payment: await paymentOf(orderId),
        });
        const before = await snapshot();
        const calls = payments.calls.length;
        const res = await move(orderId, intent, { trackingNumber: "1Z0000000000000002" });
        expect(res.status, `${intent} a ${status} order`).toBe(409);
        expect(textOf(await res.text())).toContain(message);
        expect(await snapshot()).toEqual(before);
        expect(payments.calls.length).toBe(calls);
      }
    });

    it("cancels a paid order: stock back with movements naming the admin, payment refunded", async () => {
      const { orderId, bookId, customer } = await paidOrder(5, 2);
      expect(await stockOf(bookId)).toBe(3);
      const payment = await paymentOf(orderId);
      expect(payment.status).toBe("captured");

      const res = await move(orderId, "cancel", { reason: "Address does not exist" });
      expect(locationOf(res)).toBe(`/admin/orders/${orderId}?notice=refunded`);
      expect(await stockOf(bookId)).toBe(5);
      expect(await movementsOf(orderId)).toEqual([
        { bookId, delta: -2, reason: "sale", userId: customer.id },
        { bookId, delta: 2, reason: "cancellation", userId: admin.id },
      ]);
      expect(await orderRow(orderId)).toMatchObject({ status: "cancelled", trackingNumber: null });
      expect((await paymentOf(orderId)).status).toBe("refunded");
      expect(payments.calls).toContain(`refund:${payment.reference}:${payment.amountCents}`);
      expect((await eventsOf(orderId)).at(-1)).toEqual({
        status: "cancelled",
        note: "Cancelled by the shop: Address does not exist",
        userId: admin.id,
      });
      const [audit] = await auditOf(orderId);
      expect(audit.action).toBe("order.cancel");
      expect(JSON.parse(audit.before)).toEqual({ status: "paid" });
      expect(JSON.parse(audit.after)).toEqual({
        status: "cancelled",
        reason: "Address does not exist",
      });

      const mine = textOf(await (await (await signIn(customer)).get(`/orders/${orderId}`)).text());
      expect(mine).toContain("Status: Cancelled");
      expect(mine).toContain("Cancelled — Cancelled by the shop: Address does not exist");
      const page = textOf(await (await staff.get(locationOf(res))).text());
      expect(page).toContain("the payment was refunded");
      expect(page).toContain("Visa ending in 4242 · $44.90 · refunded");
    });

    it("voids a payment that was only authorized, as the customer's cancel does", async () => {
      const { orderId } = await paidOrder();
      await t.db("payments").where({ orderId }).update({ status: "authorized" });
      const { reference } = await paymentOf(orderId);
      const res = await move(orderId, "cancel");
      expect(locationOf(res)).toBe(`/admin/orders/${orderId}?notice=voided`);
      expect((await paymentOf(orderId)).status).toBe("voided");
      expect(payments.calls).toContain(`void:${reference}`);
      expect((await eventsOf(orderId)).at(-1)?.note).toBe("Cancelled by the shop");
    });

    it("shows an order's details: lines, totals, address, customer, provider and payment", async () => {
      const { orderId, customer } = await paidOrder(5, 3);
      const page = textOf(await (await staff.get(`/admin/orders/${orderId}`)).text());
      expect(page).toContain(`Order #${orderId}`);
      expect(page).toContain("Status: Paid");
      expect(page).toMatch(/Untitled Fixture \$10\.00 3 \$30\.00/);
      expect(page).toContain("Subtotal $30.00 Delivery (DHL) $24.90 Total $54.90");
      expect(page).toContain(`${customer.name} ${customer.email}`);
      expect(page).toContain("Ada Lovelace 12 St James's Square London, Greater London SW1Y 4JH");
      expect(page).toContain("By DHL (International");
      expect(page).toContain("Visa ending in 4242 · $54.90 · captured");
      expect(page).toContain("Paid — Order placed");
      expect(page).toContain("Mark as shipped");
      expect(page).toContain("Cancel order");
    });

    it("answers an unknown order with 404, from the page and the action", async () => {
      expect((await staff.get("/admin/orders/99999999")).status).toBe(404);
      expect((await move(99999999, "deliver")).status).toBe(404);
      expect((await staff.get("/admin/orders/abc")).status).toBe(404);
    });
  });

  it.runIf(engine === "mysql")(
    "lets exactly one of an admin's shipment and the customer's cancellation win",
    async () => {
      const bookId = await insertBook(t.db, { stock: 40 });
      const customer = await createUser(t.db);
      const shopper = await signIn(customer);
      const orders: number[] = [];
      for (let i = 0; i < 10; i++) orders.push(await placeFor(customer, [[bookId, 2]]));
      expect(await stockOf(bookId)).toBe(20);

      const outcomes = await Promise.all(
        orders.map(async (orderId, i) => {
          const tracking = `RACE${i}X000000000`;
          const shipping = () => move(orderId, "ship", { trackingNumber: tracking });
          const cancelling = () => shopper.post(`/orders/${orderId}`, { intent: "cancel" });
          // Each side sends first half of the time, so both get their chances to win.
          const [ship, cancel] =
            i % 2 === 0
              ? await Promise.all([shipping(), cancelling()])
              : await Promise.all([cancelling(), shipping()]).then(([c, s]) => [s, c]);
          return { orderId, tracking, ship: ship.status, cancel: cancel.status };
        }),
      );

      let shippedCount = 0;
      for (const { orderId, tracking, ship, cancel } of outcomes) {
        expect([ship, cancel].sort()).toEqual([302, 409]);
        const order = await orderRow(orderId);
        const events = (await eventsOf(orderId)).map((event) => event.status);
        const reasons = (await movementsOf(orderId)).map((movement) => movement.reason);
        const payment = await paymentOf(orderId);
        if (ship === 302) {
          shippedCount++;
          expect(order).toMatchObject({ status: "shipped", trackingNumber: tracking });
          expect(events).toEqual(["paid", "shipped"]);
          expect(reasons).toEqual(["sale"]);
          expect(payment.status).toBe("captured");
        } else {
          expect(order).toMatchObject({ status: "cancelled", trackingNumber: null });
          expect(events).toEqual(["paid", "cancelled"]);
          expect(reasons).toEqual(["sale", "cancellation"]);
          expect(payment.status).toBe("refunded");
        }
      }
      expect(await stockOf(bookId)).toBe(40 - 2 * shippedCount);
      const sum = await t.db("stockMovements").where({ bookId }).sum({ n: "delta" }).first();
      expect(40 + Number(sum?.n)).toBe(await stockOf(bookId));
    },
  );
});
