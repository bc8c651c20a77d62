/**
 * Three production instances behind a load balancer, as on AWS: each is
 * `node build/server/index.js` in its own process (NODE_ENV=production, the
 * same SESSION_SECRET, DATABASE_URL, UPLOADS_DIR and SHARED_ASSETS_DIR), on
 * one fresh MySQL database that `cli.js migrate` set up (three at once, as
 * three instances booting together do), with nginx round-robin in front
 * standing in for the ALB (tests/helpers/cluster.ts says how it is set up).
 *
 * Every answer is traced to the instance that gave it, by its X-Request-Id in
 * that instance's own JSON log, so "landed on different instances" is proved,
 * not assumed. Through nginx: the shopper's whole journey, an admin's cover
 * upload served by every instance, one session valid on all of them and
 * "sign out everywhere" effective on all of them, and a rolling replacement
 * of one instance under steady load without a single failed request.
 */
import crypto from "node:crypto";
import fs from "node:fs/promises";
import path from "node:path";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedDemoData } from "../../db/seeds/demo";
import {
  CLUSTER_SESSION_SECRET,
  prerequisitesMet,
  randomTag,
  runCli,
  sleep,
  startCluster,
  startLoad,
  summarize,
  waitFor,
  whoAnswered,
  type Cluster,
  type LoadRequest,
  type ServerProcess,
} from "../helpers/cluster";
import { createTestDatabase, type TestDatabase } from "../helpers/databases";
import { checkoutFields, createUser, insertBook } from "../helpers/fixtures";
import { inputValue, locationOf, TestClient, textOf } from "../helpers/http-client";

const ready = await prerequisitesMet("the nginx cluster tests", { nginx: true, mysql: true });

const sha256 = (bytes: Uint8Array) => crypto.createHash("sha256").update(bytes).digest("hex");

describe.runIf(ready)("three production instances behind nginx", () => {
  let t: TestDatabase;
  let cluster: Cluster;
  let dhl: number;

  beforeAll(async () => {
    t = await createTestDatabase("mysql", { migrate: false });
    // What each instance's unit runs before the server, all three at once:
    // the advisory lock lets one migrate while the others wait, then find nothing to do.
    const env = { DATABASE_URL: t.url, SESSION_SECRET: CLUSTER_SESSION_SECRET };
    await Promise.all([1, 2, 3].map(() => runCli(["migrate"], env)));
    await seedDemoData(t.db);
    dhl = (await t.db("deliveryProviders").where({ name: "DHL" }).first()).id;
    cluster = await startCluster({ size: 3, databaseUrl: t.url });
  });

  afterAll(async () => {
    await cluster?.stop();
    await t?.destroy();
  });

  /** A browser without JavaScript talking to the load balancer; its forms carry our Origin. */
  const browser = () => new TestClient(cluster.nginx.url, { Origin: cluster.nginx.url });
  const answeredBy = async (res: Response) => (await whoAnswered(cluster.instances, res)).name;

  /** Each instance answered, and never the same one twice in a row. */
  function expectRoundRobin(trail: string[]) {
    expect(new Set(trail), trail.join(" → ")).toEqual(
      new Set(cluster.instances.map((instance) => instance.name)),
    );
    for (let i = 1; i < trail.length; i++) {
      expect(trail[i], `request ${i + 1} of ${trail.join(" → ")}`).not.toBe(trail[i - 1]);
    }
  }

  async function signedIn(user: { email: string; password: string }) {
    const client = browser();
    const res = await client.post("/login", { email: user.email, password: user.password });
    expect(res.status).toBe(302);
    return client;
  }

  it("sends consecutive requests to the instances in turn, each traced by its request id", async () => {
    const trail: string[] = [];
    for (let i = 0; i < 9; i++) {
      const res = await fetch(`${cluster.nginx.url}/books?page=${(i % 3) + 1}`);
      expect(res.status).toBe(200);
      trail.push(await answeredBy(res));
    }
    expectRoundRobin(trail);
    // nginx's own log names the same instances, by address, in the same order.
    const byPort = new Map(cluster.instances.map((i) => [`127.0.0.1:${i.port}`, i.name]));
    const logged = (await cluster.nginx.accessLog()).slice(-9);
    expect(logged.map((line) => line.upstreams.map((u) => byPort.get(u)).join())).toEqual(trail);
  });

  it("carries a shopper from joining to the order page, each step on another instance", async () => {
    const bookId = await insertBook(t.db, {
      title: `Clustered Copy ${randomTag()}`,
      stock: 5,
      priceCents: 1500,
    });
    const shopper = browser();
    const trail: string[] = [];
    const step = async (res: Promise<Response>) => {
      const answer = await res;
      trail.push(await answeredBy(answer));
      return answer;
    };
    const email = `cluster-${randomTag()}@example.com`;

    const joined = await step(
      shopper.post("/join", { name: "Ada Cluster", email, password: "a-long-cluster-phrase" }),
    );
    expect(joined.status).toBe(302);
    expect(locationOf(joined)).toBe("/");

    const book = await step(shopper.get(`/books/${bookId}`));
    expect(book.status).toBe(200);
    expect(textOf(await book.text())).toContain("Clustered Copy");

    const added = await step(shopper.post("/cart", { intent: "add", bookId, quantity: 2 }));
    expect(added.status).toBe(302);
    expect(locationOf(added)).toBe("/cart");
    const cart = await step(shopper.get("/cart"));
    expect(textOf(await cart.text())).toContain("Subtotal (2 books): $30.00");

    const form = await step(shopper.get("/checkout"));
    expect(form.status).toBe(200);
    const idempotencyKey = inputValue(await form.text(), "idempotencyKey")!;
    const placed = await step(
      shopper.post("/checkout", { ...checkoutFields(), deliveryProviderId: dhl, idempotencyKey }),
    );
    expect(placed.status).toBe(302);
    const confirmation = locationOf(placed);
    expect(confirmation).toMatch(/^\/orders\/\d+\?placed=1$/);
    const orderId = Number(/\/orders\/(\d+)/.exec(confirmation)![1]);

    const order = await step(shopper.get(confirmation));
    expect(order.status).toBe(200);
    const orderText = textOf(await order.text());
    expect(orderText).toContain("Thank you! Your order is placed and paid.");
    expect(orderText).toContain("Status: Paid");
    const orders = await step(shopper.get("/orders"));
    expect(textOf(await orders.text())).toContain(`#${orderId}`);

    expectRoundRobin(trail);
    const user = await t.db("users").where({ email }).first();
    expect(await t.db("orders").where({ id: orderId }).first()).toMatchObject({
      userId: user.id,
      status: "paid",
      totalCents: 3000 + 2490,
    });
    expect((await t.db("books").where({ id: bookId }).first()).stock).toBe(3);
  });

  it("serves a cover uploaded through one instance from every instance", async () => {
    const admin = await signedIn(await createUser(t.db, { role: "admin" }));
    const bookId = await insertBook(t.db, { title: `Covered ${randomTag()}` });
    const image = await sharp({
      create: { width: 300, height: 450, channels: 3, background: "#2a6" },
    })
      .jpeg()
      .toBuffer();
    const res = await admin.postMultipart(`/admin/books/${bookId}/cover`, [
      { name: "cover", filename: "cover.jpg", type: "image/jpeg", bytes: image },
      { name: "intent", value: "upload" },
    ]);
    expect(res.status, await res.clone().text()).toBe(302);
    expect(locationOf(res)).toBe(`/admin/books/${bookId}?notice=cover`);
    const uploadedBy = await answeredBy(res);
    const { coverPath } = await t.db("books").where({ id: bookId }).first("coverPath");
    expect(coverPath).toMatch(/^covers\/[0-9a-f]{64}\.webp$/);
    const stored = await fs.readFile(path.join(cluster.uploadsDir, coverPath));
    expect(coverPath).toBe(`covers/${sha256(stored)}.webp`);

    // Every instance, asked directly: the file and the book's page showing it.
    for (const instance of cluster.instances) {
      const served = await fetch(`${instance.url}/uploads/${coverPath}`);
      expect(served.status, instance.name).toBe(200);
      expect(served.headers.get("content-type")).toBe("image/webp");
      expect(sha256(Buffer.from(await served.arrayBuffer()))).toBe(sha256(stored));
      const page = await fetch(`${instance.url}/books/${bookId}`);
      expect(await page.text()).toContain(`src="/uploads/${coverPath}"`);
    }
    // And through nginx, from each instance in turn, the one that stored it among them.
    const trail: string[] = [];
    for (let i = 0; i < 3; i++) {
      const served = await fetch(`${cluster.nginx.url}/uploads/${coverPath}`);
      expect(served.status).toBe(200);
      expect(sha256(Buffer.from(await served.arrayBuffer()))).toBe(sha256(stored));
      trail.push(await answeredBy(served));
    }
    expectRoundRobin(trail);
    expect(trail).toContain(uploadedBy);
  });

  it("keeps a session valid on every instance, and 'sign out everywhere' ends it on all", async () => {
    const user = await createUser(t.db);
    const devices = [await signedIn(user), await signedIn(user), await signedIn(user)];
    const cookies = devices.map((device) => device.cookies.get("__session")!);
    expect(new Set(cookies).size).toBe(3);
    const asking = (url: string, cookie: string) => {
      const client = new TestClient(url);
      client.cookies.set("__session", cookie);
      return client.get("/account");
    };

    // Each device's session works on each instance, asked directly…
    for (const cookie of cookies) {
      for (const instance of cluster.instances) {
        const res = await asking(instance.url, cookie);
        expect(res.status, instance.name).toBe(200);
        expect(textOf(await res.text())).toContain(`Signed in as ${user.email}`);
      }
    }
    // …and through nginx, on every instance in turn.
    const trail: string[] = [];
    for (let i = 0; i < 3; i++) {
      const res = await devices[1].get("/account");
      expect(res.status).toBe(200);
      trail.push(await answeredBy(res));
    }
    expectRoundRobin(trail);

    const everywhere = await devices[0].post("/account", { intent: "sign-out-everywhere" });
    expect(everywhere.status).toBe(302);
    expect(locationOf(everywhere)).toBe("/login?notice=signed-out");

    // No device is signed in any more, on any instance.
    for (const cookie of cookies) {
      for (const instance of cluster.instances) {
        const res = await asking(instance.url, cookie);
        expect(res.status, instance.name).toBe(302);
        expect(locationOf(res)).toBe("/login?redirectTo=%2Faccount");
      }
    }
    const after: string[] = [];
    for (let i = 0; i < 3; i++) {
      const res = await asking(cluster.nginx.url, cookies[2]);
      expect(res.status).toBe(302);
      after.push(await answeredBy(res));
    }
    expectRoundRobin(after);
    expect(await t.db("sessions").where({ userId: user.id }).count({ n: "*" })).toEqual([{ n: 0 }]);
  });

  it("replaces one instance under steady load (SIGTERM, then a new one) without one failed request", async () => {
    // Four signed-in shoppers, each with a book in the cart, browsing and changing quantities.
    const shoppers = await Promise.all(
      [0, 1, 2, 3].map(async () => {
        const client = await signedIn(await createUser(t.db));
        const bookId = await insertBook(t.db, { stock: 1000 });
        expect((await client.post("/cart", { intent: "add", bookId, quantity: 1 })).status).toBe(
          302,
        );
        return { cookie: `__session=${client.cookies.get("__session")}`, bookId };
      }),
    );
    const next = (client: number, n: number): LoadRequest => {
      const { bookId } = shoppers[client];
      switch (n % 4) {
        case 0:
          return { method: "GET", path: `/books?page=${(n % 7) + 1}`, expect: [200] };
        case 1:
          return { method: "GET", path: `/books/${bookId}`, expect: [200] };
        case 2:
          return { method: "GET", path: "/account", expect: [200] };
        default:
          return {
            method: "POST",
            path: "/cart",
            form: { intent: "update", bookId, quantity: (n % 5) + 1 },
            expect: [302],
          };
      }
    };
    const load = startLoad({
      baseUrl: cluster.nginx.url,
      clients: shoppers.length,
      cookies: shoppers.map((shopper) => shopper.cookie),
      next,
    });

    let replaced!: Awaited<ReturnType<Cluster["replace"]>>;
    let window!: { from: number; to: number };
    try {
      await sleep(1500);
      const from = Date.now();
      replaced = await cluster.replace(0);
      window = { from, to: Date.now() };
      // The new instance takes its share of the load.
      await waitFor("the new instance to answer the load", () =>
        replaced.fresh.requests().length >= 20 ? true : undefined,
      );
      await sleep(1000);
    } finally {
      await load.stop();
    }
    const results = load.results;
    const failures = results.filter((result) => !result.ok);
    expect(failures, JSON.stringify(summarize(failures), null, 2)).toEqual([]);
    expect(replaced.exit).toEqual({ code: 0, signal: null });
    expect(replaced.old.output()).toContain('"msg":"stopped"');

    // It was a real load, and every kind of request went on while one instance was away.
    expect(results.length).toBeGreaterThan(200);
    const during = results.filter((r) => r.startedAt >= window.from && r.startedAt <= window.to);
    expect(new Set(during.map((r) => `${r.method} ${r.path.split("?")[0]}`)).size).toBeGreaterThan(
      3,
    );
    // Who answered: the old instance until it stopped, the new one after, and each of the others.
    const answered = (instance: ServerProcess) =>
      results.filter((r) => r.requestId && instance.answered(r.requestId)).length;
    expect(answered(replaced.old)).toBeGreaterThan(0);
    expect(answered(replaced.fresh)).toBeGreaterThan(0);
    for (const instance of cluster.instances.slice(1))
      expect(answered(instance)).toBeGreaterThan(0);
    // Every answer is in exactly one instance's log (the last lines may take a moment).
    const everyone = [replaced.old, ...cluster.instances];
    await waitFor("every answer in an instance's log", () =>
      results.every((r) => everyone.some((i) => i.answered(r.requestId!))) ? true : undefined,
    );
    console.info(
      `rolling replacement: ${results.length} requests, ${during.length} while instance 1 was ` +
        `being replaced (${window.to - window.from} ms), 0 failed; ` +
        `nginx passed ${(await cluster.nginx.accessLog()).filter((l) => l.upstreams.length > 1).length} ` +
        `to another instance after a refused connection`,
    );
  });
});
