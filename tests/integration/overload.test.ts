/**
 * Admission control (server/admission.ts): a bounded number of requests in
 * flight per worker, a bounded queue, and beyond that an immediate 503 with
 * Retry-After and a short page; health checks and static files pass. First the
 * module on its own, with requests the test holds open, then the production
 * entry under a flood.
 */
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs/promises";
import http from "node:http";
import type net from "node:net";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { createLogger } from "../../app/lib/logger.server";
import { admissionControl, type AdmissionLimits } from "../../server/admission";
import { repoRoot } from "../helpers/server";
import { freePort } from "../helpers/net";

const cleanups: Array<() => Promise<unknown> | unknown> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
  ms: number;
}

/** One GET on a connection of its own; `abort()` gives up on it (a client that leaves). */
function get(url: string) {
  const started = performance.now();
  let request: http.ClientRequest | undefined;
  const answer = new Promise<Answer>((resolve, reject) => {
    request = http.get(url, { agent: false, headers: { accept: "text/html" } }, (response) => {
      let body = "";
      response.setEncoding("utf8");
      response.on("data", (chunk: string) => (body += chunk));
      response.on("end", () =>
        resolve({
          status: response.statusCode ?? 0,
          headers: response.headers,
          body,
          ms: performance.now() - started,
        }),
      );
    });
    request.on("error", reject);
  });
  return { answer, abort: () => request?.destroy() };
}

/**
 * A server behind admission control whose requests to /hold stay open until
 * the test releases them; every other path is answered at once.
 */
async function heldServer(limits: AdmissionLimits) {
  const held: Array<() => void> = [];
  const admit = admissionControl(limits, createLogger("silent"));
  const server = http.createServer((req, res) =>
    admit(req, res, () => {
      if (req.url?.startsWith("/hold")) held.push(() => res.end("done"));
      else res.end("at once");
    }),
  );
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  cleanups.push(() => {
    server.closeAllConnections();
    return new Promise((resolve) => server.close(resolve));
  });
  const url = `http://127.0.0.1:${(server.address() as net.AddressInfo).port}`;
  return {
    url,
    held,
    stats: admit.stats,
    /** Resolves once `n` requests have reached the handler. */
    async admitted(n: number) {
      await expect.poll(() => held.length, { timeout: 5000, interval: 5 }).toBe(n);
    },
    release(n = held.length) {
      for (const end of held.splice(0, n)) end();
    },
  };
}

function expectBusyPage(answer: Answer) {
  expect(answer.status).toBe(503);
  expect(answer.headers["retry-after"]).toBe("1");
  expect(answer.headers["cache-control"]).toBe("no-store");
  expect(answer.headers["content-type"]).toBe("text/html; charset=utf-8");
  expect(answer.body).toContain("<title>Temporarily unavailable — Bookstore</title>");
  expect(answer.body).toContain("Too many people are shopping");
  expect(Buffer.byteLength(answer.body)).toBeLessThan(1000);
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 50));

describe("admission control", () => {
  it("serves at most maxInFlight at once, queues maxQueue more and refuses the rest at once", async () => {
    const s = await heldServer({ maxInFlight: 2, maxQueue: 2, queueTimeoutMs: 10_000 });
    const first = [get(`${s.url}/hold`), get(`${s.url}/hold`)];
    await s.admitted(2);
    const queued = [get(`${s.url}/hold`), get(`${s.url}/hold`)];
    await settle();
    expect(s.stats()).toMatchObject({ inFlight: 2, queued: 2 });
    const refused = await Promise.all([get(`${s.url}/hold`).answer, get(`${s.url}/hold`).answer]);
    for (const answer of refused) expectBusyPage(answer);
    expect(s.held).toHaveLength(2);

    // A slot frees: the first in the queue takes it.
    s.release(1);
    expect((await first[0].answer).status).toBe(200);
    await s.admitted(2);
    expect(s.stats()).toMatchObject({ inFlight: 2, queued: 1, refused: 2 });
    s.release();
    await s.admitted(1);
    s.release();
    const rest = await Promise.all([first[1], ...queued].map((r) => r.answer));
    expect(rest.map((a) => a.status)).toEqual([200, 200, 200]);
    expect(s.stats()).toMatchObject({ inFlight: 0, queued: 0 });
  });

  it("refuses a queued request that waited queueTimeoutMs", async () => {
    const s = await heldServer({ maxInFlight: 1, maxQueue: 5, queueTimeoutMs: 200 });
    const holder = get(`${s.url}/hold`);
    await s.admitted(1);
    const waited = await get(`${s.url}/hold`).answer;
    expectBusyPage(waited);
    expect(waited.ms).toBeGreaterThanOrEqual(190);
    expect(waited.ms).toBeLessThan(1000);
    s.release();
    expect((await holder.answer).status).toBe(200);
  });

  it("once it has had to refuse, lets newcomers wait only briefly: a standing queue only adds delay", async () => {
    const s = await heldServer({ maxInFlight: 1, maxQueue: 1, queueTimeoutMs: 10_000 });
    const holder = get(`${s.url}/hold`);
    await s.admitted(1);
    const patient = get(`${s.url}/hold`); // queued before any refusal: may wait 10 s
    await settle();
    expectBusyPage(await get(`${s.url}/hold`).answer); // queue full: overload from here on
    s.release(); // the holder is answered, the patient one gets its turn
    await s.admitted(1);
    const newcomer = await get(`${s.url}/hold`).answer;
    expectBusyPage(newcomer);
    expect(newcomer.ms).toBeLessThan(500);
    s.release();
    expect((await holder.answer).status).toBe(200);
    expect((await patient.answer).status).toBe(200);
  });

  it("gives the place of a client that left the queue to the next one", async () => {
    const s = await heldServer({ maxInFlight: 1, maxQueue: 1, queueTimeoutMs: 10_000 });
    const holder = get(`${s.url}/hold`);
    await s.admitted(1);
    const leaving = get(`${s.url}/hold`);
    leaving.answer.catch(() => undefined);
    await settle();
    leaving.abort();
    await expect.poll(() => s.stats().queued).toBe(0);
    const next = get(`${s.url}/hold`);
    await settle();
    expect(s.stats()).toMatchObject({ queued: 1, refused: 0 });
    s.release();
    await s.admitted(1);
    s.release();
    expect((await holder.answer).status).toBe(200);
    expect((await next.answer).status).toBe(200);
  });

  it("lets health checks and static files through, however busy", async () => {
    const s = await heldServer({ maxInFlight: 1, maxQueue: 0, queueTimeoutMs: 1000 });
    const holder = get(`${s.url}/hold`);
    await s.admitted(1);
    for (const pass of [
      "/healthz",
      "/readyz",
      "/build/entry.client-ABC.js",
      "/uploads/covers/x.webp",
    ])
      expect((await get(`${s.url}${pass}`).answer).status, pass).toBe(200);
    expectBusyPage(await get(`${s.url}/books?q=busy`).answer);
    expectBusyPage(await get(`${s.url}/healthz.evil`).answer);
    s.release();
    expect((await holder.answer).status).toBe(200);
  });

  it("is off with maxInFlight 0", async () => {
    const s = await heldServer({ maxInFlight: 0, maxQueue: 0, queueTimeoutMs: 1 });
    const all = Array.from({ length: 20 }, () => get(`${s.url}/hold`));
    await s.admitted(20);
    s.release();
    expect((await Promise.all(all.map((r) => r.answer))).every((a) => a.status === 200)).toBe(true);
  });
});

// ───────────────────── the production entry ─────────────────────

async function startServer(env: Record<string, string>) {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), "bookstore-overload-"));
  const port = await freePort();
  const child: ChildProcess = spawn(
    process.execPath,
    [path.join(repoRoot, "build", "server", "index.js")],
    {
      cwd: dir,
      env: {
        PATH: process.env.PATH,
        NODE_ENV: "production",
        SESSION_SECRET: "x".repeat(40),
        HOST: "127.0.0.1",
        PORT: String(port),
        DATABASE_URL: `sqlite:${path.join(dir, "shop.sqlite")}`,
        UPLOADS_DIR: path.join(dir, "uploads"),
        WEB_CONCURRENCY: "1",
        LOG_LEVEL: "warn",
        ...env,
      },
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  let output = "";
  child.stdout!.on("data", (chunk) => (output += chunk));
  child.stderr!.on("data", (chunk) => (output += chunk));
  const exited = new Promise<number | null>((resolve) => child.once("exit", resolve));
  cleanups.push(async () => {
    if (child.exitCode === null) child.kill("SIGKILL");
    await exited;
    await fs.rm(dir, { recursive: true, force: true });
  });
  const url = `http://127.0.0.1:${port}`;
  return { child, url, exited, output: () => output };
}

async function waitUntilReady(server: Awaited<ReturnType<typeof startServer>>) {
  await expect
    .poll(
      async () => {
        if (server.child.exitCode !== null) throw new Error(`exited:\n${server.output()}`);
        return fetch(`${server.url}/readyz`).then(
          (r) => r.status,
          () => 0,
        );
      },
      { timeout: 30_000, interval: 100 },
    )
    .toBe(200);
}

describe("the production server under a flood", () => {
  it("answers what it can and refuses the rest at once with the short 503 page", async () => {
    const server = await startServer({ ADMISSION_MAX_IN_FLIGHT: "2", ADMISSION_MAX_QUEUE: "2" });
    await waitUntilReady(server);
    const words = ["austen", "dickens", "sea", "war", "love"];
    const flood = Array.from(
      { length: 40 },
      (_, i) => get(`${server.url}/books?q=${words[i % words.length]}`).answer,
    );
    // The load balancer's health check passes while the flood is on.
    const health = await get(`${server.url}/healthz`).answer;
    const answers = await Promise.all(flood);
    expect(health.status).toBe(200);

    const served = answers.filter((a) => a.status === 200);
    const refused = answers.filter((a) => a.status === 503);
    expect(served.length + refused.length).toBe(answers.length);
    expect(served.length).toBeGreaterThanOrEqual(2);
    expect(refused.length).toBeGreaterThan(0);
    for (const answer of refused) expectBusyPage(answer);
    for (const answer of served) expect(answer.body).toContain("</html>");
    // Refusals do not wait for the pages being rendered.
    const slowestRefusal = Math.max(...refused.map((a) => a.ms));
    const slowestPage = Math.max(...served.map((a) => a.ms));
    expect(slowestRefusal).toBeLessThanOrEqual(slowestPage);
    // One log line says what happened, not one per refusal.
    await expect.poll(() => server.output()).toMatch(/"msg":"overloaded: answering 503"/);
    server.child.kill("SIGTERM");
    expect(await server.exited).toBe(0);
  });

  it("serves every request, however many, with ADMISSION_MAX_IN_FLIGHT=0", async () => {
    const server = await startServer({ ADMISSION_MAX_IN_FLIGHT: "0" });
    await waitUntilReady(server);
    const answers = await Promise.all(
      Array.from({ length: 40 }, () => get(`${server.url}/books?q=austen`).answer),
    );
    expect(answers.map((a) => a.status)).toEqual(answers.map(() => 200));
  });

  it("refuses to start with a bad limit, naming it", async () => {
    const server = await startServer({ ADMISSION_MAX_QUEUE: "lots" });
    expect(await server.exited).toBe(1);
    expect(server.output()).toContain("ADMISSION_MAX_QUEUE must be a whole number");
  });
});
