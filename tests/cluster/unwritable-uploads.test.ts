/**
 * The uploads folder stops being writable (in production: EFS mounted
 * read-only, permissions changed, the access point's owner wrong) under a
 * running production server (`node build/server/index.js`, NODE_ENV=production).
 *
 * - /readyz says 503 with `uploads: failed` (the database is fine);
 * - an admin's cover upload and a customer's offer with a photo get an error
 *   page with a readable message (no stack trace, no file-system path or
 *   error code), and the server's log says why, with the request id;
 * - nothing is half-written: no file (not even a temporary one), no cover
 *   changed, no audit event, no offer without its photo; the covers already
 *   stored are still served;
 * - once the folder is writable again, the same process takes uploads again.
 *
 * File permissions do not stop root, so when the tests run as root the folder
 * is made read-only the way production's would be: a read-only (bind) mount,
 * which refuses root too. (Running the server as `nobody` instead needs every
 * folder above the checkout to be open to it, which a fresh clone's may not be.)
 */
import { execFile } from "node:child_process";
import fs from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  makeTempDir,
  prerequisitesMet,
  startServerProcess,
  waitFor,
  whoAnswered,
  type ServerProcess,
} from "../helpers/cluster";
import { createTestDatabase, enginesUnderTest, type TestDatabase } from "../helpers/databases";
import { createUser, insertBook, type TestUser } from "../helpers/fixtures";
import { locationOf, TestClient, textOf } from "../helpers/http-client";
import { filesUnder } from "../helpers/files";

const ready = await prerequisitesMet("the unwritable uploads test", {});
const engines = ready ? await enginesUnderTest() : [];
// Production's engine when this machine has it (CI does); the behaviour is the engine's business not.
const engine = engines.includes("mysql") ? "mysql" : "sqlite";

const asRoot = process.getuid?.() === 0;
const run = promisify(execFile);

const STACK_TRACE = /\bat [^\n<]*\.(?:js|ts|tsx|mjs|cjs):\d+|node_modules/;

describe.runIf(ready)(`an uploads folder that is not writable, on ${engine}`, () => {
  let t: TestDatabase;
  let dir: string;
  let uploadsDir: string;
  let server: ServerProcess;
  let admin: TestClient;
  let customer: TestClient;

  const image = (background: string) =>
    sharp({ create: { width: 200, height: 300, channels: 3, background } })
      .png()
      .toBuffer();
  const uploadCover = async (bookId: number, background: string) =>
    admin.postMultipart(`/admin/books/${bookId}/cover`, [
      { name: "cover", filename: "cover.png", type: "image/png", bytes: await image(background) },
      { name: "intent", value: "upload" },
    ]);
  const readyz = async () => {
    const res = await fetch(`${server.url}/readyz`);
    return { status: res.status, body: (await res.json()) as { checks: Record<string, string> } };
  };
  /** Everything an upload could write: files, covers, audit events, offers. */
  const state = async () => ({
    files: await filesUnder(uploadsDir),
    covers: await t.db("books").orderBy("id").pluck("coverPath"),
    audit: await t.db("auditEvents").count({ n: "*" }).first(),
    offers: await t.db("offers").count({ n: "*" }).first(),
  });
  let mounted = false;
  const setWritable = async (writable: boolean) => {
    if (asRoot) {
      if (!writable && !mounted) {
        await run("mount", ["--bind", uploadsDir, uploadsDir]);
        mounted = true;
        await run("mount", ["-o", "remount,ro,bind", uploadsDir]);
      } else if (writable && mounted) {
        await run("umount", [uploadsDir]);
        mounted = false;
      }
      return;
    }
    for (const folder of [uploadsDir, path.join(uploadsDir, "covers")]) {
      await fs.chmod(folder, writable ? 0o755 : 0o555);
    }
  };

  beforeAll(async () => {
    t = await createTestDatabase(engine);
    dir = await makeTempDir("bookstore-readonly-");
    await fs.chmod(dir, 0o755);
    uploadsDir = path.join(dir, "uploads");
    await fs.mkdir(path.join(uploadsDir, "covers"), { recursive: true });
    const signIn = async (user: TestUser, client: TestClient) => {
      const res = await client.post("/login", { email: user.email, password: user.password });
      expect(res.status).toBe(302);
      return client;
    };
    const adminUser = await createUser(t.db, { role: "admin" });
    const customerUser = await createUser(t.db);
    server = await startServerProcess({
      name: "readonly-uploads",
      env: { DATABASE_URL: t.url, UPLOADS_DIR: uploadsDir },
    });
    await server.waitUntilReady();
    admin = await signIn(adminUser, new TestClient(server.url));
    customer = await signIn(customerUser, new TestClient(server.url));
  });

  afterAll(async () => {
    await server?.stop();
    await t?.destroy();
    if (dir) {
      await setWritable(true).catch(() => {});
      await fs.rm(dir, { recursive: true, force: true });
    }
  });

  it("says so on /readyz, refuses uploads with a readable error, writes nothing, and recovers", async () => {
    // Writable: a cover is stored and served.
    expect(await readyz()).toMatchObject({ status: 200 });
    const first = await insertBook(t.db);
    const second = await insertBook(t.db);
    const stored = await uploadCover(first, "#36c");
    expect(stored.status).toBe(302);
    const { coverPath } = await t.db("books").where({ id: first }).first("coverPath");
    expect(coverPath).toMatch(/^covers\/[0-9a-f]{64}\.webp$/);

    await setWritable(false);
    expect(await readyz()).toEqual({
      status: 503,
      body: expect.objectContaining({ checks: { database: "ok", uploads: "failed" } }),
    });

    const before = await state();
    const refusals = [
      ["a new cover", () => uploadCover(second, "#c63")],
      ["a replacement cover", () => uploadCover(first, "#6c3")],
      [
        "an offer with a photo",
        async () =>
          customer.postMultipart("/sell", [
            { name: "isbn", value: "9780141439518" },
            { name: "title", value: "Pride and Prejudice" },
            { name: "author", value: "Jane Austen" },
            { name: "condition", value: "good" },
            { name: "askingPriceCents", value: "4.50" },
            { name: "photo", filename: "photo.png", type: "image/png", bytes: await image("#999") },
          ]),
      ],
    ] as const;
    for (const [what, send] of refusals) {
      const res = await send();
      const html = await res.text();
      expect(res.status, `${what}: ${textOf(html).slice(0, 300)}`).toBeGreaterThanOrEqual(400);
      expect(res.headers.get("content-type")).toMatch(/^text\/html/);
      const text = textOf(html);
      expect(text, what).toMatch(/try again/i);
      expect(html, what).not.toMatch(STACK_TRACE);
      expect(html, what).not.toMatch(/EACCES|EROFS|permission denied/i);
      expect(html, what).not.toContain(uploadsDir);
      // Ops can tell why from the log: this request's id with the file-system error.
      const requestId = res.headers.get("x-request-id")!;
      expect((await whoAnswered([server], res)).name).toBe(server.name);
      const logged = await waitFor(
        `the error logged for ${what}`,
        () =>
          server.lines.find((line) => line.requestId === requestId && line.err) ??
          server.lines.find(
            (line) => line.requestId === requestId && /EACCES|EROFS/.test(JSON.stringify(line)),
          ),
      );
      // The cause, as the file system gave it: a read-only mount (root) or permissions.
      expect(JSON.stringify(logged), what).toMatch(asRoot ? /EROFS/ : /EACCES/);
      // Nothing half-written.
      expect(await state(), what).toEqual(before);
    }
    // What was stored before is still served.
    const served = await fetch(`${server.url}/uploads/${coverPath}`);
    expect(served.status).toBe(200);
    expect(served.headers.get("content-type")).toBe("image/webp");

    // Writable again: the same process is ready and takes the upload.
    await setWritable(true);
    expect(await readyz()).toMatchObject({ status: 200 });
    const again = await uploadCover(second, "#c63");
    expect(again.status).toBe(302);
    expect(locationOf(again)).toBe(`/admin/books/${second}?notice=cover`);
    expect((await t.db("books").where({ id: second }).first("coverPath")).coverPath).toMatch(
      /^covers\/[0-9a-f]{64}\.webp$/,
    );
    expect(server.running).toBe(true);
  });
});
