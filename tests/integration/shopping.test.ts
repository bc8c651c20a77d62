/**
 * The shop's services against real databases (SQLite and MySQL): accounts,
 * sessions, carts, checkout and orders, each rule with the rows it writes.
 * On MySQL also the races: twenty buyers for five books, and one checkout
 * form submitted twice at once.
 */
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  ConflictError,
  NotFoundError,
  OutOfStockError,
  PaymentDeclinedError,
} from "../../app/lib/domain-errors.server";
import { createLogger } from "../../app/lib/logger.server";
import { createMailer } from "../../app/lib/mailer.server";
import {
  createSimulatedGateway,
  TEST_CARDS,
  type PaymentGateway,
} from "../../app/lib/payments.server";
import { createSessionStore, deleteSessionsOf } from "../../app/lib/session.server";
import {
  AccountFieldError,
  authenticate,
  changePassword,
  register,
} from "../../app/services/accounts.server";
import {
  addToCart,
  cartCount,
  ensureCart,
  getCart,
  mergeGuestCart,
  QuantityError,
  setQuantity,
} from "../../app/services/cart.server";
import { placeOrder, type CheckoutDependencies } from "../../app/services/checkout.server";
import { cancelOrder, getOrder, listOrders } from "../../app/services/orders.server";
import { createTestDatabase, enginesUnderTest, type TestDatabase } from "../helpers/databases";
import { createUser, insertBook } from "../helpers/fixtures";

const engines = await enginesUnderTest();

const address = {
  fullName: "Ada Lovelace",
  line1: "12 St James's Square",
  city: "London",
  region: "Greater London",
  postalCode: "SW1Y 4JH",
  country: "United Kingdom",
};
const card = (number: string = TEST_CARDS.approved) => ({
  number,
  expiry: { month: 12, year: 2039 },
  cvc: "123",
});
let keys = 0;
const newKey = () => `test-key-${process.pid}-${Date.now()}-${++keys}`;

describe.each(engines)("shopping on %s", (engine) => {
  let t: TestDatabase;
  let outboxDir: string;
  let deps: CheckoutDependencies;
  let providerId: number;
  const payments: PaymentGateway & { calls: string[] } = {
    calls: [],
    ...createSimulatedGateway(),
  };
  for (const method of ["capture", "void", "refund"] as const) {
    payments[method] = async (reference: string) => {
      payments.calls.push(`${method}:${reference}`);
    };
  }

  beforeAll(async () => {
    t = await createTestDatabase(engine, { seed: true });
    outboxDir = await fs.mkdtemp(path.join(os.tmpdir(), "bookstore-outbox-"));
    const logger = createLogger("silent");
    deps = {
      db: t.db,
      payments,
      mailer: createMailer({ from: "shop@test.invalid", outboxDir }, logger, { logLinks: false }),
      logger,
      publicUrl: "http://shop.test",
    };
    providerId = (await t.db("deliveryProviders").where({ name: "DHL" }).first()).id;
  });

  afterAll(async () => {
    await t?.destroy();
    await fs.rm(outboxDir, { recursive: true, force: true });
  });

  /** A user whose cart holds `lines` (book id → quantity). */
  async function shopperWith(lines: Record<number, number>) {
    const user = await createUser(t.db);
    const cartId = await ensureCart(t.db, { userId: user.id });
    for (const [bookId, quantity] of Object.entries(lines)) {
      await addToCart(t.db, cartId, Number(bookId), quantity);
    }
    return { user, cartId };
  }

  const stockOf = async (bookId: number) =>
    Number((await t.db("books").select("stock").where({ id: bookId }).first()).stock);
  const movementsOf = (bookId: number) =>
    t.db("stockMovements").where({ bookId }).orderBy("id").select("delta", "reason", "orderId");

  describe("accounts", () => {
    it("stores emails lower-cased and refuses the same email in another case", async () => {
      const email = `Mixed.Case-${engine}-${Date.now()}@Example.COM`;
      const { id } = await register(t.db, {
        email,
        name: "Mixed",
        password: "a-long-passphrase-1",
      });
      expect((await t.db("users").where({ id }).first()).email).toBe(email.toLowerCase());
      await expect(
        register(t.db, {
          email: email.toUpperCase(),
          name: "Again",
          password: "another-passphrase",
        }),
      ).rejects.toBeInstanceOf(AccountFieldError);
      expect(await authenticate(t.db, email.toUpperCase(), "a-long-passphrase-1")).toEqual({ id });
    });

    it("says null alike for an unknown email, a wrong password and a disabled account", async () => {
      const user = await createUser(t.db);
      expect(await authenticate(t.db, "nobody-here@example.com", user.password)).toBeNull();
      expect(await authenticate(t.db, user.email, `${user.password}x`)).toBeNull();
      expect(await authenticate(t.db, user.email, user.password)).toEqual({ id: user.id });
      await t.db("users").where({ id: user.id }).update({ disabledAt: "2026-01-01 00:00:00" });
      expect(await authenticate(t.db, user.email, user.password)).toBeNull();
    });

    it("changes a password only with the current one, ending the other sessions", async () => {
      const user = await createUser(t.db);
      const store = createSessionStore(t.db, { secrets: ["s".repeat(32)], secure: false });
      const ids: string[] = [];
      for (let i = 0; i < 3; i++) {
        const session = await store.getSession(null);
        session.set("userId", user.id);
        const cookie = await store.commitSession(session);
        ids.push((await store.getSession(cookie.split(";")[0])).id);
      }
      await expect(
        changePassword(t.db, user.id, {
          currentPassword: "wrong-password-x",
          newPassword: "a-brand-new-passphrase",
          keepSessionId: ids[0],
        }),
      ).rejects.toMatchObject({ field: "currentPassword" });
      await changePassword(t.db, user.id, {
        currentPassword: user.password,
        newPassword: "a-brand-new-passphrase",
        keepSessionId: ids[0],
      });
      expect(await t.db("sessions").where({ userId: user.id }).pluck("id")).toEqual([ids[0]]);
      expect(await authenticate(t.db, user.email, "a-brand-new-passphrase")).toEqual({
        id: user.id,
      });
    });
  });

  describe("sessions", () => {
    const store = () => createSessionStore(t.db, { secrets: ["a".repeat(40)], secure: true });

    it("keeps only a signed id in an HttpOnly, SameSite=Lax, Secure cookie", async () => {
      const user = await createUser(t.db);
      const session = await store().getSession(null);
      session.set("userId", user.id);
      const setCookie = await store().commitSession(session);
      expect(setCookie).toMatch(/^__session=/);
      expect(setCookie).toMatch(/HttpOnly/i);
      expect(setCookie).toMatch(/SameSite=Lax/i);
      expect(setCookie).toMatch(/Secure/i);
      expect(setCookie).toMatch(/Max-Age=2592000/);
      const value = Buffer.from(
        decodeURIComponent(setCookie.split(/[=;]/)[1]),
        "base64",
      ).toString();
      // The cookie's value is the JSON of a random id, then the signature; no session data.
      expect(value).toMatch(/^"[A-Za-z0-9_-]{43}"/);
      expect(value).not.toContain("userId");
      const row = await t.db("sessions").where({ userId: user.id }).first();
      expect(JSON.parse(row.data)).toEqual({ userId: user.id });
    });

    it("ignores a cookie signed with another secret, tampered with, or whose row is gone", async () => {
      const session = await store().getSession(null);
      session.set("cartId", 1);
      const cookie = (await store().commitSession(session)).split(";")[0];
      expect((await store().getSession(cookie)).get("cartId")).toBe(1);

      const other = createSessionStore(t.db, { secrets: ["b".repeat(40)], secure: true });
      expect((await other.getSession(cookie)).data).toEqual({});
      const tampered = cookie.slice(0, -3) + (cookie.endsWith("A") ? "B" : "A") + cookie.slice(-2);
      expect((await store().getSession(tampered)).data).toEqual({});

      const id = (await store().getSession(cookie)).id;
      await t.db("sessions").where({ id }).delete();
      const revived = await store().getSession(cookie);
      expect(revived.data).toEqual({});
      expect(revived.id).toBe(""); // a new id when it is next saved, never the revoked one
    });

    it("accepts cookies signed with an older secret during a rotation", async () => {
      const old = createSessionStore(t.db, { secrets: ["old".padEnd(40, "o")], secure: false });
      const rotated = createSessionStore(t.db, {
        secrets: ["new".padEnd(40, "n"), "old".padEnd(40, "o")],
        secure: false,
      });
      const session = await old.getSession(null);
      session.set("cartId", 7);
      const cookie = (await old.commitSession(session)).split(";")[0];
      expect((await rotated.getSession(cookie)).get("cartId")).toBe(7);
    });

    it("treats an expired session as none", async () => {
      const session = await store().getSession(null);
      session.set("cartId", 9);
      const cookie = (await store().commitSession(session)).split(";")[0];
      const id = (await store().getSession(cookie)).id;
      await t.db("sessions").where({ id }).update({ expiresAt: "2000-01-01 00:00:00" });
      expect((await store().getSession(cookie)).data).toEqual({});
    });

    it("ends every session of a user at once", async () => {
      const user = await createUser(t.db);
      for (let i = 0; i < 2; i++) {
        const session = await store().getSession(null);
        session.set("userId", user.id);
        await store().commitSession(session);
      }
      expect(await deleteSessionsOf(t.db, user.id)).toBe(2);
      expect(
        await t.db("sessions").where({ userId: user.id }).count({ n: "*" }).first(),
      ).toMatchObject({
        n: expect.anything(),
      });
      expect(await t.db("sessions").where({ userId: user.id }).pluck("id")).toEqual([]);
    });
  });

  describe("cart", () => {
    it("adds, caps at stock and at 99, and reads prices from the books", async () => {
      const bookId = await insertBook(t.db, { stock: 3, priceCents: 1500 });
      const plenty = await insertBook(t.db, { stock: 500, priceCents: 100 });
      const { user, cartId } = await shopperWith({ [bookId]: 2 });
      await expect(addToCart(t.db, cartId, bookId, 2)).rejects.toThrow(
        /Only 3 of .* left \(you already have 2 in your cart\)/,
      );
      await expect(addToCart(t.db, cartId, plenty, 100)).rejects.toBeInstanceOf(QuantityError);
      await addToCart(t.db, cartId, plenty, 99);
      await expect(addToCart(t.db, cartId, plenty, 1)).rejects.toThrow(/at most 99/);
      await expect(setQuantity(t.db, cartId, bookId, 4)).rejects.toBeInstanceOf(QuantityError);
      await setQuantity(t.db, cartId, bookId, 3);

      await t.db("books").where({ id: bookId }).update({ priceCents: 1700 });
      const cart = await getCart(t.db, cartId);
      expect(cart.lines.find((line) => line.bookId === bookId)).toMatchObject({
        quantity: 3,
        unitPriceCents: 1700,
        lineTotalCents: 5100,
      });
      expect(cart.subtotalCents).toBe(5100 + 9900);
      expect(await cartCount(t.db, { userId: user.id })).toBe(102);
    });

    it("refuses archived, unknown and sold-out books with a clear message", async () => {
      const archived = await insertBook(t.db, { archivedAt: "2020-01-01 00:00:00" });
      const soldOut = await insertBook(t.db, { stock: 0 });
      const { cartId } = await shopperWith({});
      await expect(addToCart(t.db, cartId, archived, 1)).rejects.toThrow(NotFoundError);
      await expect(addToCart(t.db, cartId, 999_999, 1)).rejects.toThrow(
        "That book is not for sale.",
      );
      await expect(addToCart(t.db, cartId, soldOut, 1)).rejects.toThrow(/sold out/);
    });

    it("merges a guest cart at sign-in: quantities summed, capped by stock, guest cart gone", async () => {
      const a = await insertBook(t.db, { stock: 4 });
      const b = await insertBook(t.db, { stock: 10 });
      const gone = await insertBook(t.db, { stock: 5 });
      const { user, cartId: userCart } = await shopperWith({ [a]: 3 });
      const guestCart = await ensureCart(t.db, { guestCartId: undefined });
      await addToCart(t.db, guestCart, a, 2);
      await addToCart(t.db, guestCart, b, 2);
      await addToCart(t.db, guestCart, gone, 1);
      await t.db("books").where({ id: gone }).update({ archivedAt: "2026-01-01 00:00:00" });

      await mergeGuestCart(t.db, guestCart, user.id);
      const merged = await getCart(t.db, userCart);
      expect(Object.fromEntries(merged.lines.map((line) => [line.bookId, line.quantity]))).toEqual({
        [a]: 4,
        [b]: 2,
      });
      expect(await t.db("carts").where({ id: guestCart }).first()).toBeUndefined();
      expect(await t.db("cartItems").where({ cartId: guestCart }).first()).toBeUndefined();
    });
  });

  describe("checkout", () => {
    it("writes the order, its lines, the payment, the stock movements and empties the cart", async () => {
      const bookId = await insertBook(t.db, { title: "Placed Volume", stock: 5, priceCents: 1250 });
      const { user, cartId } = await shopperWith({ [bookId]: 2 });
      const { orderId, created } = await placeOrder(deps, {
        userId: user.id,
        address,
        deliveryProviderId: providerId,
        card: card(),
        idempotencyKey: newKey(),
      });
      expect(created).toBe(true);
      const order = await t.db("orders").where({ id: orderId }).first();
      expect(order).toMatchObject({
        userId: user.id,
        status: "paid",
        subtotalCents: 2500,
        shippingCents: 2490,
        totalCents: 4990,
        shipName: "Ada Lovelace",
      });
      expect(
        await t.db("orderItems").where({ orderId }).select("title", "unitPriceCents", "quantity"),
      ).toEqual([{ title: "Placed Volume", unitPriceCents: 1250, quantity: 2 }]);
      expect(await stockOf(bookId)).toBe(3);
      expect(await movementsOf(bookId)).toEqual([{ delta: -2, reason: "sale", orderId }]);
      const payment = await t.db("payments").where({ orderId }).first();
      expect(payment).toMatchObject({
        cardBrand: "Visa",
        cardLast4: "4242",
        amountCents: 4990,
        status: "captured",
      });
      expect(JSON.stringify(payment)).not.toContain(TEST_CARDS.approved);
      expect((await getCart(t.db, cartId)).lines).toEqual([]);
      expect((await getOrder(t.db, user.id, orderId)).history).toMatchObject([{ status: "paid" }]);

      const mails = await Promise.all(
        (await fs.readdir(outboxDir)).map(async (name) =>
          JSON.parse(await fs.readFile(path.join(outboxDir, name), "utf8")),
        ),
      );
      const confirmation = mails.find(
        (mail) => mail.subject === `Your Bookstore order #${orderId}`,
      );
      expect(confirmation?.to).toEqual([{ address: user.email, name: "" }]);
      expect(confirmation?.text).toContain(`http://shop.test/orders/${orderId}`);
    });

    it("writes nothing when the card is declined: stock and cart stay", async () => {
      const bookId = await insertBook(t.db, { stock: 5 });
      const { user, cartId } = await shopperWith({ [bookId]: 1 });
      const before = await t.db("orders").count({ n: "*" }).first();
      for (const number of [TEST_CARDS.declined, TEST_CARDS.insufficientFunds]) {
        await expect(
          placeOrder(deps, {
            userId: user.id,
            address,
            deliveryProviderId: providerId,
            card: card(number),
            idempotencyKey: newKey(),
          }),
        ).rejects.toBeInstanceOf(PaymentDeclinedError);
      }
      expect(await t.db("orders").count({ n: "*" }).first()).toEqual(before);
      expect(await stockOf(bookId)).toBe(5);
      expect(await movementsOf(bookId)).toEqual([]);
      expect((await getCart(t.db, cartId)).lines).toHaveLength(1);
    });

    it("writes nothing when a line is short, naming the book and what is left", async () => {
      const plenty = await insertBook(t.db, { stock: 9 });
      const scarce = await insertBook(t.db, { title: "Scarce Title", stock: 3 });
      const { user, cartId } = await shopperWith({ [plenty]: 1, [scarce]: 3 });
      await t.db("books").where({ id: scarce }).update({ stock: 1 });
      const error = await placeOrder(deps, {
        userId: user.id,
        address,
        deliveryProviderId: providerId,
        card: card(),
        idempotencyKey: newKey(),
      }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(OutOfStockError);
      expect((error as OutOfStockError).message).toBe(
        "Not enough stock: you asked for 3 of “Scarce Title”, and only 1 is left.",
      );
      expect(await stockOf(plenty)).toBe(9);
      expect(await movementsOf(plenty)).toEqual([]);
      expect((await getCart(t.db, cartId)).lines).toHaveLength(2);
    });

    it("rolls back and voids the hold when stock runs out inside the transaction", async () => {
      const bookId = await insertBook(t.db, { stock: 2 });
      const { user } = await shopperWith({ [bookId]: 2 });
      // The pre-check passes; then someone else takes the stock before our transaction.
      const racing: PaymentGateway = {
        ...payments,
        async authorize(request) {
          await t.db("books").where({ id: bookId }).update({ stock: 1 });
          return payments.authorize(request);
        },
      };
      const key = newKey();
      await expect(
        placeOrder(
          { ...deps, payments: racing },
          {
            userId: user.id,
            address,
            deliveryProviderId: providerId,
            card: card(),
            idempotencyKey: key,
          },
        ),
      ).rejects.toBeInstanceOf(OutOfStockError);
      expect(await t.db("orders").where({ idempotencyKey: key }).first()).toBeUndefined();
      expect(await stockOf(bookId)).toBe(1);
      expect(payments.calls.some((call) => call.startsWith("void:"))).toBe(true);
    });

    it("answers a repeated submission with the order it already placed", async () => {
      const bookId = await insertBook(t.db, { stock: 5 });
      const { user } = await shopperWith({ [bookId]: 1 });
      const request = {
        userId: user.id,
        address,
        deliveryProviderId: providerId,
        card: card(),
        idempotencyKey: newKey(),
      };
      const first = await placeOrder(deps, request);
      const again = await placeOrder(deps, request);
      expect(again).toEqual({ orderId: first.orderId, created: false });
      expect(await stockOf(bookId)).toBe(4);

      const stranger = await createUser(t.db);
      await expect(placeOrder(deps, { ...request, userId: stranger.id })).rejects.toBeInstanceOf(
        ConflictError,
      );
    });

    it("refuses an empty cart and an inactive delivery provider", async () => {
      const { user } = await shopperWith({});
      await expect(
        placeOrder(deps, {
          userId: user.id,
          address,
          deliveryProviderId: providerId,
          card: card(),
          idempotencyKey: newKey(),
        }),
      ).rejects.toThrow(/cart is empty/);
      const bookId = await insertBook(t.db, { stock: 5 });
      const shopper = await shopperWith({ [bookId]: 1 });
      const [inactive] = await t.db("deliveryProviders").insert({
        name: `Gone ${newKey()}`,
        coverageArea: "Nowhere",
        costCents: 100,
        active: false,
      });
      await expect(
        placeOrder(deps, {
          userId: shopper.user.id,
          address,
          deliveryProviderId: Number(inactive),
          card: card(),
          idempotencyKey: newKey(),
        }),
      ).rejects.toThrow(/no longer available/);
    });
  });

  describe("orders", () => {
    async function placed(stock = 5, quantity = 2) {
      const bookId = await insertBook(t.db, { stock });
      const { user } = await shopperWith({ [bookId]: quantity });
      const { orderId } = await placeOrder(deps, {
        userId: user.id,
        address,
        deliveryProviderId: providerId,
        card: card(),
        idempotencyKey: newKey(),
      });
      return { bookId, user, orderId };
    }

    it("lists a shopper's orders newest first, and no one else's", async () => {
      const { user, orderId: first, bookId } = await placed(10, 1);
      const cartId = await ensureCart(t.db, { userId: user.id });
      await addToCart(t.db, cartId, bookId, 3);
      const { orderId: second } = await placeOrder(deps, {
        userId: user.id,
        address,
        deliveryProviderId: providerId,
        card: card(),
        idempotencyKey: newKey(),
      });
      const orders = await listOrders(t.db, user.id);
      expect(orders.map((order) => order.id)).toEqual([second, first]);
      expect(orders[0]).toMatchObject({ status: "paid", itemCount: 3 });
      const other = await createUser(t.db);
      expect(await listOrders(t.db, other.id)).toEqual([]);
      await expect(getOrder(t.db, other.id, first)).rejects.toBeInstanceOf(NotFoundError);
    });

    it("cancels a paid order: stock back with movements, payment refunded, history kept", async () => {
      const { bookId, user, orderId } = await placed(5, 2);
      expect(await stockOf(bookId)).toBe(3);
      await cancelOrder(deps, user.id, orderId);
      expect(await stockOf(bookId)).toBe(5);
      expect(await movementsOf(bookId)).toEqual([
        { delta: -2, reason: "sale", orderId },
        { delta: 2, reason: "cancellation", orderId },
      ]);
      const order = await getOrder(t.db, user.id, orderId);
      expect(order.status).toBe("cancelled");
      expect(order.canCancel).toBe(false);
      expect(order.history.map((event) => event.status)).toEqual(["paid", "cancelled"]);
      expect(order.payment?.status).toBe("refunded");
      await expect(cancelOrder(deps, user.id, orderId)).rejects.toThrow("already cancelled");
      expect(await stockOf(bookId)).toBe(5);
    });

    it("does not cancel a shipped order, nor anyone else's", async () => {
      const { bookId, user, orderId } = await placed(5, 1);
      const other = await createUser(t.db);
      await expect(cancelOrder(deps, other.id, orderId)).rejects.toBeInstanceOf(NotFoundError);
      await t.db("orders").where({ id: orderId }).update({ status: "shipped" });
      await expect(cancelOrder(deps, user.id, orderId)).rejects.toThrow(/already shipped/);
      expect(await stockOf(bookId)).toBe(4);
    });
  });

  describe.runIf(engine === "mysql")("under concurrency", () => {
    it("sells exactly the stock to twenty buyers at once: five orders, stock 0, five movements", async () => {
      const bookId = await insertBook(t.db, { title: "Contested Copy", stock: 20 });
      const buyers = await Promise.all(
        Array.from({ length: 20 }, () => shopperWith({ [bookId]: 1 })),
      );
      await t.db("books").where({ id: bookId }).update({ stock: 5 });

      const results = await Promise.allSettled(
        buyers.map(({ user }) =>
          placeOrder(deps, {
            userId: user.id,
            address,
            deliveryProviderId: providerId,
            card: card(),
            idempotencyKey: newKey(),
          }),
        ),
      );
      const placedOrders = results.filter((r) => r.status === "fulfilled");
      const refused = results
        .filter((r) => r.status === "rejected")
        .map((r) => (r as PromiseRejectedResult).reason);
      expect(placedOrders).toHaveLength(5);
      expect(refused).toHaveLength(15);
      for (const reason of refused) {
        expect(reason).toBeInstanceOf(OutOfStockError);
        expect(String(reason.message)).toMatch(/Not enough stock/);
      }
      expect(await stockOf(bookId)).toBe(0);
      expect(await movementsOf(bookId)).toHaveLength(5);
      const sold = await t.db("orderItems").where({ bookId }).sum({ n: "quantity" }).first();
      expect(Number(sold?.n)).toBe(5);
    });

    it("places one order when the same form is submitted twice at once", async () => {
      const bookId = await insertBook(t.db, { stock: 5 });
      const { user } = await shopperWith({ [bookId]: 2 });
      const request = {
        userId: user.id,
        address,
        deliveryProviderId: providerId,
        card: card(),
        idempotencyKey: newKey(),
      };
      const [a, b] = await Promise.all([placeOrder(deps, request), placeOrder(deps, request)]);
      expect(a.orderId).toBe(b.orderId);
      expect([a.created, b.created].sort()).toEqual([false, true]);
      expect(
        await t
          .db("orders")
          .where({ idempotencyKey: request.idempotencyKey })
          .count({ n: "*" })
          .first(),
      ).toMatchObject({ n: 1 });
      expect(await stockOf(bookId)).toBe(3);
      expect(
        payments.calls.filter((call) => call.startsWith("void:")).length,
      ).toBeGreaterThanOrEqual(0);
    });
  });
});
