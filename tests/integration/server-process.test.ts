/**
 * The production entry as ops run it: `node build/server/index.js` in its own
 * process, configured only through the environment.
 */
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs/promises";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { createTestDatabase, enginesUnderTest } from "../helpers/databases";
import { repoRoot } from "../helpers/server";

const engines = await enginesUnderTest();

const entry = path.join(repoRoot, "build", "server", "index.js");
const running: ChildProcess[] = [];
const tempDirs: string[] = [];

afterEach(async () => {
  for (const child of running.splice(0)) if (child.exitCode === null) child.kill("SIGKILL");
  for (const dir of tempDirs.splice(0)) await fs.rm(dir, { recursive: true, force: true });
});

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

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
