/**
 * Several production servers behind a load balancer, on this machine: each
 * instance is `node build/server/index.js` in its own process, configured
 * only through the environment as on EC2, and nginx (run as a plain child
 * process with its own config, prefix and pid file in a temp folder, never the
 * system's nginx) stands in for the ALB, round-robin on loopback.
 *
 * Which instance answered a request is read from the instances themselves:
 * every answer carries X-Request-Id, and each server logs one JSON line per
 * request with that id on its own stdout, so the id names exactly one process.
 *
 * What a test needs (nginx, MySQL, MariaDB's binaries) is checked first: when
 * missing the test is skipped with a visible notice, except under CI=true,
 * where that is a failure (like tests/helpers/databases.ts).
 */
import { spawn, type ChildProcess } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import fsp from "node:fs/promises";
import http from "node:http";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { mysqlAvailable, MYSQL_SERVER_URL } from "./databases";
import { repoRoot } from "./server";
import { freePort } from "./net";

export const SERVER_ENTRY = path.join(repoRoot, "build", "server", "index.js");
const CLI_ENTRY = path.join(repoRoot, "build", "server", "cli.js");

/** At least 32 characters, as production requires; the same on every instance. */
export const CLUSTER_SESSION_SECRET = "cluster-test-session-secret-0123456789abcdef";

/** An executable by name, on PATH or in the usual system folders (sbin is often not on PATH). */
export function findExecutable(name: string): string | null {
  const dirs = [
    ...(process.env.PATH ?? "").split(path.delimiter),
    "/usr/local/sbin",
    "/usr/local/bin",
    "/usr/sbin",
    "/usr/bin",
    "/sbin",
    "/bin",
  ].filter(Boolean);
  for (const dir of dirs) {
    const candidate = path.join(dir, name);
    try {
      fs.accessSync(candidate, fs.constants.X_OK);
      if (fs.statSync(candidate).isFile()) return candidate;
    } catch {
      // not here
    }
  }
  return null;
}

export const nginxBinary = () => process.env.NGINX_BIN ?? findExecutable("nginx");

export interface Prerequisites {
  nginx?: boolean;
  mysql?: boolean;
  /** mariadb-install-db and mariadbd, for a private server (tests/helpers/private-mariadb.ts). */
  mariadbBinaries?: boolean;
}

/**
 * True when everything `needs` lists is here. Otherwise: under CI=true a
 * failure naming what is missing; elsewhere a loud notice and false (skip).
 */
export async function prerequisitesMet(suite: string, needs: Prerequisites): Promise<boolean> {
  const missing: string[] = [];
  if (!fs.existsSync(SERVER_ENTRY)) {
    throw new Error("No build/server/index.js: run `npm run build` first (npm test does it)");
  }
  if (needs.nginx && !nginxBinary()) missing.push("nginx (apt-get install nginx-light)");
  if (needs.mysql && !(await mysqlAvailable())) {
    missing.push(`MySQL at ${MYSQL_SERVER_URL.replace(/:[^:@/]+@/, ":***@")}`);
  }
  if (needs.mariadbBinaries) {
    for (const name of ["mariadb-install-db", "mariadbd"]) {
      if (!findExecutable(name)) missing.push(`${name} (apt-get install mariadb-server)`);
    }
  }
  if (missing.length === 0) return true;
  if (process.env.CI === "true") {
    throw new Error(`CI=true but ${suite} needs ${missing.join(", ")}: mandatory in CI`);
  }
  console.warn(`\n*** NOTICE: ${suite} SKIPPED: missing ${missing.join(", ")} ***\n`);
  return false;
}

export async function makeTempDir(prefix: string): Promise<string> {
  return fsp.mkdtemp(path.join(os.tmpdir(), prefix));
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls `probe` until it returns a value other than undefined, or fails after `timeoutMs`. */
export async function waitFor<T>(
  what: string,
  probe: () => Promise<T | undefined> | T | undefined,
  { timeoutMs = 20_000, intervalMs = 100 } = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`, { cause: lastError });
    }
    await sleep(intervalMs);
  }
}

/** Every process a helper here starts, so that a crashed test run leaves none behind. */
const started = new Set<ChildProcess>();
process.once("exit", () => {
  for (const child of started) if (child.exitCode === null) child.kill("SIGKILL");
});

export function track(child: ChildProcess): ChildProcess {
  started.add(child);
  child.once("exit", () => started.delete(child));
  return child;
}

/** A pino line from a server's stdout. */
export interface LogLine {
  level: number;
  msg: string;
  pid: number;
  requestId?: string;
  status?: number;
  path?: string;
  method?: string;
  err?: { type?: string; message?: string; code?: string; stack?: string };
  [key: string]: unknown;
}

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface ServerProcessOptions {
  /** How tests and messages name it, e.g. "instance-2". */
  name: string;
  /** The environment beyond what every instance gets (see startServerProcess). */
  env: Record<string, string>;
  /** Defaults to a free port. */
  port?: number;
  /** Run as this user and group (only root may), e.g. so that file permissions apply. */
  uid?: number;
  gid?: number;
  /** Working folder (where var/ would go); a new temp folder unless given. */
  cwd?: string;
}

/** One production server process and what it has said. */
export class ServerProcess {
  readonly url: string;
  readonly lines: LogLine[] = [];
  readonly exited: Promise<Exit>;
  private text = "";
  private pending = "";
  private readonly requestIds = new Set<string>();

  constructor(
    readonly name: string,
    readonly port: number,
    readonly child: ChildProcess,
  ) {
    this.url = `http://127.0.0.1:${port}`;
    child.stdout!.setEncoding("utf8").on("data", (chunk: string) => this.take(chunk));
    child.stderr!.setEncoding("utf8").on("data", (chunk: string) => (this.text += chunk));
    this.exited = new Promise((resolve) =>
      child.once("exit", (code, signal) => resolve({ code, signal })),
    );
  }

  get pid(): number {
    return this.child.pid!;
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /** Everything it wrote, stdout and stderr. */
  output(): string {
    return this.text + this.pending;
  }

  /** Whether this process logged the request with this id (its "request" line). */
  answered(requestId: string): boolean {
    return this.requestIds.has(requestId);
  }

  /** The log lines of requests it answered. */
  requests(): LogLine[] {
    return this.lines.filter((line) => line.msg === "request");
  }

  async waitUntilReady(timeoutMs = 30_000): Promise<void> {
    await waitFor(
      `${this.name} to answer /readyz`,
      async () => {
        if (!this.running) {
          throw new Error(`${this.name} exited early:\n${this.output().slice(-4000)}`);
        }
        const res = await fetch(`${this.url}/readyz`).catch(() => undefined);
        return res?.ok ? true : undefined;
      },
      { timeoutMs },
    ).catch((error: Error) => {
      throw new Error(`${error.message}\n${this.output().slice(-4000)}`, { cause: error });
    });
  }

  /** Sends `signal` and waits for the process to end. */
  async stop(signal: NodeJS.Signals = "SIGTERM"): Promise<Exit> {
    if (this.running) this.child.kill(signal);
    return this.exited;
  }

  private take(chunk: string) {
    this.text += chunk;
    const lines = (this.pending + chunk).split("\n");
    this.pending = lines.pop() ?? "";
    for (const raw of lines) {
      if (!raw.startsWith("{")) continue;
      try {
        const line = JSON.parse(raw) as LogLine;
        this.lines.push(line);
        if (line.msg === "request" && line.requestId) this.requestIds.add(line.requestId);
      } catch {
        // not a log line
      }
    }
  }
}

/**
 * Starts `node build/server/index.js` as production runs it: NODE_ENV=production,
 * one worker (WEB_CONCURRENCY=1, so the process is the server and a crash is an
 * exit), on loopback, one proxy hop trusted. `options.env` adds the rest
 * (DATABASE_URL, UPLOADS_DIR, SESSION_SECRET…) and may override these.
 */
export async function startServerProcess(options: ServerProcessOptions): Promise<ServerProcess> {
  const port = options.port ?? (await freePort());
  const cwd = options.cwd ?? (await makeTempDir(`bookstore-${options.name}-`));
  if (options.uid !== undefined) await fsp.chown(cwd, options.uid, options.gid ?? options.uid);
  const child = track(
    spawn(process.execPath, [SERVER_ENTRY], {
      cwd,
      env: {
        PATH: process.env.PATH,
        NODE_ENV: "production",
        HOST: "127.0.0.1",
        PORT: String(port),
        WEB_CONCURRENCY: "1",
        TRUST_PROXY: "1",
        LOG_LEVEL: "info",
        SESSION_SECRET: CLUSTER_SESSION_SECRET,
        MAIL_OUTBOX_DIR: path.join(cwd, "outbox"),
        ...options.env,
      },
      stdio: ["ignore", "pipe", "pipe"],
      uid: options.uid,
      gid: options.gid ?? options.uid,
    }),
  );
  return new ServerProcess(options.name, port, child);
}

/** `node build/server/cli.js <args>` with `env`; resolves with its output, rejects on failure. */
export async function runCli(args: string[], env: Record<string, string>): Promise<string> {
  const child = track(
    spawn(process.execPath, [CLI_ENTRY, ...args], {
      cwd: repoRoot,
      env: { PATH: process.env.PATH, NODE_ENV: "production", ...env },
      stdio: ["ignore", "pipe", "pipe"],
    }),
  );
  let output = "";
  child.stdout!.on("data", (chunk) => (output += chunk));
  child.stderr!.on("data", (chunk) => (output += chunk));
  const code = await new Promise<number | null>((resolve) => child.once("exit", resolve));
  if (code !== 0) throw new Error(`cli.js ${args.join(" ")} exited ${code}:\n${output}`);
  return output;
}

/** A line of nginx's access log (see the log_format in startNginx). */
export interface AccessLine {
  status: number;
  method: string;
  uri: string;
  /** Each upstream nginx tried, in order ("127.0.0.1:4001, 127.0.0.1:4002" after a retry). */
  upstreams: string[];
  upstreamStatuses: string[];
}

export interface Nginx {
  url: string;
  port: number;
  pid: number;
  /** The access log so far. */
  accessLog(): Promise<AccessLine[]>;
  /** Its stderr (errors and warnings, e.g. "connect() failed … while connecting to upstream"). */
  errors(): Promise<string>;
  stop(): Promise<void>;
}

export interface NginxOptions {
  /**
   * How long an upstream that refused a connection is left out (nginx's
   * fail_timeout). Short, so an instance started again on its address gets
   * traffic within a second, as a target passing its health check would.
   */
  failTimeoutSeconds?: number;
}

/**
 * nginx in front of `upstreams` (loopback ports), round-robin, as the ALB in
 * front of the Auto Scaling group:
 *
 * - `worker_processes 1`: one round-robin state, so consecutive requests go to
 *   consecutive instances, which is what the tests check.
 * - No keep-alive to the instances (nginx's default, HTTP/1.0 and a connection
 *   per request), so an instance that stops listening is simply refused.
 * - `proxy_next_upstream error timeout`: a connection refused (or reset before
 *   any answer) is passed to the next instance. That is how an ALB treats a
 *   deregistering target (no new requests for it) without the ALB's API; nginx
 *   does this for a POST only when the request never reached the instance
 *   (it never replays a non-idempotent request an instance may have seen).
 *   A 5xx answer is never retried: it reaches the client, so a test sees it.
 * - Host is passed through as the ALB does (the same-origin check compares
 *   it), with X-Forwarded-For and X-Forwarded-Proto; TRUST_PROXY=1 trusts one hop.
 * - Request bodies up to 16 MB, so the app (not the proxy) refuses large uploads.
 */
export async function startNginx(upstreams: number[], options: NginxOptions = {}): Promise<Nginx> {
  const binary = nginxBinary();
  if (!binary) throw new Error("nginx is not installed");
  const dir = await makeTempDir("bookstore-nginx-");
  // Its workers run as nobody when we are root: they must reach the temp folders.
  await fsp.chmod(dir, 0o755);
  const port = await freePort();
  const failTimeout = options.failTimeoutSeconds ?? 1;
  const servers = upstreams
    .map((p) => `    server 127.0.0.1:${p} max_fails=1 fail_timeout=${failTimeout}s;`)
    .join("\n");
  const config = `# Written by tests/helpers/cluster.ts for one test run.
worker_processes 1;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;
events { worker_connections 1024; }
http {
  log_format cluster escape=json '{"status":$status,"method":"$request_method","uri":"$request_uri",'
                                 '"upstreams":"$upstream_addr","upstreamStatuses":"$upstream_status"}';
  access_log ${dir}/access.log cluster;
  client_body_temp_path ${dir}/client_body;
  proxy_temp_path ${dir}/proxy;
  fastcgi_temp_path ${dir}/fastcgi;
  uwsgi_temp_path ${dir}/uwsgi;
  scgi_temp_path ${dir}/scgi;
  client_max_body_size 16m;
  keepalive_timeout 65s;
  keepalive_requests 100000;
  upstream bookstore {
${servers}
  }
  server {
    listen 127.0.0.1:${port};
    location / {
      proxy_pass http://bookstore;
      proxy_set_header Host $http_host;
      proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
      proxy_set_header X-Forwarded-Proto $scheme;
      proxy_next_upstream error timeout;
      proxy_next_upstream_tries 3;
      proxy_connect_timeout 2s;
      proxy_read_timeout 30s;
    }
  }
}
`;
  const conf = path.join(dir, "nginx.conf");
  await fsp.writeFile(conf, config);
  const child = track(
    spawn(binary, ["-p", dir, "-c", conf, "-g", "daemon off;"], {
      stdio: ["ignore", "pipe", "pipe"],
    }),
  );
  let output = "";
  child.stdout!.on("data", (chunk) => (output += chunk));
  child.stderr!.on("data", (chunk) => (output += chunk));
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const url = `http://127.0.0.1:${port}`;
  await waitFor(
    "nginx to listen",
    async () => {
      if (child.exitCode !== null) throw new Error(`nginx exited:\n${output}`);
      return new Promise<true | undefined>((resolve) => {
        const socket = net.connect(port, "127.0.0.1");
        socket.once("connect", () => (socket.destroy(), resolve(true)));
        socket.once("error", () => resolve(undefined));
      });
    },
    { timeoutMs: 10_000, intervalMs: 50 },
  );
  return {
    url,
    port,
    pid: child.pid!,
    async accessLog() {
      const text = await fsp.readFile(path.join(dir, "access.log"), "utf8").catch(() => "");
      return text
        .split("\n")
        .filter(Boolean)
        .map((raw) => {
          const line = JSON.parse(raw) as Omit<AccessLine, "upstreams" | "upstreamStatuses"> & {
            upstreams: string;
            upstreamStatuses: string;
          };
          return {
            ...line,
            upstreams: line.upstreams ? line.upstreams.split(", ") : [],
            upstreamStatuses: line.upstreamStatuses ? line.upstreamStatuses.split(", ") : [],
          };
        });
    },
    async errors() {
      return output + (await fsp.readFile(path.join(dir, "error.log"), "utf8").catch(() => ""));
    },
    async stop() {
      if (child.exitCode === null) child.kill("SIGTERM");
      await exited;
      await fsp.rm(dir, { recursive: true, force: true });
    },
  };
}

/** Which of `instances` logged the request that `response` answers (by its X-Request-Id). */
export async function whoAnswered(
  instances: readonly ServerProcess[],
  response: Response,
): Promise<ServerProcess> {
  const requestId = response.headers.get("x-request-id");
  if (!requestId) throw new Error(`no X-Request-Id on a ${response.status} answer`);
  // The line is written when the response finishes: a moment after the client has it.
  return waitFor(
    `an instance to log request ${requestId}`,
    () => {
      const found = instances.filter((instance) => instance.answered(requestId));
      if (found.length > 1) throw new Error(`request ${requestId} logged by several instances`);
      return found[0];
    },
    { timeoutMs: 5_000, intervalMs: 20 },
  );
}

/** A fresh random id, for naming things a test creates. */
export const randomTag = () => crypto.randomBytes(4).toString("hex");

export interface Cluster {
  nginx: Nginx;
  /** The instances nginx routes to now (a replacement takes its predecessor's place). */
  instances: ServerProcess[];
  /** Instances that were stopped and replaced. */
  retired: ServerProcess[];
  /** The shared folders, as EFS in production. */
  uploadsDir: string;
  sharedAssetsDir: string;
  /** The environment every instance gets. */
  env: Record<string, string>;
  /**
   * The rolling replacement of one instance: SIGTERM, then a new process on
   * its address (nginx keeps routing to the others meanwhile). Resolves when
   * the new one is ready, with how the old one exited.
   */
  replace(index: number): Promise<{ old: ServerProcess; fresh: ServerProcess; exit: Exit }>;
  stop(): Promise<void>;
}

/**
 * `size` production instances on one database (`databaseUrl`, migrated
 * already) and one uploads folder, behind nginx. Every instance is ready
 * (its /readyz answers 200) before this resolves.
 */
export async function startCluster({
  size,
  databaseUrl,
  env = {},
}: {
  size: number;
  databaseUrl: string;
  env?: Record<string, string>;
}): Promise<Cluster> {
  const shared = await makeTempDir("bookstore-cluster-");
  const uploadsDir = path.join(shared, "uploads");
  const sharedAssetsDir = path.join(shared, "assets");
  await fsp.mkdir(uploadsDir);
  await fsp.mkdir(sharedAssetsDir);
  const common = {
    DATABASE_URL: databaseUrl,
    UPLOADS_DIR: uploadsDir,
    SHARED_ASSETS_DIR: sharedAssetsDir,
    DB_POOL_MAX: "5",
    ...env,
  };
  const launch = async (index: number, port?: number) => {
    const instance = await startServerProcess({
      name: `instance-${index + 1}`,
      port,
      env: { ...common, INSTANCE_NAME: `instance-${index + 1}` },
    });
    await instance.waitUntilReady();
    return instance;
  };
  const instances: ServerProcess[] = [];
  const retired: ServerProcess[] = [];
  let nginx: Nginx | undefined;
  try {
    instances.push(...(await Promise.all(Array.from({ length: size }, (_, i) => launch(i)))));
    nginx = await startNginx(instances.map((instance) => instance.port));
  } catch (error) {
    await Promise.all(instances.map((instance) => instance.stop("SIGKILL")));
    throw error;
  }
  const cluster: Cluster = {
    nginx,
    instances,
    retired,
    uploadsDir,
    sharedAssetsDir,
    env: common,
    async replace(index) {
      const old = instances[index];
      const exit = await old.stop("SIGTERM");
      const fresh = await launch(instances.length + retired.length, old.port);
      retired.push(old);
      instances[index] = fresh;
      return { old, fresh, exit };
    },
    async stop() {
      await nginx?.stop();
      await Promise.all([...instances, ...retired].map((instance) => instance.stop("SIGTERM")));
      await fsp.rm(shared, { recursive: true, force: true });
    },
  };
  return cluster;
}

/** One request a load client makes; `expect` lists the statuses that count as success. */
export interface LoadRequest {
  method: "GET" | "POST";
  path: string;
  form?: Record<string, string | number>;
  expect: number[];
}

export interface LoadResult {
  client: number;
  method: string;
  path: string;
  startedAt: number;
  durationMs: number;
  status?: number;
  /** A network error (reset, refused, timeout) instead of an answer. */
  error?: string;
  requestId?: string;
  ok: boolean;
}

export interface Load {
  results: LoadResult[];
  /** Stops every client after its request in flight; resolves with everything they did. */
  stop(): Promise<LoadResult[]>;
}

/**
 * A steady load: `clients` browsers, each on one keep-alive connection (its
 * own agent, one socket), one request after the other with a short pause,
 * each with its own cookies (`cookies[i]`, e.g. a signed-in session). Every
 * request is recorded; none is retried.
 */
export function startLoad({
  baseUrl,
  clients,
  next,
  cookies = [],
  pauseMs = 10,
  timeoutMs = 15_000,
}: {
  baseUrl: string;
  clients: number;
  next: (client: number, n: number) => LoadRequest;
  cookies?: string[];
  pauseMs?: number;
  timeoutMs?: number;
}): Load {
  const results: LoadResult[] = [];
  let stopping = false;
  const run = async (client: number) => {
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    try {
      for (let n = 0; !stopping; n++) {
        const request = next(client, n);
        const body = request.form
          ? new URLSearchParams(
              Object.entries(request.form).map(([key, value]) => [key, String(value)]),
            ).toString()
          : undefined;
        const headers: Record<string, string> = { Accept: "text/html" };
        if (cookies[client]) headers.Cookie = cookies[client];
        if (body !== undefined) {
          headers["Content-Type"] = "application/x-www-form-urlencoded";
          headers["Content-Length"] = String(Buffer.byteLength(body));
          headers["Sec-Fetch-Mode"] = "navigate";
        }
        const startedAt = Date.now();
        const result: LoadResult = {
          client,
          method: request.method,
          path: request.path,
          startedAt,
          durationMs: 0,
          ok: false,
        };
        try {
          const answer = await send(`${baseUrl}${request.path}`, {
            method: request.method,
            headers,
            body,
            agent,
            timeoutMs,
          });
          result.status = answer.status;
          result.requestId = answer.requestId;
          result.ok = request.expect.includes(answer.status);
        } catch (error) {
          result.error = (error as Error).message;
        }
        result.durationMs = Date.now() - startedAt;
        results.push(result);
        await sleep(pauseMs);
      }
    } finally {
      agent.destroy();
    }
  };
  const running = Promise.all(Array.from({ length: clients }, (_, client) => run(client)));
  return {
    results,
    async stop() {
      stopping = true;
      await running;
      return results;
    },
  };
}

function send(
  url: string,
  {
    method,
    headers,
    body,
    agent,
    timeoutMs,
  }: {
    method: string;
    headers: Record<string, string>;
    body?: string;
    agent: http.Agent;
    timeoutMs: number;
  },
): Promise<{ status: number; requestId?: string }> {
  return new Promise((resolve, reject) => {
    const request = http.request(url, { method, headers, agent }, (res) => {
      res.resume();
      res.on("error", reject);
      res.on("end", () =>
        resolve({
          status: res.statusCode ?? 0,
          requestId: res.headers["x-request-id"] as string | undefined,
        }),
      );
    });
    request.setTimeout(timeoutMs, () => request.destroy(new Error(`no answer in ${timeoutMs} ms`)));
    request.on("error", reject);
    request.end(body);
  });
}

/** Counts of "METHOD path-pattern → status or error", for a readable failure message. */
export function summarize(results: readonly LoadResult[]): Record<string, number> {
  const summary: Record<string, number> = {};
  for (const result of results) {
    const key = `${result.method} ${result.path.replace(/\d+/g, "N")} → ${result.status ?? result.error}`;
    summary[key] = (summary[key] ?? 0) + 1;
  }
  return summary;
}
