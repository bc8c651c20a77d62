/**
 * A shopper's whole journey in real Chromium: joining, searching, filling a
 * cart as a guest, signing in (the guest cart joins the account's), signing
 * out, checking out with a declined card and then a good one, finding the
 * order and cancelling it. Once with JavaScript (hydrated Remix: fetchers and
 * client-side navigation, never a document load) and once without it (plain
 * form posts and redirects must do everything).
 *
 * Every test has its own browser context (its own cookies), its own user and
 * its own books, so any one of them can run alone. Nothing waits for a fixed
 * time: each step waits for the page or the database to show its result.
 */
import fs from "node:fs/promises";
import path from "node:path";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from "vitest";
import { formatCents } from "../../app/lib/money";
import { addToCart, ensureCart } from "../../app/services/cart.server";
import {
  chromiumAvailable,
  collectPageProblems,
  launchChromium,
  waitForHydration,
} from "../helpers/browser";
import { createTestDatabase, type TestDatabase } from "../helpers/databases";
import { checkoutFields, createUser, insertBook, type TestUser } from "../helpers/fixtures";
import { startTestServer, type TestServer } from "../helpers/server";

const hasChromium = chromiumAvailable();

const DECLINED_CARD = "4000 0000 0000 0002";
const APPROVED_CARD = "4242 4242 4242 4242";

let wordCounter = 0;
/** A made-up word only this test's books contain: searching for it finds exactly them. */
function uniqueWord(): string {
  wordCounter += 1;
  return `zq${process.pid.toString(36)}x${wordCounter}x${Date.now().toString(36)}`;
}

describe.runIf(hasChromium).each([
  { javaScriptEnabled: true, label: "with JavaScript" },
  { javaScriptEnabled: false, label: "without JavaScript" },
])("a shopper's journey $label", ({ javaScriptEnabled }) => {
  let t: TestDatabase;
  let server: TestServer;
  let browser: Browser;
  let dhl: { id: number; costCents: number };

  beforeAll(async () => {
    t = await createTestDatabase("sqlite", { seed: true });
    server = await startTestServer(t.db);
    browser = await launchChromium();
    dhl = await t.db("deliveryProviders").select("id", "costCents").where({ name: "DHL" }).first();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await t?.destroy();
  });

  /**
   * A new browser context (no cookies) with one page, closed when the test
   * ends, and the helpers that drive it. `problems` collects script errors and
   * console errors (CSP violations among them) as they happen.
   */
  async function newShopper() {
    const context = await browser.newContext({ javaScriptEnabled, baseURL: server.url });
    const page = await context.newPage();
    const problems = collectPageProblems(page);
    onTestFinished(async ({ task }) => {
      if (task.result?.state === "fail") {
        // Where the shopper got stuck: a timeout alone does not say what the page showed.
        const shown = await page
          .locator("body")
          .textContent({ timeout: 1000 })
          .then((text) => (text ?? "").replace(/\s+/g, " ").trim())
          .catch(() => "(nothing readable)");
        console.error(
          `[${task.name}] stopped at ${page.url()}, which shows:\n${shown.slice(0, 600)}\n` +
            `Problems: ${JSON.stringify(problems)}`,
        );
      }
      await context.close();
    });
    const header = page.getByRole("banner");
    const nav = header.getByRole("navigation", { name: "Main" });

    /** Loads a document, and with JavaScript waits until the app has hydrated it. */
    async function open(pathname: string) {
      await page.goto(pathname);
      if (javaScriptEnabled) await waitForHydration(page);
    }

    /** With JavaScript, Remix never reloads the document: a marker on window survives. */
    async function markDocument() {
      if (javaScriptEnabled)
        await page.evaluate(() => ((window as unknown as { marker: number }).marker = 42));
    }
    async function expectSameDocument() {
      if (!javaScriptEnabled) return;
      expect(await page.evaluate(() => (window as unknown as { marker?: number }).marker)).toBe(42);
    }

    /** The number of books the header's "Cart" link shows. */
    async function headerCartCount(): Promise<number> {
      const text = await nav.getByRole("link", { name: /^Cart\b/ }).textContent();
      const match = /(\d+)/.exec(text ?? "");
      if (!match) throw new Error(`No count in the cart link: ${JSON.stringify(text)}`);
      return Number(match[1]);
    }

    async function expectSignedIn() {
      await nav.getByRole("button", { name: "Sign out" }).waitFor();
      expect(await nav.getByRole("link", { name: "Orders", exact: true }).isVisible()).toBe(true);
      expect(await nav.getByRole("link", { name: "Account", exact: true }).isVisible()).toBe(true);
      expect(await nav.getByRole("link", { name: "Sign in", exact: true }).count()).toBe(0);
      expect(await nav.getByRole("link", { name: "Join", exact: true }).count()).toBe(0);
    }

    async function expectSignedOut() {
      await nav.getByRole("link", { name: "Sign in", exact: true }).waitFor();
      expect(await nav.getByRole("link", { name: "Join", exact: true }).isVisible()).toBe(true);
      expect(await nav.getByRole("button", { name: "Sign out" }).count()).toBe(0);
      expect(await nav.getByRole("link", { name: "Orders", exact: true }).count()).toBe(0);
    }

    /** Fills the sign-in form the page shows and submits it. */
    async function submitSignIn(user: TestUser) {
      await page.getByRole("heading", { level: 1, name: "Sign in" }).waitFor();
      await page.getByLabel("Email", { exact: true }).fill(user.email);
      await page.getByLabel("Password", { exact: true }).fill(user.password);
      await page.getByRole("button", { name: "Sign in", exact: true }).click();
    }

    /** Searches with the header's search box and waits for the results page. */
    async function search(words: string) {
      const box = header.getByRole("searchbox", { name: /search books/i });
      await box.fill(words);
      await box.press("Enter");
      await page.waitForURL(
        (url) => url.pathname === "/books" && url.searchParams.get("q") === words,
      );
      await page.getByRole("heading", { level: 1, name: `Results for “${words}”` }).waitFor();
    }

    /** Follows one of the header's links. */
    async function goVia(name: string | RegExp, pathname: string) {
      await nav.getByRole("link", { name, exact: typeof name === "string" }).click();
      await page.waitForURL((url) => url.pathname === pathname);
    }

    /** The quantity field of a cart line, and its value. */
    const cartQuantity = (title: string) =>
      page.getByLabel(`Quantity for ${title}`, { exact: true });

    return {
      page,
      problems,
      nav,
      open,
      markDocument,
      expectSameDocument,
      headerCartCount,
      expectSignedIn,
      expectSignedOut,
      submitSignIn,
      search,
      goVia,
      cartQuantity,
    };
  }

  // --- the database, read directly: what the pages say must also be what happened

  async function stockOf(bookId: number): Promise<number> {
    const row = await t.db("books").select("stock").where({ id: bookId }).first();
    return Number(row.stock);
  }

  /** The user's cart as { bookId: quantity }. */
  async function cartOf(userId: number): Promise<Record<number, number>> {
    const rows: Array<{ bookId: number; quantity: number }> = await t
      .db("cartItems")
      .join("carts", "carts.id", "cartItems.cartId")
      .select("cartItems.bookId", "cartItems.quantity")
      .where("carts.userId", userId)
      .orderBy("cartItems.bookId");
    return Object.fromEntries(rows.map((row) => [row.bookId, row.quantity]));
  }

  async function putInCart(userId: number, lines: Array<[bookId: number, quantity: number]>) {
    const cartId = await ensureCart(t.db, { userId });
    for (const [bookId, quantity] of lines) await addToCart(t.db, cartId, bookId, quantity);
  }

  async function mailsTo(email: string) {
    const names = await fs.readdir(server.outboxDir).catch(() => [] as string[]);
    const mails = (await Promise.all(
      names
        .filter((name) => name.endsWith(".json"))
        .map(async (name) =>
          JSON.parse(await fs.readFile(path.join(server.outboxDir, name), "utf8")),
        ),
    )) as Array<{ to: Array<{ address: string }>; subject: string; text: string }>;
    return mails.filter((mail) => mail.to.some((to) => to.address === email));
  }

  it("joins and lands signed in, with the account's links in the header", async () => {
    const shopper = await newShopper();
    const { page } = shopper;
    const email = `joiner-${uniqueWord()}@example.com`;

    await shopper.open("/");
    await shopper.markDocument();
    await shopper.expectSignedOut();
    await shopper.goVia("Join", "/join");
    await page.getByRole("heading", { level: 1, name: "Create an account" }).waitFor();
    await page.getByLabel("Name", { exact: true }).fill("Mary Shelley");
    await page.getByLabel("Email", { exact: true }).fill(email);
    await page.getByLabel("Password", { exact: true }).fill("galvanic-lightning-over-geneva");
    await page.getByRole("button", { name: "Create account" }).click();

    await page.waitForURL((url) => url.pathname === "/");
    await shopper.expectSignedIn();
    const user = await t.db("users").select("id", "name").where({ email }).first();
    expect(user?.name).toBe("Mary Shelley");

    await shopper.goVia("Account", "/account");
    await page.getByRole("heading", { level: 1, name: "Your account" }).waitFor();
    expect(await page.getByRole("main").textContent()).toContain(`Signed in as ${email}`);
    await shopper.expectSameDocument();
    expect(shopper.problems).toEqual([]);
  });

  it("fills a cart as a guest, signs in at checkout (the carts merge), and signs out", async () => {
    const word = uniqueWord();
    const both = `The Lighthouse Keeper ${word}`; // in the account's cart and the guest's
    const guestOnly = `A Winter Orchard ${word}`;
    const accountOnly = `Notes from the Salt Marsh ${word}`;
    const bothId = await insertBook(t.db, { title: both, priceCents: 1200, stock: 10 });
    const guestOnlyId = await insertBook(t.db, { title: guestOnly, priceCents: 850, stock: 10 });
    const accountOnlyId = await insertBook(t.db, { title: accountOnly, priceCents: 999, stock: 4 });
    const user = await createUser(t.db);
    await putInCart(user.id, [
      [bothId, 1],
      [accountOnlyId, 1],
    ]);

    const shopper = await newShopper();
    const { page } = shopper;
    await shopper.open("/");
    await shopper.markDocument();
    expect(await shopper.headerCartCount()).toBe(0);

    // Search, then add from the result cards: 2 of one book, 1 of another.
    await shopper.search(word);
    expect(await page.locator(".book-card__title").allTextContents()).toEqual(
      expect.arrayContaining([both, guestOnly, accountOnly]),
    );
    async function addFromCard(title: string, quantity: number, countAfter: number) {
      await page.getByLabel(`Quantity of ${title}`, { exact: true }).fill(String(quantity));
      await page.getByRole("button", { name: `Add to cart — ${title}`, exact: true }).click();
      if (javaScriptEnabled) {
        // A fetcher: the page stays, the card says so, the header's count goes up.
        const card = page
          .getByRole("article")
          .filter({ has: page.getByRole("heading", { name: title, exact: true }) });
        await expect
          .poll(() => card.getByRole("status").textContent())
          .toContain("Added to your cart.");
        expect(page.url()).toContain(`q=${word}`);
      } else {
        // A plain form post: the server answers with the cart.
        await page.waitForURL((url) => url.pathname === "/cart");
        expect(await shopper.cartQuantity(title).inputValue()).toBe(String(quantity));
      }
      await expect.poll(() => shopper.headerCartCount()).toBe(countAfter);
    }
    await addFromCard(both, 2, 2);
    if (!javaScriptEnabled) await shopper.search(word);
    await addFromCard(guestOnly, 1, 3);
    await shopper.expectSameDocument();

    // The guest's cart holds just what the guest added; the account's cart is untouched.
    await shopper.goVia(/^Cart\b/, "/cart");
    expect(await shopper.cartQuantity(both).inputValue()).toBe("2");
    expect(await shopper.cartQuantity(guestOnly).inputValue()).toBe("1");
    expect(await shopper.cartQuantity(accountOnly).count()).toBe(0);
    expect(await cartOf(user.id)).toEqual({ [bothId]: 1, [accountOnlyId]: 1 });

    // Checkout asks a guest to sign in first, then comes back to checkout.
    await page.getByRole("link", { name: "Checkout", exact: true }).click();
    await page.waitForURL(
      (url) => url.pathname === "/login" && url.searchParams.get("redirectTo") === "/checkout",
    );
    await shopper.submitSignIn(user);
    await page.waitForURL((url) => url.pathname === "/checkout");
    await shopper.expectSignedIn();
    const summary = page.locator(".summary-lines li");
    await expect
      .poll(() => summary.allTextContents())
      .toEqual(
        expect.arrayContaining([
          expect.stringContaining(`3 × ${both}`),
          expect.stringContaining(`1 × ${guestOnly}`),
          expect.stringContaining(`1 × ${accountOnly}`),
        ]),
      );
    expect(await summary.count()).toBe(3);
    expect(await shopper.headerCartCount()).toBe(5);

    // The cart page shows the merged lines, quantities summed.
    await page.getByRole("link", { name: "Change your cart" }).click();
    await page.waitForURL((url) => url.pathname === "/cart");
    await expect.poll(() => shopper.cartQuantity(both).inputValue()).toBe("3");
    expect(await shopper.cartQuantity(guestOnly).inputValue()).toBe("1");
    expect(await shopper.cartQuantity(accountOnly).inputValue()).toBe("1");
    expect(await page.locator(".cart-subtotal").textContent()).toContain("5 books");
    expect(await cartOf(user.id)).toEqual({ [bothId]: 3, [guestOnlyId]: 1, [accountOnlyId]: 1 });

    // Signing out: back home as a guest, with no cart.
    await shopper.nav.getByRole("button", { name: "Sign out" }).click();
    await page.waitForURL((url) => url.pathname === "/");
    await shopper.expectSignedOut();
    expect(await shopper.headerCartCount()).toBe(0);
    // The account keeps its cart for the next sign-in.
    expect(await cartOf(user.id)).toEqual({ [bothId]: 3, [guestOnlyId]: 1, [accountOnlyId]: 1 });
    await shopper.expectSameDocument();
    expect(shopper.problems).toEqual([]);
  });

  it("changes and removes cart lines, and says when a quantity exceeds the stock", async () => {
    const word = uniqueWord();
    const kept = `The Glass Harmonica ${word}`;
    const removed = `Letters to a Young Cartographer ${word}`;
    const keptId = await insertBook(t.db, { title: kept, priceCents: 1500, stock: 4 });
    const removedId = await insertBook(t.db, { title: removed, priceCents: 700, stock: 10 });
    const user = await createUser(t.db);
    await putInCart(user.id, [
      [keptId, 1],
      [removedId, 2],
    ]);

    const shopper = await newShopper();
    const { page } = shopper;
    await shopper.open("/login");
    await shopper.markDocument();
    await shopper.submitSignIn(user);
    await page.waitForURL((url) => url.pathname === "/");
    await expect.poll(() => shopper.headerCartCount()).toBe(3);
    await shopper.goVia(/^Cart\b/, "/cart");

    // More than the stock: the field says so, and nothing changes.
    await shopper.cartQuantity(kept).fill("5");
    await page.getByRole("button", { name: `Update quantity for ${kept}`, exact: true }).click();
    const error = page.getByText(`Only 4 of “${kept}” left.`, { exact: false });
    await error.waitFor();
    expect(await shopper.cartQuantity(kept).getAttribute("aria-invalid")).toBe("true");
    expect(await cartOf(user.id)).toEqual({ [keptId]: 1, [removedId]: 2 });

    // Within the stock: changed.
    await shopper.cartQuantity(kept).fill("3");
    await page.getByRole("button", { name: `Update quantity for ${kept}`, exact: true }).click();
    await expect.poll(() => cartOf(user.id)).toEqual({ [keptId]: 3, [removedId]: 2 });
    await expect.poll(() => shopper.headerCartCount()).toBe(5);
    await expect.poll(() => shopper.cartQuantity(kept).inputValue()).toBe("3");
    expect(await error.count()).toBe(0);

    // Removed.
    await page.getByRole("button", { name: `Remove ${removed}`, exact: true }).click();
    await expect.poll(() => shopper.cartQuantity(removed).count()).toBe(0);
    await expect.poll(() => shopper.headerCartCount()).toBe(3);
    expect(await cartOf(user.id)).toEqual({ [keptId]: 3 });
    expect(await page.locator(".cart-subtotal").textContent()).toContain("$45.00");
    await shopper.expectSameDocument();
    expect(shopper.problems.filter((p) => !/status of 422/.test(p))).toEqual([]);
  });

  it("is declined without ordering anything, then pays, sees the order and cancels it", async () => {
    const word = uniqueWord();
    const added = `The Clockmaker's Daughter ${word}`;
    const waiting = `Voyage of the Paper Lantern ${word}`;
    const addedId = await insertBook(t.db, { title: added, priceCents: 1250, stock: 7 });
    const waitingId = await insertBook(t.db, { title: waiting, priceCents: 899, stock: 3 });
    const user = await createUser(t.db);
    await putInCart(user.id, [[waitingId, 1]]);
    const fields = checkoutFields();

    const shopper = await newShopper();
    const { page } = shopper;
    await shopper.open("/login");
    await shopper.markDocument();
    await shopper.submitSignIn(user);
    await page.waitForURL((url) => url.pathname === "/");
    await shopper.expectSignedIn();

    // Add a book from its own page.
    await shopper.search(word);
    await page.getByRole("link", { name: added, exact: true }).click();
    await page.waitForURL((url) => url.pathname === `/books/${addedId}`);
    await page.getByRole("heading", { level: 1, name: added }).waitFor();
    await page.getByLabel("Quantity", { exact: true }).fill("2");
    await page.getByRole("button", { name: "Add to cart", exact: true }).click();
    if (javaScriptEnabled) {
      await expect
        .poll(() => page.locator(".add-to-cart").getByRole("status").textContent())
        .toContain("Added to your cart.");
      expect(new URL(page.url()).pathname).toBe(`/books/${addedId}`);
    } else {
      await page.waitForURL((url) => url.pathname === "/cart");
    }
    await expect.poll(() => shopper.headerCartCount()).toBe(3);
    expect(await cartOf(user.id)).toEqual({ [addedId]: 2, [waitingId]: 1 });

    await shopper.goVia(/^Cart\b/, "/cart");
    await page.getByRole("link", { name: "Checkout", exact: true }).click();
    await page.waitForURL((url) => url.pathname === "/checkout");
    await page.getByRole("heading", { level: 1, name: "Checkout" }).waitFor();

    const fullName = page.getByLabel("Full name", { exact: true });
    const cardNumber = page.getByLabel("Card number", { exact: true });
    const delivery = page.getByRole("group", { name: "Delivery" });
    const dhlRadio = delivery.getByRole("radio", { name: /^DHL/ });
    // The form starts with the account's name.
    expect(await fullName.inputValue()).toBe(user.name);
    await fullName.fill(fields.fullName);
    await page.getByLabel("Address line 1", { exact: true }).fill(fields.line1);
    await page.getByLabel("Address line 2", { exact: true }).fill(fields.line2);
    await page.getByLabel("City", { exact: true }).fill(fields.city);
    await page.getByLabel("Region", { exact: true }).fill(fields.region);
    await page.getByLabel("Postal code", { exact: true }).fill(fields.postalCode);
    await page.getByLabel("Country", { exact: true }).fill(fields.country);
    expect(await delivery.getByRole("radio").count()).toBe(4);
    await dhlRadio.check();
    async function fillCard(number: string) {
      await cardNumber.fill(number);
      await page.getByLabel("Expiry (MM/YY)", { exact: true }).fill(fields.expiry);
      await page.getByLabel("CVC", { exact: true }).fill(fields.cvc);
    }

    // The declining card: told so next to the card number; nothing ordered, taken or emptied.
    await fillCard(DECLINED_CARD);
    await page.getByRole("button", { name: "Place order" }).click();
    const declined = page.getByText("Your card was declined.", { exact: true });
    await declined.waitFor();
    expect(new URL(page.url()).pathname).toBe("/checkout");
    expect(await cardNumber.getAttribute("aria-invalid")).toBe("true");
    const describedBy = (await cardNumber.getAttribute("aria-describedby")) ?? "";
    expect(describedBy).not.toBe("");
    expect(await page.locator(`[id="${describedBy}"]`).textContent()).toContain(
      "Your card was declined.",
    );
    // What the shopper typed is kept, except the card.
    expect(await fullName.inputValue()).toBe(fields.fullName);
    expect(await page.getByLabel("City", { exact: true }).inputValue()).toBe(fields.city);
    expect(await dhlRadio.isChecked()).toBe(true);
    if (!javaScriptEnabled) {
      // The server never sends a card number back: the field comes back empty.
      expect(await cardNumber.inputValue()).toBe("");
      expect(await page.content()).not.toContain(DECLINED_CARD);
    }
    expect(await t.db("orders").where({ userId: user.id }).count({ n: "*" })).toEqual([{ n: 0 }]);
    expect(await stockOf(addedId)).toBe(7);
    expect(await stockOf(waitingId)).toBe(3);
    expect(await cartOf(user.id)).toEqual({ [addedId]: 2, [waitingId]: 1 });
    expect(await shopper.headerCartCount()).toBe(3);

    // The approving card: the order is placed and paid.
    await fillCard(APPROVED_CARD);
    await page.getByRole("button", { name: "Place order" }).click();
    await page.waitForURL(
      (url) => /^\/orders\/\d+$/.test(url.pathname) && url.searchParams.get("placed") === "1",
    );
    const orderId = Number(new URL(page.url()).pathname.split("/").pop());
    await page.getByRole("heading", { level: 1, name: `Order #${orderId}` }).waitFor();
    expect(await page.getByRole("status").textContent()).toContain("Thank you!");
    const status = page.locator(".order-status");
    expect(await status.textContent()).toBe("Paid");
    const orderLines = page.getByRole("table", { name: "Books in this order" });
    expect(
      await orderLines
        .getByRole("row")
        .filter({ hasText: added })
        .getByRole("cell")
        .allTextContents(),
    ).toEqual(["$12.50", "2", "$25.00"]);
    expect(
      await orderLines
        .getByRole("row")
        .filter({ hasText: waiting })
        .getByRole("cell")
        .allTextContents(),
    ).toEqual(["$8.99", "1", "$8.99"]);
    expect(await page.getByRole("main").textContent()).toContain("Visa ending in 4242");
    await expect.poll(() => shopper.headerCartCount()).toBe(0);

    const order = await t.db("orders").where({ id: orderId }).first();
    expect(order).toMatchObject({
      userId: user.id,
      status: "paid",
      subtotalCents: 2 * 1250 + 899,
      shippingCents: dhl.costCents,
      totalCents: 2 * 1250 + 899 + dhl.costCents,
      deliveryProviderId: dhl.id,
      shipName: fields.fullName,
      shipCity: fields.city,
    });
    expect(await t.db("orders").where({ userId: user.id }).count({ n: "*" })).toEqual([{ n: 1 }]);
    expect(await stockOf(addedId)).toBe(5);
    expect(await stockOf(waitingId)).toBe(2);
    expect(await cartOf(user.id)).toEqual({});
    const payment = await t.db("payments").where({ orderId }).first();
    expect(payment).toMatchObject({ status: "captured", cardLast4: "4242" });
    expect((await mailsTo(user.email)).map((mail) => mail.subject)).toEqual([
      `Your Bookstore order #${orderId}`,
    ]);

    // The order is listed, paid.
    await shopper.goVia("Orders", "/orders");
    const row = page
      .getByRole("table", { name: /Your orders/ })
      .getByRole("row")
      .filter({ has: page.getByRole("link", { name: `#${orderId}`, exact: true }) });
    await row.waitFor();
    expect(await row.getByRole("cell").allTextContents()).toEqual(
      expect.arrayContaining(["3", formatCents(order.totalCents), "Paid"]),
    );

    // Cancelled from its page: the stock goes back, the payment is refunded.
    await row.getByRole("link", { name: `#${orderId}` }).click();
    await page.waitForURL((url) => url.pathname === `/orders/${orderId}` && url.search === "");
    await page.getByRole("button", { name: "Cancel order" }).click();
    await expect.poll(() => status.textContent()).toBe("Cancelled");
    expect(await page.getByRole("button", { name: "Cancel order" }).count()).toBe(0);
    expect(new URL(page.url()).pathname).toBe(`/orders/${orderId}`);
    expect(await page.locator(".order-history").textContent()).toContain(
      "Cancelled — Cancelled by the customer",
    );
    expect((await t.db("orders").where({ id: orderId }).first()).status).toBe("cancelled");
    expect(await stockOf(addedId)).toBe(7);
    expect(await stockOf(waitingId)).toBe(3);
    expect((await t.db("payments").where({ orderId }).first()).status).toBe("refunded");

    await shopper.goVia("Orders", "/orders");
    await expect.poll(() => row.getByRole("cell").allTextContents()).toContain("Cancelled");
    await shopper.expectSameDocument();
    // The declined card is answered 402 Payment Required; nothing else may complain.
    expect(shopper.problems.filter((p) => !/status of 402/.test(p))).toEqual([]);
  });
});
