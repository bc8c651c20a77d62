/**
 * HTTP caching (docs/decisions/040-http-caching.md): which answers browsers
 * and shared caches may keep, the ETags of pages and covers, and 304s.
 *
 * A page's ETag is the hash of its bytes with the CSP nonce taken out, and a
 * 304 carries no Content-Security-Policy, so the browser keeps the policy it
 * stored with the page, whose nonce the page's scripts carry. The last part
 * proves it in real Chromium: a revalidated page runs its scripts, and the
 * same page behind a proxy that adds a fresh CSP to each 304 (what answering a
 * 304 with helmet's new nonce would do) runs none of them.
 */
import crypto from "node:crypto";
import fs from "node:fs/promises";
import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { Writable } from "node:stream";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ifNoneMatchMatches, pageResponse, weakEtag } from "../../app/lib/http-cache.server";
import { createLogger } from "../../app/lib/logger.server";
import {
  chromiumAvailable,
  collectPageProblems,
  launchChromium,
  waitForHydration,
} from "../helpers/browser";
import { createTestDatabase, enginesUnderTest, type TestDatabase } from "../helpers/databases";
import { createUser, insertBook, type TestUser } from "../helpers/fixtures";
import { TestClient } from "../helpers/http-client";
import { startTestServer, type TestServer } from "../helpers/server";

const engines = await enginesUnderTest();
const hasChromium = chromiumAvailable();

const PAGE = "private, no-cache";
const WEAK_TAG = /^W\/"[\w-]{22}"$/;

const nonceOf = (res: Response) =>
  /'nonce-([^']+)'/.exec(res.headers.get("content-security-policy") ?? "")?.[1];
const varyNames = (res: Response) =>
  (res.headers.get("vary") ?? "").split(",").map((name) => name.trim().toLowerCase());

describe("the validators", () => {
  const page = (nonce: string, text = "Moby-Dick") =>
    Buffer.from(
      `<html><body><p>${text}</p><script nonce="${nonce}">go()</script>` +
        `<script nonce="${nonce}" src="/build/a.js"></script></body></html>`,
    );

  it("ignores the nonce, and nothing else", () => {
    const tag = weakEtag(page("n0nce-A+/="), "n0nce-A+/=");
    expect(tag).toMatch(WEAK_TAG);
    expect(weakEtag(page("other-B=="), "other-B==")).toBe(tag);
    expect(weakEtag(page("n0nce-A+/=", "Moby Dick"), "n0nce-A+/=")).not.toBe(tag);
    // The value is blanked, the attribute kept: a page without it is another page.
    expect(weakEtag(Buffer.from("<script>go()</script>"), "x")).not.toBe(
      weakEtag(Buffer.from('<script nonce="x">go()</script>'), "x"),
    );
    // Without a nonce every byte counts.
    expect(weakEtag(page("n0nce-A+/="))).not.toBe(weakEtag(page("other-B==")));
  });

  it("compares If-None-Match weakly, in lists, and with *", () => {
    const tag = 'W/"abcdefghijklmnopqrstuv"';
    expect(ifNoneMatchMatches(tag, tag)).toBe(true);
    expect(ifNoneMatchMatches('"abcdefghijklmnopqrstuv"', tag)).toBe(true);
    expect(ifNoneMatchMatches(`"x", ${tag} ,W/"y"`, tag)).toBe(true);
    expect(ifNoneMatchMatches("*", tag)).toBe(true);
    expect(ifNoneMatchMatches('W/"abcdefghijklmnopqrstuw"', tag)).toBe(false);
    expect(ifNoneMatchMatches(null, tag)).toBe(false);
    expect(ifNoneMatchMatches("", tag)).toBe(false);
  });

  it("gives no validator to a page that sets a cookie, nor to a route's no-store", () => {
    const request = new Request("http://shop.test/books", { headers: { "If-None-Match": "*" } });
    const body = Buffer.from("<p>page</p>");
    const withCookie = pageResponse({
      request,
      status: 200,
      headers: new Headers({ "Set-Cookie": "__session=abc; Path=/" }),
      body,
      nonce: "n",
    });
    expect(withCookie.status).toBe(200);
    expect(withCookie.headers.get("etag")).toBeNull();
    expect(withCookie.headers.get("cache-control")).toBe(PAGE);

    const noStore = pageResponse({
      request,
      status: 200,
      headers: new Headers({ "Cache-Control": "no-store" }),
      body,
      nonce: "n",
    });
    expect(noStore.status).toBe(200);
    expect(noStore.headers.get("etag")).toBeNull();
    expect(noStore.headers.get("cache-control")).toBe("no-store");

    // Nothing may ask for less than the rules give.
    const asksPublic = pageResponse({
      request: new Request("http://shop.test/books"),
      status: 200,
      headers: new Headers({ "Cache-Control": "public, max-age=600" }),
      body,
      nonce: "n",
    });
    expect(asksPublic.headers.get("cache-control")).toBe(PAGE);
  });
});

describe.each(engines)("HTTP caching on %s", (engine) => {
  let t: TestDatabase;
  let server: TestServer;
  let bookId: number;
  let shopper: TestUser;
  let other: TestUser;

  beforeAll(async () => {
    t = await createTestDatabase(engine, { seed: true });
    bookId = await insertBook(t.db, {
      title: "The Validator's Almanac",
      author: "Ida Tagg",
      priceCents: 1500,
      stock: 8,
    });
    shopper = await createUser(t.db, { name: "Etta Gould" });
    other = await createUser(t.db, { name: "Otto Vary" });
    server = await startTestServer(t.db);
  });

  afterAll(async () => {
    await server?.close();
    await t?.destroy();
  });

  const anonymous = () => new TestClient(server.url);
  async function signedIn(user: TestUser) {
    const browser = anonymous();
    const res = await browser.post("/login", { email: user.email, password: user.password });
    expect(res.status).toBe(302);
    return browser;
  }
  const catalogPages = () => [
    "/",
    "/books",
    "/books?q=almanac",
    "/books?genre=Mystery&sort=price-asc",
    "/books?page=2",
    `/books/${bookId}`,
  ];

  it("gives catalog and book pages private, no-cache, Vary: Cookie and an ETag without the nonce", async () => {
    for (const pathname of catalogPages()) {
      const first = await anonymous().get(pathname);
      const second = await anonymous().get(pathname);
      expect(first.status, pathname).toBe(200);
      expect(first.headers.get("cache-control"), pathname).toBe(PAGE);
      expect(varyNames(first), pathname).toContain("cookie");
      expect(first.headers.get("etag"), pathname).toMatch(WEAK_TAG);
      // Each answer has its own nonce, and still the same tag.
      expect(nonceOf(first)).not.toBe(nonceOf(second));
      expect(second.headers.get("etag"), pathname).toBe(first.headers.get("etag"));
    }
  });

  it("answers a matching If-None-Match with 304: no body, no CSP, the same validators", async () => {
    for (const pathname of catalogPages()) {
      const full = await anonymous().get(pathname);
      const etag = full.headers.get("etag")!;
      for (const ifNoneMatch of [etag, etag.slice(2), `"stale", ${etag}`, "*"]) {
        const again = await anonymous().get(pathname, {
          headers: { "If-None-Match": ifNoneMatch, "Accept-Encoding": "gzip" },
        });
        expect(again.status, `${pathname} ${ifNoneMatch}`).toBe(304);
        expect((await again.arrayBuffer()).byteLength).toBe(0);
        // The browser keeps the policy it stored with the page: its nonce is the page's.
        expect(again.headers.get("content-security-policy")).toBeNull();
        expect(again.headers.get("etag")).toBe(etag);
        expect(again.headers.get("cache-control")).toBe(PAGE);
        expect(varyNames(again)).toContain("cookie");
        expect(again.headers.get("content-type")).toBeNull();
      }
      const head = await anonymous().request(pathname, {
        method: "HEAD",
        headers: { "If-None-Match": etag },
      });
      expect(head.status).toBe(304);
    }
  });

  it("answers a stale ETag with the whole new page", async () => {
    const pathname = `/books/${bookId}`;
    const before = await anonymous().get(pathname);
    const etag = before.headers.get("etag")!;
    expect(await before.text()).toContain("$15.00");
    await t.db("books").where({ id: bookId }).update({ priceCents: 1400 });
    const after = await anonymous().get(pathname, { headers: { "If-None-Match": etag } });
    expect(after.status).toBe(200);
    expect(await after.text()).toContain("$14.00");
    expect(after.headers.get("etag")).toMatch(WEAK_TAG);
    expect(after.headers.get("etag")).not.toBe(etag);
    expect(after.headers.get("content-security-policy")).toContain("'nonce-");
  });

  it("revalidates a signed-in page for its own shopper only", async () => {
    const mine = await signedIn(shopper);
    const page = await mine.get("/books");
    expect(page.status).toBe(200);
    expect(await page.text()).toContain("Etta Gould");
    expect(page.headers.get("cache-control")).toBe(PAGE);
    expect(varyNames(page)).toContain("cookie");
    const etag = page.headers.get("etag")!;
    expect(etag).toMatch(WEAK_TAG);

    expect((await mine.get("/books", { headers: { "If-None-Match": etag } })).status).toBe(304);
    // Another shopper, or nobody, sending that tag gets their own page.
    const theirs = await (
      await signedIn(other)
    ).get("/books", {
      headers: { "If-None-Match": etag },
    });
    expect(theirs.status).toBe(200);
    expect(await theirs.text()).toContain("Otto Vary");
    const nobody = await anonymous().get("/books", { headers: { "If-None-Match": etag } });
    expect(nobody.status).toBe(200);
    expect(await nobody.text()).not.toContain("Etta Gould");

    // The cart count in the header is part of the page.
    expect((await mine.post("/cart", { intent: "add", bookId, quantity: 1 })).status).toBe(302);
    const changed = await mine.get("/books", { headers: { "If-None-Match": etag } });
    expect(changed.status).toBe(200);
    expect(changed.headers.get("etag")).not.toBe(etag);
  });

  it("never lets a shared cache keep a page, signed in or not", async () => {
    const mine = await signedIn(await createUser(t.db));
    // Something in the cart, or checkout sends the shopper back to it.
    expect((await mine.post("/cart", { intent: "add", bookId, quantity: 1 })).status).toBe(302);
    const signedInPages = [...catalogPages(), "/cart", "/orders", "/account", "/checkout", "/sell"];
    for (const [client, pathname] of [
      ...catalogPages().map((p) => [anonymous(), p] as const),
      ...signedInPages.map((p) => [mine, p] as const),
    ]) {
      const res = await client.get(pathname);
      const cacheControl = res.headers.get("cache-control") ?? "";
      expect(res.status, pathname).toBe(200);
      expect(cacheControl, pathname).toMatch(/\bprivate\b|\bno-store\b/);
      expect(cacheControl, pathname).not.toMatch(/\bpublic\b|s-maxage/);
      expect(varyNames(res), pathname).toContain("cookie");
    }
  });

  it("answers POSTs with no-store and never 304, whatever they send", async () => {
    const etag = (await anonymous().get("/cart")).headers.get("etag")!;
    const invalid = await anonymous().post(
      "/cart",
      { intent: "add", bookId, quantity: 0 },
      { headers: { "If-None-Match": etag } },
    );
    expect(invalid.status).toBe(400);
    expect(invalid.headers.get("cache-control")).toBe("no-store");
    expect(invalid.headers.get("etag")).toBeNull();

    const added = await anonymous().post("/cart", { intent: "add", bookId, quantity: 1 });
    expect(added.status).toBe(302);
    expect(added.headers.get("cache-control")).toBe("no-store");

    const wrongPassword = await anonymous().post("/login", {
      email: shopper.email,
      password: "not the right passphrase",
    });
    expect(wrongPassword.status).toBeGreaterThanOrEqual(400);
    expect(wrongPassword.headers.get("cache-control")).toBe("no-store");

    // A fetcher's POST (a data request) too.
    const fetcher = await anonymous().request("/cart.data", {
      method: "POST",
      body: new URLSearchParams({ intent: "add", bookId: String(bookId), quantity: "1" }),
      headers: {
        "Content-Type": "application/x-www-form-urlencoded",
        Origin: server.url,
        "Sec-Fetch-Site": "same-origin",
      },
    });
    expect(fetcher.status).toBe(200);
    expect(fetcher.headers.get("cache-control")).toBe("no-store");
  });

  it.each([
    ["/nowhere", 404],
    ["/books/999999", 404],
    [`/books?q=${"a".repeat(500)}`, 400],
  ])("answers the error page of %s with no-store and no validator", async (pathname, status) => {
    const res = await anonymous().get(pathname, { headers: { "If-None-Match": "*" } });
    expect(res.status).toBe(status);
    expect(res.headers.get("cache-control")).toBe("no-store");
    expect(res.headers.get("etag")).toBeNull();
  });

  it("keeps data requests out of every cache", async () => {
    const mine = await signedIn(shopper);
    for (const [client, pathname] of [
      [anonymous(), "/books.data"],
      [anonymous(), `/books/${bookId}.data`],
      [mine, "/cart.data"],
      [mine, "/orders.data"],
    ] as const) {
      const res = await client.get(pathname);
      expect(res.status, pathname).toBe(200);
      expect(res.headers.get("cache-control"), pathname).toBe("no-store");
      expect(res.headers.get("etag"), pathname).toBeNull();
    }
  });

  it("gives generated covers an ETag of the SVG: 304 while unchanged, the new one after a retitle", async () => {
    const coverBook = await insertBook(t.db, { title: "Cover Story", author: "Page Turner" });
    const first = await anonymous().get(`/covers/${coverBook}`);
    expect(first.status).toBe(200);
    expect(first.headers.get("cache-control")).toBe("public, max-age=86400");
    const etag = first.headers.get("etag")!;
    expect(etag).toMatch(WEAK_TAG);
    // The SVG's own policy, not a page's (no nonce in it).
    expect(first.headers.get("content-security-policy")).toBe(
      "default-src 'none'; style-src 'unsafe-inline'",
    );

    const same = await anonymous().get(`/covers/${coverBook}`, {
      headers: { "If-None-Match": etag },
    });
    expect(same.status).toBe(304);
    expect((await same.arrayBuffer()).byteLength).toBe(0);
    expect(same.headers.get("etag")).toBe(etag);
    expect(same.headers.get("cache-control")).toBe("public, max-age=86400");
    expect(same.headers.get("content-security-policy")).toBeNull();

    await t.db("books").where({ id: coverBook }).update({ title: "Cover Story, Revised" });
    const retitled = await anonymous().get(`/covers/${coverBook}`, {
      headers: { "If-None-Match": etag },
    });
    expect(retitled.status).toBe(200);
    expect(await retitled.text()).toContain("Revised");
    expect(retitled.headers.get("etag")).not.toBe(etag);

    const missing = await anonymous().get("/covers/999999");
    expect(missing.status).toBe(404);
    expect(missing.headers.get("cache-control")).toBe("no-store");
  });

  it("serves uploaded covers immutable with an ETag, and a 304 without a page's CSP", async () => {
    const bytes = crypto.randomBytes(64);
    const name = `${crypto.createHash("sha256").update(bytes).digest("hex")}.webp`;
    await fs.mkdir(path.join(server.uploadsDir, "covers"), { recursive: true });
    await fs.writeFile(path.join(server.uploadsDir, "covers", name), bytes);
    const first = await anonymous().get(`/uploads/covers/${name}`);
    expect(first.status).toBe(200);
    expect(first.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
    const etag = first.headers.get("etag")!;
    expect(etag).toBeTruthy();
    const again = await anonymous().get(`/uploads/covers/${name}`, {
      headers: { "If-None-Match": etag },
    });
    expect(again.status).toBe(304);
    expect(again.headers.get("content-security-policy")).toBeNull();

    const favicon = await anonymous().get("/favicon.svg");
    const faviconAgain = await anonymous().get("/favicon.svg", {
      headers: { "If-None-Match": favicon.headers.get("etag")! },
    });
    expect(faviconAgain.status).toBe(304);
    expect(faviconAgain.headers.get("content-security-policy")).toBeNull();
  });
});

/**
 * Real Chromium: what the browser does with a 304 is the whole question. It
 * reuses the stored body with the stored headers updated by the 304's, so a
 * Content-Security-Policy on the 304 would replace the stored one.
 */
describe.runIf(hasChromium)("a revalidated page in Chromium", () => {
  let t: TestDatabase;
  let server: TestServer;
  let proxy: http.Server;
  let proxyUrl: string;
  let browser: Browser;
  let shopper: TestUser;
  /** Every answer the server gave, from its own request log. */
  const answers: Array<{ method: string; path: string; status: number }> = [];

  beforeAll(async () => {
    t = await createTestDatabase("sqlite", { seed: true });
    shopper = await createUser(t.db, { name: "Rhea Validate" });
    const requestLog = new Writable({
      write(chunk: Buffer, _encoding, done) {
        for (const line of chunk.toString("utf8").split("\n").filter(Boolean)) {
          const entry = JSON.parse(line) as { msg?: string; method: string; path: string };
          if (entry.msg === "request") answers.push(entry as (typeof answers)[number]);
        }
        done();
      },
    });
    server = await startTestServer(t.db, { logger: createLogger("info", requestLog) });
    proxy = await startNewNonceProxy(server.url);
    proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    proxy?.closeAllConnections();
    await new Promise((resolve) => proxy?.close(resolve));
    await server?.close();
    await t?.destroy();
  });

  async function newPage(origin: string, cookie?: { name: string; value: string }) {
    const context: BrowserContext = await browser.newContext({ baseURL: origin });
    if (cookie) await context.addCookies([{ ...cookie, url: origin }]);
    // Violations as the document reports them, before any of its own scripts.
    await context.addInitScript(() => {
      const seen: string[] = [];
      (window as unknown as { cspViolations: string[] }).cspViolations = seen;
      document.addEventListener("securitypolicyviolation", (event) =>
        seen.push(`${event.effectiveDirective} ${event.blockedURI}`),
      );
    });
    const page = await context.newPage();
    return { context, page, problems: collectPageProblems(page) };
  }
  const violations = (page: Page) =>
    page.evaluate(() => (window as unknown as { cspViolations: string[] }).cspViolations);
  /** Remix's inline scripts ran: they define __remixContext; hydration needs them. */
  const inlineScriptsRan = (page: Page) => page.evaluate(() => "__remixContext" in window);
  const answersFor = (pathname: string, since: number) =>
    answers.slice(since).filter((answer) => answer.method === "GET" && answer.path === pathname);

  it("runs its scripts after a 304, anonymous and signed in, on navigation and on reload", async () => {
    const client = new TestClient(server.url);
    const login = await client.post("/login", { email: shopper.email, password: shopper.password });
    expect(login.status).toBe(302);
    const session = { name: "__session", value: client.cookies.get("__session")! };

    for (const cookie of [undefined, session]) {
      const { context, page, problems } = await newPage(server.url, cookie);
      for (const pathname of ["/books", "/books/1", "/"]) {
        const since = answers.length;
        await page.goto(pathname);
        await waitForHydration(page);
        // The same address again: the browser has the page and must ask (no-cache).
        await page.goto(pathname);
        await waitForHydration(page);
        await page.reload();
        await waitForHydration(page);
        expect(answersFor(pathname, since).map((answer) => answer.status)).toEqual([200, 304, 304]);
        expect(await inlineScriptsRan(page)).toBe(true);
        expect(await violations(page)).toEqual([]);
        // Signed in, the header offers to sign out: the cookie reached the server.
        const signOut = page.getByRole("button", { name: "Sign out" });
        expect(await signOut.count()).toBe(cookie ? 1 : 0);
      }
      expect(problems).toEqual([]);
      await context.close();
    }
  });

  it("would run none of them if the 304 brought a new nonce (the control)", async () => {
    const { context, page, problems } = await newPage(proxyUrl);
    const since = answers.length;
    await page.goto("/books/1");
    await waitForHydration(page);
    expect(await violations(page)).toEqual([]);
    await page.goto("/books/1");
    await page.waitForLoadState("load");
    expect(answersFor("/books/1", since).map((answer) => answer.status)).toEqual([200, 304]);
    expect(await inlineScriptsRan(page)).toBe(false);
    expect((await violations(page)).length).toBeGreaterThan(0);
    expect(problems.join("\n")).toMatch(/Content Security Policy/);
    await context.close();
  });
});

/**
 * A proxy in front of the server that adds a Content-Security-Policy with a
 * new nonce to every 304, as the server would if it let helmet's through.
 */
async function startNewNonceProxy(target: string): Promise<http.Server> {
  const upstream = new URL(target);
  const proxy = http.createServer((req, res) => {
    const forwarded = http.request(
      {
        host: upstream.hostname,
        port: upstream.port,
        path: req.url,
        method: req.method,
        headers: { ...req.headers, host: upstream.host },
      },
      (answer) => {
        const headers = { ...answer.headers };
        if (answer.statusCode === 304) {
          const nonce = crypto.randomBytes(16).toString("base64");
          headers["content-security-policy"] =
            `default-src 'self';script-src 'self' 'nonce-${nonce}'`;
        }
        res.writeHead(answer.statusCode ?? 502, headers);
        answer.pipe(res);
      },
    );
    forwarded.on("error", () => res.destroy());
    req.pipe(forwarded);
  });
  proxy.listen(0, "127.0.0.1");
  await new Promise<void>((resolve) => proxy.once("listening", resolve));
  return proxy;
}
