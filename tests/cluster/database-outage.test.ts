/**
 * The database goes away under load, and comes back. Two production instances
 * (`node build/server/index.js`, NODE_ENV=production) run on a MariaDB server
 * of this test's own (tests/helpers/private-mariadb.ts: own data folder, port
 * and socket; the shared server on 3306 is never touched), while shoppers
 * browse, look at their account and change their carts. The server is killed
 * (SIGKILL, a crash) mid-load:
 *
 * - every page that needs the database answers 503 with Retry-After, never a
 *   500 and never a dropped connection; /readyz says 503 (database failed)
 *   while /healthz stays 200 (the process is fine, the ALB must not replace
 *   every instance for a database outage);
 * - no server process crashes;
 * - once the database is started again, the same processes (same pids, never
 *   restarted) answer 200 again, with nothing to do by hand.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseDatabaseUrl } from "../../app/lib/config.server";
import { createDb, type Db } from "../../app/lib/db.server";
import { migrateLatest } from "../../db/migrate";
import { seedDemoData } from "../../db/seeds/demo";
import {
  makeTempDir,
  prerequisitesMet,
  sleep,
  startLoad,
  startServerProcess,
  summarize,
  waitFor,
  type Load,
  type LoadRequest,
  type ServerProcess,
} from "../helpers/cluster";
import { createUser, insertBook } from "../helpers/fixtures";
import { TestClient, textOf } from "../helpers/http-client";
import { startPrivateMariaDb, type PrivateMariaDb } from "../helpers/private-mariadb";

const ready = await prerequisitesMet("the database outage test", { mariadbBinaries: true });

/** What a stack trace looks like in a body. */
const STACK_TRACE = /\bat [^\n<]*\.(?:js|ts|tsx|mjs|cjs):\d+|node_modules/;

describe.runIf(ready)("a database outage under load", () => {
  let mariadb: PrivateMariaDb;
  let db: Db;
  let instances: ServerProcess[];
  let dir: string;

  beforeAll(async () => {
    mariadb = await startPrivateMariaDb();
    db = createDb(parseDatabaseUrl(`${mariadb.url}/mysql`), { min: 0, max: 2 });
    await db.raw("CREATE DATABASE bookstore CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci");
    await db.destroy();
    const databaseUrl = `${mariadb.url}/bookstore`;
    db = createDb(parseDatabaseUrl(databaseUrl), { min: 0, max: 2 });
    await migrateLatest(db);
    await seedDemoData(db);
    dir = await makeTempDir("bookstore-outage-");
    instances = await Promise.all(
      [1, 2].map(async (n) => {
        const instance = await startServerProcess({
          name: `instance-${n}`,
          env: { DATABASE_URL: databaseUrl, UPLOADS_DIR: `${dir}/uploads` },
        });
        await instance.waitUntilReady();
        return instance;
      }),
    );
  });

  afterAll(async () => {
    await Promise.all((instances ?? []).map((instance) => instance.stop()));
    await db?.destroy();
    await mariadb?.destroy();
  });

  it("answers 503 with Retry-After (never 500) while it is down, and recovers in the same processes", async () => {
    const pids = instances.map((instance) => instance.pid);
    const shoppers = await Promise.all(
      [0, 1, 2, 3].map(async (n) => {
        const user = await createUser(db);
        const client = new TestClient(instances[n % 2].url);
        expect(
          (await client.post("/login", { email: user.email, password: user.password })).status,
        ).toBe(302);
        const bookId = await insertBook(db, { stock: 1000 });
        expect((await client.post("/cart", { intent: "add", bookId, quantity: 1 })).status).toBe(
          302,
        );
        return { cookie: `__session=${client.cookies.get("__session")}`, bookId };
      }),
    );
    // Answers, good or "come back later": anything else (a 500, a reset) fails the test.
    const next =
      (offset: number) =>
      (client: number, n: number): LoadRequest => {
        const { bookId } = shoppers[offset + client];
        const answers = (ok: number) => [ok, 503];
        switch (n % 4) {
          case 0:
            return { method: "GET", path: `/books?page=${(n % 5) + 1}`, expect: answers(200) };
          case 1:
            return { method: "GET", path: `/books/${bookId}`, expect: answers(200) };
          case 2:
            return { method: "GET", path: "/account", expect: answers(200) };
          default:
            return {
              method: "POST",
              path: "/cart",
              form: { intent: "update", bookId, quantity: (n % 3) + 1 },
              expect: answers(302),
            };
        }
      };
    const loads: Load[] = instances.map((instance, i) =>
      startLoad({
        baseUrl: instance.url,
        clients: 2,
        cookies: shoppers.slice(i * 2, i * 2 + 2).map((shopper) => shopper.cookie),
        next: next(i * 2),
        pauseMs: 20,
        timeoutMs: 30_000,
      }),
    );
    const phases = { killed: 0, down: 0, restarted: 0, recovered: 0 };
    try {
      await sleep(1000);
      phases.killed = Date.now();
      const crash = await mariadb.kill("SIGKILL");
      expect(crash.signal).toBe("SIGKILL");

      // Every instance says so: pages 503 with Retry-After, /readyz 503, /healthz 200.
      await waitFor(
        "every instance to answer 503 for a page",
        async () => {
          const statuses = await Promise.all(
            instances.map(async (instance) => (await fetch(`${instance.url}/books`)).status),
          );
          return statuses.every((status) => status === 503) ? true : undefined;
        },
        { timeoutMs: 20_000 },
      ).catch(async (error: Error) => {
        const answers = await Promise.all(
          instances.map(async (i) => (await fetch(`${i.url}/books`)).status),
        );
        throw new Error(`${error.message}: /books answers ${answers.join(", ")}`, {
          cause: error,
        });
      });
      phases.down = Date.now();
      for (const instance of instances) {
        for (const path of ["/", "/books", `/books/${shoppers[0].bookId}`]) {
          const page = await fetch(`${instance.url}${path}`);
          const body = await page.text();
          expect(page.status, `${instance.name} ${path}`).toBe(503);
          expect(page.headers.get("retry-after"), `${instance.name} ${path}`).toMatch(/^\d+$/);
          expect(body).not.toMatch(STACK_TRACE);
          expect(textOf(body).length).toBeGreaterThan(0);
        }
        const readyz = await fetch(`${instance.url}/readyz`);
        expect(readyz.status).toBe(503);
        expect(await readyz.json()).toMatchObject({
          status: "unavailable",
          checks: { database: "failed", uploads: "ok" },
        });
        expect((await fetch(`${instance.url}/healthz`)).status).toBe(200);
      }
      await sleep(1500);

      phases.restarted = Date.now();
      await mariadb.start();
      await waitFor(
        "every instance to answer pages again",
        async () => {
          const statuses = await Promise.all(
            instances.map(async (instance) => (await fetch(`${instance.url}/books`)).status),
          );
          return statuses.every((status) => status === 200) ? true : undefined;
        },
        { timeoutMs: 30_000 },
      );
      phases.recovered = Date.now();
      for (const instance of instances) {
        expect((await fetch(`${instance.url}/readyz`)).status).toBe(200);
      }
      await sleep(1000);
    } finally {
      await Promise.all(loads.map((load) => load.stop()));
    }

    const results = loads.flatMap((load) => load.results);
    const failures = results.filter((result) => !result.ok);
    expect(failures, JSON.stringify(summarize(failures), null, 2)).toEqual([]);
    // The load saw all three phases: served, refused with 503, served again.
    const before = results.filter((r) => r.startedAt + r.durationMs < phases.killed);
    const outage = results.filter(
      (r) => r.startedAt > phases.down && r.startedAt < phases.restarted,
    );
    const after = results.filter((r) => r.startedAt > phases.recovered);
    expect(before.length).toBeGreaterThan(0);
    expect(before.every((r) => r.status !== 503)).toBe(true);
    expect(outage.length).toBeGreaterThan(0);
    expect(
      outage.every((r) => r.status === 503),
      JSON.stringify(summarize(outage)),
    ).toBe(true);
    expect(after.length).toBeGreaterThan(0);
    expect(
      after.every((r) => r.status !== 503),
      JSON.stringify(summarize(after)),
    ).toBe(true);

    // The same processes, never restarted.
    expect(instances.map((instance) => instance.pid)).toEqual(pids);
    for (const instance of instances) expect(instance.running, instance.output()).toBe(true);
    console.info(
      `database outage: ${results.length} requests (${before.length} before, ${outage.length} ` +
        `during, ${after.length} after), 0 failed; 503 on every instance ` +
        `${phases.down - phases.killed} ms after the kill, 200 again ` +
        `${phases.recovered - phases.restarted} ms after the restart`,
    );
  });
});
