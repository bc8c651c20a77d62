/**
 * A shopper's whole life over real HTTP, as a browser without JavaScript
 * would live it (forms posted, redirects followed by hand, cookies kept):
 * joining, signing in and out, the account page, a password reset by e-mail,
 * the cart, checkout and orders. On SQLite and MySQL.
 */
import fs from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, enginesUnderTest, type TestDatabase } from "../helpers/databases";
import { checkoutFields, createUser, insertBook, type TestUser } from "../helpers/fixtures";
import { inputValue, locationOf, TestClient, textOf } from "../helpers/http-client";
import { startTestServer, type TestServer } from "../helpers/server";

const engines = await enginesUnderTest();

describe.each(engines)("a shopper over HTTP on %s", (engine) => {
  let t: TestDatabase;
  let server: TestServer;
  let dhl: number;

  beforeAll(async () => {
    t = await createTestDatabase(engine, { seed: true });
    server = await startTestServer(t.db);
    dhl = (await t.db("deliveryProviders").where({ name: "DHL" }).first()).id;
  });

  afterAll(async () => {
    await server?.close();
    await t?.destroy();
  });

  const client = () => new TestClient(server.url);
  async function signedIn(user?: TestUser) {
    const account = user ?? (await createUser(t.db));
    const browser = client();
    const res = await browser.post("/login", { email: account.email, password: account.password });
    expect(res.status).toBe(302);
    return { browser, user: account };
  }
  const page = async (browser: TestClient, pathname: string) => {
    const res = await browser.get(pathname);
    return { status: res.status, text: textOf(await res.text()), res };
  };
  async function mails() {
    const names = await fs.readdir(server.outboxDir).catch(() => [] as string[]);
    return Promise.all(
      names
        .filter((name) => name.endsWith(".json"))
        .map(async (name) =>
          JSON.parse(await fs.readFile(path.join(server.outboxDir, name), "utf8")),
        ),
    ) as Promise<Array<{ to: Array<{ address: string }>; subject: string; text: string }>>;
  }

  describe("accounts", () => {
    it("joins, lands signed in, and keeps the email lower-cased", async () => {
      const browser = client();
      const email = `Join.Me-${engine}-${Date.now()}@Example.com`;
      const res = await browser.post("/join", {
        name: "Grace Hopper",
        email,
        password: "compilers-are-friends",
      });
      expect(res.status).toBe(302);
      expect(locationOf(res)).toBe("/");
      const account = await page(browser, "/account");
      expect(account.status).toBe(200);
      expect(account.text).toContain(`Signed in as ${email.toLowerCase()}`);
      expect(account.text).toContain("Sign out");
    });

    it("answers a duplicate email, a short or common password with field errors, keeping the input", async () => {
      const existing = await createUser(t.db);
      const duplicate = await client().post("/join", {
        name: "Someone",
        email: existing.email.toUpperCase(),
        password: "another-long-passphrase",
      });
      expect(duplicate.status).toBe(400);
      const html = await duplicate.text();
      expect(textOf(html)).toContain("An account with this email already exists.");
      expect(html).toMatch(
        /<input[^>]*aria-invalid="true"[^>]*name="email"|name="email"[^>]*aria-invalid="true"/,
      );
      expect(inputValue(html, "name")).toBe("Someone");
      expect(html).not.toContain("another-long-passphrase");

      for (const [password, message] of [
        ["short", "Use at least 10 characters."],
        ["password123", "That password is too common."],
      ]) {
        const res = await client().post("/join", {
          name: "X",
          email: `x-${Date.now()}@example.com`,
          password,
        });
        expect(res.status).toBe(400);
        expect(textOf(await res.text())).toContain(message);
      }
    });

    it("signs in with the same message for an unknown email and a wrong password", async () => {
      const user = await createUser(t.db);
      const wrong = await client().post("/login", {
        email: user.email,
        password: "not-the-password",
      });
      const unknown = await client().post("/login", {
        email: "nobody@example.com",
        password: user.password,
      });
      for (const res of [wrong, unknown]) {
        expect(res.status).toBe(400);
        const html = await res.text();
        expect(textOf(html)).toContain("That email and password do not match an account.");
        expect(html).not.toContain("not-the-password");
      }
    });

    it("gives a new session id at sign-in and deletes the guest's (no fixation)", async () => {
      const bookId = await insertBook(t.db, { stock: 5 });
      const browser = client();
      await browser.post("/cart", { intent: "add", bookId, quantity: 1 });
      const guestCookie = browser.cookies.get("__session");
      expect(guestCookie).toBeTruthy();
      const guestRows = await t.db("sessions").whereNull("userId").count({ n: "*" }).first();

      const user = await createUser(t.db);
      const res = await browser.post("/login", {
        email: user.email,
        password: user.password,
        redirectTo: "/cart",
      });
      expect(locationOf(res)).toBe("/cart");
      expect(browser.cookies.get("__session")).not.toBe(guestCookie);
      expect(
        Number((await t.db("sessions").whereNull("userId").count({ n: "*" }).first())?.n),
      ).toBe(Number(guestRows?.n) - 1);
      // The planted guest cookie is worth nothing now.
      const attacker = client();
      attacker.cookies.set("__session", guestCookie!);
      expect((await attacker.get("/account")).status).toBe(302);
      // And the guest's book came along into the account's cart.
      expect((await page(browser, "/cart")).text).toContain("Subtotal (1 book)");
    });

    it("sends guests to sign in and back, for pages that need an account", async () => {
      for (const pathname of ["/account", "/orders", "/checkout", "/orders/1"]) {
        const res = await client().get(pathname);
        expect(res.status).toBe(302);
        expect(locationOf(res)).toBe(`/login?redirectTo=${encodeURIComponent(pathname)}`);
      }
    });

    it("signs out with a POST only, and the old cookie stops working", async () => {
      const { browser } = await signedIn();
      const cookie = browser.cookies.get("__session")!;
      const confirm = await page(browser, "/logout");
      expect(confirm.status).toBe(200);
      expect(confirm.text).toContain("Sign out?");
      const res = await browser.post("/logout", {});
      expect(res.status).toBe(302);
      expect(res.headers.get("set-cookie")).toMatch(/__session=;.*Expires=Thu, 01 Jan 1970/i);
      const replay = client();
      replay.cookies.set("__session", cookie);
      expect((await replay.get("/account")).status).toBe(302);
    });

    it("stops a disabled user's sessions on the next request", async () => {
      const { browser, user } = await signedIn();
      expect((await browser.get("/account")).status).toBe(200);
      await t.db("users").where({ id: user.id }).update({ disabledAt: "2026-01-01 00:00:00" });
      expect((await browser.get("/account")).status).toBe(302);
      const again = await client().post("/login", { email: user.email, password: user.password });
      expect(again.status).toBe(400);
    });

    it("changes the name and the password, and signs out everywhere", async () => {
      const { browser, user } = await signedIn();
      const { browser: otherDevice } = await signedIn(user);

      const renamed = await browser.post("/account", { intent: "name", name: "Renamed Reader" });
      expect(renamed.status).toBe(200);
      expect(textOf(await renamed.text())).toContain("Your name was saved.");

      const wrong = await browser.post("/account", {
        intent: "password",
        currentPassword: "not-my-password",
        newPassword: "a-fresh-long-passphrase",
      });
      expect(wrong.status).toBe(400);
      expect(textOf(await wrong.text())).toContain("That is not your current password.");

      const changed = await browser.post("/account", {
        intent: "password",
        currentPassword: user.password,
        newPassword: "a-fresh-long-passphrase",
      });
      expect(changed.status).toBe(200);
      expect((await browser.get("/account")).status).toBe(200);
      expect((await otherDevice.get("/account")).status).toBe(302);

      const { browser: third } = await signedIn({ ...user, password: "a-fresh-long-passphrase" });
      const everywhere = await browser.post("/account", { intent: "sign-out-everywhere" });
      expect(locationOf(everywhere)).toBe("/login?notice=signed-out");
      expect((await browser.get("/account")).status).toBe(302);
      expect((await third.get("/account")).status).toBe(302);
      expect(await t.db("sessions").where({ userId: user.id }).pluck("id")).toEqual([]);
    });

    it("resets a forgotten password with a single-use e-mailed link", async () => {
      const { browser: before, user } = await signedIn();
      const unknown = await client().post("/forgot-password", { email: "no-account@example.com" });
      const known = await client().post("/forgot-password", { email: user.email.toUpperCase() });
      const unknownText = textOf(await unknown.text()).replace("no-account@example.com", "<email>");
      const knownText = textOf(await known.text()).replace(user.email, "<email>");
      expect(unknownText).toBe(knownText);
      expect(knownText).toContain("we sent it a link");

      const mail = (await mails()).find((m) => m.to[0].address === user.email);
      expect(mail?.subject).toBe("Reset your Bookstore password");
      expect((await mails()).some((m) => m.to[0].address === "no-account@example.com")).toBe(false);
      const link = new URL(/http:\/\/\S+/.exec(mail!.text)![0]);
      const token = link.searchParams.get("token")!;
      expect(await t.db("passwordResets").where({ tokenHash: token }).first()).toBeUndefined();

      const form = await page(client(), link.pathname + link.search);
      expect(form.text).toContain("Choose a new password");
      const reset = await client().post("/reset-password", {
        token,
        password: "reset-me-to-this-one",
      });
      expect(locationOf(reset)).toBe("/login?notice=reset");
      expect((await before.get("/account")).status).toBe(302);
      expect(
        (await client().post("/login", { email: user.email, password: user.password })).status,
      ).toBe(400);
      expect(
        (await client().post("/login", { email: user.email, password: "reset-me-to-this-one" }))
          .status,
      ).toBe(302);

      const reused = await client().post("/reset-password", {
        token,
        password: "and-once-more-please",
      });
      expect(reused.status).toBe(400);
      expect(textOf(await reused.text())).toContain("This link no longer works");
      expect((await page(client(), link.pathname + link.search)).text).toContain(
        "This link no longer works",
      );
    });
  });

  describe("cart and checkout", () => {
    it("costs a visitor without a session cookie no session, user or cart query", async () => {
      const tables: string[] = [];
      const listener = (query: { sql: string }) => tables.push(query.sql);
      t.db.on("query", listener);
      try {
        for (const pathname of ["/", "/books", "/books?q=moby", "/books/1"]) {
          const res = await client().get(pathname);
          expect(res.status).toBe(200);
          expect(res.headers.get("set-cookie")).toBeNull();
        }
      } finally {
        t.db.off("query", listener);
      }
      expect(tables.filter((sql) => /sessions|users|carts|cart_items/.test(sql))).toEqual([]);
    });

    it("keeps a guest cart: add, update, remove, with quantities checked against stock", async () => {
      const bookId = await insertBook(t.db, { title: "Guest Copy", stock: 4, priceCents: 1000 });
      const browser = client();
      const added = await browser.post("/cart", { intent: "add", bookId, quantity: 2 });
      expect(added.status).toBe(302);
      expect(locationOf(added)).toBe("/cart");
      let cart = await page(browser, "/cart");
      expect(cart.text).toContain("Guest Copy");
      expect(cart.text).toContain("Subtotal (2 books): $20.00");

      const tooMany = await browser.post("/cart", { intent: "update", bookId, quantity: 5 });
      expect(tooMany.status).toBe(422);
      expect(textOf(await tooMany.text())).toContain("Only 4 of “Guest Copy” left.");
      const updated = await browser.post("/cart", { intent: "update", bookId, quantity: 4 });
      expect(updated.status).toBe(302);
      cart = await page(browser, "/cart");
      expect(cart.text).toContain("Subtotal (4 books): $40.00");
      expect(cart.text).toMatch(/Cart\s*:?\s*4 books/);

      const removed = await browser.post("/cart", { intent: "remove", bookId });
      expect(removed.status).toBe(302);
      expect((await page(browser, "/cart")).text).toContain("Your cart is empty.");
    });

    it("checks out: a declined card changes nothing, the approved one places one order", async () => {
      const bookId = await insertBook(t.db, { title: "Checkout Copy", stock: 5, priceCents: 1999 });
      const { browser, user } = await signedIn();
      await browser.post("/cart", { intent: "add", bookId, quantity: 2 });

      const form = await browser.get("/checkout");
      expect(form.status).toBe(200);
      const html = await form.text();
      expect(textOf(html)).toContain("2 × Checkout Copy $39.98");
      const key = inputValue(html, "idempotencyKey")!;
      expect(key).toMatch(/^[0-9a-f-]{36}$/);

      const declined = await browser.post("/checkout", {
        ...checkoutFields({ cardNumber: "4000 0000 0000 0002" }),
        deliveryProviderId: dhl,
        idempotencyKey: key,
      });
      expect(declined.status).toBe(402);
      const declinedHtml = await declined.text();
      expect(textOf(declinedHtml)).toContain("Your card was declined.");
      expect(declinedHtml).not.toContain("4000 0000 0000 0002");
      expect(inputValue(declinedHtml, "city")).toBe("London");
      expect(await t.db("orders").where({ userId: user.id }).first()).toBeUndefined();
      expect((await t.db("books").where({ id: bookId }).first()).stock).toBe(5);

      const fields = {
        ...checkoutFields(),
        deliveryProviderId: dhl,
        idempotencyKey: key,
        totalCents: 1,
      };
      const approved = await browser.post("/checkout", fields);
      expect(approved.status).toBe(302);
      const confirmation = locationOf(approved);
      expect(confirmation).toMatch(/^\/orders\/\d+\?placed=1$/);
      const orderId = Number(/\/orders\/(\d+)/.exec(confirmation)![1]);
      // Retried (a double click, a reload): the same order, nothing twice.
      expect(locationOf(await browser.post("/checkout", fields))).toBe(confirmation);
      expect(
        await t.db("orders").where({ userId: user.id }).count({ n: "*" }).first(),
      ).toMatchObject({
        n: engine === "mysql" ? 1 : 1,
      });
      expect((await t.db("orders").where({ id: orderId }).first()).totalCents).toBe(3998 + 2490);

      const shown = await page(browser, confirmation);
      expect(shown.text).toContain("Thank you! Your order is placed and paid.");
      expect(shown.text).toContain("Status: Paid");
      expect(shown.text).toContain("Visa ending in 4242");
      expect(shown.text).toContain("Ada Lovelace 12 St James's Square");
      expect(shown.text).toContain("Total $64.88");
      expect((await page(browser, "/cart")).text).toContain("Your cart is empty.");
      expect((await page(browser, "/orders")).text).toMatch(
        new RegExp(`#${orderId} .* \\$64\\.88 Paid`),
      );
      expect((await mails()).some((m) => m.subject === `Your Bookstore order #${orderId}`)).toBe(
        true,
      );

      const cancelled = await browser.post(`/orders/${orderId}`, { intent: "cancel" });
      expect(locationOf(cancelled)).toBe(`/orders/${orderId}`);
      const after = await page(browser, `/orders/${orderId}`);
      expect(after.text).toContain("Status: Cancelled");
      expect(after.text).not.toContain("Cancel order");
      expect((await t.db("books").where({ id: bookId }).first()).stock).toBe(5);
    });

    it("tells the shopper which book ran short and how many are left, writing nothing", async () => {
      const bookId = await insertBook(t.db, { title: "Nearly Gone", stock: 3 });
      const { browser, user } = await signedIn();
      await browser.post("/cart", { intent: "add", bookId, quantity: 3 });
      const key = inputValue(await (await browser.get("/checkout")).text(), "idempotencyKey")!;
      await t.db("books").where({ id: bookId }).update({ stock: 2 });
      const res = await browser.post("/checkout", {
        ...checkoutFields(),
        deliveryProviderId: dhl,
        idempotencyKey: key,
      });
      expect(res.status).toBe(409);
      expect(textOf(await res.text())).toContain(
        "Not enough stock: you asked for 3 of “Nearly Gone”, and only 2 are left.",
      );
      expect(await t.db("orders").where({ userId: user.id }).first()).toBeUndefined();
      expect((await t.db("books").where({ id: bookId }).first()).stock).toBe(2);
    });

    it("sends an empty cart's checkout back to the cart", async () => {
      const { browser } = await signedIn();
      const res = await browser.get("/checkout");
      expect(res.status).toBe(302);
      expect(locationOf(res)).toBe("/cart");
    });

    it("shows an order only to its owner: others get the same 404 as a missing one", async () => {
      const bookId = await insertBook(t.db, { stock: 5 });
      const { browser } = await signedIn();
      await browser.post("/cart", { intent: "add", bookId, quantity: 1 });
      const key = inputValue(await (await browser.get("/checkout")).text(), "idempotencyKey")!;
      const placed = await browser.post("/checkout", {
        ...checkoutFields(),
        deliveryProviderId: dhl,
        idempotencyKey: key,
      });
      const orderPath = locationOf(placed).split("?")[0];

      const { browser: stranger } = await signedIn();
      const theirs = await stranger.get(orderPath);
      const missing = await stranger.get("/orders/99999999");
      expect(theirs.status).toBe(404);
      expect(missing.status).toBe(404);
      expect(textOf(await theirs.text())).toBe(
        textOf(await missing.text()).replace("99999999", orderPath.slice(8)),
      );
      expect((await stranger.post(orderPath, { intent: "cancel" })).status).toBe(404);
      expect(
        (
          await t
            .db("orders")
            .where({ id: Number(orderPath.slice(8)) })
            .first()
        ).status,
      ).toBe("paid");
    });
  });
});
