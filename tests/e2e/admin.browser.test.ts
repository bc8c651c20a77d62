/**
 * The admin's half of the shop in real Chromium, with and without JavaScript:
 * an admin adds a book, gives it a cover and more stock; a shopper finds it,
 * buys it; the admin ships the order with a tracking number, and the shopper
 * sees it. Each run has its own server, database, users and book, and waits
 * for what the page shows, never for a fixed time.
 */
import type { Browser, BrowserContext, Page } from "playwright-core";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  chromiumAvailable,
  collectPageProblems,
  launchChromium,
  waitForHydration,
} from "../helpers/browser";
import { createTestDatabase, type TestDatabase } from "../helpers/databases";
import { createUser, type TestUser } from "../helpers/fixtures";
import { startTestServer, type TestServer } from "../helpers/server";

const hasChromium = chromiumAvailable();

describe.runIf(hasChromium).each([
  { javaScriptEnabled: true, label: "with JavaScript" },
  { javaScriptEnabled: false, label: "without JavaScript" },
])("running the shop $label", ({ javaScriptEnabled }) => {
  let t: TestDatabase;
  let server: TestServer;
  let browser: Browser;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    t = await createTestDatabase("sqlite", { seed: true });
    server = await startTestServer(t.db);
    browser = await launchChromium();
  });

  afterAll(async () => {
    for (const context of contexts) await context.close();
    await browser?.close();
    await server?.close();
    await t?.destroy();
  });

  async function signedIn(user: TestUser): Promise<{ page: Page; problems: string[] }> {
    const context = await browser.newContext({ javaScriptEnabled, baseURL: server.url });
    contexts.push(context);
    const page = await context.newPage();
    const problems = collectPageProblems(page);
    await open(page, "/login");
    await page.getByLabel("Email").fill(user.email);
    await page.getByLabel("Password").fill(user.password);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByRole("button", { name: "Sign out" }).waitFor();
    return { page, problems };
  }

  async function open(page: Page, pathname: string) {
    await page.goto(pathname);
    if (javaScriptEnabled) await waitForHydration(page);
  }

  /** After a form post without JavaScript the browser loads a new document; with it, nothing to wait for. */
  async function settled(page: Page) {
    await page.waitForLoadState();
    if (javaScriptEnabled) await waitForHydration(page);
  }

  it("adds a book with a cover and stock; a shopper buys it; shipping shows its tracking number", async () => {
    const admin = await createUser(t.db, { role: "admin" });
    const shopper = await createUser(t.db);
    const { page: staff, problems: staffProblems } = await signedIn(admin);
    const title = `The Lighthouse Keeper ${javaScriptEnabled ? "Lit" : "Dark"} ${Date.now()}`;

    // The admin adds the book.
    await open(staff, "/admin/books/new");
    await staff
      .getByLabel("ISBN", { exact: true })
      .fill(javaScriptEnabled ? "978-0-306-40615-7" : "0-306-40615-2");
    await staff.getByLabel("Title", { exact: true }).fill(title);
    await staff.getByLabel("Author", { exact: true }).fill("Ada Admin");
    await staff.getByLabel("Description", { exact: true }).fill("A keeper, a lamp and the sea.");
    await staff.getByLabel("Genre", { exact: true }).fill("Fiction");
    await staff.getByLabel("Year first published", { exact: true }).fill("1927");
    await staff.getByLabel("Price (USD)", { exact: true }).fill("13.50");
    await staff.getByLabel("Initial stock", { exact: true }).fill("1");
    await staff.getByRole("button", { name: "Add book" }).click();
    await staff.getByRole("status").filter({ hasText: "The book was added." }).waitFor();
    await settled(staff);
    const bookId = Number(/\/admin\/books\/(\d+)/.exec(staff.url())![1]);

    // A cover, from the book's page.
    await staff.getByRole("link", { name: "Change cover" }).click();
    await staff.getByLabel("Cover image", { exact: true }).waitFor();
    await settled(staff);
    const cover = await sharp({
      create: { width: 400, height: 600, channels: 3, background: "#246" },
    })
      .png()
      .toBuffer();
    await staff
      .getByLabel("Cover image")
      .setInputFiles({ name: "cover.png", mimeType: "image/png", buffer: cover });
    await staff.getByRole("button", { name: "Upload cover" }).click();
    await staff.getByRole("status").filter({ hasText: "The cover was updated." }).waitFor();
    await settled(staff);
    const coverPath = (await t.db("books").where({ id: bookId }).first()).coverPath as string;
    expect(coverPath).toMatch(/^covers\/[0-9a-f]{64}\.webp$/);

    // Four more copies arrive.
    await staff.getByLabel("Change", { exact: true }).fill("4");
    await staff.getByLabel("Reason", { exact: true }).selectOption("received");
    await staff.getByRole("button", { name: "Adjust stock" }).click();
    await staff.getByRole("cell", { name: "+4" }).waitFor();
    expect((await t.db("books").where({ id: bookId }).first()).stock).toBe(5);

    // The shopper finds it with its cover and buys two.
    const { page: buyer, problems: buyerProblems } = await signedIn(shopper);
    await open(buyer, `/books?q=${encodeURIComponent("Lighthouse Keeper")}`);
    const card = buyer.locator(".book-card", { hasText: title });
    expect(await card.locator("img").getAttribute("src")).toBe(`/uploads/${coverPath}`);
    await card.getByRole("link", { name: title }).click();
    await buyer.getByRole("heading", { level: 1, name: title }).waitFor();
    await settled(buyer);
    await buyer.getByLabel("Quantity", { exact: true }).fill("2");
    await buyer.getByRole("button", { name: /Add to cart/ }).click();
    if (javaScriptEnabled) await buyer.getByText("Added to your cart.").waitFor();
    await open(buyer, "/checkout");
    await buyer.getByLabel("Address line 1", { exact: true }).fill("1 Beacon Rock");
    await buyer.getByLabel("City", { exact: true }).fill("Portland");
    await buyer.getByLabel("Region", { exact: true }).fill("Maine");
    await buyer.getByLabel("Postal code", { exact: true }).fill("04101");
    await buyer.getByLabel("Country", { exact: true }).fill("United States");
    await buyer.getByRole("radio", { name: /^FedEx/ }).check();
    await buyer.getByLabel("Card number", { exact: true }).fill("4242 4242 4242 4242");
    await buyer.getByLabel("Expiry (MM/YY)", { exact: true }).fill("11/38");
    await buyer.getByLabel("CVC", { exact: true }).fill("321");
    await buyer.getByRole("button", { name: "Place order" }).click();
    await buyer.waitForURL(/\/orders\/\d+\?placed=1$/);
    const orderId = Number(/\/orders\/(\d+)/.exec(buyer.url())![1]);
    expect((await t.db("books").where({ id: bookId }).first()).stock).toBe(3);

    // The admin ships it: not without a tracking number.
    await open(staff, `/admin/orders/${orderId}`);
    await staff.getByRole("button", { name: "Mark as shipped" }).click();
    await staff.getByText("Enter the carrier's tracking number.").waitFor();
    await settled(staff);
    await staff.getByLabel(/^Tracking number from FedEx/).fill("FX-7781-2026");
    await staff.getByRole("button", { name: "Mark as shipped" }).click();
    await staff
      .getByRole("status")
      .filter({ hasText: "The order is shipped" })
      .waitFor()
      .catch(async (error: unknown) => {
        await staff.screenshot({ path: "/tmp/ship-failure.png", fullPage: true });
        throw error;
      });
    expect(await t.db("orders").where({ id: orderId }).first()).toMatchObject({
      status: "shipped",
      trackingNumber: "FX-7781-2026",
    });

    // The shopper sees it.
    await open(buyer, `/orders/${orderId}`);
    await buyer.getByText("Tracking number: FX-7781-2026").waitFor();
    expect(await buyer.locator(".order-status").textContent()).toBe("Shipped");

    // Without JavaScript the refused shipment is a page answered with 400, which Chromium logs.
    expect(staffProblems.filter((problem) => !/status of 400/.test(problem))).toEqual([]);
    expect(buyerProblems).toEqual([]);
  });

  /** Ids used twice break labels and aria references (a heading once took its field's label). */
  const duplicateIds = (page: Page) =>
    page.evaluate(() => {
      const ids = [...document.querySelectorAll("[id]")].map((element) => element.id);
      return ids.filter((id, index) => ids.indexOf(id) !== index);
    });

  it("shows every admin page without a script error or a repeated id", async () => {
    const admin = await createUser(t.db, { role: "admin" });
    const { page, problems } = await signedIn(admin);
    for (const pathname of [
      "/admin",
      "/admin/books",
      "/admin/books/1",
      "/admin/books/1/cover",
      "/admin/books/new",
      "/admin/books/import",
      "/admin/orders",
      "/admin/offers",
      "/admin/users",
      "/admin/delivery-providers",
      "/admin/audit",
      "/sell",
      "/offers",
      "/account",
      "/orders",
      "/cart",
      "/books",
      "/books/1",
      "/",
    ]) {
      await open(page, pathname);
      await page.locator("h1").first().waitFor();
      expect(await duplicateIds(page), pathname).toEqual([]);
      expect(await page.locator("h1").first().textContent(), pathname).not.toMatch(
        /went wrong|not found/i,
      );
    }
    expect(problems).toEqual([]);
  });
});
