import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { publishAssets } from "../../server/shared-assets";
import { createTestDatabase, type TestDatabase } from "../helpers/databases";
import { repoRoot, startTestServer, type TestServer } from "../helpers/server";

describe("assets shared between releases during a rolling deploy", () => {
  let shared: string;
  let t: TestDatabase;
  let server: TestServer;

  beforeAll(async () => {
    shared = await fs.mkdtemp(path.join(os.tmpdir(), "bookstore-shared-assets-"));
    t = await createTestDatabase("sqlite");
    server = await startTestServer(t.db, { sharedAssetsDir: shared });
  });

  afterAll(async () => {
    await server?.close();
    await t?.destroy();
    await fs.rm(shared, { recursive: true, force: true });
  });

  it("publishes this release's build once, never overwriting what is there", async () => {
    const local = path.join(repoRoot, "public", "build");
    const first = await publishAssets(local, shared);
    expect(first).toBeGreaterThan(3);
    const [someFile] = (await fs.readdir(shared, { recursive: true })).filter((f) =>
      f.endsWith(".js"),
    );
    expect(await fs.readFile(path.join(shared, someFile))).toEqual(
      await fs.readFile(path.join(local, someFile)),
    );
    await fs.writeFile(path.join(shared, someFile), "// published by another release");
    expect(await publishAssets(local, shared)).toBe(0);
    expect(await fs.readFile(path.join(shared, someFile), "utf8")).toBe(
      "// published by another release",
    );
    const leftovers = (await fs.readdir(shared, { recursive: true })).filter((f) =>
      f.endsWith(".tmp"),
    );
    expect(leftovers).toEqual([]);
  });

  it("serves an older release's asset from the shared copy, cached for a year", async () => {
    await fs.mkdir(path.join(shared, "_shared"), { recursive: true });
    await fs.writeFile(
      path.join(shared, "_shared", "chunk-OLDRELEASE.js"),
      "export const old = true;",
    );
    const res = await fetch(`${server.url}/build/_shared/chunk-OLDRELEASE.js`);
    expect(res.status).toBe(200);
    expect(await res.text()).toBe("export const old = true;");
    expect(res.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
    expect((await fetch(`${server.url}/build/_shared/chunk-MISSING.js`)).status).toBe(404);
  });
});
