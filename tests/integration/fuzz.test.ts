/**
 * Property-based fuzzing (fast-check) of every form action and every query
 * parameter, over real HTTP against the production build, on SQLite and (when
 * there is one) MySQL.
 *
 * Each form is described field by field: values its rules accept, values they
 * clearly refuse (made to be refused: too long, out of range, a bad check
 * digit…), and junk (anything at all: binary, emoji, SQL, 1 KB strings). Each
 * run picks, per field, a valid value, a refused one, junk or nothing, maybe
 * an unknown extra field or a field sent twice, sends the form as a browser
 * without JavaScript would, and checks:
 *
 * - never a 5xx, never a stack trace in the answer;
 * - an input with a refused or missing required field is answered 4xx;
 * - every 4xx wrote nothing: every table (sessions, carts, orders, books,
 *   audit events…) and every file under UPLOADS_DIR and the mail outbox are
 *   the same before and after. Valid inputs may write; only `rate_limits` is
 *   left out, because counting refused attempts (wrong passwords, joins) is
 *   its job.
 *
 * Every page is fetched with junk in its query string and path segments
 * (bad percent-encoding, huge numbers, repeated keys): never a 5xx, and a GET
 * never writes anything.
 *
 * Bounded in time: a fixed number of runs per form, each property also cut
 * off after its share of the budget. The seed is fixed (FUZZ_SEED overrides
 * it, FUZZ_RUNS multiplies the runs); a failure prints it with the input.
 */
import crypto from "node:crypto";
import fs from "node:fs/promises";
import path from "node:path";
import { createCookie } from "@remix-run/node";
import fc from "fast-check";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sqlTimestamp, dialectOf } from "../../app/lib/db.server";
import { ADJUSTMENT_REASONS } from "../../app/lib/inventory-options";
import { sortKey } from "../../app/lib/sort-key";
import { OFFER_CONDITIONS } from "../../app/lib/offer-options";
import { createRateLimits, DEFAULT_LIMITS, type LimitName } from "../../app/lib/rate-limits.server";
import { deliveryProviders, isbn13 } from "../../db/seeds/demo";
import { createTestDatabase, enginesUnderTest, type TestDatabase } from "../helpers/databases";
import { checkoutFields, createUser, insertBook, type TestUser } from "../helpers/fixtures";
import { inputValue, locationOf, TestClient, type MultipartPart } from "../helpers/http-client";
import {
  loadServerBuild,
  startTestServer,
  TEST_SESSION_SECRET,
  type TestServer,
} from "../helpers/server";
import { filesUnder } from "../helpers/files";

const engines = await enginesUnderTest();

const SEED = Number(process.env.FUZZ_SEED ?? 20_261_203);
const RUNS_FACTOR = Number(process.env.FUZZ_RUNS ?? 1);
/** Runs per form and per group of pages, and the whole budget per engine. */
const PLAN = {
  sqlite: { formRuns: 40, pageRuns: 120, budgetMs: 35_000 },
  mysql: { formRuns: 20, pageRuns: 60, budgetMs: 22_000 },
} as const;

/** What a stack trace looks like in a body: "at fn (/path/file.js:12:3)", node_modules, "Error:\n at". */
const STACK_TRACE = /\bat [^\n<]*\.(?:js|ts|tsx|mjs|cjs):\d+|node_modules|\bError: [^\n<]*\n\s+at /;

// ---------------------------------------------------------------------------
// Values

/** Anything at all. */
const NASTY = [
  "",
  " ",
  "0",
  "-1",
  "1e309",
  "NaN",
  "null",
  "undefined",
  "[object Object]",
  "true",
  "<script>alert(1)</script>",
  "'; DROP TABLE books; --",
  '" OR 1=1 --',
  "\u0000",
  "%00",
  "../../../../etc/passwd",
  "9".repeat(400),
  "💥".repeat(60),
  "\uFEFF1",
  "１２",
  "1\n2",
  "\r\n\r\n",
  "a".repeat(1100),
];
const junk: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: fc.string({ maxLength: 40 }) },
  { weight: 2, arbitrary: fc.string({ unit: "binary", maxLength: 40 }) },
  { weight: 3, arbitrary: fc.constantFrom(...NASTY) },
  { weight: 1, arbitrary: fc.integer().map(String) },
  { weight: 1, arbitrary: fc.double().map(String) },
  { weight: 1, arbitrary: fc.string({ unit: "grapheme", minLength: 100, maxLength: 600 }) },
);

/** How a field is generated: what its rules accept, and what they clearly refuse. */
interface FieldGen {
  valid: fc.Arbitrary<string>;
  invalid?: fc.Arbitrary<string>;
  /** May be left out (and is then valid). */
  optional?: boolean;
}

const field = (valid: fc.Arbitrary<string>, invalid?: fc.Arbitrary<string>): FieldGen => ({
  valid,
  invalid,
});
const optional = (gen: FieldGen): FieldGen => ({ ...gen, optional: true });

/** A required text of at most `max` characters (trimmed). */
const text = (max: number) =>
  field(
    fc.oneof(
      fc.stringMatching(/^[A-Za-z][A-Za-z .,'-]{0,30}[A-Za-z.]$/),
      fc
        .string({ unit: "grapheme", minLength: 1, maxLength: Math.min(max, 40) })
        .filter((s) => s.trim().length > 0 && s.trim().length <= max),
    ),
    fc.constantFrom("", "   ", "\t\n", "x".repeat(max + 1), ` ${"é".repeat(max + 1)} `),
  );
/** An optional text: empty is fine, only too long is refused. */
const optionalText = (max: number) =>
  optional(field(fc.string({ maxLength: 60 }), fc.constant("y".repeat(max + 1))));

const emailField = field(
  fc
    .tuple(
      fc.stringMatching(/^[a-z][a-z0-9]{0,12}$/),
      fc.constantFrom("example.com", "Example.ORG", "mail.test"),
    )
    .map(([local, domain]) => `${local}@${domain}`),
  fc.oneof(
    fc.string({ maxLength: 40 }).filter((s) => !s.includes("@")),
    fc.constantFrom("a@", "@example.com", `${"a".repeat(250)}@example.com`, "two@@example.com"),
  ),
);
const newPassword = field(
  fc.string({ minLength: 10, maxLength: 60 }),
  fc.oneof(
    fc.string({ maxLength: 9 }),
    fc.constantFrom("password123"),
    fc.string({ minLength: 201, maxLength: 240 }),
  ),
);
const currentPassword = (known: () => string) =>
  field(
    fc.oneof(
      fc.string({ maxLength: 60 }),
      fc.constant(null).map(() => known()),
    ),
    fc.string({ minLength: 201, maxLength: 240 }),
  );
const BAD_IDS = ["0", "-1", "abc", "1.0", " 1", "2147483648", "99999999999", "1e3", ""];
/** An id: one of `known()` or an unknown one are valid; malformed ones are refused. */
const id = (known: () => number[]) =>
  field(
    fc
      .oneof(
        { weight: 4, arbitrary: fc.constant(null).chain(() => fc.constantFrom(...known())) },
        { weight: 1, arbitrary: fc.integer({ min: 1_000_000, max: 2_147_483_647 }) },
      )
      .map(String),
    fc.constantFrom(...BAD_IDS),
  );
const quantity = field(
  fc.oneof(
    fc.integer({ min: 1, max: 99 }).map(String),
    fc.integer({ min: 1, max: 99 }).map((n) => ` 0${n} `),
  ),
  fc.oneof(
    fc.integer({ min: 100, max: 2 ** 40 }).map(String),
    fc.integer({ min: -1000, max: 0 }).map(String),
    fc.constantFrom("", " ", "1.5", "1e2", "abc", "0x10", "+1", "٣", "99999999999999999999"),
  ),
);
const price = field(
  fc.oneof(
    fc
      .tuple(fc.integer({ min: 0, max: 99_999 }), fc.integer({ min: 0, max: 99 }))
      .map(([d, c]) => `${d}.${String(c).padStart(2, "0")}`),
    fc.constantFrom("12", "$1,234.50", "0.5", "100000"),
  ),
  fc.constantFrom("abc", "-1", "12.345", "100000.01", "1,00", "$", "", "1.2.3", "12,34"),
);
const THIS_YEAR = new Date().getUTCFullYear();
const year = field(
  fc.integer({ min: 1, max: THIS_YEAR + 1 }).map(String),
  fc.constantFrom("0", "-5", String(THIS_YEAR + 2), "abc", "1.5", "", "99999999999"),
);
const wholeNumber = (min: number, max: number) =>
  field(
    fc.integer({ min, max }).map(String),
    fc.constantFrom(String(min - 1), String(max + 1), "x", "1.5", ""),
  );
const isbn = field(
  fc.oneof(
    fc.integer({ min: 0, max: 99_999 }).map((n) => isbn13("9781", n)),
    fc.constantFrom("978-0-14-143951-8", "0141439513", "0-14-143951-3"),
  ),
  fc.constantFrom("123", "abc", "9780141439519", "97801414395188", "", "014143951X"),
);
const oneOf = (values: readonly string[], refused: string[]) =>
  field(fc.constantFrom(...values), fc.constantFrom(...refused));

/** Parts of a multipart form: a file field, as an image (valid), not an image (refused) or junk bytes. */
interface FileGen {
  valid: fc.Arbitrary<{ filename: string; type: string; bytes: Uint8Array }>;
  invalid: fc.Arbitrary<{ filename: string; type: string; bytes: Uint8Array }>;
  junk: fc.Arbitrary<{ filename: string; type: string; bytes: Uint8Array }>;
  optional?: boolean;
}

// ---------------------------------------------------------------------------
// Forms and pages

type Who = "guest" | "member" | "admin";

interface Fixtures {
  member: TestUser;
  admin: TestUser;
  bookIds: number[];
  spareBookIds: number[];
  providerIds: number[];
  spareProviderIds: number[];
  memberOrderIds: number[];
  otherOrderIds: number[];
  offerIds: number[];
  targetUserIds: number[];
  resetTokens: string[];
  images: Buffer[];
}

interface FormSpec {
  name: string;
  who: Who;
  /** The form's address; `param` is the path parameter when `pathParam` is given. */
  path: (param: string) => string;
  pathParam?: (fx: Fixtures) => FieldGen;
  fields: (fx: Fixtures) => Record<string, FieldGen>;
  /** A multipart form, with this file field. */
  file?: (fx: Fixtures) => { name: string } & FileGen;
  /** Puts things in place for a run (before the "before" picture is taken). */
  prepare?: (fx: Fixtures) => Promise<void>;
  /** Learns from an accepted run (e.g. the member's new password). */
  after?: (fx: Fixtures, sent: Record<string, string>, status: number) => void;
}

const INTENT_JUNK = fc.oneof(fc.constantFrom("", "ADD", "add ", "delete-all", "__proto__"), junk);
const intent = (value: string) => field(fc.constant(value), INTENT_JUNK);

const imageFile = (fx: Fixtures, optionalFile = false): FileGen => ({
  valid: fc.constantFrom(...fx.images).map((bytes) => ({
    filename: "cover.img",
    type: "image/png",
    bytes,
  })),
  invalid: fc.oneof(
    fc.constant({ filename: "empty.png", type: "image/png", bytes: new Uint8Array() }),
    fc.uint8Array({ minLength: 1, maxLength: 2000 }).map((bytes) => ({
      filename: "x.png",
      type: "image/png",
      bytes: Buffer.concat([Buffer.from("NOT AN IMAGE"), bytes]),
    })),
  ),
  junk: fc
    .tuple(
      fc.constantFrom("ffd8ff", "89504e470d0a1a0a", "52494646000000005745425056503820"),
      fc.uint8Array({ maxLength: 3000 }),
    )
    .map(([magic, bytes]) => ({
      filename: "damaged.jpg",
      type: "image/jpeg",
      bytes: Buffer.concat([Buffer.from(magic, "hex"), bytes]),
    })),
  optional: optionalFile,
});

const csvFile = (): FileGen => {
  const header = "isbn,title,author,genre,year,price,stock,description";
  const row = fc
    .record({
      isbn: fc.integer({ min: 0, max: 99_999 }).map((n) => isbn13("9782", n)),
      title: fc.stringMatching(/^[A-Za-z][A-Za-z ]{0,20}$/),
      author: fc.stringMatching(/^[A-Za-z][A-Za-z ]{0,20}$/),
      genre: fc.constantFrom("Fiction", "Poetry", "History"),
      year: fc.integer({ min: 1500, max: THIS_YEAR }),
      price: fc.integer({ min: 1, max: 9999 }).map((c) => (c / 100).toFixed(2)),
      stock: fc.integer({ min: 0, max: 500 }),
      description: fc.stringMatching(/^[A-Za-z ]{0,40}$/),
    })
    .map((r) => Object.values(r).join(","));
  const csv = (bytes: string) => ({
    filename: "books.csv",
    type: "text/csv",
    bytes: Buffer.from(bytes),
  });
  return {
    valid: fc
      .array(row, { minLength: 1, maxLength: 3 })
      .map((rows) => csv([header, ...rows].join("\n"))),
    invalid: fc.oneof(
      fc.constant(csv("")),
      fc
        .array(row, { minLength: 1, maxLength: 2 })
        .map((rows) => csv(["name,cost", ...rows].join("\n"))),
    ),
    junk: fc.oneof(
      fc
        .uint8Array({ maxLength: 2000 })
        .map((bytes) => ({ filename: "x.csv", type: "text/csv", bytes })),
      fc.array(junk, { maxLength: 5 }).map((lines) => csv([header, ...lines].join("\n"))),
    ),
  };
};

const bookFields = {
  isbn,
  title: text(255),
  author: text(255),
  description: optionalText(5000),
  genre: text(64),
  publishedYear: year,
  priceCents: price,
};

const FORMS: FormSpec[] = [
  {
    name: "join",
    who: "guest",
    path: () => "/join",
    fields: () => ({
      name: text(100),
      email: emailField,
      password: newPassword,
      redirectTo: optional(
        field(
          fc.constantFrom("/", "/cart", "//evil.example", "https://evil.example/"),
          fc.constant("/".repeat(1001)),
        ),
      ),
    }),
  },
  {
    name: "login",
    who: "guest",
    path: () => "/login",
    fields: (fx) => ({
      email: field(fc.oneof(emailField.valid, fc.constant(fx.member.email)), emailField.invalid),
      password: currentPassword(() => fx.member.password),
      redirectTo: optional(
        field(fc.constantFrom("/", "/orders", "//evil.example"), fc.constant("/".repeat(1001))),
      ),
    }),
  },
  { name: "logout", who: "member", path: () => "/logout", fields: () => ({}) },
  {
    name: "forgot-password",
    who: "guest",
    path: () => "/forgot-password",
    fields: () => ({ email: emailField }),
  },
  {
    name: "reset-password",
    who: "guest",
    path: () => "/reset-password",
    fields: (fx) => ({
      token: field(
        fc.oneof(fc.constantFrom(...fx.resetTokens), fc.stringMatching(/^[0-9a-f]{1,64}$/)),
        fc.constant("t".repeat(101)),
      ),
      password: newPassword,
    }),
  },
  ...(["guest", "member"] as const).map((who): FormSpec => ({
    name: `cart: add (${who})`,
    who,
    path: () => "/cart",
    fields: (fx) => ({ intent: intent("add"), bookId: id(() => fx.bookIds), quantity }),
  })),
  {
    name: "cart: update",
    who: "member",
    path: () => "/cart",
    prepare: (fx) => fillMemberCart(fx),
    fields: (fx) => ({ intent: intent("update"), bookId: id(() => fx.bookIds), quantity }),
  },
  {
    name: "cart: remove",
    who: "member",
    path: () => "/cart",
    prepare: (fx) => fillMemberCart(fx),
    fields: (fx) => ({ intent: intent("remove"), bookId: id(() => fx.bookIds) }),
  },
  {
    name: "account: name",
    who: "member",
    path: () => "/account",
    fields: () => ({ intent: intent("name"), name: text(100) }),
  },
  {
    name: "account: password",
    who: "member",
    path: () => "/account",
    fields: (fx) => ({
      intent: intent("password"),
      currentPassword: currentPassword(() => fx.member.password),
      newPassword,
    }),
    after: (fx, sent, status) => {
      if (status === 200 && sent.currentPassword === fx.member.password) {
        fx.member.password = sent.newPassword;
      }
    },
  },
  {
    name: "account: sign out everywhere",
    who: "member",
    path: () => "/account",
    fields: () => ({ intent: intent("sign-out-everywhere") }),
  },
  {
    name: "checkout",
    who: "member",
    path: () => "/checkout",
    prepare: (fx) => fillMemberCart(fx),
    fields: (fx) => ({
      idempotencyKey: field(
        fc.uuid(),
        fc.constantFrom(
          "short",
          "has spaces in it 123456",
          "",
          "k".repeat(65),
          "ключ-ключ-ключ-ключ",
        ),
      ),
      fullName: text(100),
      line1: text(200),
      line2: optionalText(200),
      city: text(100),
      region: text(100),
      postalCode: field(
        fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9 -]{1,12}[A-Za-z0-9]$/),
        fc.constantFrom("1", "@@@@", "-123", "1".repeat(25), "", "AB_12"),
      ),
      country: text(60),
      deliveryProviderId: id(() => fx.providerIds),
      cardNumber: field(
        fc.constantFrom(
          "4242 4242 4242 4242",
          "4242424242424242",
          "4000 0000 0000 0002",
          "5555 5555 5555 4444",
        ),
        fc.constantFrom("4242 4242 4242 4241", "abcd", "", "1".repeat(41)),
      ),
      expiry: field(
        fc
          .tuple(fc.integer({ min: 1, max: 12 }), fc.integer({ min: 30, max: 45 }))
          .map(([m, y]) => `${String(m).padStart(2, "0")}/${y}`),
        fc.constantFrom("13/30", "00/30", "01/20", "ab/cd", ""),
      ),
      cvc: field(
        fc.integer({ min: 100, max: 999 }).map(String),
        fc.constantFrom("12", "12345", "abc", ""),
      ),
    }),
  },
  {
    name: "orders: cancel",
    who: "member",
    path: (orderId) => `/orders/${orderId}`,
    pathParam: (fx) => id(() => [...fx.memberOrderIds, ...fx.otherOrderIds]),
    fields: () => ({ intent: intent("cancel") }),
  },
  {
    name: "sell",
    who: "member",
    path: () => "/sell",
    fields: () => ({
      isbn,
      title: text(255),
      author: text(255),
      condition: oneOf(OFFER_CONDITIONS, ["mint", "", "GOOD"]),
      askingPriceCents: price,
    }),
    file: (fx) => ({ name: "photo", ...imageFile(fx, true) }),
  },
  {
    name: "admin: new book",
    who: "admin",
    path: () => "/admin/books/new",
    fields: () => ({ ...bookFields, stock: wholeNumber(0, 1_000_000) }),
  },
  {
    name: "admin: book details",
    who: "admin",
    path: (bookId) => `/admin/books/${bookId}`,
    pathParam: (fx) => id(() => fx.bookIds),
    fields: () => ({ intent: intent("details"), ...bookFields }),
  },
  {
    name: "admin: stock adjustment",
    who: "admin",
    path: (bookId) => `/admin/books/${bookId}`,
    pathParam: (fx) => id(() => fx.bookIds),
    fields: () => ({
      intent: intent("stock"),
      delta: field(
        fc
          .integer({ min: -1_000_000, max: 1_000_000 })
          .filter((n) => n !== 0)
          .map(String),
        fc.constantFrom("0", "abc", "1000001", "-1000001", "", "1.5"),
      ),
      reason: oneOf(ADJUSTMENT_REASONS, ["sale", "nope", ""]),
      note: optionalText(255),
    }),
  },
  ...(["archive", "restore", "delete"] as const).map((move): FormSpec => ({
    name: `admin: book ${move}`,
    who: "admin",
    path: (bookId) => `/admin/books/${bookId}`,
    pathParam: (fx) => id(() => fx.spareBookIds),
    fields: () => ({ intent: intent(move) }),
  })),
  {
    name: "admin: cover upload",
    who: "admin",
    path: (bookId) => `/admin/books/${bookId}/cover`,
    pathParam: (fx) => id(() => fx.bookIds),
    fields: () => ({ intent: intent("upload") }),
    file: (fx) => ({ name: "cover", ...imageFile(fx) }),
  },
  {
    name: "admin: cover removal",
    who: "admin",
    path: (bookId) => `/admin/books/${bookId}/cover`,
    pathParam: (fx) => id(() => fx.bookIds),
    fields: () => ({ intent: intent("remove") }),
  },
  {
    name: "admin: import preview",
    who: "admin",
    path: () => "/admin/books/import",
    fields: () => ({}),
    file: () => ({ name: "file", ...csvFile() }),
  },
  {
    name: "admin: import apply",
    who: "admin",
    path: () => "/admin/books/import",
    fields: () => ({
      intent: intent("apply"),
      token: field(fc.stringMatching(/^[0-9a-f]{64}$/), fc.constantFrom("", "../../x", "zz")),
    }),
  },
  {
    name: "admin: delivery provider",
    who: "admin",
    path: (providerId) => `/admin/delivery-providers/${providerId}`,
    pathParam: (fx) => {
      const ids = id(() => fx.spareProviderIds);
      return { ...ids, valid: fc.oneof(ids.valid, fc.constant("new")) };
    },
    fields: () => ({ name: text(100), coverageArea: text(255), costCents: price }),
  },
  ...(["deactivate", "reactivate"] as const).map((move): FormSpec => ({
    name: `admin: provider ${move}`,
    who: "admin",
    path: () => "/admin/delivery-providers",
    fields: (fx) => ({ intent: intent(move), providerId: id(() => fx.spareProviderIds) }),
  })),
  {
    name: "admin: offer accept",
    who: "admin",
    path: () => "/admin/offers",
    fields: (fx) => ({
      intent: intent("accept"),
      offerId: id(() => fx.offerIds),
      acceptedPriceCents: price,
      shelfPriceCents: optional(price),
      genre: optional(field(fc.constantFrom("Fiction", "Poetry"), fc.constant("g".repeat(65)))),
      publishedYear: optional(year),
      description: optionalText(5000),
      note: optionalText(500),
    }),
  },
  {
    name: "admin: offer reject",
    who: "admin",
    path: () => "/admin/offers",
    fields: (fx) => ({
      intent: intent("reject"),
      offerId: id(() => fx.offerIds),
      reason: field(
        fc.stringMatching(/^[A-Za-z]{3}[A-Za-z ]{0,40}$/),
        fc.constantFrom("", "ab", "r".repeat(501)),
      ),
    }),
  },
  ...(
    [
      [
        "ship",
        {
          trackingNumber: field(
            fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9./-]{0,30}$/),
            fc.constantFrom("", "  ", "-abc", "a#b", "t".repeat(65), "<b>"),
          ),
        },
      ],
      ["deliver", {}],
      ["cancel", { reason: optionalText(200) }],
    ] as const
  ).map(([move, extra]): FormSpec => ({
    name: `admin: order ${move}`,
    who: "admin",
    path: (orderId) => `/admin/orders/${orderId}`,
    pathParam: (fx) => id(() => [...fx.memberOrderIds, ...fx.otherOrderIds]),
    fields: () => ({ intent: intent(move), ...extra }),
  })),
  ...(["disable", "enable", "promote", "demote"] as const).map((move): FormSpec => ({
    name: `admin: user ${move}`,
    who: "admin",
    path: () => "/admin/users",
    fields: (fx) => ({ intent: intent(move), userId: id(() => fx.targetUserIds) }),
  })),
];

/** Pages, by who may see them; `:id` is a path segment fuzzed like a query value. */
const PAGES: Record<
  Who,
  Array<{ path: string; params: string[]; ids?: (fx: Fixtures) => number[] }>
> = {
  guest: [
    { path: "/", params: [] },
    { path: "/books", params: ["q", "genre", "sort", "page"] },
    { path: "/books/:id", params: [], ids: (fx) => fx.bookIds },
    { path: "/covers/:id", params: [], ids: (fx) => fx.bookIds },
    { path: "/login", params: ["redirectTo", "notice"] },
    { path: "/join", params: ["redirectTo"] },
    { path: "/forgot-password", params: [] },
    { path: "/reset-password", params: ["token"] },
    { path: "/uploads/:id", params: [] },
    { path: "/cart", params: [] },
  ],
  member: [
    { path: "/cart", params: [] },
    { path: "/checkout", params: [] },
    { path: "/account", params: [] },
    { path: "/orders", params: [] },
    { path: "/orders/:id", params: ["placed"], ids: (fx) => fx.memberOrderIds },
    { path: "/offers", params: ["notice"] },
    { path: "/sell", params: [] },
    { path: "/logout", params: [] },
    { path: "/books", params: ["q", "genre", "sort", "page"] },
  ],
  admin: [
    { path: "/admin", params: [] },
    {
      path: "/admin/books",
      params: ["q", "genre", "low", "threshold", "archived", "sort", "dir", "page", "notice"],
    },
    { path: "/admin/books/:id", params: ["notice"], ids: (fx) => fx.bookIds },
    { path: "/admin/books/:id/cover", params: [], ids: (fx) => fx.bookIds },
    { path: "/admin/books/new", params: [] },
    { path: "/admin/books/import", params: [] },
    { path: "/admin/books/export.csv", params: ["q", "genre"] },
    { path: "/admin/orders", params: ["status", "from", "to", "q", "page"] },
    { path: "/admin/orders/:id", params: ["notice"], ids: (fx) => fx.memberOrderIds },
    { path: "/admin/offers", params: ["status", "notice"] },
    { path: "/admin/users", params: ["q", "page", "notice"] },
    { path: "/admin/audit", params: ["action", "entityType", "entityId", "actor", "page"] },
    { path: "/admin/delivery-providers", params: ["notice"] },
    { path: "/admin/delivery-providers/:id", params: [], ids: (fx) => fx.providerIds },
  ],
};

/** Values a query parameter might plausibly have, for every parameter. */
const PLAUSIBLE = [
  "1",
  "2",
  "0",
  "-1",
  "999999",
  "title",
  "price",
  "newest",
  "asc",
  "desc",
  "paid",
  "pending",
  "shipped",
  "accepted",
  "Fiction",
  "austen",
  "2024-01-01",
  "book.update",
  "book",
  "low",
  "all",
  "archived",
  "active",
  "created",
  "saved",
  "sent",
  "reset",
  "signed-out",
  "/cart",
  "//evil.example",
];
/** Percent-encoding gone wrong, sent as is. */
const RAW = [
  "%",
  "%zz",
  "%00",
  "%2e%2e",
  "..",
  "%C0%AF",
  "%FF",
  "%E2%82",
  "+",
  "%2B",
  "a[b]",
  "[]",
  "=",
  "&",
  "%26",
  "%3D",
  "%C3%A9",
];

const queryValue = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...PLAUSIBLE).map(encodeURIComponent) },
  { weight: 3, arbitrary: junk.map(encodeURIComponent) },
  { weight: 2, arbitrary: fc.constantFrom(...RAW) },
);
const segment = (known: number[]) =>
  fc.oneof(
    { weight: 3, arbitrary: fc.constantFrom(...(known.length ? known : [1])).map(String) },
    {
      weight: 2,
      arbitrary: fc.constantFrom(...BAD_IDS, "new", "00000000001", "1%2F2").map(encodeURIComponent),
    },
    { weight: 2, arbitrary: junk.filter((s) => s.length > 0).map(encodeURIComponent) },
    { weight: 2, arbitrary: fc.constantFrom(...RAW) },
  );

// ---------------------------------------------------------------------------
// The fuzzing

let t: TestDatabase;
let server: TestServer;
let fx: Fixtures;

/** Fills the member's cart with two books (if it holds fewer), so update, remove and checkout can work. */
async function fillMemberCart(fx: Fixtures) {
  let cart = await t.db("carts").where({ userId: fx.member.id }).first();
  if (!cart) {
    await t.db("carts").insert({ userId: fx.member.id });
    cart = await t.db("carts").where({ userId: fx.member.id }).first();
  }
  for (const bookId of fx.bookIds.slice(0, 2)) {
    const line = await t.db("cartItems").where({ cartId: cart.id, bookId }).first();
    if (!line) await t.db("cartItems").insert({ cartId: cart.id, bookId, quantity: 1 });
  }
  await t.db("books").whereIn("id", fx.bookIds).where("stock", "<", 50).update({ stock: 500 });
}

const sessions = new Map<number, { id: string; cookie: string }>();
/** A signed-in session for `userId`, minted in the database (no password hashing per run). */
async function sessionCookie(userId: number): Promise<string> {
  const known = sessions.get(userId);
  if (known && (await t.db("sessions").where({ id: known.id }).first())) return known.cookie;
  const sessionId = crypto.randomBytes(32).toString("base64url");
  await t.db("sessions").insert({
    id: sessionId,
    userId,
    data: JSON.stringify({ userId }),
    expiresAt: sqlTimestamp(new Date(Date.now() + 24 * 3600 * 1000)),
  });
  const header = await createCookie("__session", { secrets: [TEST_SESSION_SECRET] }).serialize(
    sessionId,
  );
  const cookie = header.split(";")[0].slice("__session=".length);
  sessions.set(userId, { id: sessionId, cookie });
  return cookie;
}

async function clientFor(who: Who): Promise<TestClient> {
  const client = new TestClient(server.url, { Origin: server.url });
  if (who !== "guest") {
    client.cookies.set(
      "__session",
      await sessionCookie(who === "admin" ? fx.admin.id : fx.member.id),
    );
  }
  return client;
}

/** Tables whose rows a refused request must leave as they were. */
async function watchedTables(): Promise<string[]> {
  const names: string[] =
    dialectOf(t.db) === "mysql"
      ? ((await t.db.raw("SHOW TABLES"))[0] as Array<Record<string, string>>).map(
          (row) => Object.values(row)[0],
        )
      : (await t.db.raw("SELECT name FROM sqlite_master WHERE type = 'table'")).map(
          (row: { name: string }) => row.name,
        );
  return names.filter((name) => !/^(knex_|sqlite_|rate_limits$|book_search)/.test(name)).sort();
}

let tables: string[] = [];
const digest = (value: unknown) =>
  crypto.createHash("sha256").update(JSON.stringify(value)).digest("hex").slice(0, 16);

/** A picture of everything a request could write: a digest per table, and the files. */
async function snapshot(): Promise<Record<string, string>> {
  const picture: Record<string, string> = {};
  for (const table of tables) {
    const rows = (await t.db.raw(`SELECT * FROM ${table}`)) as unknown;
    const list = (dialectOf(t.db) === "mysql" ? (rows as unknown[][])[0] : rows) as unknown[];
    picture[table] = `${list.length}:${digest(list.map((row) => JSON.stringify(row)).sort())}`;
  }
  picture.uploads = digest(await filesUnder(server.uploadsDir));
  picture.outbox = digest(await filesUnder(server.outboxDir));
  return picture;
}

type Choice = { kind: "valid" | "invalid" | "junk"; value: string } | { kind: "missing" };

function choices(gen: FieldGen): fc.Arbitrary<Choice> {
  return fc.oneof(
    { weight: 6, arbitrary: gen.valid.map((value) => ({ kind: "valid" as const, value })) },
    ...(gen.invalid
      ? [
          {
            weight: 2,
            arbitrary: gen.invalid.map((value) => ({ kind: "invalid" as const, value })),
          },
        ]
      : []),
    { weight: 1, arbitrary: fc.constant({ kind: "missing" as const }) },
    { weight: 2, arbitrary: junk.map((value) => ({ kind: "junk" as const, value })) },
  );
}

interface Sample {
  pathChoice?: Choice;
  fields: Array<[string, Choice]>;
  file?: {
    kind: "valid" | "invalid" | "junk" | "missing";
    part?: { filename: string; type: string; bytes: Uint8Array };
  };
  extras: Array<[string, string]>;
  /** Index of a field to send twice, if any. */
  twice: number | null;
}

function sampleOf(spec: FormSpec): fc.Arbitrary<Sample> {
  const gens = Object.entries(spec.fields(fx));
  const file = spec.file?.(fx);
  const pathGen = spec.pathParam?.(fx);
  return fc.record({
    pathChoice: pathGen ? choices(pathGen) : fc.constant(undefined),
    fields: fc.tuple(
      ...gens.map(([name, gen]) => choices(gen).map((c) => [name, c] as [string, Choice])),
    ),
    file: file
      ? fc.oneof(
          { weight: 5, arbitrary: file.valid.map((part) => ({ kind: "valid" as const, part })) },
          {
            weight: 2,
            arbitrary: file.invalid.map((part) => ({ kind: "invalid" as const, part })),
          },
          { weight: 2, arbitrary: file.junk.map((part) => ({ kind: "junk" as const, part })) },
          { weight: 1, arbitrary: fc.constant({ kind: "missing" as const }) },
        )
      : fc.constant(undefined),
    extras: fc.array(
      fc.tuple(
        fc.string({ maxLength: 8 }).map((s) => `extra${s}`),
        junk,
      ),
      { maxLength: 2 },
    ),
    twice: fc.oneof(
      { weight: 12, arbitrary: fc.constant(null) },
      { weight: 1, arbitrary: fc.nat(20) },
    ),
  }) as fc.Arbitrary<Sample>;
}

/** "valid" (every field as its rules want), "invalid" (some field refused or missing), or "unknown" (junk). */
function verdict(spec: FormSpec, sample: Sample): "valid" | "invalid" | "unknown" {
  const gens = spec.fields(fx);
  const fileGen = spec.file?.(fx);
  const all: Array<[Choice | Sample["file"], boolean]> = [
    ...sample.fields.map(([name, c]) => [c, Boolean(gens[name].optional)] as [Choice, boolean]),
  ];
  if (sample.pathChoice)
    all.push([
      sample.pathChoice.kind === "missing" ? { kind: "invalid", value: "" } : sample.pathChoice,
      false,
    ]);
  if (fileGen && sample.file) all.push([sample.file, Boolean(fileGen.optional)]);
  const sent = sample.fields.filter(([, c]) => c.kind !== "missing").length;
  if (sample.twice !== null && sent > 0) return "invalid";
  if (all.some(([c, opt]) => c!.kind === "invalid" || (c!.kind === "missing" && !opt)))
    return "invalid";
  if (all.some(([c]) => c!.kind === "junk")) return "unknown";
  return "valid";
}

async function sendForm(client: TestClient, spec: FormSpec, sample: Sample) {
  const param =
    sample.pathChoice && sample.pathChoice.kind !== "missing"
      ? sample.pathChoice.kind === "junk"
        ? encodeURIComponent(sample.pathChoice.value) || "%20"
        : encodeURIComponent(sample.pathChoice.value) || "0"
      : "0";
  const target = spec.path(param);
  const sent = sample.fields.flatMap(([name, c]) =>
    c.kind === "missing" ? [] : [[name, c.value] as [string, string]],
  );
  const pairs = [...sent, ...sample.extras];
  if (sample.twice !== null && sent.length > 0) pairs.push(sent[sample.twice % sent.length]);
  if (spec.file) {
    const parts: MultipartPart[] = pairs.map(([name, value]) => ({ name, value }));
    if (sample.file?.part) parts.push({ name: spec.file(fx).name, ...sample.file.part });
    return {
      target,
      sent: Object.fromEntries(sent),
      res: await client.postMultipart(target, parts),
    };
  }
  return { target, sent: Object.fromEntries(sent), res: await client.post(target, pairs) };
}

const show = (value: unknown) =>
  JSON.stringify(value, (_key, v: unknown) =>
    v instanceof Uint8Array
      ? `<${v.length} bytes>`
      : typeof v === "string" && v.length > 120
        ? `${v.slice(0, 120)}…(${v.length})`
        : v,
  );

async function checkForm(spec: FormSpec, sample: Sample) {
  const client = await clientFor(spec.who);
  await spec.prepare?.(fx);
  const before = await snapshot();
  const { target, sent, res } = await sendForm(client, spec, sample);
  const body = await res.text();
  const expected = verdict(spec, sample);
  const context = `${spec.name}: POST ${target} ${show(sample)} (${expected}) → ${res.status} ${res.headers.get("location") ?? ""}\n${body.slice(0, 600)}`;
  expect(res.status, context).toBeLessThan(500);
  expect(body, context).not.toMatch(STACK_TRACE);
  if (expected === "invalid") expect(res.status, context).toBeGreaterThanOrEqual(400);
  if (res.status >= 400) expect(await snapshot(), context).toEqual(before);
  spec.after?.(fx, sent, res.status);
}

async function checkPage(
  who: Who,
  pick: { page: (typeof PAGES)[Who][number]; segment: string; query: Array<[string, string]> },
) {
  const client = await clientFor(who);
  const pathname = pick.page.path.replace(":id", pick.segment);
  const query = pick.query.map(([key, value]) => `${key}=${value}`).join("&");
  const target = query ? `${pathname}?${query}` : pathname;
  const before = await snapshot();
  const res = await client.get(target);
  const body = await res.text();
  const context = `${who}: GET ${target} → ${res.status}\n${body.slice(0, 600)}`;
  expect(res.status, context).toBeLessThan(500);
  expect(body, context).not.toMatch(STACK_TRACE);
  expect(await snapshot(), context).toEqual(before);
}

function pagePicks(who: Who) {
  return fc.constantFrom(...PAGES[who]).chain((page) =>
    fc.record({
      page: fc.constant(page),
      segment: segment(page.ids?.(fx) ?? []),
      query: fc.array(
        fc.tuple(
          fc.oneof(
            {
              weight: 4,
              arbitrary: page.params.length ? fc.constantFrom(...page.params) : fc.constant("x"),
            },
            { weight: 1, arbitrary: fc.constantFrom(...RAW, "q", "page") },
            { weight: 1, arbitrary: junk.map(encodeURIComponent) },
          ),
          queryValue,
        ),
        { maxLength: 4 },
      ),
    }),
  );
}

/** fast-check's run, bounded in time, with the seed and the input in the failure. */
async function fuzz<T>(
  name: string,
  arbitrary: fc.Arbitrary<T>,
  check: (value: T) => Promise<void>,
  numRuns: number,
  timeLimitMs: number,
) {
  // Runs past the time budget pass without sending anything. fast-check's own
  // interruptAfterTimeLimit would abandon a run mid-request, and that request's
  // writes would then land inside the next form's before/after comparison.
  const deadline = performance.now() + timeLimitMs * RUNS_FACTOR;
  const bounded = async (value: T) => {
    if (performance.now() < deadline) await check(value);
  };
  try {
    await fc.assert(fc.asyncProperty(arbitrary, bounded), {
      seed: SEED,
      numRuns: Math.max(1, Math.round(numRuns * RUNS_FACTOR)),
      endOnFailure: true,
    });
  } catch (error) {
    throw new Error(
      `${name} failed; reproduce with FUZZ_SEED=${SEED}\n${(error as Error).message}`,
      { cause: error },
    );
  }
}

describe("the fuzzed forms", () => {
  it("cover every route of the build that has an action", async () => {
    const { routes } = await loadServerBuild();
    const pathOf = (id: string): string => {
      const route = routes[id];
      const parent = route.parentId ? pathOf(route.parentId) : "";
      return route.path ? `${parent.replace(/\/$/, "")}/${route.path}` : parent;
    };
    const sent = FORMS.map((spec) => spec.path("1"));
    const missing = Object.values(routes)
      .filter((route) => route.module.action)
      .filter((route) => {
        const pattern = (pathOf(route.id) || "/").replace(/:[^/]+/g, "[^/?]+");
        const address = new RegExp(`^${pattern}${route.index ? "\\?index" : ""}(?:$|[?&])`);
        return !sent.some((path) => address.test(path));
      })
      .map((route) => route.id);
    expect(missing).toEqual([]);
  });
});

describe.each(engines)(`fuzzing every form and page on %s (seed ${SEED})`, (engine) => {
  const plan = PLAN[engine];
  const forms = FORMS.length;
  // The budget, shared: four parts to the forms, one to the pages.
  const formMs = (plan.budgetMs * 0.75) / forms;
  const pageMs = (plan.budgetMs * 0.25) / 3;

  beforeAll(async () => {
    t = await createTestDatabase(engine);
    const generous = Object.fromEntries(
      Object.keys(DEFAULT_LIMITS).map((name) => [name, { points: 1_000_000, duration: 3600 }]),
    ) as Record<LimitName, { points: number; duration: number }>;
    server = await startTestServer(t.db, { rateLimits: createRateLimits(t.db, generous) });
    await t.db("deliveryProviders").insert(deliveryProviders.map((p) => ({ ...p })));
    const spareProviders = [
      { name: `Fuzz Post A`, coverageArea: "Everywhere", costCents: 100 },
      { name: `Fuzz Post B`, coverageArea: "Nowhere", costCents: 200 },
    ];
    await t.db("deliveryProviders").insert(spareProviders);
    const providers = await t.db("deliveryProviders").orderBy("id");
    const member = await createUser(t.db);
    const admin = await createUser(t.db, { role: "admin" });
    const targets = [
      await createUser(t.db),
      await createUser(t.db),
      await createUser(t.db, { role: "admin" }),
    ];
    const bookIds: number[] = [];
    for (let i = 0; i < 6; i++)
      bookIds.push(await insertBook(t.db, { stock: 500, title: `Fuzz Book ${i}` }));
    bookIds.push(await insertBook(t.db, { archivedAt: sqlTimestamp() }));
    const spareBookIds: number[] = [];
    for (let i = 0; i < 6; i++) spareBookIds.push(await insertBook(t.db, { stock: 5 }));
    const formats = ["png", "jpeg", "webp"] as const;
    const images = await Promise.all(
      ["#a33", "#3a3", "#33a"].map((background, i) => {
        const image = sharp({ create: { width: 40 + i, height: 60, channels: 3, background } });
        return image.toFormat(formats[i]).toBuffer();
      }),
    );
    fx = {
      member,
      admin,
      bookIds,
      spareBookIds,
      providerIds: providers.filter((p) => !p.name.startsWith("Fuzz")).map((p) => p.id),
      spareProviderIds: providers.filter((p) => p.name.startsWith("Fuzz")).map((p) => p.id),
      memberOrderIds: [],
      otherOrderIds: [],
      offerIds: [],
      targetUserIds: targets.map((u) => u.id),
      resetTokens: [],
      images,
    };
    // Orders to cancel, ship and deliver: three of the member's, one of someone else's.
    for (const buyer of [member, member, member, targets[0]]) {
      const client = new TestClient(server.url);
      client.cookies.set("__session", await sessionCookie(buyer.id));
      await client.post("/cart", { intent: "add", bookId: bookIds[0], quantity: 1 });
      const key = inputValue(await (await client.get("/checkout")).text(), "idempotencyKey")!;
      const placed = await client.post("/checkout", {
        ...checkoutFields(),
        deliveryProviderId: fx.providerIds[0],
        idempotencyKey: key,
      });
      expect(placed.status).toBe(302);
      const orderId = Number(/\/orders\/(\d+)/.exec(locationOf(placed))![1]);
      (buyer === member ? fx.memberOrderIds : fx.otherOrderIds).push(orderId);
    }
    // Offers to accept and reject.
    for (let i = 0; i < 6; i++) {
      const [offerId] = await t.db("offers").insert({
        userId: targets[i % 2].id,
        isbn: isbn13("9783", i),
        title: `Offered ${i}`,
        author: "Someone",
        condition: "good",
        askingPriceCents: 500 + i,
      });
      fx.offerIds.push(Number(offerId));
    }
    // Reset links, as mailed.
    await new TestClient(server.url).post("/forgot-password", { email: member.email });
    for (const name of await fs.readdir(server.outboxDir)) {
      const mail = JSON.parse(await fs.readFile(path.join(server.outboxDir, name), "utf8")) as {
        text: string;
      };
      const token = /token=([\w-]+)/.exec(mail.text)?.[1];
      if (token) fx.resetTokens.push(token);
    }
    expect(fx.resetTokens.length).toBeGreaterThan(0);
    tables = await watchedTables();
    expect(tables).toEqual(
      expect.arrayContaining([
        "users",
        "sessions",
        "carts",
        "cart_items",
        "orders",
        "books",
        "audit_events",
        "offers",
      ]),
    );
  });

  afterAll(async () => {
    sessions.clear();
    await server?.close();
    await t?.destroy();
  });

  it.each(FORMS.map((spec) => [spec.name, spec] as const))(
    "form %s: no 5xx, refused input answered 4xx, and a 4xx writes nothing",
    async (_name, spec) => {
      await fuzz(
        spec.name,
        sampleOf(spec),
        (sample) => checkForm(spec, sample),
        plan.formRuns,
        formMs,
      );
    },
  );

  it("kept every book's title sort key in step with its title, whatever the forms wrote", async () => {
    // Admin create/edit, the CSV import and accepted offers all wrote titles above.
    const books = (await t.db("books").select("id", "title", "titleSort")) as Array<{
      id: number;
      title: string;
      titleSort: string;
    }>;
    const wrong = books.filter((book) => book.titleSort !== sortKey(book.title));
    expect(wrong).toEqual([]);
  });

  it.each(["guest", "member", "admin"] as const)(
    "pages for a %s: junk in query strings and path segments, no 5xx and no write",
    async (who) => {
      await fuzz(
        `${who} pages`,
        pagePicks(who),
        (pick) => checkPage(who, pick),
        plan.pageRuns,
        pageMs,
      );
    },
  );
});
