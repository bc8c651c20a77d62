/**
 * Production entry: `node build/server/index.js`.
 *
 * Uses every core: with WEB_CONCURRENCY > 1 the primary process forks that
 * many workers sharing the port (node:cluster) and restarts any that crash.
 * On SIGTERM/SIGINT each worker stops accepting connections, closes its idle
 * keep-alive connections at once, answers the requests in flight with
 * `Connection: close`, and exits 0 as soon as they are done (SHUTDOWN_TIMEOUT_MS
 * is only the limit), which is what systemd, Docker and an ALB draining a
 * target expect. Each worker also admits a bounded number of requests at once
 * (server/admission.ts, ADMISSION_*).
 */
import cluster from "node:cluster";
import http, { type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import type { ServerBuild } from "@remix-run/node";
import type { Config } from "../app/lib/config.server";
import { admissionControl } from "./admission";
import { createApp } from "./app";
import { publishAssets } from "./shared-assets";
import {
  createLogger,
  loadConfigOrExit,
  openDatabase,
  prepareEmbeddedDatabase,
  resolveSecrets,
  type Logger,
} from "./runtime";

// build/server/index.js → build/index.js (Remix server build) and public/ beside build/.
const buildDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const publicDir = path.resolve(buildDir, "..", "public");

const config = loadConfigOrExit();
const logger = createLogger(config.logLevel);

if (cluster.isPrimary) {
  await prepareEmbeddedDatabase(config, logger);
  await shareAssets(config, logger);
  if (config.webConcurrency > 1) runPrimary(config, logger);
  else await runWorker(config, logger);
} else {
  await runWorker(config, logger);
}

async function shareAssets(config: Config, logger: Logger) {
  if (!config.sharedAssetsDir) return;
  try {
    const published = await publishAssets(path.join(publicDir, "build"), config.sharedAssetsDir);
    logger.info({ published, dir: config.sharedAssetsDir }, "published assets for other releases");
  } catch (error) {
    // Not fatal: this release still serves its own assets; only old tabs may miss theirs.
    logger.error({ err: error, dir: config.sharedAssetsDir }, "could not publish assets");
  }
}

function runPrimary(config: Config, logger: Logger) {
  let stopping = false;
  logger.info({ workers: config.webConcurrency, port: config.port }, "starting workers");
  for (let i = 0; i < config.webConcurrency; i++) cluster.fork();

  cluster.on("exit", (worker, code, signal) => {
    if (stopping) return;
    logger.error({ workerPid: worker.process.pid, code, signal }, "worker died; starting another");
    // A short pause keeps a worker that dies at start from spinning the CPU.
    setTimeout(() => cluster.fork(), 1000).unref();
  });

  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, "stopping workers");
    for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill("SIGTERM");
    const waitForWorkers = setInterval(() => {
      if (Object.keys(cluster.workers ?? {}).length === 0) {
        clearInterval(waitForWorkers);
        logger.info("all workers stopped");
        process.exit(0);
      }
    }, 50);
    setTimeout(() => {
      logger.error("workers did not stop in time");
      process.exit(1);
    }, config.shutdownTimeoutMs + 5000).unref();
  };
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
}

async function runWorker(configured: Config, logger: Logger) {
  const build = (await import(pathToFileURL(path.join(buildDir, "index.js")).href)) as ServerBuild;
  const config = await resolveSecrets(configured);
  const db = await openDatabase(config);
  const app = createApp({ config, db, logger, build, publicDir });
  // Admission control wraps the whole Express app: a request refused for overload
  // costs no middleware at all (the refusals are counted in one log line every 10 s,
  // not one each); the rest go on to Express, request log first.
  const admit = admissionControl(config.admission, logger);
  const server = http.createServer((req, res) => admit(req, res, () => app(req, res)));
  server.listen(config.port, config.host, () => {
    const { port } = server.address() as AddressInfo;
    logger.info({ port, env: config.env, database: config.database.client }, "listening");
  });
  // Longer than the ALB's 60 s idle timeout, so the ALB always closes first
  // and never sends a request down a connection we are closing (502s).
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;

  // Requests whose response has not ended yet. Listened to before the app (prepend), so a
  // request that arrives after SIGTERM is marked before the app can answer it.
  const inFlight = new Set<ServerResponse>();
  let stopping = false;
  let servedWhileStopping = 0;
  let cut = 0;
  server.prependListener("request", (_req, res: ServerResponse) => {
    inFlight.add(res);
    if (stopping) res.setHeader("Connection", "close");
    res.once("close", () => {
      inFlight.delete(res);
      if (!stopping) return;
      if (res.writableFinished) servedWhileStopping++;
      else cut++;
      // A response whose headers left before SIGTERM kept its connection open: close it
      // now that it is idle (setImmediate: Node marks it idle after this event).
      setImmediate(() => server.closeIdleConnections());
    });
  });

  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal, inFlight: inFlight.size }, "shutting down: finishing requests in flight");
    // Keep-alive would let clients send request after request for the whole deadline
    // (the old behaviour: ~50 requests reset when it ran out). Every response still to
    // be written says Connection: close, so Node closes each connection once its request
    // is answered; connections between requests are closed right away (by close()
    // below). A client that had just sent a request on one of those never got it
    // started: browsers and the ALB retry such a request on a new connection.
    for (const res of inFlight) if (!res.headersSent) res.setHeader("Connection", "close");
    const deadline = setTimeout(() => {
      logger.warn(
        { inFlight: inFlight.size },
        "shutdown deadline reached: closing remaining connections",
      );
      server.closeAllConnections();
    }, config.shutdownTimeoutMs);
    deadline.unref();
    // Stops listening and closes idle connections; the callback runs once the last closes.
    server.close(async () => {
      clearTimeout(deadline);
      await db.destroy().catch((error) => logger.error({ err: error }, "closing the pool failed"));
      logger.info({ servedWhileStopping, cut }, "stopped");
      process.exit(0);
    });
  };
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
}
