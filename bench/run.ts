/**
 * `npm run bench`: seeds a fresh database, starts the production server and
 * two baselines, drives them with autocannon in interleaved rounds (catalog
 * pages as an anonymous visitor, the cart as a signed-in shopper), times
 * search at the database layer, counts each page's queries, and on MySQL
 * measures order placement with concurrent buyers (bench/orders.ts); prints
 * tables and writes bench/results/*.json.
 *
 *   npx tsx bench/run.ts [--books 10000] [--db sqlite|mysql] [--duration 10]
 *                        [--rounds 3] [--connections 10] [--workers 1]
 *                        [--buyers 20] [--order-stock 50]
 *   npx tsx bench/run.ts --overload [--connections 200] …   (admission control on and off)
 *
 * Isolation on a 2-core machine: the server and both baselines run pinned to
 * CPU 0 (`taskset -c 0`), the load generator (bench/load.ts, its own process)
 * and this orchestrator to CPU 1, so the generator never steals the server's
 * core. See bench/README.md and docs/decisions/030-benchmark-method.md.
 */
import crypto from "node:crypto";
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import knexFactory from "knex";
import { parseDatabaseUrl } from "../app/lib/config.server";
import { createDb, type Db } from "../app/lib/db.server";
import type { LoadJob, LoadResult } from "./load";
import {
  auditProblems,
  auditStock,
  deliveryProviderId,
  orderScenarios,
  pickOrderBooks,
  setStock,
  type OrderScenario,
  type StockAudit,
} from "./orders";
import type { OrdersJob, OrdersResult } from "./orders-load";
import {
  cpuSeconds,
  cpuShares,
  canRaisePriority,
  childEnv,
  cpuTicks,
  freePort,
  killAllNow,
  logTail,
  pinProcess,
  spawnChild,
  stopAll,
  tasksetAvailable,
  waitForHttp,
  type Child,
  type CpuShare,
} from "./processes";
import { countQueriesPerRequest, type QueryCount } from "./query-count";
import {
  SEARCH_P95_TARGET_MS,
  chooseSearchQueries,
  timePageLoaders,
  timeSearches,
  type SearchTiming,
} from "./search-timing";
import { seedBenchCatalog } from "./seed";
import { addToCart, cartBookIds, createShoppers, signIn, type Shopper } from "./shopper";
import { median, mulberry32, round } from "./stats";

const PAGE_TARGET_SHARE = 0.15;
/**
 * Every buyer signs in over HTTP from 127.0.0.1, and the app allows 50
 * sign-ins per address per 15 minutes (app/lib/rate-limits.server.ts); the
 * signed-in cart target takes one more.
 */
const MAX_BUYERS = 40;
/** Books in the signed-in shopper's cart for the /cart target. */
const CART_BOOKS = 3;
const MYSQL_SERVER = { host: "127.0.0.1", port: 3306, user: "root" } as const;
const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const benchDir = path.join(repoRoot, "bench");

// ───────────────────────────── options ─────────────────────────────

interface Options {
  books: number;
  db: "sqlite" | "mysql";
  duration: number;
  warmup: number;
  rounds: number;
  connections: number;
  workers: number;
  searchRuns: number;
  logLevel: string;
  serverCpus: string;
  loadCpus: string;
  nice: number;
  buyers: number;
  orderStock: number;
  /** Only the overload measurement: search with many connections, admission control on and off. */
  overload: boolean;
  /** Extra admission limits for --overload, as [in flight, queue] pairs. */
  admission: Array<[number, number]>;
}

const HELP = `Usage: npx tsx bench/run.ts [options]   (npm run bench -- [options] builds first)

  --books N          books in the catalog (default 10000; e.g. 100000)
  --db sqlite|mysql  engine (default sqlite; mysql creates bench_<random> on 127.0.0.1:3306 as root and drops it)
  --duration S       seconds per measurement (default 10)
  --warmup S         seconds of warm-up before each measurement (default 2)
  --rounds R         interleaved rounds (default 3): each round runs every target once, in rotating order
  --connections C    autocannon connections (default 10; 200 with --overload)
  --workers W        server workers, WEB_CONCURRENCY (default 1)
  --search-runs N    timed runs per search query at the database layer (default 200)
  --log-level L      server LOG_LEVEL (default info, as in production: one JSON line per request)
  --server-cpus L    taskset CPU list for the server and baselines (default 0)
  --load-cpus L      taskset CPU list for the load generator (default 1)
  --nice=N           nice value for the server, baselines and load generator (default -10, if
                     permitted: other processes on a shared machine then disturb the run less;
                     --nice=0 turns it off; write negative values with "=")
  --buyers N         concurrent buyers in the order-placement measurement, MySQL only (default 20;
                     0 skips it; at most ${MAX_BUYERS}: each signs in over HTTP, and sign-ins per address are limited)
  --order-stock S    copies of the book in the sell-out scenario (default 50; fewer than the buyers want)
  --overload         instead of the usual run: the search page under --connections (200) against the
                     server with admission control as configured by default and with it off
                     (ADMISSION_MAX_IN_FLIGHT=0), --rounds interleaved rounds; p50/p99 of the pages
                     served, the 503s, errors and timeouts (see bench/README.md, "Overload")
  --admission L      with --overload, more limits to compare, IN/QUEUE pairs: "4/16,8/32"
`;

function parseOptions(argv: string[]): Options {
  const { values } = parseArgs({
    args: argv,
    options: {
      books: { type: "string", default: "10000" },
      db: { type: "string", default: "sqlite" },
      duration: { type: "string", default: "10" },
      warmup: { type: "string", default: "2" },
      rounds: { type: "string", default: "3" },
      connections: { type: "string" },
      workers: { type: "string", default: "1" },
      "search-runs": { type: "string", default: "200" },
      "log-level": { type: "string", default: "info" },
      "server-cpus": { type: "string", default: "0" },
      "load-cpus": { type: "string", default: "1" },
      nice: { type: "string", default: "-10" },
      buyers: { type: "string", default: "20" },
      "order-stock": { type: "string", default: "50" },
      overload: { type: "boolean", default: false },
      admission: { type: "string", default: "" },
      help: { type: "boolean", short: "h", default: false },
    },
    strict: true,
  });
  if (values.help) {
    process.stdout.write(HELP);
    process.exit(0);
  }
  const int = (name: string, text: string, min: number, max: number) => {
    const n = Number(text);
    if (!Number.isInteger(n) || n < min || n > max)
      throw new UsageError(`--${name} must be a whole number from ${min} to ${max}`);
    return n;
  };
  if (values.db !== "sqlite" && values.db !== "mysql")
    throw new UsageError("--db must be sqlite or mysql");
  const cpuList = /^\d+([-,]\d+)*$/;
  if (!cpuList.test(values["server-cpus"]) || !cpuList.test(values["load-cpus"])) {
    throw new UsageError("--server-cpus and --load-cpus take a taskset CPU list, e.g. 0 or 0-1");
  }
  return {
    books: int("books", values.books, 1, 10_000_000),
    db: values.db,
    duration: int("duration", values.duration, 1, 3600),
    warmup: int("warmup", values.warmup, 0, 600),
    rounds: int("rounds", values.rounds, 1, 100),
    connections: int(
      "connections",
      values.connections ?? (values.overload ? "200" : "10"),
      1,
      10_000,
    ),
    workers: int("workers", values.workers, 1, 256),
    searchRuns: int("search-runs", values["search-runs"], 1, 100_000),
    logLevel: values["log-level"],
    serverCpus: values["server-cpus"],
    loadCpus: values["load-cpus"],
    nice: int("nice", values.nice, -20, 0),
    buyers: int("buyers", values.buyers, 0, MAX_BUYERS),
    orderStock: int("order-stock", values["order-stock"], 1, 1_000_000),
    overload: values.overload,
    admission: values.admission
      .split(",")
      .filter(Boolean)
      .map((pair) => {
        const [inFlight, queue] = pair.split("/").map(Number);
        if (!(inFlight >= 1 && queue >= 0))
          throw new Error(`--admission: "${pair}" is not IN/QUEUE`);
        return [inFlight, queue] as [number, number];
      }),
  };
}

class UsageError extends Error {}

/** The bench ran to the end but found something wrong with the app (results are written). */
class BenchFailure extends Error {
  constructor(readonly failures: string[]) {
    super(`the bench found problems:\n${failures.map((f) => `  - ${f}`).join("\n")}`);
  }
}

// ───────────────────────────── cleanup ─────────────────────────────

const cleanups: Array<() => unknown> = [];
let cleaning: Promise<void> | undefined;

/** Stops every child, then undoes everything registered (newest first). Runs once. */
function cleanup(): Promise<void> {
  cleaning ??= (async () => {
    await stopAll().catch(() => undefined);
    for (const undo of cleanups.reverse()) {
      try {
        await undo();
      } catch (error) {
        console.error(`cleanup step failed: ${(error as Error).message}`);
      }
    }
  })();
  return cleaning;
}

let interrupted = false;
for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
  process.on(signal, () => {
    interrupted = true;
    console.error(`\n${signal}: stopping the bench, cleaning up…`);
    const force = setTimeout(() => process.exit(130), 20_000);
    force.unref();
    void cleanup().finally(() => process.exit(130));
  });
}
process.on("exit", killAllNow);

// ───────────────────────────── helpers ─────────────────────────────

const log = (line = "") => console.log(line);

interface RawResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

/** GET over node:http, no Accept-Encoding: the exact bytes the load generator receives. */
function httpGet(url: string, headers: Record<string, string> = {}): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const request = http.get(
      url,
      { headers: { accept: "text/html", ...headers }, timeout: 10_000 },
      (response) => {
        const chunks: Buffer[] = [];
        response.on("data", (chunk: Buffer) => chunks.push(chunk));
        response.on("end", () =>
          resolve({
            status: response.statusCode ?? 0,
            headers: response.headers,
            body: Buffer.concat(chunks),
          }),
        );
        response.on("error", reject);
      },
    );
    request.on("timeout", () => request.destroy(new Error(`GET ${url} timed out`)));
    request.on("error", reject);
  });
}

/** Headers a constant response can reuse: not per-connection, per-request or length headers. */
const UNCOPIED_HEADERS = new Set([
  "date",
  "connection",
  "keep-alive",
  "transfer-encoding",
  "content-length",
  "content-encoding",
  "x-request-id",
  "etag",
  "set-cookie",
]);

function reusableHeaders(headers: http.IncomingHttpHeaders): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined || UNCOPIED_HEADERS.has(name)) continue;
    result[name] = Array.isArray(value) ? value.join(", ") : value;
  }
  return result;
}

const pad = (text: string, width: number) => text.padEnd(width);
const lpad = (text: string, width: number) => text.padStart(width);
const fmt = (n: number, digits = 1) => (Number.isFinite(n) ? n.toFixed(digits) : "–");
const pct = (n: number) => (Number.isFinite(n) ? `${(n * 100).toFixed(1)}%` : "–");

// ───────────────────────────── database ─────────────────────────────

interface BenchDatabase {
  url: string;
  db: Db;
  description: string;
}

async function createBenchDatabase(options: Options, tmpDir: string): Promise<BenchDatabase> {
  if (options.db === "sqlite") {
    const filename = path.join(tmpDir, "bench.sqlite");
    const url = `sqlite:${filename}`;
    return {
      url,
      db: createDb(parseDatabaseUrl(url), { min: 1, max: 1 }),
      description: `SQLite file ${filename}`,
    };
  }
  const name = `bench_${crypto.randomBytes(4).toString("hex")}`;
  const admin = () =>
    knexFactory({
      client: "mysql2",
      connection: { ...MYSQL_SERVER, connectTimeout: 3000 },
      pool: { min: 0, max: 1 },
    });
  const creator = admin();
  try {
    await creator.raw(
      `CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`,
    );
  } catch (error) {
    throw new Error(
      `cannot create a MySQL database on ${MYSQL_SERVER.host}:${MYSQL_SERVER.port} as ${MYSQL_SERVER.user}: ${(error as Error).message}`,
    );
  } finally {
    await creator.destroy();
  }
  cleanups.push(async () => {
    const dropper = admin();
    try {
      await dropper.raw(`DROP DATABASE IF EXISTS \`${name}\``);
      log(`Dropped MySQL database ${name}.`);
    } finally {
      await dropper.destroy();
    }
  });
  const url = `mysql://${MYSQL_SERVER.user}@${MYSQL_SERVER.host}:${MYSQL_SERVER.port}/${name}`;
  return {
    url,
    db: createDb(parseDatabaseUrl(url), { min: 0, max: 2 }),
    description: `MySQL database ${name}`,
  };
}

// ───────────────────────────── targets ─────────────────────────────

interface Target {
  name: string;
  /** "revalidation": a page asked with If-None-Match, answered 304 (no ≥15 % target). */
  kind: "page" | "baseline" | "revalidation";
  description: string;
  origin: string;
  paths: string[];
  /** Sent with every request (the signed-in target's session cookie). */
  headers?: Record<string, string>;
  /** Every answer's status when not 200 (304 for the revalidation target). */
  expectStatus?: number;
  /** The process serving it, for its CPU use. */
  server: Child;
}

/** What the machine did while a load process measured. */
interface CpuDuringMeasurement {
  /** CPU seconds the serving process(es) used per second of wall time (1.0 = one core). */
  serverCpu: number | null;
  /**
   * Share of the server's CPU that other processes used (process time not
   * the server's; null when the server has more than one CPU).
   */
  otherOnServerCpu: number | null;
  /** What every CPU did during the run: process time, interrupts, time stolen by the hypervisor. */
  cpu: Record<string, CpuShare>;
}

interface Measurement extends LoadResult, CpuDuringMeasurement {
  target: string;
  round: number;
  order: number;
}

/**
 * Runs one load process (`script` with its job file, pinned to the load
 * CPUs) and reads its result, counting the server's CPU over the measured
 * part only: the load process says when that starts and ends ("measuring",
 * "measured").
 */
async function runLoadProcess<Result>(
  label: string,
  script: string,
  job: unknown,
  server: Child,
  context: { options: Options; pinning: boolean; stem: string },
): Promise<{ result: Result } & CpuDuringMeasurement> {
  const { options, pinning, stem } = context;
  fs.writeFileSync(`${stem}.job.json`, JSON.stringify(job));
  const loader = spawnChild(
    label,
    process.execPath,
    ["--import", "tsx", path.join(benchDir, script), `${stem}.job.json`, `${stem}.result.json`],
    {
      cpus: pinning ? options.loadCpus : null,
      nice: options.nice,
      env: childEnv({ NODE_ENV: "production" }),
      logFile: `${stem}.log`,
      ipc: true,
    },
  );
  const serverPid = server.process.pid ?? -1;
  let cpuStart: number | null = null;
  let cpuEnd: number | null = null;
  let ticksStart = cpuTicks();
  let ticksEnd = ticksStart;
  let measuredStart = 0;
  let measuredEnd = 0;
  loader.process.on("message", (message) => {
    if (message === "measuring") {
      cpuStart = cpuSeconds(serverPid);
      ticksStart = cpuTicks();
      measuredStart = performance.now();
    } else if (message === "measured") {
      cpuEnd = cpuSeconds(serverPid);
      ticksEnd = cpuTicks();
      measuredEnd = performance.now();
    }
  });
  const code = await loader.exited;
  const shares = cpuShares(ticksStart, ticksEnd);
  const elapsed = (measuredEnd - measuredStart) / 1000;
  if (code !== 0 || !fs.existsSync(`${stem}.result.json`)) {
    throw new Error(`the ${label} failed (exit ${code}):\n${logTail(loader)}`);
  }
  const result = JSON.parse(fs.readFileSync(`${stem}.result.json`, "utf8")) as Result;
  const serverCpu =
    cpuStart !== null && cpuEnd !== null && elapsed > 0
      ? round2((cpuEnd - cpuStart) / elapsed)
      : null;
  // What ran on the server's CPU besides the server: other processes (not irq, not steal).
  const serverCpuShare = /^\d+$/.test(options.serverCpus)
    ? shares[`cpu${options.serverCpus}`]
    : undefined;
  const otherOnServerCpu =
    pinning && serverCpuShare !== undefined && serverCpu !== null
      ? round2(Math.max(0, serverCpuShare.task - serverCpu))
      : null;
  return { result, serverCpu, otherOnServerCpu, cpu: shares };
}

async function measure(
  target: Target,
  options: Options,
  pinning: boolean,
  tmpDir: string,
  round: number,
  order: number,
): Promise<Measurement> {
  const job: LoadJob = {
    origin: target.origin,
    paths: target.paths,
    headers: target.headers,
    connections: options.connections,
    durationSeconds: options.duration,
    warmupSeconds: options.warmup,
    expectStatus: target.expectStatus,
  };
  const { result, ...cpu } = await runLoadProcess<LoadResult>(
    `load generator (${target.name})`,
    "load.ts",
    job,
    target.server,
    { options, pinning, stem: path.join(tmpDir, `load-${round}-${target.name}`) },
  );
  return { ...result, target: target.name, round, order, ...cpu };
}

const round2 = (n: number) => round(n, 2);

// ───────────────────────────── shoppers ─────────────────────────────

/** The first saleable books of the catalog (the demo seed's), for the signed-in cart. */
async function pickCartBooks(db: Db): Promise<number[]> {
  const rows = (await db("books")
    .whereNull("archivedAt")
    .where("stock", ">=", 1)
    .orderBy("id")
    .limit(CART_BOOKS)
    .select("id")) as Array<{ id: number }>;
  if (rows.length < CART_BOOKS) throw new Error(`fewer than ${CART_BOOKS} saleable books`);
  return rows.map((row) => row.id);
}

/**
 * Database queries per request for the pages a shopper sees most, anonymous
 * and signed in (bench/query-count.ts), over a connection of its own: the
 * server is running by then, the orchestrator's own connection is closed.
 */
async function countQueries(
  databaseUrl: string,
  userId: number,
  uploadsDir: string,
): Promise<QueryCount[]> {
  const db = createDb(parseDatabaseUrl(databaseUrl), { min: 0, max: 1 });
  let counts: QueryCount[];
  try {
    counts = await countQueriesPerRequest(db, {
      userId,
      paths: ["/", "/books", "/cart"],
      uploadsDir,
    });
  } finally {
    await db.destroy();
  }
  log(
    `\nDatabase queries per request (the production build's handler in this process, after 2 warm-up requests):`,
  );
  log(
    `${pad("request", 24)}${lpad("status", 7)}${lpad("queries", 9)}${lpad("session/user/cart", 19)}  ${pad("Set-Cookie", 11)}tables`,
  );
  for (const c of counts) {
    log(
      `${pad(c.request, 24)}${lpad(String(c.status), 7)}${lpad(String(c.queries), 9)}` +
        `${lpad(String(c.sessionQueries), 19)}  ${pad(c.setsCookie ? "yes" : "no", 11)}` +
        Object.entries(c.tables)
          .map(([table, n]) => `${table} ${n}`)
          .join(", "),
    );
  }
  return counts;
}

// ───────────────────────────── orders ─────────────────────────────

interface OrderScenarioReport extends CpuDuringMeasurement {
  scenario: OrderScenario["name"];
  description: string;
  buyers: number;
  bookId: number;
  result: OrdersResult;
  audit: StockAudit;
  problems: string[];
}

/**
 * The order-placement measurement (bench/orders.ts): signs the buyers in over
 * HTTP, then runs each scenario's buyers (bench/orders-load.ts, pinned like
 * the load generator) and audits the book's stock in the database afterwards.
 */
async function measureOrders(context: {
  options: Options;
  pinning: boolean;
  tmpDir: string;
  app: Child;
  appOrigin: string;
  databaseUrl: string;
  buyers: Shopper[];
  orderBooks: [number, number];
  providerId: number;
}): Promise<OrderScenarioReport[]> {
  const { options, pinning, tmpDir, app, appOrigin, buyers } = context;
  log(
    `\nOrder placement: ${buyers.length} buyers at once, each signed in with its own session and ` +
      "one copy of the same book in its cart, looping GET /checkout → POST /checkout → refill (POST /cart) …",
  );
  const cookies: string[] = [];
  // One after the other: each sign-in is a deliberate ~50 ms of scrypt on the server's core.
  for (const buyer of buyers) cookies.push(await signIn(appOrigin, buyer));

  const scenarios = orderScenarios(context.orderBooks, {
    stock: options.orderStock,
    warmup: options.warmup,
    duration: options.duration,
  });
  const db = createDb(parseDatabaseUrl(context.databaseUrl), { min: 0, max: 1 });
  const reports: OrderScenarioReport[] = [];
  try {
    for (const scenario of scenarios) {
      await setStock(db, scenario.bookId, scenario.stock);
      const job: OrdersJob = {
        origin: appOrigin,
        buyers: cookies,
        bookId: scenario.bookId,
        deliveryProviderId: context.providerId,
        warmupSeconds: scenario.warmupSeconds,
        durationSeconds: scenario.durationSeconds,
      };
      const { result, ...cpu } = await runLoadProcess<OrdersResult>(
        `buyers (${scenario.name})`,
        "orders-load.ts",
        job,
        app,
        { options, pinning, stem: path.join(tmpDir, `orders-${scenario.name}`) },
      );
      const audit = await auditStock(db, scenario.bookId, scenario.stock);
      const problems = [
        ...Object.entries(result.unexpected).map(([answer, n]) => `${n} × ${answer}`),
        ...auditProblems(audit, result.placedTotal),
      ];
      reports.push({
        scenario: scenario.name,
        description: scenario.description,
        buyers: buyers.length,
        bookId: scenario.bookId,
        result,
        audit,
        problems,
        ...cpu,
      });
    }
  } finally {
    await db.destroy();
  }
  printOrders(reports, app);
  return reports;
}

function printOrders(reports: OrderScenarioReport[], app: Child) {
  const header =
    `${pad("scenario", 10)}${lpad("orders/s", 10)}${lpad("placed", 8)}${lpad("POST p50", 10)}${lpad("POST p99", 10)}` +
    `${lpad("GET p50", 9)}${lpad("GET p99", 9)}${lpad("not enough stock", 18)}${lpad("srv CPU", 9)}${lpad("gen CPU", 9)}` +
    `${lpad("oversold", 10)}`;
  log(`\n${header}`);
  log("-".repeat(header.length));
  for (const r of reports) {
    const ms = r.result.latencyMs;
    log(
      `${pad(r.scenario, 10)}${lpad(fmt(r.result.ordersPerSec), 10)}${lpad(String(r.result.placedInWindow), 8)}` +
        `${lpad(fmt(ms.checkoutPost.p50, 2), 10)}${lpad(fmt(ms.checkoutPost.p99, 2), 10)}` +
        `${lpad(fmt(ms.checkoutGet.p50, 2), 9)}${lpad(fmt(ms.checkoutGet.p99, 2), 9)}` +
        `${lpad(String(r.result.notEnoughStock), 18)}${lpad(r.serverCpu === null ? "?" : pct(r.serverCpu), 9)}` +
        `${lpad(pct(r.result.loadGeneratorCpu), 9)}${lpad(String(r.audit.oversold), 10)}`,
    );
  }
  log("(latency in ms, of what ended inside the window; placed = orders placed inside it)");
  for (const r of reports) {
    const { result, audit } = r;
    log(
      `  ${pad(r.scenario, 9)} book ${r.bookId}, ${r.description}: window ${fmt(result.windowSeconds, 2)}s` +
        (result.soldOutAfterSeconds === null
          ? ""
          : `, sold out after ${fmt(result.soldOutAfterSeconds, 2)}s`) +
        `; refills refused (sold out) ${result.soldOutOnRefill}`,
    );
    log(
      `  ${pad("", 9)} stock audit: started ${audit.startStock}, ${audit.unitsOrdered} units in ${audit.orders} orders ` +
        `(buyers were told of ${result.placedTotal}), ${audit.remainingStock} left, movements ${audit.movementsDelta}` +
        ` → oversold: ${audit.oversold}` +
        (r.problems.length ? `  !! ${r.problems.join("; ")}` : ""),
    );
  }
  if (reports.some((r) => Object.keys(r.result.unexpected).length)) {
    log(`Server log tail:\n${logTail(app)}`);
  }
}

// ───────────────────────────── overload ─────────────────────────────

/**
 * The search page under many connections at once (--connections, 200), against
 * two copies of the production server on the same database: admission control
 * as configured by default (server/admission.ts, ADMISSION_* unset) and with it
 * off (ADMISSION_MAX_IN_FLIGHT=0). Each round measures both, in alternating
 * order. Refusals (503 with Retry-After) are the point, not a failure: the
 * figures are the latency of the pages served, how many were refused, and the
 * errors and timeouts (autocannon gives up on a request after 10 s).
 */
async function measureOverload(context: {
  options: Options;
  pinning: boolean;
  tmpDir: string;
  databaseUrl: string;
  queries: Awaited<ReturnType<typeof chooseSearchQueries>>;
  seed: Awaited<ReturnType<typeof seedBenchCatalog>>;
}) {
  const { options, pinning, tmpDir, databaseUrl, queries } = context;
  const startedAt = new Date();
  if (pinning) pinProcess(process.pid, options.loadCpus);
  const words = queries.filter((q) => !q.q.includes(" ") && !q.kind.includes("LIKE"));
  const paths = words.map((q) => `/books?q=${encodeURIComponent(q.q)}`);
  const variants: Array<{ name: string; env: Record<string, string>; description: string }> = [
    { name: "admission-on", env: {}, description: "admission control, default limits" },
    {
      name: "admission-off",
      env: { ADMISSION_MAX_IN_FLIGHT: "0" },
      description: "ADMISSION_MAX_IN_FLIGHT=0",
    },
    // --admission 4/16,8/32: other limits (in flight / queue) to compare with the defaults.
    ...options.admission.map(([inFlight, queue]) => ({
      name: `admission-${inFlight}-${queue}`,
      env: { ADMISSION_MAX_IN_FLIGHT: String(inFlight), ADMISSION_MAX_QUEUE: String(queue) },
      description: `ADMISSION_MAX_IN_FLIGHT=${inFlight}, ADMISSION_MAX_QUEUE=${queue}`,
    })),
  ];
  const targets: Target[] = [];
  for (const variant of variants) {
    const port = await freePort();
    const uploadsDir = path.join(tmpDir, `uploads-${variant.name}`);
    fs.mkdirSync(uploadsDir);
    const server = spawnChild(
      `app server (${variant.name})`,
      process.execPath,
      ["build/server/index.js"],
      {
        cpus: pinning ? options.serverCpus : null,
        nice: options.nice,
        env: childEnv({
          NODE_ENV: "production",
          HOST: "127.0.0.1",
          PORT: String(port),
          DATABASE_URL: databaseUrl,
          UPLOADS_DIR: uploadsDir,
          SESSION_SECRET: crypto.randomBytes(32).toString("hex"),
          MAIL_OUTBOX_DIR: path.join(tmpDir, "outbox"),
          WEB_CONCURRENCY: String(options.workers),
          LOG_LEVEL: options.logLevel,
          ...variant.env,
        }),
        logFile: path.join(tmpDir, `app-${variant.name}.log`),
      },
    );
    const origin = `http://127.0.0.1:${port}`;
    await waitForHttp(`${origin}/healthz`, server, 60_000);
    for (const p of paths) {
      const answer = await httpGet(`${origin}${p}`);
      if (answer.status !== 200)
        throw new Error(`GET ${p} (${variant.name}) answered ${answer.status}`);
    }
    targets.push({
      name: variant.name,
      kind: "page",
      description: `/books?q=<${words.map((q) => q.q).join("|")}>, ${variant.description}`,
      origin,
      paths,
      server,
    });
  }

  log(
    `\nOverload: the search page with ${options.connections} connections, ` +
      `${options.rounds} round(s) × (${options.warmup}s warm-up + ${options.duration}s) per server.`,
  );
  const measurements: Measurement[] = [];
  for (let r = 0; r < options.rounds; r++) {
    const order = r % 2 === 0 ? targets : [...targets].reverse();
    for (const [position, target] of order.entries()) {
      const m = await measure(target, options, pinning, tmpDir, r + 1, position + 1);
      measurements.push(m);
      log(
        `  round ${r + 1}/${options.rounds}  ${pad(target.name, 14)} ${overloadLine(m)}` +
          `  server CPU ${m.serverCpu === null ? "?" : pct(m.serverCpu)}  load-gen CPU ${pct(m.loadGeneratorCpu)}`,
      );
    }
  }

  const summary = targets.map((target) => {
    const own = measurements.filter((m) => m.target === target.name);
    const med = (pick: (m: Measurement) => number) => round(median(own.map(pick)), 3);
    return {
      target: target.name,
      description: target.description,
      answersPerSec: med((m) => m.reqPerSec),
      servedPerSec: med((m) => (m.statuses["200"] ?? 0) / m.durationSeconds || 0),
      servedP50Ms: med((m) => m.latencyMs.p50),
      servedP99Ms: med((m) => m.latencyMs.p99),
      servedMaxMs: med((m) => m.latencyMs.max),
      allP99Ms: med((m) => m.latencyAllMs.p99),
      refused503PerRound: med((m) => m.statuses["503"] ?? 0),
      otherNon2xxPerRound: med((m) => m.non2xx - (m.statuses["503"] ?? 0)),
      errorsPerRound: med((m) => m.errors - m.timeouts),
      timeoutsPerRound: med((m) => m.timeouts),
    };
  });
  log(`\nResults: median of ${options.rounds} round(s); "served" = 200 answers.\n`);
  const header =
    `${pad("server", 15)}${lpad("answers/s", 11)}${lpad("served/s", 10)}${lpad("p50 ms", 9)}${lpad("p99 ms", 9)}` +
    `${lpad("max ms", 9)}${lpad("p99 all", 9)}${lpad("503s", 8)}${lpad("other", 7)}${lpad("errors", 8)}${lpad("timeouts", 10)}`;
  log(header);
  log("-".repeat(header.length));
  for (const row of summary) {
    log(
      `${pad(row.target, 15)}${lpad(fmt(row.answersPerSec), 11)}${lpad(fmt(row.servedPerSec), 10)}` +
        `${lpad(fmt(row.servedP50Ms, 1), 9)}${lpad(fmt(row.servedP99Ms, 1), 9)}${lpad(fmt(row.servedMaxMs, 0), 9)}` +
        `${lpad(fmt(row.allP99Ms, 1), 9)}${lpad(String(row.refused503PerRound), 8)}${lpad(String(row.otherNon2xxPerRound), 7)}` +
        `${lpad(String(row.errorsPerRound), 8)}${lpad(String(row.timeoutsPerRound), 10)}`,
    );
  }
  for (const target of targets) log(`  ${pad(target.name, 14)} ${target.description}`);

  const resultsDir = path.join(benchDir, "results");
  fs.mkdirSync(resultsDir, { recursive: true });
  const file = path.join(
    resultsDir,
    `${startedAt.toISOString().replace(/[:.]/g, "-")}-overload-${options.db}-${options.books}-c${options.connections}.json`,
  );
  fs.writeFileSync(
    file,
    `${JSON.stringify(
      {
        startedAt: startedAt.toISOString(),
        finishedAt: new Date().toISOString(),
        machine: { cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model, node: process.version },
        params: { ...options, pinned: pinning },
        catalog: { totalBooks: context.seed.totalBooks },
        summary,
        rounds: measurements,
      },
      null,
      2,
    )}\n`,
  );
  log(`\nWrote ${path.relative(repoRoot, file)}`);
}

function overloadLine(m: Measurement): string {
  const refused = m.statuses["503"] ?? 0;
  return (
    `${lpad(fmt(m.reqPerSec), 8)} answers/s  served p50 ${lpad(fmt(m.latencyMs.p50, 1), 7)} ms  ` +
    `p99 ${lpad(fmt(m.latencyMs.p99, 1), 7)} ms  503s ${lpad(String(refused), 6)}  ` +
    `other non-2xx ${m.non2xx - refused}  errors ${m.errors - m.timeouts}  timeouts ${m.timeouts}`
  );
}

// ───────────────────────────── main ─────────────────────────────

async function main() {
  const options = parseOptions(process.argv.slice(2));
  process.chdir(repoRoot);
  const startedAt = new Date();

  for (const file of ["build/server/index.js", "build/index.js", "public/build"]) {
    if (!fs.existsSync(file))
      throw new UsageError(`${file} is missing: run \`npm run build\` (or use \`npm run bench\`).`);
  }

  const cpuCount = os.availableParallelism();
  const pinning = tasksetAvailable() && cpuCount >= 2;
  const requestedNice = options.nice;
  if (!canRaisePriority(options.nice)) options.nice = 0;
  log(
    `Bookstore bench — ${options.books.toLocaleString("en")} books on ${options.db}, ${options.workers} worker(s), ` +
      `${options.rounds} round(s) × ${options.duration}s, ${options.connections} connections, node ${process.version}, ${cpuCount} CPUs`,
  );
  if (pinning) {
    log(
      `Isolation: server and baselines pinned to CPU ${options.serverCpus}, load generator (autocannon, own process) ` +
        `and this orchestrator to CPU ${options.loadCpus} (taskset).`,
    );
  } else {
    log(
      `WARNING: ${cpuCount < 2 ? "fewer than 2 CPUs" : "taskset not found"}: processes are NOT pinned; ` +
        "the load generator competes with the server and the figures understate it.",
    );
  }
  log(
    options.nice < 0
      ? `Priority: server, baselines and load generator run at nice ${options.nice}, so other processes disturb them less.`
      : requestedNice < 0
        ? `Priority: normal (raising it to nice ${requestedNice} needs root or CAP_SYS_NICE).`
        : "Priority: normal (--nice 0).",
  );
  if (options.workers > 1 && pinning && !/[-,]/.test(options.serverCpus)) {
    log(
      `NOTE: ${options.workers} workers all share CPU ${options.serverCpus}; pass --server-cpus to give them more.`,
    );
  }
  log(
    `Machine load average before start: ${os
      .loadavg()
      .map((n) => n.toFixed(2))
      .join(" ")}`,
  );

  const tmpDir = fs.mkdtempSync(path.join(os.tmpdir(), "bookstore-bench-"));
  cleanups.push(() => fs.rmSync(tmpDir, { recursive: true, force: true }));

  // 1. Database: fresh, migrated, seeded to N books.
  const database = await createBenchDatabase(options, tmpDir);
  let benchDb: Db | undefined = database.db;
  cleanups.push(() => benchDb?.destroy());
  log(`\nSeeding ${database.description} …`);
  const seed = await seedBenchCatalog(database.db, options.books, log);
  log(
    `Seeded ${seed.totalBooks.toLocaleString("en")} books (${seed.demoBooks} demo + ` +
      `${seed.syntheticBooks.toLocaleString("en")} synthetic) in ${seed.seconds.toFixed(1)}s.`,
  );

  // 2. Search at the database layer, with nothing else running.
  const queries = await chooseSearchQueries(database.db, seed);
  if (options.overload) {
    await database.db.destroy();
    benchDb = undefined;
    await measureOverload({ options, pinning, tmpDir, databaseUrl: database.url, queries, seed });
    return;
  }
  log(
    `\nTiming search at the database layer: listBooks(db, { q }) (count + page of 24), ` +
      `${options.searchRuns} runs per query after 20 warm-up runs …`,
  );
  const searchTimings = await timeSearches(database.db, queries, { runs: options.searchRuns });
  printSearchTable(searchTimings, seed.totalBooks, options.searchRuns);

  // Book pages: 100 books spread over the whole catalog, visited in turn.
  const ids = (
    (await database.db("books").whereNull("archivedAt").select("id").orderBy("id")) as Array<{
      id: number;
    }>
  ).map((row) => row.id);
  const pickId = mulberry32(7);
  const bookIds = Array.from(
    { length: Math.min(100, ids.length) },
    () => ids[Math.floor(pickId() * ids.length)],
  );
  const ordinary = queries.find((q) => q.kind.startsWith("ordinary"))?.q ?? "long";
  log(
    `\nTiming each page's database work (as its loader runs it), ${options.searchRuns} runs each …`,
  );
  const loaderTimings = await timePageLoaders(
    database.db,
    { searchWord: ordinary, bookIds },
    { runs: options.searchRuns },
  );
  log(
    `\n${pad("page", 16)}${pad("database calls", 44)}${lpad("p50 ms", 9)}${lpad("p95 ms", 9)}${lpad("p99 ms", 9)}`,
  );
  for (const t of loaderTimings) {
    log(
      `${pad(t.page, 16)}${pad(t.queries, 44)}${lpad(fmt(t.ms.p50, 2), 9)}${lpad(fmt(t.ms.p95, 2), 9)}` +
        `${lpad(fmt(t.ms.p99, 2), 9)}`,
    );
  }

  // Shoppers, made through the accounts service while the database is ours: one who will sign
  // in for the /cart target and, on MySQL, the buyers of the order measurement.
  const ordering = options.db === "mysql" && options.buyers > 0;
  const [cartShopper] = await createShoppers(database.db, 1, "cart");
  const buyers = ordering ? await createShoppers(database.db, options.buyers, "buyer") : [];
  const cartBooks = await pickCartBooks(database.db);
  const orderBooks = ordering ? await pickOrderBooks(database.db, cartBooks) : null;
  const providerId = ordering ? await deliveryProviderId(database.db) : null;
  await database.db.destroy();
  benchDb = undefined;

  // 3. The production server, pinned.
  if (pinning) pinProcess(process.pid, options.loadCpus);
  const appPort = await freePort();
  const appOrigin = `http://127.0.0.1:${appPort}`;
  const uploadsDir = path.join(tmpDir, "uploads");
  fs.mkdirSync(uploadsDir);
  const app = spawnChild("app server", process.execPath, ["build/server/index.js"], {
    cpus: pinning ? options.serverCpus : null,
    nice: options.nice,
    env: childEnv({
      NODE_ENV: "production",
      HOST: "127.0.0.1",
      PORT: String(appPort),
      DATABASE_URL: database.url,
      UPLOADS_DIR: uploadsDir,
      SESSION_SECRET: crypto.randomBytes(32).toString("hex"),
      // Order confirmations go to files without SMTP: into the temp directory, not the repo's var/.
      MAIL_OUTBOX_DIR: path.join(tmpDir, "outbox"),
      WEB_CONCURRENCY: String(options.workers),
      LOG_LEVEL: options.logLevel,
    }),
    logFile: path.join(tmpDir, "app.log"),
  });
  await waitForHttp(`${appOrigin}/healthz`, app, 60_000);

  // 4. The exact bytes of /books, then the baselines serving them.
  const booksPage = await httpGet(`${appOrigin}/books`);
  if (booksPage.status !== 200)
    throw new Error(`GET /books answered ${booksPage.status}:\n${logTail(app)}`);
  const baselineHeaders = reusableHeaders(booksPage.headers);
  fs.writeFileSync(path.join(tmpDir, "books.html"), booksPage.body);
  fs.writeFileSync(path.join(tmpDir, "books.headers.json"), JSON.stringify(baselineHeaders));

  const startBaseline = async (mode: "express" | "http") => {
    const port = await freePort();
    const child = spawnChild(
      `${mode} baseline`,
      process.execPath,
      [
        "--import",
        "tsx",
        path.join(benchDir, "baseline.ts"),
        mode,
        String(port),
        path.join(tmpDir, "books.html"),
        path.join(tmpDir, "books.headers.json"),
      ],
      {
        cpus: pinning ? options.serverCpus : null,
        nice: options.nice,
        env: childEnv({ NODE_ENV: "production" }),
        logFile: path.join(tmpDir, `${mode}.log`),
      },
    );
    const origin = `http://127.0.0.1:${port}`;
    await waitForHttp(`${origin}/books`, child);
    const copy = await httpGet(`${origin}/books`);
    if (!copy.body.equals(booksPage.body))
      throw new Error(`the ${mode} baseline does not serve the exact /books bytes`);
    return { child, origin };
  };
  const expressBaseline = await startBaseline("express");
  const httpBaseline = await startBaseline("http");

  // The signed-in shopper signs in over HTTP and fills the cart as the cart page's form would.
  const cartCookie = await signIn(appOrigin, cartShopper);
  for (const bookId of cartBooks) {
    const answer = await addToCart(appOrigin, cartCookie, bookId);
    if (answer.status !== 302)
      throw new Error(`adding book ${bookId} to the cart answered ${answer.status}`);
  }
  const cartPage = await httpGet(`${appOrigin}/cart`, { cookie: cartCookie });
  const listed = cartBookIds(cartPage.body.toString("utf8"));
  // An empty cart would mean the cookie was not honoured: the target would bench a guest.
  if (cartPage.status !== 200 || [...listed].sort().join() !== [...cartBooks].sort().join()) {
    throw new Error(
      `GET /cart signed in answered ${cartPage.status} listing books [${listed.join(", ")}], ` +
        `not the ${CART_BOOKS} added [${cartBooks.join(", ")}]`,
    );
  }

  const searchWords = queries.filter((q) => !q.q.includes(" ") && !q.kind.includes("LIKE"));
  const booksEtag = booksPage.headers.etag;
  if (!booksEtag) throw new Error("GET /books answered without an ETag");
  const targets: Target[] = [
    { name: "home", kind: "page", description: "/", origin: appOrigin, paths: ["/"], server: app },
    {
      name: "books",
      kind: "page",
      description: "/books",
      origin: appOrigin,
      paths: ["/books"],
      server: app,
    },
    {
      // What a browser that has /books sends to revalidate it (pages are no-cache):
      // the server still renders the page to hash it, then answers 304 without it.
      name: "books-304",
      kind: "revalidation",
      description: `/books with If-None-Match: ${booksEtag} (answered 304)`,
      origin: appOrigin,
      paths: ["/books"],
      headers: { "if-none-match": booksEtag },
      expectStatus: 304,
      server: app,
    },
    {
      name: "search",
      kind: "page",
      description: `/books?q=<${searchWords.map((q) => q.q).join("|")}>`,
      origin: appOrigin,
      paths: searchWords.map((q) => `/books?q=${encodeURIComponent(q.q)}`),
      server: app,
    },
    {
      name: "book",
      kind: "page",
      description: `/books/:id (${bookIds.length} ids in turn)`,
      origin: appOrigin,
      paths: bookIds.map((id) => `/books/${id}`),
      server: app,
    },
    {
      name: "cart-signed-in",
      kind: "page",
      description: `/cart signed in (session cookie, ${CART_BOOKS} books in the cart)`,
      origin: appOrigin,
      paths: ["/cart"],
      headers: { cookie: cartCookie },
      server: app,
    },
    {
      name: "express-baseline",
      kind: "baseline",
      description: "Express route, constant string (/books bytes)",
      origin: expressBaseline.origin,
      paths: ["/books"],
      server: expressBaseline.child,
    },
    {
      name: "http-baseline",
      kind: "baseline",
      description: "node:http, pre-encoded Buffer (/books bytes)",
      origin: httpBaseline.origin,
      paths: ["/books"],
      server: httpBaseline.child,
    },
  ];

  // Every page answers 200 (the revalidation 304) before we measure anything.
  const pageBytes: Record<string, number> = {};
  for (const target of targets) {
    for (const p of target.paths) {
      const response = await httpGet(`${target.origin}${p}`, target.headers);
      if (response.status !== (target.expectStatus ?? 200))
        throw new Error(`GET ${p} (${target.name}) answered ${response.status}`);
      pageBytes[target.name] = Math.max(pageBytes[target.name] ?? 0, response.body.length);
    }
  }
  log(
    `\n/books is ${booksPage.body.length.toLocaleString("en")} bytes (${booksPage.headers["content-type"]}); ` +
      `baselines send it with ${Object.keys(baselineHeaders).length} copied headers.`,
  );

  // What each page costs the database, as a visitor without a cookie and signed in.
  const failures: string[] = [];
  const queryCounts = await countQueries(database.url, cartShopper.id, uploadsDir);
  const anonymousCosts = queryCounts.filter(
    (c) => c.request.startsWith("anonymous") && (c.sessionQueries > 0 || c.setsCookie),
  );
  if (anonymousCosts.length) {
    const rule = `a visitor without a session cookie must cost no session, user or cart query and get no cookie`;
    log(`FAIL: ${rule}; ${anonymousCosts.map((c) => c.request).join(", ")} did not.`);
    failures.push(`design rule broken: ${rule}`);
  } else {
    log(
      "PASS: a visitor without a session cookie costs no session, user or cart query, gets no cookie.",
    );
  }

  // 5. Interleaved rounds, rotating order.
  const measurements: Measurement[] = [];
  const total = options.rounds * targets.length;
  log(
    `\nLoad: ${total} measurements of ${options.warmup}s warm-up + ${options.duration}s, about ` +
      `${Math.ceil((total * (options.warmup + options.duration + 1.5)) / 60)} min.`,
  );
  for (let r = 0; r < options.rounds; r++) {
    const order = targets.map((_, i) => targets[(i + r) % targets.length]);
    for (const [position, target] of order.entries()) {
      const m = await measure(target, options, pinning, tmpDir, r + 1, position + 1);
      measurements.push(m);
      // A 304 is what the revalidation target must get; any other answer is the problem there.
      const unexpected = target.expectStatus
        ? Object.entries(m.statuses)
            .filter(([status]) => status !== String(target.expectStatus))
            .reduce((sum, [, n]) => sum + n, 0)
        : m.non2xx;
      const problems = unexpected + m.errors + m.timeouts;
      log(
        `  round ${r + 1}/${options.rounds}  ${pad(target.name, 17)} ${lpad(fmt(m.reqPerSec), 9)} req/s  ` +
          `p50 ${lpad(fmt(m.latencyMs.p50, 2), 7)} ms  p99 ${lpad(fmt(m.latencyMs.p99, 2), 7)} ms  ` +
          `server CPU ${m.serverCpu === null ? "?" : pct(m.serverCpu)}` +
          (m.otherOnServerCpu === null ? "" : ` (others ${pct(m.otherOnServerCpu)})`) +
          `  load-gen CPU ${pct(m.loadGeneratorCpu)}  ` +
          Object.entries(m.cpu)
            .map(([cpu, share]) => `${cpu}: irq ${pct(share.irq)} steal ${pct(share.steal)}`)
            .join(", ") +
          (problems
            ? `  !! ${unexpected} ${target.expectStatus ? `not ${target.expectStatus}` : "non-2xx"}, ${m.errors} errors, ${m.timeouts} timeouts`
            : ""),
      );
      if (problems)
        throw new Error(
          `${target.name}: failed requests during the measurement:\n${logTail(target.server)}`,
        );
    }
  }

  // 6. Summary.
  const summary = targets.map((target) => {
    const own = measurements.filter((m) => m.target === target.name);
    return {
      target: target.name,
      kind: target.kind,
      description: target.description,
      reqPerSec: round(median(own.map((m) => m.reqPerSec)), 1),
      latencyP50Ms: round(median(own.map((m) => m.latencyMs.p50)), 3),
      latencyP99Ms: round(median(own.map((m) => m.latencyMs.p99)), 3),
      serverCpu: own.every((m) => m.serverCpu !== null)
        ? round2(median(own.map((m) => m.serverCpu as number)))
        : null,
      /** Requests per second of server CPU: robust when something else took part of the core. */
      reqPerServerCpuSecond: own.every((m) => m.serverCpu)
        ? round(median(own.map((m) => m.reqPerSec / (m.serverCpu as number))), 1)
        : null,
      loadGeneratorCpu: round2(median(own.map((m) => m.loadGeneratorCpu))),
      responseBytes: pageBytes[target.name],
      /** Bytes received per answer, status line and headers included (autocannon's throughput). */
      wireBytesPerResponse: round(median(own.map((m) => m.bytesPerResponse)), 0),
      reqPerSecSpread: [
        Math.min(...own.map((m) => m.reqPerSec)),
        Math.max(...own.map((m) => m.reqPerSec)),
      ],
    };
  });
  const expressRps = summary.find((s) => s.target === "express-baseline")?.reqPerSec ?? Number.NaN;
  const httpRps = summary.find((s) => s.target === "http-baseline")?.reqPerSec ?? Number.NaN;
  const rows = summary.map((s) => ({
    ...s,
    ofExpressBaseline: round(s.reqPerSec / expressRps, 4),
    ofHttpBaseline: round(s.reqPerSec / httpRps, 4),
    pass: s.kind === "page" ? s.reqPerSec / expressRps >= PAGE_TARGET_SHARE : null,
  }));
  // Ratios within each round (the two sides measured minutes apart, not a whole run apart).
  const perRoundRatios = measurements
    .filter((m) => targets.find((t) => t.name === m.target)?.kind === "page")
    .map((m) => {
      const same = (name: string) =>
        measurements.find((x) => x.round === m.round && x.target === name)?.reqPerSec;
      return {
        target: m.target,
        round: m.round,
        ofExpressBaseline: round(m.reqPerSec / (same("express-baseline") ?? Number.NaN), 4),
        ofHttpBaseline: round(m.reqPerSec / (same("http-baseline") ?? Number.NaN), 4),
      };
    });

  log(
    `\nResults: median of ${options.rounds} round(s); latency from every response of the run (sub-ms);`,
  );
  log(`PASS = page req/s ≥ ${PAGE_TARGET_SHARE * 100}% of the Express baseline's.\n`);
  const header =
    `${pad("target", 18)}${lpad("req/s", 10)}${lpad("p50 ms", 9)}${lpad("p99 ms", 9)}` +
    `${lpad("vs Express", 12)}${lpad("vs node:http", 14)}${lpad("srv CPU", 9)}${lpad("req/CPU-s", 11)}` +
    `${lpad("gen CPU", 9)}  ≥15%?`;
  log(header);
  log("-".repeat(header.length + 2));
  for (const row of rows) {
    log(
      `${pad(row.target, 18)}${lpad(fmt(row.reqPerSec), 10)}${lpad(fmt(row.latencyP50Ms, 2), 9)}` +
        `${lpad(fmt(row.latencyP99Ms, 2), 9)}${lpad(pct(row.ofExpressBaseline), 12)}${lpad(pct(row.ofHttpBaseline), 14)}` +
        `${lpad(row.serverCpu === null ? "?" : pct(row.serverCpu), 9)}` +
        `${lpad(row.reqPerServerCpuSecond === null ? "?" : fmt(row.reqPerServerCpuSecond, 0), 11)}` +
        `${lpad(pct(row.loadGeneratorCpu), 9)}  ` +
        `${row.pass === null ? "" : row.pass ? "PASS" : "FAIL"}`,
    );
  }
  for (const target of targets) log(`  ${pad(target.name, 17)} ${target.description}`);
  const revalidation = compareRevalidation(rows, "books", "books-304");
  const others = measurements.map((m) => m.otherOnServerCpu).filter((n): n is number => n !== null);
  if (others.length && median(others) > 0.05) {
    log(
      `NOTE: other processes used a median ${pct(median(others))} (max ${pct(Math.max(...others))}) of the server's ` +
        `CPU ${options.serverCpus} during the measurements` +
        (options.db === "mysql"
          ? " (including mysqld answering this run's queries: it is a shared service, not pinned); "
          : ": the machine was not quiet, absolute figures are low; ") +
        "ratios within a round (perRoundRatios in the JSON) and req/CPU-s are more robust.",
    );
  }
  const saturatedGenerator = rows.filter((r) => r.loadGeneratorCpu > 0.9);
  if (saturatedGenerator.length) {
    log(
      `NOTE: the load generator used >90% of its CPU on ${saturatedGenerator.map((r) => r.target).join(", ")}: ` +
        "those figures are the generator's ceiling as much as the server's.",
    );
  }
  const worstSearch = Math.max(
    ...searchTimings.filter((s) => !s.kind.includes("LIKE")).map((s) => s.ms.p95),
  );
  log(
    `\nSearch at the database layer (full-text queries): worst p95 ${fmt(worstSearch, 2)} ms — ` +
      `${worstSearch < SEARCH_P95_TARGET_MS ? "PASS" : "FAIL"} (< ${SEARCH_P95_TARGET_MS} ms` +
      `${seed.totalBooks < 100_000 ? `; the target is for 100,000 books, this run has ${seed.totalBooks.toLocaleString("en")}` : ""})`,
  );

  // 7. Order placement under contention (MySQL).
  let orders: OrderScenarioReport[] | null = null;
  if (ordering && orderBooks && providerId !== null) {
    orders = await measureOrders({
      options,
      pinning,
      tmpDir,
      app,
      appOrigin,
      databaseUrl: database.url,
      buyers,
      orderBooks,
      providerId,
    });
    for (const report of orders) {
      for (const problem of report.problems)
        failures.push(`orders, ${report.scenario}: ${problem}`);
    }
  } else {
    log(
      `\nOrder placement: skipped (${options.db === "mysql" ? "--buyers 0" : "MySQL only: run with --db mysql"}).`,
    );
  }

  // 8. Results file.
  const resultsDir = path.join(benchDir, "results");
  fs.mkdirSync(resultsDir, { recursive: true });
  const file = path.join(
    resultsDir,
    `${startedAt.toISOString().replace(/[:.]/g, "-")}-${options.db}-${options.books}.json`,
  );
  const cpus = os.cpus();
  fs.writeFileSync(
    file,
    `${JSON.stringify(
      {
        startedAt: startedAt.toISOString(),
        finishedAt: new Date().toISOString(),
        machine: {
          cpus: cpus.length,
          cpuModel: cpus[0]?.model,
          totalMemoryBytes: os.totalmem(),
          platform: `${os.platform()} ${os.release()}`,
          node: process.version,
          loadAverageAtEnd: os.loadavg(),
        },
        params: { ...options, pinned: pinning },
        isolation: pinning
          ? `server and baselines: taskset -c ${options.serverCpus}; load generator (autocannon in bench/load.ts, own process) and orchestrator: taskset -c ${options.loadCpus}`
          : "not pinned",
        catalog: {
          totalBooks: seed.totalBooks,
          demoBooks: seed.demoBooks,
          syntheticBooks: seed.syntheticBooks,
          seedSeconds: round(seed.seconds, 1),
        },
        pages: Object.fromEntries(
          targets.map((t) => [t.name, { description: t.description, paths: t.paths }]),
        ),
        booksPage: { bytes: booksPage.body.length, baselineHeaders },
        pageDatabaseWork: loaderTimings,
        queriesPerRequest: queryCounts,
        orders,
        failures,
        search: {
          targetP95Ms: SEARCH_P95_TARGET_MS,
          worstFullTextP95Ms: worstSearch,
          pass: worstSearch < SEARCH_P95_TARGET_MS,
          queries: searchTimings,
        },
        summary: rows,
        revalidation,
        perRoundRatios,
        rounds: measurements,
      },
      null,
      2,
    )}\n`,
  );
  log(`\nWrote ${path.relative(repoRoot, file)}`);
  if (failures.length) throw new BenchFailure(failures);
}

/**
 * What a 304 saves against the full page: the same address and the same
 * rendering on the server (the ETag is a hash of the rendered page), minus
 * the body on the wire. Printed, and returned for the results file.
 */
function compareRevalidation(
  rows: Array<{
    target: string;
    reqPerSec: number;
    latencyP50Ms: number;
    reqPerServerCpuSecond: number | null;
    responseBytes: number;
    wireBytesPerResponse: number;
  }>,
  fullName: string,
  revalidatedName: string,
) {
  const full = rows.find((row) => row.target === fullName);
  const revalidated = rows.find((row) => row.target === revalidatedName);
  if (!full || !revalidated) return null;
  const ratio = (a: number | null, b: number | null) => (a && b ? round(a / b, 3) : null);
  const result = {
    full: { target: full.target, ...pick(full) },
    revalidated: { target: revalidated.target, ...pick(revalidated) },
    reqPerSecRatio: ratio(revalidated.reqPerSec, full.reqPerSec),
    reqPerServerCpuSecondRatio: ratio(
      revalidated.reqPerServerCpuSecond,
      full.reqPerServerCpuSecond,
    ),
    wireBytesRatio: ratio(revalidated.wireBytesPerResponse, full.wireBytesPerResponse),
  };
  log(`\nRevalidating /books (If-None-Match, answered 304) against the full 200 (medians):`);
  const header =
    `${pad("", 12)}${lpad("req/s", 10)}${lpad("p50 ms", 9)}${lpad("req/CPU-s", 11)}` +
    `${lpad("body bytes", 12)}${lpad("bytes on the wire", 19)}`;
  log(header);
  for (const [label, row] of [
    ["200 (books)", full],
    ["304", revalidated],
  ] as const) {
    log(
      `${pad(label, 12)}${lpad(fmt(row.reqPerSec), 10)}${lpad(fmt(row.latencyP50Ms, 2), 9)}` +
        `${lpad(row.reqPerServerCpuSecond === null ? "?" : fmt(row.reqPerServerCpuSecond, 0), 11)}` +
        `${lpad(String(row.responseBytes), 12)}${lpad(String(row.wireBytesPerResponse), 19)}`,
    );
  }
  log(
    `304 / 200: ${result.reqPerSecRatio ?? "?"} × the req/s, ${result.reqPerServerCpuSecondRatio ?? "?"} × ` +
      `the req per CPU-second, ${result.wireBytesRatio ?? "?"} × the bytes (the server renders the page either way).`,
  );
  return result;
}

function pick(row: {
  reqPerSec: number;
  latencyP50Ms: number;
  reqPerServerCpuSecond: number | null;
  responseBytes: number;
  wireBytesPerResponse: number;
}) {
  const { reqPerSec, latencyP50Ms, reqPerServerCpuSecond, responseBytes, wireBytesPerResponse } =
    row;
  return { reqPerSec, latencyP50Ms, reqPerServerCpuSecond, responseBytes, wireBytesPerResponse };
}

function printSearchTable(timings: SearchTiming[], books: number, requestedRuns: number) {
  log(
    `\n${pad("query", 26)}${pad("kind", 40)}${lpad("matches", 9)}${lpad("p50 ms", 9)}${lpad("p95 ms", 9)}` +
      `${lpad("p99 ms", 9)}  p95 < ${SEARCH_P95_TARGET_MS} ms`,
  );
  for (const t of timings) {
    log(
      `${pad(JSON.stringify(t.q), 26)}${pad(t.kind, 40)}${lpad(String(t.matches), 9)}${lpad(fmt(t.ms.p50, 2), 9)}` +
        `${lpad(fmt(t.ms.p95, 2), 9)}${lpad(fmt(t.ms.p99, 2), 9)}  ${t.pass ? "PASS" : "FAIL"}` +
        `${t.runs < requestedRuns ? `  (${t.runs} runs: time cap)` : ""}`,
    );
  }
  log(`(over ${books.toLocaleString("en")} books)`);
}

try {
  await main();
  await cleanup();
  process.exit(0);
} catch (error) {
  // After Ctrl-C the children are stopped on purpose: the signal handler cleans up and exits.
  if (interrupted) await new Promise(() => undefined);
  console.error(
    `\nbench failed: ${error instanceof UsageError || error instanceof BenchFailure ? error.message : ((error as Error).stack ?? error)}`,
  );
  if (error instanceof UsageError) process.stderr.write(`\n${HELP}`);
  await cleanup();
  process.exit(1);
}
