/**
 * Hostile input over real HTTP, on SQLite and MySQL: what the shop does when
 * the request is not what its own pages would send. Wrong methods, forms
 * posted from other sites, missing, repeated, oversized and ill-typed fields,
 * bodies of the wrong type or size, prices sent by the form, forged and
 * tampered session cookies, rotated secrets, other people's orders, open
 * redirects, brute force (rate limits shared by every instance), and card
 * numbers that must never reach a log, the database or a page.
 *
 * Every answer here is a 4xx or a redirect, never a 500 and never a stack
 * trace; where a rule says "nothing changes", the database is read to prove it.
 */
import crypto from "node:crypto";
import fs from "node:fs/promises";
import http from "node:http";
import path from "node:path";
import { createCookie } from "@remix-run/node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sqlTimestamp } from "../../app/lib/db.server";
import { createLogger } from "../../app/lib/logger.server";
import { createRateLimits, DEFAULT_LIMITS } from "../../app/lib/rate-limits.server";
import { createTestDatabase, enginesUnderTest, type TestDatabase } from "../helpers/databases";
import { checkoutFields, createUser, insertBook, type TestUser } from "../helpers/fixtures";
import {
  inputValue,
  locationOf,
  TestClient,
  textOf,
  type FormFields,
} from "../helpers/http-client";
import { startTestServer, TEST_SESSION_SECRET, type TestServer } from "../helpers/server";

const engines = await enginesUnderTest();

/** What a stack trace looks like in a body: "at fn (/path/file.js:12:3)", or a bare Error line. */
const STACK_TRACE = /\bat [^\n<]*\.(?:js|ts|tsx|mjs|cjs):\d+|node_modules|\bError: [^\n<]*\n\s+at /;

/** Every route with an action, as a path (":orderId" is an order of the signed-in member). */
const ACTION_PATHS = [
  "/join",
  "/login",
  "/logout",
  "/account",
  "/forgot-password",
  "/reset-password",
  "/cart",
  "/checkout",
  "/orders/:orderId",
] as const;
type ActionPath = (typeof ACTION_PATHS)[number];

const DECLINED_CARD = "4000 0000 0000 0002";
const APPROVED_CARD = "4242 4242 4242 4242";

/** An answer that is not a crash: below 500, and no stack trace in what it says. */
async function bodyOf(res: Response): Promise<string> {
  const body = await res.text();
  expect(res.status, body.slice(0, 500)).toBeLessThan(500);
  expect(body).not.toMatch(STACK_TRACE);
  return body;
}

/** A cookie value `__session` would carry, signed with `secrets` (the first one signs). */
async function mintSessionCookie(value: unknown, secrets: string[]): Promise<string> {
  const header = await createCookie("__session", { secrets }).serialize(value);
  return header.split(";")[0].slice("__session=".length);
}

/** The session id inside a `__session` cookie value, if `secrets` verify it; null otherwise. */
async function sessionIdIn(cookieValue: string, secrets: string[]): Promise<unknown> {
  return createCookie("__session", { secrets }).parse(`__session=${cookieValue}`);
}

/**
 * POSTs `body` in chunks with no Content-Length (Transfer-Encoding: chunked),
 * as a client streaming a huge form would; resolves with the first answer.
 */
function postChunked(
  url: string,
  headers: Record<string, string>,
  body: string,
): Promise<{ status: number; headers: http.IncomingHttpHeaders; text: string }> {
  return new Promise((resolve, reject) => {
    let answered = false;
    const request = http.request(url, { method: "POST", headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("end", () => {
        answered = true;
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers,
          text: Buffer.concat(chunks).toString("utf8"),
        });
      });
    });
    // The server may stop reading once it has refused: a write error after that is expected.
    request.on("error", (error) => (answered ? undefined : reject(error)));
    for (let at = 0; at < body.length; at += 4096) request.write(body.slice(at, at + 4096));
    request.end();
  });
}

describe.each(engines)("hostile input on %s", (engine) => {
  let t: TestDatabase;
  /** Trusts one proxy hop, so each test client can be its own IP (X-Forwarded-For). */
  let server: TestServer;
  let dhl: { id: number; costCents: number };
  let member: TestUser;
  let memberBrowser: TestClient;
  let memberOrderId: number;
  let bookId: number;
  let resetToken: string;

  let ipCounter = 0;
  const engineOctet = engine === "sqlite" ? 1 : 2;
  /** A client IP no other test uses, so per-IP limits never leak between tests. */
  const nextIp = () => {
    ipCounter += 1;
    return `10.${engineOctet}.${Math.floor(ipCounter / 250)}.${(ipCounter % 250) + 1}`;
  };
  const client = (ip = nextIp(), on: TestServer = server) =>
    new TestClient(on.url, { "X-Forwarded-For": ip });

  async function signIn(user: TestUser, on: TestServer = server, ip?: string) {
    const browser = client(ip, on);
    const res = await browser.post("/login", { email: user.email, password: user.password });
    expect(res.status).toBe(302);
    return browser;
  }

  async function checkoutKey(browser: TestClient): Promise<string> {
    const res = await browser.get("/checkout");
    expect(res.status).toBe(200);
    return inputValue(await res.text(), "idempotencyKey")!;
  }

  /** Puts `quantity` of a book in the browser's cart and places the order; returns its id. */
  async function placeOrder(browser: TestClient, book = bookId, quantity = 1): Promise<number> {
    expect((await browser.post("/cart", { intent: "add", bookId: book, quantity })).status).toBe(
      302,
    );
    const res = await browser.post("/checkout", {
      ...checkoutFields(),
      deliveryProviderId: dhl.id,
      idempotencyKey: await checkoutKey(browser),
    });
    expect(res.status).toBe(302);
    return Number(/^\/orders\/(\d+)/.exec(locationOf(res))![1]);
  }

  const pathOf = (action: ActionPath) =>
    action.replace(":orderId", String(memberOrderId)) as string;

  /** A reset token for `userId`, stored as the accounts service stores one (its SHA-256). */
  async function insertResetToken(userId: number): Promise<string> {
    const token = crypto.randomBytes(32).toString("base64url");
    await t.db("passwordResets").insert({
      userId,
      tokenHash: crypto.createHash("sha256").update(token).digest("hex"),
      expiresAt: sqlTimestamp(new Date(Date.now() + 60 * 60 * 1000)),
      usedAt: null,
    });
    return token;
  }

  beforeAll(async () => {
    t = await createTestDatabase(engine, { seed: true });
    server = await startTestServer(t.db, { trustProxy: 1 });
    dhl = await t.db("deliveryProviders").where({ name: "DHL" }).first();
    bookId = await insertBook(t.db, { title: "Hostile Reader", stock: 90, priceCents: 1500 });
    member = await createUser(t.db);
    memberBrowser = await signIn(member);
    memberOrderId = await placeOrder(memberBrowser);
    // A book waits in the member's cart, so a forged checkout would have something to buy.
    await memberBrowser.post("/cart", { intent: "add", bookId, quantity: 1 });
    resetToken = await insertResetToken(member.id);
  });

  afterAll(async () => {
    await server?.close();
    await t?.destroy();
  });

  describe("every action is POST only", () => {
    it.each(ACTION_PATHS)("answers PUT, PATCH and DELETE to %s with 405", async (action) => {
      const before = await t.db("orders").where({ id: memberOrderId }).first();
      for (const method of ["PUT", "PATCH", "DELETE"]) {
        const res = await memberBrowser.request(pathOf(action), {
          method,
          body: "intent=cancel&name=Changed&email=changed%40example.com",
          headers: {
            "Content-Type": "application/x-www-form-urlencoded",
            Accept: "text/html",
            "Sec-Fetch-Mode": "navigate",
          },
        });
        expect(res.status, `${method} ${action}`).toBe(405);
        expect(textOf(await bodyOf(res))).toContain(
          "This address only accepts forms sent with POST.",
        );
      }
      // The member is still signed in, with the same name and an order still paid.
      expect((await memberBrowser.get("/account")).status).toBe(200);
      expect((await t.db("users").where({ id: member.id }).first()).name).toBe(member.name);
      expect(await t.db("orders").where({ id: memberOrderId }).first()).toEqual(before);
    });
  });

  describe("cross-site posts are refused and change nothing", () => {
    const CROSS_SITE: Array<[string, Record<string, string>]> = [
      ["Origin of another site", { Origin: "https://evil.example" }],
      ["Sec-Fetch-Site: cross-site, no Origin", { "Sec-Fetch-Site": "cross-site" }],
      ["Origin: null", { Origin: "null" }],
      ["Sec-Fetch-Site: same-site (a sibling host), no Origin", { "Sec-Fetch-Site": "same-site" }],
      ["Origin on another port of this host", { Origin: "http://127.0.0.1:1" }],
      ["a malformed Origin", { Origin: "not a url" }],
    ];

    /** For each action: a form that would work, and the state it would change. */
    const cases: Record<ActionPath, { fields: () => Promise<FormFields>; state: () => unknown }> = {
      "/join": {
        fields: async () => ({
          name: "Mallory",
          email: `csrf-join-${engine}@example.com`,
          password: "a-long-mallory-passphrase",
        }),
        state: () => t.db("users").count({ n: "*" }).first(),
      },
      "/login": {
        fields: async () => ({ email: member.email, password: member.password }),
        state: () => t.db("sessions").where({ userId: member.id }).orderBy("id").pluck("id"),
      },
      "/logout": {
        fields: async () => ({}),
        state: () => t.db("sessions").where({ userId: member.id }).orderBy("id").pluck("id"),
      },
      "/account": {
        fields: async () => ({ intent: "name", name: "Hijacked" }),
        state: () => t.db("users").select("name", "passwordHash").where({ id: member.id }),
      },
      "/forgot-password": {
        fields: async () => ({ email: member.email }),
        state: async () => [
          await t.db("passwordResets").where({ userId: member.id }).count({ n: "*" }).first(),
          (await fs.readdir(server.outboxDir)).length,
        ],
      },
      "/reset-password": {
        fields: async () => ({ token: resetToken, password: "a-hijacked-passphrase" }),
        state: async () => [
          await t.db("users").select("passwordHash").where({ id: member.id }),
          await t.db("passwordResets").select("usedAt").where({ userId: member.id }),
        ],
      },
      "/cart": {
        fields: async () => ({ intent: "add", bookId, quantity: 1 }),
        state: () =>
          t
            .db("cartItems")
            .join("carts", "carts.id", "cartItems.cartId")
            .select("cartItems.bookId", "cartItems.quantity")
            .where("carts.userId", member.id),
      },
      "/checkout": {
        fields: async () => ({
          ...checkoutFields(),
          deliveryProviderId: dhl.id,
          idempotencyKey: await checkoutKey(memberBrowser),
        }),
        state: async () => [
          await t.db("orders").where({ userId: member.id }).count({ n: "*" }).first(),
          (await t.db("books").where({ id: bookId }).first()).stock,
        ],
      },
      "/orders/:orderId": {
        fields: async () => ({ intent: "cancel" }),
        state: async () => [
          (await t.db("orders").where({ id: memberOrderId }).first()).status,
          await t.db("orderEvents").where({ orderId: memberOrderId }).count({ n: "*" }).first(),
        ],
      },
    };

    it.each(ACTION_PATHS)("refuses %s with 403 from another site", async (action) => {
      const { fields, state } = cases[action];
      const before = await state();
      for (const [label, headers] of CROSS_SITE) {
        const res = await memberBrowser.post(pathOf(action), await fields(), { headers });
        expect(res.status, label).toBe(403);
        expect(res.headers.get("set-cookie"), label).toBeNull();
        expect(await bodyOf(res)).toContain("This form was sent from another site");
      }
      expect(await state()).toEqual(before);
      expect((await memberBrowser.get("/account")).status).toBe(200);
      expect(await t.db("users").where({ email: `csrf-join-${engine}@example.com` })).toEqual([]);
    });

    it("lets the same forms through from this site (the checks above can see a change)", async () => {
      const before = await cases["/cart"].state();
      const res = await memberBrowser.post(
        "/cart",
        { intent: "add", bookId, quantity: 1 },
        { headers: { Origin: server.url, "Sec-Fetch-Site": "same-origin" } },
      );
      expect(res.status).toBe(302);
      expect(await cases["/cart"].state()).not.toEqual(before);
      await memberBrowser.post("/cart", { intent: "update", bookId, quantity: 1 });
    });
  });

  describe("broken requests to every action: 400, 413 or 415, never a 500", () => {
    const BROKEN: Array<{
      label: string;
      status: number;
      message: string;
      contentType: string;
      body: () => string;
    }> = [
      {
        label: "a field sent twice",
        status: 400,
        message: "A field of this form was sent more than once.",
        contentType: "application/x-www-form-urlencoded",
        body: () => "intent=cancel&email=a%40example.com&email=b%40example.com&quantity=1",
      },
      {
        label: "a 100 KB form",
        status: 413,
        message: "That form is far larger than expected.",
        contentType: "application/x-www-form-urlencoded",
        body: () => `intent=cancel&name=${"x".repeat(100 * 1024)}`,
      },
      {
        label: "JSON",
        status: 415,
        message: "Please send this form from the page it belongs to.",
        contentType: "application/json",
        body: () => JSON.stringify({ intent: "cancel", email: "a@example.com" }),
      },
      {
        label: "multipart/form-data",
        status: 415,
        message: "Please send this form from the page it belongs to.",
        contentType: "multipart/form-data; boundary=XyZ",
        body: () =>
          '--XyZ\r\nContent-Disposition: form-data; name="intent"\r\n\r\ncancel\r\n--XyZ--\r\n',
      },
      {
        label: "text/plain",
        status: 415,
        message: "Please send this form from the page it belongs to.",
        contentType: "text/plain",
        body: () => "intent=cancel",
      },
    ];

    it.each(ACTION_PATHS)("refuses broken bodies posted to %s", async (action) => {
      const before = await t.db("orders").where({ id: memberOrderId }).first();
      for (const broken of BROKEN) {
        const res = await memberBrowser.request(pathOf(action), {
          method: "POST",
          body: broken.body(),
          headers: {
            "Content-Type": broken.contentType,
            Accept: "text/html",
            "Sec-Fetch-Mode": "navigate",
          },
        });
        expect(res.status, `${broken.label} to ${action}`).toBe(broken.status);
        if (broken.status === 413) expect(res.headers.get("connection")).toBe("close");
        expect(res.headers.get("content-type")).toMatch(/text\/html/);
        expect(textOf(await bodyOf(res))).toContain(broken.message);
      }
      expect((await memberBrowser.get("/account")).status).toBe(200);
      expect(await t.db("orders").where({ id: memberOrderId }).first()).toEqual(before);
    });

    it("answers a 100 KB form streamed without a length (chunked) with 413, on every action", async () => {
      for (const action of ACTION_PATHS) {
        const res = await postChunked(
          server.url + pathOf(action),
          {
            "Content-Type": "application/x-www-form-urlencoded",
            Accept: "text/html",
            "Sec-Fetch-Mode": "navigate",
            Cookie: `__session=${memberBrowser.cookies.get("__session")}`,
            "X-Forwarded-For": nextIp(),
          },
          `intent=cancel&name=${"x".repeat(100 * 1024)}`,
        );
        expect(res.status, action).toBe(413);
        // The unread rest must not be taken for a next request on this connection.
        expect(res.headers.connection, action).toBe("close");
        expect(textOf(res.text)).toContain("That form is far larger than expected.");
        expect(res.text).not.toMatch(STACK_TRACE);
      }
      // The server is none the worse for it.
      expect((await memberBrowser.get("/account")).status).toBe(200);
    });
  });

  describe("field errors, said next to the field, for every form", () => {
    type FieldCase = [label: string, fields: FormFields, status: number, messages: string[]];
    const longEmail = `${"a".repeat(288)}@example.com`;
    const tenKb = "p".repeat(10 * 1024);

    /** Posts each case and checks the status, the visible messages, and no echoed secrets. */
    async function expectFieldErrors(
      browser: () => TestClient | Promise<TestClient>,
      pathname: string,
      cases: FieldCase[],
      secrets: string[] = [],
    ) {
      for (const [label, fields, status, messages] of cases) {
        const res = await (await browser()).post(pathname, fields);
        const html = await bodyOf(res);
        expect(res.status, label).toBe(status);
        expect(res.headers.get("content-type"), label).toMatch(/text\/html/);
        const text = textOf(html);
        for (const message of messages) expect(text, label).toContain(message);
        for (const secret of secrets) expect(html, label).not.toContain(secret);
      }
    }

    it("join: missing, oversized and malformed fields; nobody joins", async () => {
      const users = await t.db("users").count({ n: "*" }).first();
      await expectFieldErrors(
        () => client(),
        "/join",
        [
          [
            "no fields",
            {},
            400,
            ["Enter your name.", "Enter your email address.", "Choose a password."],
          ],
          [
            "a 300-character email",
            { name: "Long Email", email: longEmail, password: "a-long-passphrase-1" },
            400,
            ["That email address is too long."],
          ],
          [
            "a 5000-character name",
            { name: "n".repeat(5000), email: "long-name@example.com", password: "a-long-pass-2" },
            400,
            ["Use at most 100 characters."],
          ],
          [
            "a 10 KB password",
            { name: "Long Password", email: "long-password@example.com", password: tenKb },
            400,
            ["Use at most 200 characters."],
          ],
          [
            "an email that is not one",
            { name: "Not Email", email: "<script>@x", password: "a-long-passphrase-3" },
            400,
            ["Enter a valid email address, like name@example.com."],
          ],
          [
            "a blank name",
            { name: "   ", email: "blank@example.com", password: "a-long-pass-4" },
            400,
            ["Enter your name."],
          ],
        ],
        [tenKb, "a-long-passphrase-1", "a-long-pass-2"],
      );
      expect(await t.db("users").count({ n: "*" }).first()).toEqual(users);
    });

    it("login: missing and oversized fields, without counting as attempts", async () => {
      await expectFieldErrors(
        () => client(),
        "/login",
        [
          ["no fields", {}, 400, ["Enter your email address.", "Enter your password."]],
          [
            "a 300-character email",
            { email: longEmail, password: "whatever-it-is" },
            400,
            ["That email address is too long."],
          ],
          [
            "a 10 KB password",
            { email: member.email, password: tenKb },
            400,
            ["Enter your password."],
          ],
        ],
        [tenKb],
      );
      // Refused before any count: no failed sign-in is held against the member's email.
      const emailKey = crypto.createHash("sha256").update(member.email).digest("hex");
      expect(await t.db("rate_limits").where("key", "like", `%${emailKey}`)).toEqual([]);
    });

    it("account: name and password forms, and unknown intents", async () => {
      await expectFieldErrors(
        () => memberBrowser,
        "/account",
        [
          ["an empty name", { intent: "name", name: "" }, 400, ["Enter your name."]],
          [
            "a 5000-character name",
            { intent: "name", name: "n".repeat(5000) },
            400,
            ["Use at most 100 characters."],
          ],
          [
            "no intent",
            { name: "Nobody" },
            400,
            ["This form asked for something we do not know how to do."],
          ],
          [
            "an unknown intent",
            { intent: "drop-tables" },
            400,
            ["This form asked for something we do not know how to do."],
          ],
          [
            "no passwords",
            { intent: "password" },
            400,
            ["Enter your password.", "Choose a password."],
          ],
          [
            "a 10 KB current password, a 1000-character new one",
            { intent: "password", currentPassword: tenKb, newPassword: "q".repeat(1000) },
            400,
            ["Enter your password.", "Use at most 200 characters."],
          ],
        ],
        [tenKb],
      );
      expect((await t.db("users").where({ id: member.id }).first()).name).toBe(member.name);
      expect((await memberBrowser.get("/account")).status).toBe(200);
    });

    it("forgot-password: missing, oversized and malformed email; nothing is sent", async () => {
      const mails = (await fs.readdir(server.outboxDir)).length;
      await expectFieldErrors(() => client(), "/forgot-password", [
        ["no fields", {}, 400, ["Enter your email address."]],
        ["a 300-character email", { email: longEmail }, 400, ["That email address is too long."]],
        [
          "not an email",
          { email: "nobody" },
          400,
          ["Enter a valid email address, like name@example.com."],
        ],
      ]);
      expect((await fs.readdir(server.outboxDir)).length).toBe(mails);
    });

    it("reset-password: bad passwords and bad tokens; the password stays", async () => {
      const user = await createUser(t.db);
      const token = await insertResetToken(user.id);
      const page = `/reset-password?${new URLSearchParams({ token })}`;
      const hash = (await t.db("users").where({ id: user.id }).first()).passwordHash;
      await expectFieldErrors(
        () => client(),
        page,
        [
          ["no password", { token }, 400, ["Choose a password."]],
          ["a short password", { token, password: "short" }, 400, ["Use at least 10 characters."]],
          ["a 10 KB password", { token, password: tenKb }, 400, ["Use at most 200 characters."]],
          [
            "another token",
            {
              token: crypto.randomBytes(32).toString("base64url"),
              password: "a-long-passphrase-5",
            },
            400,
            ["This reset link has expired or was already used. Ask for a new one."],
          ],
          ["no token", { password: "a-long-passphrase-6" }, 400, []],
          [
            "a 5000-character token",
            { token: "t".repeat(5000), password: "a-long-passphrase-7" },
            400,
            [],
          ],
        ],
        [tenKb, "a-long-passphrase-5", "a-long-passphrase-6"],
      );
      expect((await t.db("users").where({ id: user.id }).first()).passwordHash).toBe(hash);
      expect((await t.db("passwordResets").where({ userId: user.id }).first()).usedAt).toBeNull();
    });

    it("cart: quantities and book ids that are not ones, unknown and archived books", async () => {
      const book = await insertBook(t.db, { title: "Cart Target", stock: 3 });
      const archived = await insertBook(t.db, {
        title: "Archived Target",
        archivedAt: "2020-01-01 00:00:00",
      });
      const wholeNumber = "Enter a whole number from 1 to 99.";
      const quantityCases: FieldCase[] = [
        "0",
        "-1",
        "1.5",
        "1e3",
        "100",
        "abc",
        "99999999999999999999",
        "0x10",
        "１",
      ].map((quantity) => [
        `quantity ${JSON.stringify(quantity)}`,
        { intent: "add", bookId: book, quantity },
        400,
        [`We could not add that book: ${wholeNumber}`],
      ]);
      const browser = client();
      await expectFieldErrors(() => browser, "/cart", [
        ...quantityCases,
        [
          "an empty quantity",
          { intent: "add", bookId: book, quantity: "" },
          400,
          ["Enter a quantity."],
        ],
        ["no quantity", { intent: "add", bookId: book }, 400, ["Enter a quantity."]],
        ...["abc", "0", "-1", "1.5", "99999999999"].map((id): FieldCase => [
          `bookId ${JSON.stringify(id)}`,
          { intent: "add", bookId: id, quantity: 1 },
          400,
          ["We could not add that book: Unknown item."],
        ]),
        [
          "an unknown book",
          { intent: "add", bookId: 999999, quantity: 1 },
          404,
          ["That book is not for sale."],
        ],
        [
          "an archived book",
          { intent: "add", bookId: archived, quantity: 1 },
          404,
          ["That book is not for sale."],
        ],
        [
          "more than the stock",
          { intent: "add", bookId: book, quantity: 5 },
          422,
          ["Only 3 of “Cart Target” left."],
        ],
        [
          "no intent",
          { bookId: book, quantity: 1 },
          400,
          ["This form asked for something we do not know how to do."],
        ],
        [
          "an unknown intent",
          { intent: "steal", bookId: book, quantity: 1 },
          400,
          ["This form asked for something we do not know how to do."],
        ],
      ]);
      expect(await t.db("cartItems").where({ bookId: book })).toEqual([]);
      expect(await t.db("cartItems").where({ bookId: archived })).toEqual([]);
    });

    it("cart: updating or removing a book that is not in the cart says so", async () => {
      const inCart = await insertBook(t.db, { title: "Kept Line", stock: 5 });
      const notInCart = await insertBook(t.db, { title: "Absent Line", stock: 5 });
      const message = "That book is no longer in your cart.";
      // A guest without any cart, then one whose cart holds another book.
      const guest = client();
      const withCart = client();
      expect(
        (await withCart.post("/cart", { intent: "add", bookId: inCart, quantity: 1 })).status,
      ).toBe(302);
      for (const browser of [guest, withCart]) {
        await expectFieldErrors(() => browser, "/cart", [
          [
            "update of a book not in the cart",
            { intent: "update", bookId: notInCart, quantity: 2 },
            404,
            [message],
          ],
          [
            "remove of a book not in the cart",
            { intent: "remove", bookId: notInCart },
            404,
            [message],
          ],
          [
            "update of an unknown book",
            { intent: "update", bookId: 999999, quantity: 2 },
            404,
            [message],
          ],
          [
            "update with quantity abc",
            { intent: "update", bookId: inCart, quantity: "abc" },
            400,
            ["Enter a whole number from 1 to 99."],
          ],
          ["remove of book id abc", { intent: "remove", bookId: "abc" }, 400, ["Unknown item."]],
        ]);
      }
      expect(await t.db("cartItems").where({ bookId: notInCart })).toEqual([]);
      const kept = await t.db("cartItems").where({ bookId: inCart });
      expect(kept.map((line: { quantity: number }) => line.quantity)).toEqual([1]);
    });

    it("cart: a bad quantity for a line in the cart is said on that line", async () => {
      const book = await insertBook(t.db, { title: "Line With Errors", stock: 5 });
      const browser = client();
      await browser.post("/cart", { intent: "add", bookId: book, quantity: 2 });
      for (const quantity of ["0", "-1", "1.5", "1e3", "100", "abc", "99999999999999999999"]) {
        const res = await browser.post("/cart", { intent: "update", bookId: book, quantity });
        expect(res.status, quantity).toBe(400);
        const html = await bodyOf(res);
        expect(textOf(html)).toContain("Enter a whole number from 1 to 99.");
        expect(html).toMatch(
          /name="quantity"[^>]*aria-invalid="true"|aria-invalid="true"[^>]*name="quantity"/,
        );
      }
      expect((await t.db("cartItems").where({ bookId: book }).first()).quantity).toBe(2);
    });

    it("checkout: card, address, delivery and key errors; no order, no echoed card", async () => {
      const user = await createUser(t.db);
      const browser = await signIn(user);
      await browser.post("/cart", { intent: "add", bookId, quantity: 1 });
      const idempotencyKey = await checkoutKey(browser);
      const form = (overrides: Record<string, string | number> = {}) => ({
        ...checkoutFields(),
        deliveryProviderId: dhl.id,
        idempotencyKey,
        ...overrides,
      });
      const card = "Enter a valid card number.";
      const cvc = "Enter the 3 or 4 digit security code (CVC).";
      const expired = "This card has expired.";
      const mmyy = "Enter the expiry date as MM/YY.";
      const stale = "This checkout form has expired. Please reload the page.";
      const without = (name: string) =>
        Object.fromEntries(Object.entries(form()).filter(([field]) => field !== name));
      const withoutKey = without("idempotencyKey");
      const withoutDelivery = without("deliveryProviderId");
      await expectFieldErrors(
        () => browser,
        "/checkout",
        [
          ["a Luhn-invalid number", form({ cardNumber: "4242 4242 4242 4241" }), 400, [card]],
          ["letters for a number", form({ cardNumber: "4242-abcd-4242-4242" }), 400, [card]],
          ["a 41-digit number", form({ cardNumber: "4".repeat(41) }), 400, [card]],
          ["an expiry in the past", form({ expiry: "01/20" }), 400, [expired]],
          ["month 13", form({ expiry: "13/30" }), 400, [mmyy]],
          ["an expiry that is not one", form({ expiry: "soon" }), 400, [mmyy]],
          ["a 2-digit CVC", form({ cvc: "12" }), 400, [cvc]],
          ["a 5-digit CVC", form({ cvc: "12345" }), 400, [cvc]],
          [
            "a 4-digit CVC on a Visa",
            form({ cvc: "1234" }),
            400,
            ["Enter the 3 digit security code (CVC)."],
          ],
          [
            "an unknown delivery provider",
            form({ deliveryProviderId: 999999 }),
            409,
            ["That delivery option is no longer available. Please choose another."],
          ],
          [
            "a delivery provider id abc",
            form({ deliveryProviderId: "abc" }),
            400,
            ["Unknown item."],
          ],
          ["no delivery provider", withoutDelivery, 400, ["Choose a delivery option."]],
          ["no idempotency key", withoutKey, 400, [stale]],
          ["a malformed idempotency key", form({ idempotencyKey: "short" }), 400, [stale]],
          [
            "a 5000-character name",
            form({ fullName: "n".repeat(5000) }),
            400,
            ["Use at most 100 characters."],
          ],
          [
            "markup for a postal code",
            form({ postalCode: "<script>" }),
            400,
            ["Enter a valid postal code."],
          ],
          [
            "no fields",
            {},
            400,
            ["Enter the street address.", "Enter the card number.", "Choose a delivery option."],
          ],
        ],
        ["4242 4242 4242 4241", "4242-abcd-4242-4242", "4".repeat(41)],
      );
      expect(await t.db("orders").where({ userId: user.id })).toEqual([]);
    });
  });

  it("ignores prices sent by the form: the total is the server's", async () => {
    const user = await createUser(t.db);
    const browser = await signIn(user);
    await browser.post("/cart", { intent: "add", bookId, quantity: 3 });
    const res = await browser.post("/checkout", {
      ...checkoutFields(),
      deliveryProviderId: dhl.id,
      idempotencyKey: await checkoutKey(browser),
      totalCents: 1,
      subtotalCents: 1,
      priceCents: 1,
      unitPriceCents: 1,
      shippingCents: 0,
      amountCents: 1,
      costCents: 0,
    });
    expect(res.status).toBe(302);
    const orderId = Number(/^\/orders\/(\d+)/.exec(locationOf(res))![1]);
    const book = await t.db("books").where({ id: bookId }).first();
    const order = await t.db("orders").where({ id: orderId }).first();
    expect(order).toMatchObject({
      userId: user.id,
      subtotalCents: 3 * book.priceCents,
      shippingCents: dhl.costCents,
      totalCents: 3 * book.priceCents + dhl.costCents,
    });
    expect(
      await t.db("orderItems").where({ orderId }).select("unitPriceCents", "quantity"),
    ).toEqual([{ unitPriceCents: book.priceCents, quantity: 3 }]);
    expect((await t.db("payments").where({ orderId }).first()).amountCents).toBe(order.totalCents);
  });

  describe("forged, tampered and unknown session cookies make a guest", () => {
    const flip = (value: string, at: number) => {
      const c = value[at];
      const swapped =
        c === "A" ? "B" : c === "a" ? "b" : /\d/.test(c) ? String((Number(c) + 1) % 10) : "A";
      return value.slice(0, at) + swapped + value.slice(at + 1);
    };

    it("treats each bad cookie as no cookie: /account sends to sign in, the shop works", async () => {
      const victim = await signIn(member);
      const real = victim.cookies.get("__session")!;
      const realId = (await sessionIdIn(real, [TEST_SESSION_SECRET])) as string;
      expect(realId).toMatch(/^[A-Za-z0-9_-]{43}$/);
      const dot = real.lastIndexOf(".");

      const deleted = await signIn(member);
      const deletedCookie = deleted.cookies.get("__session")!;
      const deletedId = await sessionIdIn(deletedCookie, [TEST_SESSION_SECRET]);
      expect(await t.db("sessions").where({ id: deletedId }).delete()).toBe(1);

      const unknownId = crypto.randomBytes(32).toString("base64url");
      const forged: Array<[string, string]> = [
        [
          "the real id signed with another secret",
          await mintSessionCookie(realId, ["another-secret-that-is-long-enough-0123456789"]),
        ],
        ["a flipped character in the signed value", flip(real, 2)],
        ["a flipped character in the signature", flip(real, dot + 3)],
        ["the real id without its signature", real.slice(0, dot)],
        ["the real id with an empty signature", `${real.slice(0, dot)}.`],
        [
          "an unknown id, correctly signed",
          await mintSessionCookie(unknownId, [TEST_SESSION_SECRET]),
        ],
        ["the id of a deleted session", deletedCookie],
        [
          "session data instead of an id, signed",
          await mintSessionCookie({ userId: member.id }, [TEST_SESSION_SECRET]),
        ],
        ["a number for an id, signed", await mintSessionCookie(member.id, [TEST_SESSION_SECRET])],
        ["SQL for an id, signed", await mintSessionCookie("' OR '1'='1", [TEST_SESSION_SECRET])],
        [
          "a 3000-character id, signed",
          await mintSessionCookie("x".repeat(3000), [TEST_SESSION_SECRET]),
        ],
        ["broken percent-encoding", "%E0%A4%A"],
        ["not base64", "!!!.***"],
      ];

      for (const [label, cookie] of forged) {
        const browser = client();
        browser.cookies.set("__session", cookie);
        const account = await browser.get("/account");
        await bodyOf(account);
        expect(account.status, label).toBe(302);
        expect(account.headers.get("location"), label).toBe("/login?redirectTo=%2Faccount");
        for (const pathname of ["/", "/books", "/cart", "/login"]) {
          const res = await browser.get(pathname);
          expect(res.status, `${label}: ${pathname}`).toBe(200);
          expect(textOf(await bodyOf(res)), label).not.toContain(member.email);
        }
        // A guest can still shop: the cart gets a new session, never the forged one.
        const added = await browser.post("/cart", { intent: "add", bookId, quantity: 1 });
        await bodyOf(added);
        expect(added.status, label).toBe(302);
        const fresh = browser.cookies.get("__session")!;
        expect(fresh, label).not.toBe(cookie);
        const freshId = await sessionIdIn(fresh, [TEST_SESSION_SECRET]);
        expect(freshId, label).not.toBe(realId);
        expect(freshId, label).not.toBe(unknownId);
        expect(textOf(await (await browser.get("/cart")).text()), label).toContain(
          "Subtotal (1 book)",
        );
        expect((await browser.get("/account")).status, label).toBe(302);
      }
      // Nothing was written under a forged id, and the victim's own session is untouched.
      expect(await t.db("sessions").whereIn("id", [unknownId, String(deletedId)])).toEqual([]);
      expect((await victim.get("/account")).status).toBe(200);
      expect((await t.db("sessions").where({ id: realId }).first()).userId).toBe(member.id);
    });
  });

  it("rotates secrets: old cookies still work, new ones are signed with the new secret", async () => {
    const A = "rotation-secret-A-0123456789abcdefghijklmnopqrstuvwxyz";
    const B = "rotation-secret-B-0123456789abcdefghijklmnopqrstuvwxyz";
    const onlyA = await startTestServer(t.db, { sessionSecrets: [A], trustProxy: 1 });
    const rotated = await startTestServer(t.db, { sessionSecrets: [B, A], trustProxy: 1 });
    const onlyB = await startTestServer(t.db, { sessionSecrets: [B], trustProxy: 1 });
    try {
      const withCookie = (on: TestServer, cookie: string) => {
        const browser = client(undefined, on);
        browser.cookies.set("__session", cookie);
        return browser;
      };
      const oldCookie = (await signIn(member, onlyA)).cookies.get("__session")!;
      expect(await sessionIdIn(oldCookie, [A])).toBeTruthy();

      // Issued under [A]: still good on the server that rotated to [B, A], and on [A].
      const account = await withCookie(rotated, oldCookie).get("/account");
      expect(account.status).toBe(200);
      expect(textOf(await account.text())).toContain(`Signed in as ${member.email}`);
      expect((await withCookie(onlyA, oldCookie).get("/account")).status).toBe(200);
      expect((await withCookie(onlyB, oldCookie).get("/account")).status).toBe(302);

      // Issued by [B, A]: signed with B, so [B] accepts it and [A] alone no longer does.
      const newCookie = (await signIn(member, rotated)).cookies.get("__session")!;
      expect(await sessionIdIn(newCookie, [B])).toBeTruthy();
      expect(await sessionIdIn(newCookie, [A])).toBeNull();
      expect((await withCookie(rotated, newCookie).get("/account")).status).toBe(200);
      expect((await withCookie(onlyB, newCookie).get("/account")).status).toBe(200);
      const refused = await withCookie(onlyA, newCookie).get("/account");
      await bodyOf(refused);
      expect(refused.status).toBe(302);
      expect(refused.headers.get("location")).toBe("/login?redirectTo=%2Faccount");
      // A guest cart started on the rotated server carries a B-signed cookie too.
      const guest = client(undefined, rotated);
      await guest.post("/cart", { intent: "add", bookId, quantity: 1 });
      expect(await sessionIdIn(guest.cookies.get("__session")!, [B])).toBeTruthy();
      expect(await sessionIdIn(guest.cookies.get("__session")!, [A])).toBeNull();
    } finally {
      await Promise.all([onlyA.close(), rotated.close(), onlyB.close()]);
    }
  });

  describe("orders and pages of other people", () => {
    it("answers another user's order with 404, to look and to cancel, and leaves it alone", async () => {
      const stranger = await signIn(await createUser(t.db));
      const before = {
        order: await t.db("orders").where({ id: memberOrderId }).first(),
        events: await t.db("orderEvents").where({ orderId: memberOrderId }).orderBy("id"),
        payment: await t.db("payments").where({ orderId: memberOrderId }).first(),
      };
      expect(before.order.status).toBe("paid");
      const missing = await stranger.get("/orders/99999999");
      for (const res of [
        await stranger.get(`/orders/${memberOrderId}`),
        await stranger.post(`/orders/${memberOrderId}`, { intent: "cancel" }),
        missing,
      ]) {
        expect(res.status).toBe(404);
        const text = textOf(await bodyOf(res));
        expect(text).toContain("Order not found");
        expect(text).not.toContain("Ada Lovelace");
        expect(text).not.toContain(member.email);
      }
      expect({
        order: await t.db("orders").where({ id: memberOrderId }).first(),
        events: await t.db("orderEvents").where({ orderId: memberOrderId }).orderBy("id"),
        payment: await t.db("payments").where({ orderId: memberOrderId }).first(),
      }).toEqual(before);
      // The owner still sees it.
      expect((await memberBrowser.get(`/orders/${memberOrderId}`)).status).toBe(200);
    });

    it("sends a guest to sign in and back, with a same-site redirectTo", async () => {
      const orderPath = `/orders/${memberOrderId}`;
      const cases: Array<[method: "GET" | "POST", pathname: string, back: string]> = [
        ["GET", "/account", "/account"],
        ["GET", "/orders", "/orders"],
        ["GET", "/orders?sort=old", "/orders?sort=old"],
        ["GET", "/checkout", "/checkout"],
        ["GET", orderPath, orderPath],
        ["POST", "/account", "/account"],
        ["POST", "/checkout", "/checkout"],
        ["POST", orderPath, orderPath],
      ];
      for (const [method, pathname, back] of cases) {
        const guest = client();
        const res =
          method === "GET"
            ? await guest.get(pathname)
            : await guest.post(pathname, { intent: "cancel", name: "Guest" });
        await bodyOf(res);
        expect(res.status, `${method} ${pathname}`).toBe(302);
        const location = res.headers.get("location")!;
        expect(location).toBe(`/login?${new URLSearchParams({ redirectTo: back })}`);
        expect(new URL(location, "http://same.site").searchParams.get("redirectTo")).toBe(back);
      }
      expect((await t.db("orders").where({ id: memberOrderId }).first()).status).toBe("paid");
    });
  });

  describe("no open redirects after signing in or joining", () => {
    const OFF_SITE = [
      "https://evil.example",
      "//evil.example",
      "/\\evil.example",
      "\\\\evil.example",
      "javascript:alert(1)",
      "/..//evil.example",
      "/.//evil.example",
      "/%2e%2e//evil.example",
      "/\t/evil.example",
      "/\r\nSet-Cookie: x=1",
      "https:evil.example",
      "",
    ];

    it("signs in to a same-site path only", async () => {
      const user = await createUser(t.db);
      const signInTo = async (redirectTo: string) => {
        const res = await client().post("/login", {
          email: user.email,
          password: user.password,
          redirectTo,
        });
        await bodyOf(res);
        expect(res.status, JSON.stringify(redirectTo)).toBe(302);
        return res.headers.get("location");
      };
      // Each is a real sign-in (a password hash to check): the form test below tries them all.
      for (const redirectTo of [
        "https://evil.example",
        "//evil.example",
        "/\\evil.example",
        "javascript:alert(1)",
        "/..//evil.example",
        "/\r\nSet-Cookie: x=1",
      ]) {
        expect(await signInTo(redirectTo), JSON.stringify(redirectTo)).toBe("/");
      }
      // An encoded CR LF stays encoded: a path of this site, and no header of its own.
      const res = await client().post("/login", {
        email: user.email,
        password: user.password,
        redirectTo: "/%0d%0aSet-Cookie:x",
      });
      expect(res.headers.get("location")).toBe("/%0d%0aSet-Cookie:x");
      expect(res.headers.getSetCookie().map((line) => line.split("=")[0])).toEqual(["__session"]);
      expect(await signInTo("/orders")).toBe("/orders");
    });

    it("never puts an off-site redirectTo into the sign-in or join form", async () => {
      for (const redirectTo of OFF_SITE) {
        for (const page of ["/login", "/join"]) {
          const res = await client().get(`${page}?${new URLSearchParams({ redirectTo })}`);
          const html = await bodyOf(res);
          expect(res.status).toBe(200);
          expect(inputValue(html, "redirectTo"), `${page} ${JSON.stringify(redirectTo)}`).toBe("/");
        }
      }
    });

    it("joins to a same-site path only", async () => {
      for (const [redirectTo, expected] of [
        ["/..//evil.example", "/"],
        ["https://evil.example", "/"],
        ["/orders", "/orders"],
      ]) {
        const res = await client().post("/join", {
          name: "Redirected Joiner",
          email: `joiner-${crypto.randomBytes(4).toString("hex")}@example.com`,
          password: "a-long-joining-passphrase",
          redirectTo,
        });
        await bodyOf(res);
        expect(res.status).toBe(302);
        expect(res.headers.get("location"), redirectTo).toBe(expected);
      }
    });
  });

  describe("rate limits, in the database, shared by every instance", () => {
    it("locks one email after 10 failed sign-ins, from anywhere, even with the right password", async () => {
      const target = await createUser(t.db);
      const other = await createUser(t.db);
      const attackerIp = nextIp();
      const { points } = DEFAULT_LIMITS.signInFailuresPerEmail;
      for (let attempt = 1; attempt <= points; attempt++) {
        const res = await client(attackerIp).post("/login", {
          email: target.email,
          password: `wrong-guess-${attempt}`,
        });
        expect(res.status, `attempt ${attempt}`).toBe(400);
        expect(textOf(await res.text())).toContain(
          "That email and password do not match an account.",
        );
      }
      const locked = await client(attackerIp).post("/login", {
        email: target.email,
        password: target.password,
      });
      expect(locked.status).toBe(429);
      expect(locked.headers.get("content-type")).toMatch(/text\/html/);
      expect(locked.headers.get("set-cookie")).toBeNull();
      const retryAfter = Number(locked.headers.get("retry-after"));
      expect(retryAfter).toBeGreaterThan(0);
      expect(retryAfter).toBeLessThanOrEqual(DEFAULT_LIMITS.signInFailuresPerEmail.duration);
      const text = textOf(await bodyOf(locked));
      expect(text).toContain("Too many attempts. For your security, please wait");
      expect(text).toContain("and try again.");

      // The account is locked from every address, and on every instance (same database).
      expect(
        (await client().post("/login", { email: target.email, password: target.password })).status,
      ).toBe(429);
      const second = await startTestServer(t.db, { trustProxy: 1 });
      try {
        const elsewhere = await client(undefined, second).post("/login", {
          email: target.email.toUpperCase(),
          password: target.password,
        });
        expect(elsewhere.status).toBe(429);
        expect(elsewhere.headers.get("retry-after")).toMatch(/^\d+$/);
      } finally {
        await second.close();
      }
      // Another account, from the attacker's own address, signs in as usual.
      const fine = await client(attackerIp).post("/login", {
        email: other.email,
        password: other.password,
      });
      expect(fine.status).toBe(302);
      // The table holds counts under hashed keys: no email address in it.
      const keys: string[] = await t.db("rate_limits").pluck("key");
      expect(keys.some((key) => key.startsWith("signInFailuresPerEmail"))).toBe(true);
      expect(keys.join("\n")).not.toContain(target.email);
      expect(keys.join("\n")).not.toContain(target.email.split("@")[0]);
    });

    it("limits joins per IP, counted once across two instances; other IPs are not affected", async () => {
      const { points } = DEFAULT_LIMITS.joinPerIp;
      const second = await startTestServer(t.db, { trustProxy: 1 });
      try {
        const join = (browser: TestClient) =>
          browser.post("/join", {
            name: "Many Joiner",
            email: `many-${crypto.randomBytes(4).toString("hex")}@example.com`,
            password: "a-long-joining-passphrase",
          });
        const busyIp = nextIp();
        // Half of the joins through each instance: one count, in the database.
        for (let n = 1; n <= points; n++) {
          const on = n % 2 === 0 ? server : second;
          expect((await join(client(busyIp, on))).status, `join ${n}`).toBe(302);
        }
        const rows = await t.db("rate_limits").where("key", "like", `joinPerIp%${busyIp}`);
        expect(rows).toHaveLength(1);
        expect(Number(rows[0].points)).toBe(points);

        const users = await t.db("users").count({ n: "*" }).first();
        for (const on of [server, second]) {
          const refused = await join(client(busyIp, on));
          expect(refused.status).toBe(429);
          expect(Number(refused.headers.get("retry-after"))).toBeGreaterThan(0);
          expect(Number(refused.headers.get("retry-after"))).toBeLessThanOrEqual(
            DEFAULT_LIMITS.joinPerIp.duration,
          );
          expect(textOf(await bodyOf(refused))).toContain("Too many attempts.");
        }
        expect(await t.db("users").count({ n: "*" }).first()).toEqual(users);

        // The client's address is the one the trusted proxy saw: a spoofed first hop changes nothing.
        expect((await join(client(`203.0.113.7, ${busyIp}`))).status).toBe(429);
        // Another address joins as usual, on either instance.
        expect((await join(client())).status).toBe(302);
        expect((await join(client(undefined, second))).status).toBe(302);
      } finally {
        await second.close();
      }
    });

    it("limits sign-ins per IP (with a small limit), and one IP does not affect another", async () => {
      const limits = { ...DEFAULT_LIMITS, signInPerIp: { points: 3, duration: 15 * 60 } };
      const strict = await startTestServer(t.db, {
        trustProxy: 1,
        rateLimits: createRateLimits(t.db, limits),
      });
      try {
        const user = await createUser(t.db);
        const ip = nextIp();
        for (let n = 1; n <= 3; n++) {
          const res = await client(ip, strict).post("/login", {
            email: `nobody-${n}@example.com`,
            password: "not-a-real-password",
          });
          expect(res.status).toBe(400);
        }
        const blocked = await client(ip, strict).post("/login", {
          email: user.email,
          password: user.password,
        });
        expect(blocked.status).toBe(429);
        expect(blocked.headers.get("retry-after")).toMatch(/^\d+$/);
        await bodyOf(blocked);
        const elsewhere = await client(undefined, strict).post("/login", {
          email: user.email,
          password: user.password,
        });
        expect(elsewhere.status).toBe(302);
      } finally {
        await strict.close();
      }
    });
  });

  it("keeps card numbers and CVCs out of the logs, the database, the mail and the page", async () => {
    const lines: string[] = [];
    const logged = await startTestServer(t.db, {
      logger: createLogger("trace", { write: (line: string) => void lines.push(line) }),
    });
    const CVC = "739";
    const digits = (card: string) => card.replace(/ /g, "");
    try {
      const user = await createUser(t.db);
      const browser = new TestClient(logged.url);
      expect(
        (await browser.post("/login", { email: user.email, password: user.password })).status,
      ).toBe(302);
      await browser.post("/cart", { intent: "add", bookId, quantity: 1 });
      const idempotencyKey = await checkoutKey(browser);
      const fields = (cardNumber: string, cvc = CVC) => ({
        ...checkoutFields({ cardNumber, cvc }),
        deliveryProviderId: dhl.id,
        idempotencyKey,
      });

      const declined = await browser.post("/checkout", fields(DECLINED_CARD));
      expect(declined.status).toBe(402);
      const declinedHtml = await bodyOf(declined);
      expect(textOf(declinedHtml)).toContain("Your card was declined.");
      const invalid = await browser.post("/checkout", fields(APPROVED_CARD, "73"));
      expect(invalid.status).toBe(400);
      const invalidHtml = await bodyOf(invalid);
      for (const html of [declinedHtml, invalidHtml]) {
        for (const card of [DECLINED_CARD, APPROVED_CARD]) {
          expect(html).not.toContain(card);
          expect(html).not.toContain(digits(card));
        }
        expect(inputValue(html, "cardNumber") ?? "").toBe("");
        expect(inputValue(html, "cvc") ?? "").toBe("");
        expect(inputValue(html, "city")).toBe("London");
      }

      const approved = await browser.post("/checkout", fields(APPROVED_CARD));
      expect(approved.status).toBe(302);
      const orderId = Number(/^\/orders\/(\d+)/.exec(locationOf(approved))![1]);
      const confirmation = await bodyOf(await browser.get(`/orders/${orderId}`));
      expect(textOf(confirmation)).toContain("Visa ending in 4242");
      expect(confirmation).not.toContain(digits(APPROVED_CARD));

      // The logs: something was written about these requests, and no card in any of it.
      const log = lines.join("");
      expect(log).toMatch(/"path":"\/checkout","status":402/);
      expect(log).toMatch(/"path":"\/checkout","status":302/);
      const values: unknown[] = [];
      const walk = (value: unknown): void => {
        if (value && typeof value === "object") Object.values(value).forEach(walk);
        else values.push(value);
      };
      for (const line of lines) walk(JSON.parse(line));
      for (const card of [DECLINED_CARD, APPROVED_CARD]) {
        expect(log).not.toContain(digits(card));
        expect(log).not.toContain(card);
        expect(log).not.toContain(digits(card).slice(0, 12));
      }
      expect(values.filter((value) => typeof value === "string" && value.trim() === CVC)).toEqual(
        [],
      );
      expect(log).not.toMatch(/cvc[^,}]*739/i);
      expect(log).not.toContain(`cvc=${CVC}`);

      // The database: only the brand and the last four digits, in every table.
      const payments = await t.db("payments").where({ orderId });
      expect(payments).toHaveLength(1);
      expect(payments[0]).toMatchObject({ cardBrand: "Visa", cardLast4: "4242" });
      const tables =
        engine === "sqlite"
          ? ((await t.db.raw("select name from sqlite_master where type = 'table'")) as Array<{
              name: string;
            }>)
          : (
              (await t.db.raw(
                "select table_name as name from information_schema.tables where table_schema = database()",
              )) as [Array<{ name: string }>]
            )[0];
      expect(tables.map((table) => table.name)).toContain("payments");
      for (const { name } of tables) {
        const dump = JSON.stringify(await t.db(name).select("*"));
        for (const card of [DECLINED_CARD, APPROVED_CARD]) {
          expect(dump, name).not.toContain(digits(card));
          expect(dump, name).not.toContain(card);
        }
      }
      expect(
        Object.keys(payments[0])
          .filter((column) => /card|cvc|number/i.test(column))
          .sort(),
      ).toEqual(["cardBrand", "cardLast4"]);

      // The confirmation e-mail.
      const mails = await fs.readdir(logged.outboxDir);
      expect(mails.length).toBeGreaterThan(0);
      for (const name of mails) {
        const mail = await fs.readFile(path.join(logged.outboxDir, name), "utf8");
        expect(mail).not.toContain(digits(APPROVED_CARD));
        expect(mail).not.toContain(APPROVED_CARD);
      }
    } finally {
      await logged.close();
    }
  });
});
