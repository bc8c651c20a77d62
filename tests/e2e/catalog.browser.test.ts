/**
 * A shopper in real Chromium browses, searches and opens a book: once with
 * JavaScript (hydrated Remix, client-side navigation) and once without it
 * (plain HTML forms and links must do everything).
 */
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { chromiumAvailable, launchChromium } from "../helpers/browser";
import { createTestDatabase, type TestDatabase } from "../helpers/databases";
import { startTestServer, type TestServer } from "../helpers/server";

const hasChromium = chromiumAvailable();

describe.runIf(hasChromium).each([
  { javaScriptEnabled: true, label: "with JavaScript" },
  { javaScriptEnabled: false, label: "without JavaScript" },
])("browsing the catalog $label", ({ javaScriptEnabled }) => {
  let t: TestDatabase;
  let server: TestServer;
  let browser: Browser;
  let page: Page;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    t = await createTestDatabase("sqlite", { seed: true });
    server = await startTestServer(t.db);
    browser = await launchChromium();
    const context = await browser.newContext({ javaScriptEnabled, baseURL: server.url });
    page = await context.newPage();
    page.on("pageerror", (error) => pageErrors.push(error.message));
    page.on("console", (message) => {
      // A CSP violation or hydration mismatch shows up as a console error.
      if (message.type() === "error") pageErrors.push(message.text());
    });
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await t?.destroy();
  });

  /** With JavaScript, Remix navigates without reloading: a marker on window survives. */
  async function markDocument() {
    if (javaScriptEnabled)
      await page.evaluate(() => ((window as unknown as { marker: number }).marker = 42));
  }
  async function expectSameDocument() {
    if (!javaScriptEnabled) return;
    expect(await page.evaluate(() => (window as unknown as { marker?: number }).marker)).toBe(42);
  }

  it("shows the home page with new arrivals and genres", async () => {
    await page.goto("/");
    await expect
      .poll(() => page.getByRole("heading", { name: "New arrivals" }).isVisible())
      .toBe(true);
    expect(await page.getByRole("link", { name: /Mystery/ }).count()).toBeGreaterThan(0);
    if (javaScriptEnabled) {
      await page.waitForFunction(
        () => "__remixContext" in window && document.readyState === "complete",
      );
    }
  });

  it("searches from the home page and lists the best match first", async () => {
    await markDocument();
    const search = page.getByRole("searchbox", { name: /search books/i }).last();
    await search.fill("frankenstein");
    await search.press("Enter");
    await page.waitForURL(/\/books\?q=frankenstein/);
    await expect
      .poll(() => page.getByRole("heading", { level: 1 }).textContent())
      .toContain("frankenstein");
    const first = page.locator(".book-card__title a").first();
    expect(await first.textContent()).toMatch(/Frankenstein/);
    await expectSameDocument();
  });

  it("opens a book's page with its price, availability and cover", async () => {
    await page.locator(".book-card__title a").first().click();
    await page.waitForURL(/\/books\/\d+$/);
    await expect
      .poll(() => page.getByRole("heading", { level: 1 }).textContent())
      .toMatch(/Frankenstein/);
    expect(await page.locator(".price--large").textContent()).toMatch(/^\$\d+\.\d\d$/);
    expect(await page.locator(".availability").textContent()).toMatch(/In stock|left|Sold out/);
    const cover = page.getByRole("img", { name: /Cover of Frankenstein/ });
    await expect
      .poll(() => cover.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth))
      .toBeGreaterThan(0);
    await expectSameDocument();
  });

  it("filters by genre, sorts by price and pages through the results", async () => {
    await page.goto("/books");
    await markDocument();
    await page.getByLabel("Genre").selectOption("Fiction");
    await page.getByLabel("Sort by").selectOption("price-asc");
    await page.getByRole("button", { name: "Apply" }).click();
    await page.waitForURL(/genre=Fiction.*sort=price-asc|sort=price-asc.*genre=Fiction/);
    await expect.poll(() => page.getByRole("heading", { level: 1 }).textContent()).toBe("Fiction");
    const prices = async () =>
      (await page.locator(".book-card .price").allTextContents()).map((p) =>
        Number(p.replace(/[$,]/g, "")),
      );
    const shown = await prices();
    expect(shown.length).toBeGreaterThan(1);
    expect(shown).toEqual([...shown].sort((a, b) => a - b));

    const next = page.getByRole("link", { name: /Next/ });
    if ((await next.count()) > 0) {
      await next.click();
      await page.waitForURL(/page=2/);
      await expect
        .poll(() => page.locator('.pagination [aria-current="page"]').textContent())
        .toBe("2");
      expect(page.url()).toMatch(/genre=Fiction/);
    }
    await expectSameDocument();
  });

  it("shows a real 404 page for a book that does not exist", async () => {
    const response = await page.goto("/books/99999999");
    expect(response?.status()).toBe(404);
    expect(await page.getByRole("heading", { level: 1 }).textContent()).toBe("Book not found");
  });

  it("raised no script errors or CSP violations", () => {
    expect(pageErrors.filter((e) => !/status of 404/.test(e))).toEqual([]);
  });
});
