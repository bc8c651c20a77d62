/**
 * The production entry as ops run it: `node build/server/index.js` in its own
 * process, configured only through the environment.
 */
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs/promises";
import http from "node:http";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { createTestDatabase, enginesUnderTest, serverKnex } from "../helpers/databases";
import { repoRoot } from "../helpers/server";
import { freePort, silentTcpServer } from "../helpers/net";

const engines = await enginesUnderTest();

const entry = path.join(repoRoot, "build", "server", "index.js");
const running: ChildProcess[] = [];
const tempDirs: string[] = [];

afterEach(async () => {
  for (const child of running.splice(0)) if (child.exitCode === null) child.kill("SIGKILL");
  for (const dir of tempDirs.splice(0)) await fs.rm(dir, { recursive: true, force: true });
});

interface Started {
  child: ChildProcess;
  url: string;
  output: () => string;
  exited: Promise<number | null>;
}

async function startServer(env: Record<string, string>): Promise<Started> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), "bookstore-proc-"));
  tempDirs.push(dir);
  const port = await freePort();
  const child = spawn(process.execPath, [entry], {
    cwd: dir,
    env: {
      PATH: process.env.PATH,
      NODE_ENV: "development",
      HOST: "127.0.0.1",
      PORT: String(port),
      DATABASE_URL: `sqlite:${path.join(dir, "shop.sqlite")}`,
      UPLOADS_DIR: path.join(dir, "uploads"),
      ...env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  running.push(child);
  let output = "";
  child.stdout!.on("data", (chunk) => (output += chunk));
  child.stderr!.on("data", (chunk) => (output += chunk));
  const exited = new Promise<number | null>((resolve) =>
    child.once("exit", (code) => resolve(code)),
  );
  return { child, url: `http://127.0.0.1:${port}`, output: () => output, exited };
}

async function waitUntilReady(started: Started, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (started.child.exitCode !== null)
      throw new Error(`server exited early:\n${started.output()}`);
    try {
      if ((await fetch(`${started.url}/readyz`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`server not ready in ${timeoutMs} ms:\n${started.output()}`);
}

/** /healthz answers: the process is up, whatever its database does. */
async function waitUntilHealthy(started: Started, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (started.child.exitCode !== null)
      throw new Error(`server exited early:\n${started.output()}`);
    if (
      await fetch(`${started.url}/healthz`).then(
        (r) => r.ok,
        () => false,
      )
    )
      return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`server not healthy in ${timeoutMs} ms:\n${started.output()}`);
}

function logLines(output: string): Array<Record<string, unknown>> {
  return output
    .split("\n")
    .filter((line) => line.startsWith("{"))
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

type Attempt =
  | { status: number; connection: string | undefined; at: number }
  | { error: NodeJS.ErrnoException; reusedSocket: boolean; at: number };

/**
 * `count` browsers, each on one keep-alive connection, asking for search pages
 * one after the other. Like browsers and the ALB, a client retries a request
 * once on a new connection when the server had closed its idle keep-alive
 * connection under it (the request was never started: Node reports ECONNRESET
 * or EPIPE on a reused socket); a refused connection means the instance is
 * gone (the load balancer would send the request elsewhere): the client stops.
 * Anything else is a failure: another error, or an answer other than 200.
 */
function keepAliveClients(baseUrl: string, count: number) {
  const words = ["austen", "dickens", "sea", "war", "love", "night", "river"];
  let stopping = false;
  let warmed = 0;
  const attempts: Attempt[] = [];
  let retries = 0;
  let refused = 0;
  const failures: string[] = [];

  const get = (agent: http.Agent, path: string) =>
    new Promise<Attempt>((resolve) => {
      const request = http.get(`${baseUrl}${path}`, { agent, headers: { accept: "text/html" } });
      const failed = (error: NodeJS.ErrnoException) =>
        resolve({ error, reusedSocket: request.reusedSocket, at: Date.now() });
      request.on("error", failed);
      request.on("response", (response) => {
        response.on("error", failed);
        response.resume();
        response.on("end", () =>
          resolve({
            status: response.statusCode ?? 0,
            connection: response.headers.connection,
            at: Date.now(),
          }),
        );
      });
    });

  const client = async (index: number) => {
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    try {
      for (let n = 0; !stopping; n++) {
        const path = `/books?q=${words[(index + n) % words.length]}`;
        let attempt = await get(agent, path);
        if (
          "error" in attempt &&
          attempt.reusedSocket &&
          ["ECONNRESET", "EPIPE"].includes(attempt.error.code ?? "")
        ) {
          retries++;
          attempt = await get(agent, path);
        }
        attempts.push(attempt);
        if ("error" in attempt) {
          if (attempt.error.code === "ECONNREFUSED") {
            refused++;
            return;
          }
          failures.push(`${path}: ${attempt.error.code ?? attempt.error.message}`);
          return;
        }
        if (attempt.status !== 200) failures.push(`${path}: ${attempt.status}`);
        if (n === 0) warmed++;
      }
    } finally {
      agent.destroy();
    }
  };
  const running = Promise.all(Array.from({ length: count }, (_, index) => client(index)));

  return {
    /** Resolves once every client has its connection and a first page, plus a moment. */
    async warm() {
      const deadline = Date.now() + 30_000;
      while (warmed < count && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      await new Promise((resolve) => setTimeout(resolve, 500));
    },
    async stop(signalledAt: number) {
      stopping = true;
      await running;
      const after = attempts.filter(
        (a): a is Extract<Attempt, { status: number }> => "status" in a && a.at > signalledAt,
      );
      return {
        failures,
        retries,
        refused,
        afterSignal: {
          answered: after.length,
          closing: after.filter((a) => a.connection === "close").length,
        },
      };
    },
  };
}

describe("the production server process", () => {
  it("sets up an empty embedded database by itself and serves the demo shop", async () => {
    const server = await startServer({});
    await waitUntilReady(server);
    const html = await (await fetch(`${server.url}/books`)).text();
    expect(html).toMatch(/\d{3} books/);
    expect(server.output()).toContain("seeded the demo catalog");
    server.child.kill("SIGTERM");
    expect(await server.exited).toBe(0);
  });

  it.runIf(engines.includes("mysql"))(
    "never seeds demo data into a MySQL database by itself",
    async () => {
      const t = await createTestDatabase("mysql");
      try {
        const server = await startServer({ DATABASE_URL: t.url });
        await waitUntilReady(server);
        expect(await (await fetch(`${server.url}/books`)).text()).toContain("No books match.");
        expect(server.output()).not.toContain("seeded");
        server.child.kill("SIGTERM");
        expect(await server.exited).toBe(0);
        expect(await t.db("books").count({ n: "*" })).toEqual([{ n: 0 }]);
      } finally {
        await t.destroy();
      }
    },
  );

  it("logs one JSON line per request with a request id and no cookies", async () => {
    const server = await startServer({});
    await waitUntilReady(server);
    await fetch(`${server.url}/books?q=austen`, {
      headers: { "x-request-id": "trace-42", cookie: "session=top-secret" },
    });
    server.child.kill("SIGTERM");
    await server.exited;
    const lines = server
      .output()
      .split("\n")
      .filter((line) => line.startsWith("{"))
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    const request = lines.find((line) => line.requestId === "trace-42");
    expect(request).toMatchObject({
      level: "info",
      method: "GET",
      path: "/books",
      status: 200,
      msg: "request",
    });
    expect(typeof request?.durationMs).toBe("number");
    expect(server.output()).not.toContain("top-secret");
  });

  it("finishes a request in flight on SIGTERM, then exits 0", async () => {
    const server = await startServer({ SHUTDOWN_TIMEOUT_MS: "5000" });
    await waitUntilReady(server);
    // Hold a request open: it has begun, but its headers are not finished yet.
    const socket = net.connect(Number(new URL(server.url).port), "127.0.0.1");
    await new Promise((resolve) => socket.once("connect", resolve));
    let response = "";
    socket.on("data", (chunk) => (response += chunk));
    socket.write("GET /books?q=austen HTTP/1.1\r\nHost: localhost\r\n");
    await new Promise((resolve) => setTimeout(resolve, 200));
    server.child.kill("SIGTERM");
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(server.child.exitCode).toBeNull(); // still waiting for the open request
    socket.write("Connection: close\r\n\r\n");
    expect(await server.exited).toBe(0);
    expect(response).toMatch(/^HTTP\/1.1 200/);
    expect(response).toContain("</html>");
  });

  it("drains 50 keep-alive clients on SIGTERM: none fails, and it exits long before the deadline", async () => {
    const server = await startServer({
      SHUTDOWN_TIMEOUT_MS: "10000",
      // All 50 in flight at once: this test is about shutdown, not admission control.
      ADMISSION_MAX_IN_FLIGHT: "64",
    });
    await waitUntilReady(server);
    const load = keepAliveClients(server.url, 50);
    await load.warm();
    const signalledAt = Date.now();
    server.child.kill("SIGTERM");
    expect(await server.exited).toBe(0);
    const exitMs = Date.now() - signalledAt;
    const { failures, retries, afterSignal, refused } = await load.stop(signalledAt);

    expect(failures).toEqual([]);
    // Idle connections are closed at once and the rest after their answer: well before 10 s.
    expect(exitMs).toBeLessThan(3000);
    expect(server.output()).not.toContain("shutdown deadline reached");
    // What the server itself saw: every request it had started, it answered.
    const stopped = logLines(server.output()).find((line) => line.msg === "stopped");
    expect(stopped).toMatchObject({ cut: 0 });
    // Requests in flight at the signal were answered, and told the connection closes
    // (those that left before the signal reached the server could not be).
    expect(afterSignal.answered).toBeGreaterThan(0);
    expect(afterSignal.closing).toBeGreaterThan(0);
    // At most one retry per client (its idle connection closed under it), then
    // the port is closed: the load balancer sends the rest to other instances.
    expect(retries).toBeLessThanOrEqual(50);
    expect(refused).toBe(50);
  });

  it("answers pages with a 503 page within the bounds when the database accepts TCP and never answers", async () => {
    const silent = await silentTcpServer();
    try {
      const server = await startServer({
        NODE_ENV: "production",
        SESSION_SECRET: "x".repeat(40),
        DATABASE_URL: `mysql://shop@127.0.0.1:${silent.port}/shop`,
      });
      await waitUntilHealthy(server);
      for (const path of ["/books", "/books?q=austen", "/"]) {
        const started = Date.now();
        const page = await fetch(`${server.url}${path}`, { headers: { accept: "text/html" } });
        const elapsed = Date.now() - started;
        const html = await page.text();
        expect(page.status, path).toBe(503);
        // DB_CONNECT_TIMEOUT_MS and DB_ACQUIRE_TIMEOUT_MS default to 2 s (it was 10 s).
        expect(elapsed, path).toBeLessThan(3500);
        expect(page.headers.get("retry-after")).toBe("5");
        expect(page.headers.get("cache-control")).toBe("no-store");
        expect(page.headers.get("content-type")).toMatch(/^text\/html/);
        expect(html).toContain("<title>Temporarily unavailable — Bookstore</title>");
        expect(html).toContain("We could not reach our shelves just now.");
        expect(html).not.toMatch(/<script/);
      }
      // Client-side navigation asks for data (single fetch): the same 503, which the
      // error boundary shows with its own message.
      const data = await fetch(`${server.url}/books.data`);
      expect(data.status).toBe(503);
      expect(data.headers.get("retry-after")).toBe("5");
      expect(await data.text()).toContain("We could not reach our shelves just now.");
      expect((await fetch(`${server.url}/readyz`)).status).toBe(503);
      expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
      expect(silent.connections()).toBeGreaterThan(0);
      server.child.kill("SIGTERM");
      expect(await server.exited).toBe(0);
    } finally {
      await silent.close();
    }
  });

  it.runIf(engines.includes("mysql"))(
    "answers 503 after the bounded wait when every pooled connection is stuck, then recovers",
    async () => {
      const t = await createTestDatabase("mysql");
      const locker = serverKnex();
      try {
        const server = await startServer({
          DATABASE_URL: t.url,
          DB_POOL_MAX: "1",
          DB_ACQUIRE_TIMEOUT_MS: "1000",
          DB_QUERY_TIMEOUT_MS: "4000",
        });
        await waitUntilReady(server);
        expect((await fetch(`${server.url}/books`)).status).toBe(200);
        // Another session write-locks the books table: the app's one connection
        // sits in a statement that waits for the lock.
        const name = new URL(t.url).pathname.slice(1);
        const lock = await locker.client.acquireConnection();
        await locker.raw(`LOCK TABLES \`${name}\`.books WRITE`).connection(lock);
        try {
          const timed = async (path: string) => {
            const started = Date.now();
            const answer = await fetch(`${server.url}${path}`, {
              headers: { accept: "text/html" },
            });
            await answer.text();
            return { status: answer.status, ms: Date.now() - started };
          };
          const stuck = timed("/books?q=stuck");
          await new Promise((resolve) => setTimeout(resolve, 200));
          // No connection to be had: answered after DB_ACQUIRE_TIMEOUT_MS, not when the lock goes.
          const waiting = await timed("/books?q=waiting");
          expect(waiting.status).toBe(503);
          expect(waiting.ms).toBeLessThan(2500);
          // The statement itself ends at DB_QUERY_TIMEOUT_MS.
          const first = await stuck;
          expect(first.status).toBe(503);
          expect(first.ms).toBeLessThan(5500);
        } finally {
          await locker.raw("UNLOCK TABLES").connection(lock);
          await locker.client.releaseConnection(lock);
        }
        // The stuck connection was thrown away; a new one serves the next page.
        expect((await fetch(`${server.url}/books`)).status).toBe(200);
        server.child.kill("SIGTERM");
        expect(await server.exited).toBe(0);
      } finally {
        await locker.destroy();
        await t.destroy();
      }
    },
  );

  it("runs several workers with WEB_CONCURRENCY and stops them all on SIGTERM", async () => {
    const server = await startServer({
      WEB_CONCURRENCY: "2",
      NODE_ENV: "production",
      SESSION_SECRET: "x".repeat(40),
    });
    await waitUntilReady(server);
    const listeningPids = () =>
      new Set(
        server
          .output()
          .split("\n")
          .filter((line) => line.includes('"msg":"listening"'))
          .map((line) => (JSON.parse(line) as { pid: number }).pid),
      );
    // Ready means one worker listens; the other may still be starting.
    await expect.poll(() => listeningPids().size, { timeout: 20_000 }).toBe(2);
    const pids = listeningPids();
    expect(pids.has(server.child.pid!)).toBe(false); // the primary only supervises
    expect(pids.size).toBe(2);
    server.child.kill("SIGTERM");
    expect(await server.exited).toBe(0);
  });

  it("refuses to start with a bad setting, naming it in one line", async () => {
    const server = await startServer({ PORT: "not-a-port" });
    expect(await server.exited).toBe(1);
    expect(server.output().trim()).toBe(
      'Invalid configuration: PORT must be a whole number between 0 and 65535 (got "not-a-port")',
    );
    const production = await startServer({ NODE_ENV: "production" });
    expect(await production.exited).toBe(1);
    expect(production.output()).toContain("SESSION_SECRET is required");
  });
});
