/**
 * HTTP at its edges, over the real server on SQLite and MySQL (issue #9): byte
 * ranges past the end of a file, broken percent-encoding, methods nobody uses,
 * absolute-form targets, `OPTIONS *`, bad Host headers, Remix's old `?_data=`
 * requests, and the catalog's odd queries. Each of these was a 500 once.
 *
 * Two tables: the cases, each with the answer it must get; and every
 * route in the manifest of the real build (plus what Express serves itself),
 * each sent every odd method, `?_data=`, a Range header and a broken
 * percent-encoding, so a new route is covered without touching this file.
 * Nothing here may be a 5xx, and the server's log (captured) may hold no
 * error-level line: these are the client's mistakes, not ours.
 */
import crypto from "node:crypto";
import fs from "node:fs/promises";
import http from "node:http";
import path from "node:path";
import { Writable } from "node:stream";
import type { ServerBuild } from "@remix-run/node";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createLogger } from "../../app/lib/logger.server";
import { createTestDatabase, enginesUnderTest, type TestDatabase } from "../helpers/databases";
import { insertBook } from "../helpers/fixtures";
import { textOf } from "../helpers/http-client";
import { loadServerBuild, repoRoot, startTestServer, type TestServer } from "../helpers/server";

const engines = await enginesUnderTest();
const build = await loadServerBuild();

interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/**
 * One request exactly as given: the target is sent as is (a path, `*`, or an
 * absolute URL) and so is the Host header, which node:http otherwise fills in.
 */
function send(
  server: TestServer,
  method: string,
  target: string,
  headers: Record<string, string> = {},
): Promise<Answer> {
  const { hostname, port, host } = new URL(server.url);
  const withHost = Object.keys(headers).some((name) => name.toLowerCase() === "host")
    ? headers
    : { Host: host, ...headers };
  return new Promise((resolve, reject) => {
    const request = http.request(
      { hostname, port, method, path: target, headers: withHost, setHost: false, agent: false },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (chunk: Buffer) => chunks.push(chunk));
        res.on("error", reject);
        res.on("end", () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks).toString("utf8"),
          }),
        );
      },
    );
    request.on("error", reject);
    request.end();
  });
}

/** The text of the page's <title>. */
const titleOf = (html: string) => /<title>([^<]*)<\/title>/.exec(html)?.[1];
/** Book titles of the page's cards, in order (as HTML). */
const cardsOf = (html: string) =>
  [...html.matchAll(/class="book-card__title"><a href="\/books\/\d+">([^<]*)</g)].map((m) => m[1]);

/** A route of the build as a concrete address: every :param is 1, a splat "anything". */
interface RouteAddress {
  id: string;
  url: string;
  /** The same address with a param that is not valid percent-encoded UTF-8, if it has one. */
  brokenUrl: string;
  /** Whether the route Remix would send a form to has an action. */
  takesForms: boolean;
}

function routeAddresses(routes: ServerBuild["routes"]): RouteAddress[] {
  const pathOf = (id: string): string => {
    const route = routes[id];
    const parent = route.parentId ? pathOf(route.parentId) : "";
    return route.path ? `${parent.replace(/\/$/, "")}/${route.path}` : parent;
  };
  return Object.values(routes).map((route) => {
    const pattern = pathOf(route.id) || "/";
    const concrete = (param: string) =>
      pattern.replace(/:[^/]+/g, param).replace(/\*$/, "anything") + (route.index ? "?index" : "");
    const hasParam = /:[^/]+|\*$/.test(pattern);
    return {
      id: route.id,
      url: concrete("1"),
      brokenUrl: hasParam ? concrete("%C3%28") : `${pattern.replace(/\/$/, "")}/%E0%A4%A`,
      takesForms: Boolean(route.module.action),
    };
  });
}

const routes = routeAddresses(build.routes);
const asset = (await fs.readdir(path.join(repoRoot, "public", "build", "_assets"))).find((name) =>
  name.endsWith(".css"),
);
/** An uploaded cover: content-hashed, so served as immutable for a year. */
const UPLOAD_BYTES = Buffer.from("RIFF0000WEBPVP8 edge-case cover bytes");
const UPLOAD = `covers/${crypto.createHash("sha256").update(UPLOAD_BYTES).digest("hex")}.webp`;

/** What Express serves itself, read-only: it must answer odd requests as well as Remix's routes. */
const EXPRESS_ADDRESSES = [
  "/healthz",
  "/readyz",
  "/favicon.svg",
  "/robots.txt",
  `/build/_assets/${asset}`,
  `/uploads/${UPLOAD}`,
];

describe.each(engines)("HTTP edge cases on %s", (engine) => {
  let t: TestDatabase;
  let server: TestServer;
  let bookId: number;
  const logLines: Array<{ level: string; msg?: string; [key: string]: unknown }> = [];
  let checkedLines = 0;

  beforeAll(async () => {
    t = await createTestDatabase(engine, { seed: true });
    bookId = await insertBook(t.db, { title: "The Edge of the Map", genre: "Adventure" });
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        for (const line of chunk.toString("utf8").split("\n").filter(Boolean)) {
          logLines.push(JSON.parse(line));
        }
        done();
      },
    });
    server = await startTestServer(t.db, { logger: createLogger("debug", sink) });
    await fs.mkdir(path.join(server.uploadsDir, "covers"), { recursive: true });
    await fs.writeFile(path.join(server.uploadsDir, UPLOAD), UPLOAD_BYTES);
  });

  afterAll(async () => {
    await server?.close();
    await t?.destroy();
  });

  // The request log line is written when the answer has finished: let it land.
  afterEach(async () => {
    await new Promise((resolve) => setTimeout(resolve, 20));
    const fresh = logLines.slice(checkedLines);
    checkedLines = logLines.length;
    expect(fresh.filter((line) => line.level === "error" || line.level === "fatal")).toEqual([]);
  });

  describe("the issue's cases", () => {
    const RANGE_PAST_THE_END = { Range: "bytes=99999-" };

    it.each([`/build/_assets/${asset}`, "/favicon.svg", `/uploads/${UPLOAD}`])(
      "answers a range past the end of %s with 416, never cacheable",
      async (address) => {
        const res = await send(server, "GET", address, RANGE_PAST_THE_END);
        expect(res.status).toBe(416);
        expect(res.headers["content-range"]).toMatch(/^bytes \*\/\d+$/);
        expect(res.headers["cache-control"]).toBe("no-store");
        expect(res.headers["etag"] ?? "").not.toMatch(/^"/); // no validator of the file
        expect(res.headers["last-modified"]).toBeUndefined();
        expect(res.body).toBe("That range is outside the file.");
        // A range inside the file still works, with the file's own caching.
        const part = await send(server, "GET", address, { Range: "bytes=0-3" });
        expect(part.status).toBe(206);
        expect(part.headers["cache-control"]).toMatch(/max-age=/);
      },
    );

    it.each(["/%ZZ", "/books/%C3%28", "/books/%", "/build/%E0%A4%A", "/%ZZ?q=x"])(
      "answers the broken percent-encoding of %s with 400",
      async (address) => {
        const res = await send(server, "GET", address);
        expect(res.status).toBe(400);
        expect(res.headers["content-type"]).toMatch(/^text\/plain/);
        expect(res.body).toBe("This address is not properly encoded.");
      },
    );

    it("takes broken percent-encoding in the query as text, as browsers send what was typed", async () => {
      const res = await send(server, "GET", "/books?q=%ZZ%C3%28");
      expect(res.status).toBe(200);
    });

    it.each(["TRACE", "PROPFIND", "MKCOL", "LOCK", "PURGE"])(
      "answers %s with 501 wherever it is sent",
      async (method) => {
        for (const address of ["/", "/books/1", "/covers/1", "/healthz", "/nowhere"]) {
          const res = await send(server, method, address);
          expect(res.status, `${method} ${address}`).toBe(501);
          expect(res.body).toBe(`This server does not implement ${method} requests.`);
        }
      },
    );

    it("serves an absolute-form target as its path, on the target's host", async () => {
      const { host } = new URL(server.url);
      const res = await send(server, "GET", `http://${host}/books/${bookId}`);
      expect(res.status).toBe(200);
      expect(titleOf(res.body)).toMatch(/^The Edge of the Map by /);
      const withQuery = await send(server, "GET", `http://${host}/books?q=edge%20map`);
      expect(withQuery.status).toBe(200);
      expect(textOf(withQuery.body)).toContain("1 book ·");
      // The target's authority is the host (RFC 9112 §3.2.2), so it is checked as one.
      const badAuthority = await send(server, "GET", `http://user@evil/books`);
      expect(badAuthority.status).toBe(400);
    });

    // Node's own HTTP parser answers these before any of our code runs: a bare
    // 400 that closes the connection (a 400 is not cacheable by default).
    it.each([
      ["TRACK", "/"],
      ["GET", "books"],
    ])("leaves %s %s to Node's parser: 400, connection closed", async (method, target) => {
      const res = await send(server, method, target);
      expect(res.status).toBe(400);
      expect(res.headers.connection).toBe("close");
    });

    it.each([
      ["OPTIONS", "*", {}],
      ["GET", "ftp://example.com/books", {}],
      ["GET", "/books", { Host: "bad host" }],
      ["GET", "/books", { Host: "example.com:99999" }],
      ["GET", "/books", { Host: "user@example.com" }],
      ["GET", "/books", { Host: "[::1" }],
      ["GET", "/books", { Host: "" }],
      ["GET", "/books", { "X-Forwarded-Host": "shop.example.com:123456" }],
    ] as const)("answers %s %s %j with 400", async (method, target, headers) => {
      const res = await send(server, method, target, headers);
      expect(res.status).toBe(400);
      expect(res.headers["cache-control"]).toBe("no-store");
    });

    it("serves the hosts it should: names, addresses, IPv6 literals and ports", async () => {
      for (const host of [
        "shop.example.com",
        "localhost:3000",
        "10.0.0.7",
        "[::1]:8080",
        "app_1",
      ]) {
        expect((await send(server, "GET", "/healthz", { Host: host })).status, host).toBe(200);
      }
    });

    it.each([
      "/books?_data=routes/books._index",
      "/?_data=root",
      "/books/1?_data=",
      "/cart?_data=x",
    ])("answers the old data request %s with 400, logged below error", async (address) => {
      const res = await send(server, "GET", address);
      expect(res.status).toBe(400);
      expect(res.body).toBe("This address does not take a _data parameter.");
    });

    it.each([
      ["PUT", "/books", "GET, HEAD, OPTIONS", "it takes no forms"],
      ["POST", "/books", "GET, HEAD, OPTIONS", "it takes no forms"],
      ["DELETE", "/covers/1", "GET, HEAD, OPTIONS", "it takes no forms"],
      ["PATCH", "/healthz", "GET, HEAD, OPTIONS", "it takes no forms"],
      ["PUT", "/cart", "GET, HEAD, POST, OPTIONS", "only accepts forms sent with POST"],
      ["DELETE", "/login", "GET, HEAD, POST, OPTIONS", "only accepts forms sent with POST"],
      // Remix sends a form to the layout unless it asks for the index route.
      ["POST", "/admin", "GET, HEAD, OPTIONS", "it takes no forms"],
    ])("answers %s %s with 405, Allow: %s", async (method, address, allow, message) => {
      const res = await send(server, method, address, { "Content-Type": "text/plain" });
      expect(res.status).toBe(405);
      expect(res.headers.allow).toBe(allow);
      expect(res.body).toContain(message);
    });

    it("answers OPTIONS with Allow and no body; an unknown address with 404", async () => {
      const cover = await send(server, "OPTIONS", "/covers/1");
      expect(cover.status).toBe(204);
      expect(cover.headers.allow).toBe("GET, HEAD, OPTIONS");
      expect(cover.body).toBe("");
      expect(cover.headers["content-type"]).toBeUndefined();
      const cart = await send(server, "OPTIONS", "/cart");
      expect(cart.headers.allow).toBe("GET, HEAD, POST, OPTIONS");
      expect((await send(server, "OPTIONS", "/nowhere/at/all")).status).toBe(404);
    });

    it("never echoes a NUL byte of the search into the title or the search field", async () => {
      const res = await send(server, "GET", "/books?q=%00edge%00map%00");
      expect(res.status).toBe(200);
      const title = titleOf(res.body)!;
      const value = /<input[^>]*id="filter-q"[^>]*value="([^"]*)"/.exec(res.body)?.[1];
      expect(title).toBe("“edge map” — search — Bookstore");
      expect(value).toBe("edge map");
      expect(cardsOf(res.body)).toEqual(["The Edge of the Map"]);
    });

    it("says a search of punctuation alone has nothing to search for, and lists nothing", async () => {
      for (const q of ["!!!", "%22%27%2B-*()%3C%3E~", "%E2%80%94"]) {
        const res = await send(server, "GET", `/books?q=${q}`);
        expect(res.status).toBe(200);
        expect(textOf(res.body)).toContain("There is nothing to search for");
        expect(cardsOf(res.body)).toEqual([]);
      }
    });

    it("shows the last page for any page past it: page=1e9 is page=100000", async () => {
      const answers = await Promise.all(
        ["1e9", "100000", "99999999999999999999", "Infinity"].map((page) =>
          send(server, "GET", `/books?page=${page}`),
        ),
      );
      const pages = answers.map((res) => /aria-current="page">(\d+)</.exec(res.body)?.[1]);
      expect(new Set(pages).size).toBe(1);
      expect(Number(pages[0])).toBeGreaterThan(1);
      const cards = answers.map((res) => cardsOf(res.body).join("|"));
      expect(new Set(cards).size).toBe(1);
    });

    it("links pages with the listing's own parameters, never the others the address carried", async () => {
      const res = await send(
        server,
        "GET",
        "/books?genre=fiction&utm_source=mail&index=&_x=%3Cb%3E&sort=evil&page=1",
      );
      const links = [
        ...res.body.matchAll(/<a href="(\/books\?[^"]*)"[^>]*(?:rel="next"|aria-label="Page)/g),
      ];
      expect(links.length).toBeGreaterThan(0);
      for (const [, href] of links) {
        expect(href.replace(/&amp;/g, "&")).toMatch(/^\/books\?genre=Fiction&page=\d+$/);
      }
    });

    it("gives an unknown address a 404 page with a title", async () => {
      const res = await send(server, "GET", "/no/such/page");
      expect(res.status).toBe(404);
      expect(titleOf(res.body)).toBe("Page not found — Bookstore");
    });

    it.each(["/build/_assets/missing-ABCDEF12.css", "/build/", "/uploads/covers/missing.webp"])(
      "answers the missing file %s with a short 404, not the shop's page",
      async (address) => {
        const res = await send(server, "GET", address);
        expect(res.status).toBe(404);
        expect(res.headers["content-type"]).toMatch(/^text\/plain/);
        expect(res.body).toBe("Not found");
        expect(res.headers["cache-control"]).toBe("no-store");
      },
    );

    it.each(["/books", "/covers/1", "/favicon.svg", "/nowhere", "/healthz"])(
      "sends one Content-Security-Policy with %s, and X-Frame-Options to match",
      async (address) => {
        const res = await send(server, "GET", address);
        const csp = res.headers["content-security-policy"];
        expect(typeof csp, String(csp)).toBe("string"); // node joins repeats into an array
        expect(res.headers["x-frame-options"]).toBe("DENY");
        if (address === "/covers/1")
          expect(csp).toBe("default-src 'none'; style-src 'unsafe-inline'");
        else expect(csp).toContain("frame-ancestors 'none'");
      },
    );
  });

  describe("every route in the build, and what Express serves", () => {
    it("has the catalog's routes and Express's files to walk", () => {
      expect(routes.map((route) => route.id)).toEqual(
        expect.arrayContaining(["root", "routes/books._index", "routes/covers.$bookId"]),
      );
      expect(asset).toBeTruthy();
    });

    const addresses = [
      ...routes.map((route) => ({ ...route, express: false })),
      ...EXPRESS_ADDRESSES.map((url) => ({
        id: url,
        url,
        brokenUrl: `${url}%ZZ`,
        takesForms: false,
        express: true,
      })),
    ];

    describe.each(addresses)("$id ($url)", (route) => {
      it("answers every odd method without a 5xx: 405 with Allow, 501, or OPTIONS' 204", async () => {
        for (const method of ["PUT", "PATCH", "DELETE"]) {
          const res = await send(server, method, route.url, { "Content-Type": "text/plain" });
          expect(res.status, `${method} ${route.url}: ${res.body.slice(0, 200)}`).toBe(405);
          expect(res.headers.allow).toMatch(/^GET, HEAD, (POST, )?OPTIONS$/);
          expect(res.body).toMatch(/only accepts forms sent with POST|it takes no forms/);
        }
        const trace = await send(server, "TRACE", route.url);
        expect(trace.status).toBe(501);
        const options = await send(server, "OPTIONS", route.url);
        expect(options.status).toBe(204);
        expect(options.body).toBe("");
        expect(options.headers.allow).toMatch(/^GET, HEAD, (POST, )?OPTIONS$/);
        expect(options.headers.allow).toBe(
          route.takesForms ? "GET, HEAD, POST, OPTIONS" : "GET, HEAD, OPTIONS",
        );
      });

      it("answers HEAD without a body or a 5xx, as GET", async () => {
        const get = await send(server, "GET", route.url);
        expect(get.status, get.body.slice(0, 300)).toBeLessThan(500);
        const head = await send(server, "HEAD", route.url);
        expect(head.status).toBe(get.status);
        expect(head.body).toBe("");
      });

      it("answers ?_data= with 400", async () => {
        const separator = route.url.includes("?") ? "&" : "?";
        const res = await send(server, "GET", `${route.url}${separator}_data=${route.id}`);
        expect(res.status).toBe(400);
      });

      it("answers a Range past the end without a 5xx: 416 for files, ignored by pages", async () => {
        const res = await send(server, "GET", route.url, { Range: "bytes=99999-" });
        expect(res.status, res.body.slice(0, 300)).toBeLessThan(500);
        if (route.express && route.url.match(/\.\w+$/)) expect(res.status).toBe(416);
        expect(res.headers["cache-control"] ?? "").not.toContain("immutable");
      });

      it("answers broken percent-encoding in its address with 400", async () => {
        const res = await send(server, "GET", route.brokenUrl);
        expect(res.status, route.brokenUrl).toBe(400);
      });
    });
  });

  it("logged every request, and not one error line", () => {
    expect(logLines.filter((line) => line.msg === "request").length).toBeGreaterThan(100);
    expect(logLines.filter((line) => line.level === "error" || line.level === "fatal")).toEqual([]);
  });
});
