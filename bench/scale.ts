/**
 * `npx tsx bench/scale.ts`: what more processes buy, on one MySQL database.
 *
 * Four set-ups of the production server (`build/server/index.js`), measured
 * in interleaved rounds with the same load generator (bench/load.ts):
 *
 *   1 worker        one instance, WEB_CONCURRENCY=1, asked directly (the baseline)
 *   2 workers       one instance, WEB_CONCURRENCY=2 (node:cluster), asked directly
 *   nginx → 1       the baseline behind nginx (what the proxy hop costs)
 *   nginx → 2       two instances of one worker each behind nginx, round-robin,
 *                   sharing the database and an uploads folder (the fleet in small)
 *
 * Each is asked for `/books` and `/books/:id` (anonymous, keep-alive) and
 * reported as req/s, p50 and p99 and as a ratio to the baseline of the same
 * round. On a two-core machine the server processes and the load generator
 * share the cores (nothing is pinned: pinning two workers to one core would
 * measure nothing), so the ratios say what a second process buys when the
 * load generator takes its share too: read them as a floor for real hosts.
 *
 *   npx tsx bench/scale.ts [--duration 8] [--rounds 3] [--connections 20] [--books 2000]
 *
 * Needs MySQL at 127.0.0.1:3306 (root, no password) and nginx; creates and
 * drops its own database. Writes bench/results/<time>-scale.json.
 */
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import knexFactory from "knex";
import { parseDatabaseUrl } from "../app/lib/config.server";
import { createDb } from "../app/lib/db.server";
import type { LoadJob, LoadResult } from "./load";
import {
  childEnv,
  freePort,
  logTail,
  spawnChild,
  stopAll,
  waitForHttp,
  type Child,
} from "./processes";
import { seedBenchCatalog } from "./seed";
import { median, round } from "./stats";

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const benchDir = path.join(repoRoot, "bench");
const MYSQL = { host: "127.0.0.1", port: 3306, user: "root" } as const;

const { values } = parseArgs({
  options: {
    duration: { type: "string", default: "8" },
    warmup: { type: "string", default: "2" },
    rounds: { type: "string", default: "3" },
    connections: { type: "string", default: "20" },
    books: { type: "string", default: "2000" },
  },
});
const options = {
  duration: Number(values.duration),
  warmup: Number(values.warmup),
  rounds: Number(values.rounds),
  connections: Number(values.connections),
  books: Number(values.books),
};
for (const [name, value] of Object.entries(options)) {
  if (!Number.isInteger(value) || value < 1)
    throw new Error(`--${name} must be a whole number ≥ 1`);
}

const log = (line: string) => console.log(line);
const tmpDir = fs.mkdtempSync(path.join(os.tmpdir(), "bookstore-scale-"));
const cleanups: Array<() => Promise<void>> = [];

async function createDatabase(): Promise<string> {
  const name = `bench_scale_${crypto.randomBytes(4).toString("hex")}`;
  const admin = () =>
    knexFactory({ client: "mysql2", connection: { ...MYSQL }, pool: { min: 0, max: 1 } });
  const creator = admin();
  await creator.raw(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
  await creator.destroy();
  cleanups.push(async () => {
    const dropper = admin();
    await dropper.raw(`DROP DATABASE IF EXISTS \`${name}\``);
    await dropper.destroy();
  });
  return `mysql://${MYSQL.user}@${MYSQL.host}:${MYSQL.port}/${name}`;
}

async function startInstance(name: string, databaseUrl: string, workers: number): Promise<number> {
  const port = await freePort();
  const child = spawnChild(name, process.execPath, ["build/server/index.js"], {
    cpus: null,
    env: childEnv({
      NODE_ENV: "production",
      HOST: "127.0.0.1",
      PORT: String(port),
      DATABASE_URL: databaseUrl,
      UPLOADS_DIR: path.join(tmpDir, "uploads"),
      SESSION_SECRET: "scale-bench-session-secret-0123456789abcdef",
      MAIL_OUTBOX_DIR: path.join(tmpDir, "outbox"),
      WEB_CONCURRENCY: String(workers),
      TRUST_PROXY: "1",
      LOG_LEVEL: "warn",
    }),
    logFile: path.join(tmpDir, `${name}.log`),
  });
  await waitForHttp(`http://127.0.0.1:${port}/healthz`, child, 60_000);
  return port;
}

/** nginx in front of `ports`, round-robin, keep-alive to the instances as the ALB keeps them. */
async function startNginx(name: string, ports: number[]): Promise<number> {
  const dir = path.join(tmpDir, name);
  fs.mkdirSync(dir, { mode: 0o755 });
  const port = await freePort();
  const conf = path.join(dir, "nginx.conf");
  fs.writeFileSync(
    conf,
    `worker_processes 1;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path ${dir}/body;
  proxy_temp_path ${dir}/proxy;
  fastcgi_temp_path ${dir}/fastcgi;
  uwsgi_temp_path ${dir}/uwsgi;
  scgi_temp_path ${dir}/scgi;
  keepalive_requests 1000000;
  upstream app {
${ports.map((p) => `    server 127.0.0.1:${p};`).join("\n")}
    keepalive 64;
  }
  server {
    listen 127.0.0.1:${port};
    location / {
      proxy_pass http://app;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host $http_host;
      proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
      proxy_set_header X-Forwarded-Proto $scheme;
    }
  }
}
`,
  );
  const child = spawnChild(name, "nginx", ["-p", dir, "-c", conf, "-g", "daemon off;"], {
    cpus: null,
    logFile: path.join(tmpDir, `${name}.log`),
  });
  await waitForHttp(`http://127.0.0.1:${port}/healthz`, child, 10_000);
  return port;
}

async function load(origin: string, paths: string[], stem: string): Promise<LoadResult> {
  const job: LoadJob = {
    origin,
    paths,
    connections: options.connections,
    durationSeconds: options.duration,
    warmupSeconds: options.warmup,
  };
  fs.writeFileSync(`${stem}.job.json`, JSON.stringify(job));
  const child: Child = spawnChild(
    "load generator",
    process.execPath,
    ["--import", "tsx", path.join(benchDir, "load.ts"), `${stem}.job.json`, `${stem}.result.json`],
    { cpus: null, env: childEnv({ NODE_ENV: "production" }), logFile: `${stem}.log`, ipc: true },
  );
  const code = await child.exited;
  if (code !== 0) throw new Error(`load generator failed (${code}):\n${logTail(child)}`);
  return JSON.parse(fs.readFileSync(`${stem}.result.json`, "utf8")) as LoadResult;
}

async function main() {
  if (!fs.existsSync(path.join(repoRoot, "build/server/index.js")))
    throw new Error("run `npm run build` first");
  const databaseUrl = await createDatabase();
  const db = createDb(parseDatabaseUrl(databaseUrl), { min: 0, max: 2 });
  await seedBenchCatalog(db, options.books);
  const ids = (await db("books").select("id").orderBy("id").limit(100)) as Array<{ id: number }>;
  await db.destroy();
  fs.mkdirSync(path.join(tmpDir, "uploads"));

  const single = await startInstance("one-worker", databaseUrl, 1);
  const double = await startInstance("two-workers", databaseUrl, 2);
  const left = await startInstance("fleet-a", databaseUrl, 1);
  const right = await startInstance("fleet-b", databaseUrl, 1);
  const setups = [
    { name: "1 worker", port: single },
    { name: "2 workers", port: double },
    { name: "nginx → 1", port: await startNginx("nginx-one", [single]) },
    { name: "nginx → 2", port: await startNginx("nginx-two", [left, right]) },
  ];
  const targets = [
    { name: "/books", paths: ["/books"] },
    { name: "/books/:id", paths: ids.map((row) => `/books/${row.id}`) },
  ];

  log(
    `Scale bench: ${options.books} books on MySQL, ${options.connections} connections, ` +
      `${options.rounds} rounds of ${options.warmup}+${options.duration} s, ${os.cpus().length} CPUs (shared)`,
  );
  const results: Array<{ setup: string; target: string; round: number; result: LoadResult }> = [];
  for (let r = 0; r < options.rounds; r++) {
    for (const target of targets) {
      // Rotate the order each round so drift spreads over all set-ups.
      const order = setups.map((_, i) => setups[(i + r) % setups.length]);
      for (const setup of order) {
        const stem = path.join(tmpDir, `r${r}-${setup.port}-${target.paths.length}`);
        const result = await load(`http://127.0.0.1:${setup.port}`, target.paths, stem);
        if (result.non2xx > 0 || result.errors > 0)
          throw new Error(
            `${setup.name} ${target.name}: ${result.non2xx} non-2xx, ${result.errors} errors`,
          );
        results.push({ setup: setup.name, target: target.name, round: r, result });
        log(
          `  round ${r + 1} ${target.name.padEnd(11)} ${setup.name.padEnd(10)} ` +
            `${result.reqPerSec.toFixed(0).padStart(6)} req/s  p99 ${result.latencyMs.p99.toFixed(1)} ms`,
        );
      }
    }
  }

  log(
    "\nMedians over rounds; ratio = req/s against '1 worker' in the same round (median of ratios):\n",
  );
  log("target      set-up       req/s    p50 ms   p99 ms   ratio");
  const summary = [];
  for (const target of targets) {
    for (const setup of setups) {
      const mine = results.filter((x) => x.setup === setup.name && x.target === target.name);
      const ratios = mine.map((x) => {
        const base = results.find(
          (b) => b.setup === "1 worker" && b.target === target.name && b.round === x.round,
        )!;
        return x.result.reqPerSec / base.result.reqPerSec;
      });
      const row = {
        target: target.name,
        setup: setup.name,
        reqPerSec: round(median(mine.map((x) => x.result.reqPerSec)), 0),
        p50: round(median(mine.map((x) => x.result.latencyMs.p50)), 1),
        p99: round(median(mine.map((x) => x.result.latencyMs.p99)), 1),
        ratio: round(median(ratios), 2),
      };
      summary.push(row);
      log(
        `${row.target.padEnd(11)} ${row.setup.padEnd(10)} ${String(row.reqPerSec).padStart(7)} ` +
          `${row.p50.toFixed(1).padStart(9)} ${row.p99.toFixed(1).padStart(8)}   ${row.ratio.toFixed(2)} ×`,
      );
    }
  }
  const out = path.join(
    benchDir,
    "results",
    `${new Date().toISOString().replace(/[:.]/g, "-")}-scale.json`,
  );
  fs.mkdirSync(path.dirname(out), { recursive: true });
  fs.writeFileSync(
    out,
    JSON.stringify({ options, cpus: os.cpus().length, summary, results }, null, 2),
  );
  log(`\nWrote ${path.relative(repoRoot, out)}`);
}

try {
  await main();
} finally {
  await stopAll();
  for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
  fs.rmSync(tmpDir, { recursive: true, force: true });
}
