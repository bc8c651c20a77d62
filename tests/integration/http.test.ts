/**
 * The real Express server (helmet, static files, health, Remix) on a loopback
 * port, over each database engine, driven with plain HTTP: what a browser
 * without JavaScript, a crawler or an ALB health check would see.
 */
import fs from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, enginesUnderTest, type TestDatabase } from "../helpers/databases";
import { insertBook } from "../helpers/fixtures";
import { startTestServer, type TestServer } from "../helpers/server";

const engines = await enginesUnderTest();

describe.each(engines)("HTTP on %s", (engine) => {
  let t: TestDatabase;
  let server: TestServer;
  let bookId: number;
  let archivedId: number;

  beforeAll(async () => {
    t = await createTestDatabase(engine, { seed: true });
    bookId = await insertBook(t.db, {
      title: "The Lamplighter's <Secret> & Co",
      author: "Edith Crane",
      description: "A mystery of lamps & shadows.",
      priceCents: 1234,
      stock: 3,
    });
    archivedId = await insertBook(t.db, {
      title: "Withdrawn Volume",
      archivedAt: "2020-01-01 00:00:00",
    });
    server = await startTestServer(t.db);
  });

  afterAll(async () => {
    await server?.close();
    await t?.destroy();
  });

  const get = (pathname: string, init?: RequestInit) => fetch(server.url + pathname, init);

  it("serves the home page with new arrivals, genres and a search box", async () => {
    const res = await get("/");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/text\/html/);
    const html = await res.text();
    expect(html).toContain("New arrivals");
    expect(html).toContain("Browse by genre");
    expect(html).toMatch(/<form[^>]*method="get"[^>]*action="\/books"/);
    expect(html).toMatch(/href="\/books\?genre=Mystery"/);
  });

  it("lists books 24 to a page with working page links", async () => {
    const html = await (await get("/books")).text();
    expect(html.match(/class="book-card"/g)).toHaveLength(24);
    expect(html).toMatch(
      /href="\/books\?page=2"[^>]*rel="next"|rel="next"[^>]*href="\/books\?page=2"/,
    );
    const page2 = await (await get("/books?page=2")).text();
    expect(page2).toContain('aria-current="page">2<');
  });

  it("searches, escaping what it echoes back", async () => {
    const res = await get("/books?q=lamplighter");
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain("1 book");
    expect(html).toContain("The Lamplighter&#x27;s &lt;Secret&gt; &amp; Co");
    const xss = await (
      await get(`/books?q=${encodeURIComponent("<script>alert(1)</script>")}`)
    ).text();
    expect(xss).not.toContain("<script>alert(1)</script>");
    expect(xss).toContain("&lt;script&gt;");
  });

  it.each([
    ["/books?page=-3", 200],
    ["/books?page=abc", 200],
    ["/books?page=99999999999999999999", 200],
    ["/books?sort=evil", 200],
    ["/books?sort=price-asc&genre=Nonexistent", 200],
    ["/books?q=%22%27%2B-*()%3C%3E~", 200],
    [`/books?q=${"a".repeat(10_000)}`, 400],
    ["/books?page=1&page=2&q=a&q=b", 200],
  ])("answers nonsense input %s with %i, never a 500", async (pathname, status) => {
    const res = await get(pathname);
    expect(res.status).toBe(status);
    const html = await res.text();
    if (status === 400) expect(html).toContain("at most 200 characters");
    expect(html).not.toMatch(/at .*\.js:\d+/); // no stack traces
  });

  it("shows a book with price, availability and cover", async () => {
    const res = await get(`/books/${bookId}`);
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain("Edith Crane");
    expect(html).toContain("$12.34");
    expect(html).toContain("Only 3 left");
    expect(html).toContain(`src="/covers/${bookId}"`);
    expect(html).toMatch(/<title>The Lamplighter.*Edith Crane — Bookstore<\/title>/);
  });

  it.each([
    "/books/999999",
    "/books/abc",
    "/books/1.5",
    "/books/-1",
    "/books/99999999999999999999",
    "/nowhere",
  ])("gives %s a real 404 page", async (pathname) => {
    const res = await get(pathname);
    expect(res.status).toBe(404);
    expect(await res.text()).toMatch(/not found|no such book/i);
  });

  it("gives archived books a 404", async () => {
    expect((await get(`/books/${archivedId}`)).status).toBe(404);
  });

  it("draws a placeholder cover, and serves an uploaded one from UPLOADS_DIR", async () => {
    const res = await get(`/covers/${bookId}`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/image\/svg\+xml/);
    const svg = await res.text();
    expect(svg).toContain("&#60;Secret&#62;");
    expect(svg).toContain("Edith Crane");
    expect((await get("/covers/0")).status).toBe(404);

    await fs.mkdir(path.join(server.uploadsDir, "covers"), { recursive: true });
    await fs.writeFile(
      path.join(server.uploadsDir, "covers", "lamp.png"),
      Buffer.from("89504e47", "hex"),
    );
    await t.db("books").where({ id: bookId }).update({ coverPath: "covers/lamp.png" });
    expect(await (await get(`/books/${bookId}`)).text()).toContain(
      'src="/uploads/covers/lamp.png"',
    );
    const upload = await get("/uploads/covers/lamp.png");
    expect(upload.status).toBe(200);
    expect(upload.headers.get("cache-control")).toMatch(/max-age=3600/);
    expect((await get("/uploads/../package.json")).status).toBe(404);
  });

  it("sends a CSP whose nonce is on every inline script", async () => {
    const res = await get("/books");
    const csp = res.headers.get("content-security-policy") ?? "";
    const nonce = /'nonce-([^']+)'/.exec(csp)?.[1];
    expect(nonce).toBeTruthy();
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    const html = await res.text();
    const scripts = [...html.matchAll(/<script\b([^>]*)>/g)].map((m) => m[1]);
    expect(scripts.length).toBeGreaterThan(0);
    for (const attributes of scripts) {
      if (!/\bsrc=/.test(attributes)) expect(attributes).toContain(`nonce="${nonce}"`);
    }
    const again = (await get("/books")).headers.get("content-security-policy");
    expect(again).not.toBe(csp); // a fresh nonce per request
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
    expect(res.headers.get("x-powered-by")).toBeNull();
  });

  it("caches fingerprinted assets for a year and other static files briefly", async () => {
    const html = await (await get("/")).text();
    const asset = /href="(\/build\/[^"]+\.css)"/.exec(html)?.[1];
    expect(asset).toBeTruthy();
    const res = await get(asset!);
    expect(res.status).toBe(200);
    expect(res.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
    const favicon = await get("/favicon.svg");
    expect(favicon.headers.get("cache-control")).toBe("public, max-age=3600");
  });

  it("compresses pages for clients that accept it", async () => {
    const res = await get("/books", { headers: { "accept-encoding": "gzip" } });
    expect(res.headers.get("content-encoding")).toBe("gzip");
  });

  it("echoes a sane X-Request-Id and makes one otherwise", async () => {
    const given = await get("/healthz", { headers: { "x-request-id": "abc-123" } });
    expect(given.headers.get("x-request-id")).toBe("abc-123");
    const made = await get("/healthz", { headers: { "x-request-id": "bad id\twith junk" } });
    expect(made.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("refuses a form posted from another site", async () => {
    const res = await get("/books", {
      method: "POST",
      headers: {
        origin: "https://evil.example",
        "content-type": "application/x-www-form-urlencoded",
      },
      body: "q=x",
    });
    expect(res.status).toBe(403);
    const sameSite = await get("/books", {
      method: "POST",
      headers: { origin: server.url, "content-type": "application/x-www-form-urlencoded" },
      body: "q=x",
    });
    expect(sameSite.status).not.toBe(403);
  });

  it("reports liveness and readiness as JSON", async () => {
    const live = await get("/healthz");
    expect(live.status).toBe(200);
    expect(await live.json()).toMatchObject({ status: "ok" });
    const ready = await get("/readyz");
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({
      status: "ready",
      checks: { database: "ok", uploads: "ok" },
    });
  });
});

describe("readiness when the database is down", () => {
  it("answers 503 while /healthz stays 200", async () => {
    const t = await createTestDatabase("sqlite");
    const server = await startTestServer(t.db);
    try {
      await t.db.destroy(); // the pool is gone: every query now fails
      const ready = await fetch(`${server.url}/readyz`);
      expect(ready.status).toBe(503);
      expect(await ready.json()).toMatchObject({
        status: "unavailable",
        checks: { database: "failed" },
      });
      expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
    } finally {
      await server.close();
      await t.destroy().catch(() => undefined);
    }
  });
});
