/**
 * CPU per page inside Remix, without HTTP: calls the production build's
 * request handler directly, so framework, React and database costs can be
 * compared without load-generator noise. A companion to run.ts for profiling.
 *
 *   npm run build && npx tsx bench/render-cost.ts [sqlite-file] [/path,/path…] [requests]
 *
 * Without a file it uses a fresh database with the demo catalog.
 */
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { createRequestHandler, type ServerBuild } from "@remix-run/node";
import { createDb } from "../app/lib/db.server";
import { createLogger } from "../app/lib/logger.server";
import { createMailer } from "../app/lib/mailer.server";
import { createSimulatedGateway } from "../app/lib/payments.server";
import { createRateLimits } from "../app/lib/rate-limits.server";
import { createSessionStore } from "../app/lib/session.server";
import { resourceRoutePatterns, withDomainErrors } from "../server/route-modules";
import { migrateLatest } from "../db/migrate";
import { seedDemoData } from "../db/seeds/demo";

// React picks its production build from NODE_ENV when the server build first loads it.
process.env.NODE_ENV ??= "production";

const [fileArg, pathsArg = "/,/books,/books?q=love,/books/17,/no-such-page", countArg = "1000"] =
  process.argv.slice(2);
const requests = Number(countArg);

const tempDir = fileArg ? undefined : await fs.mkdtemp(path.join(os.tmpdir(), "bookstore-render-"));
const db = createDb({ client: "sqlite", filename: fileArg ?? path.join(tempDir!, "bench.sqlite") });
if (!fileArg) {
  await migrateLatest(db);
  await seedDemoData(db);
}
const build = (await import(pathToFileURL(path.resolve("build/index.js")).href)) as ServerBuild;
const handle = createRequestHandler(withDomainErrors(build), "production");
const logger = createLogger("silent");
const context = {
  db,
  cspNonce: "bench",
  requestId: "bench",
  uploadsDir: os.tmpdir(),
  logger,
  sessions: createSessionStore(db, {
    secrets: ["bench-only-session-secret-0123456789abcdef"],
    secure: false,
  }),
  payments: createSimulatedGateway(),
  mailer: createMailer(
    { from: "bench@localhost", outboxDir: path.join(os.tmpdir(), "bookstore-bench-outbox") },
    logger,
    { logLinks: false },
  ),
  rateLimits: createRateLimits(db),
  clientIp: "127.0.0.1",
  publicUrl: "http://bench.local",
  resourceRoutes: resourceRoutePatterns(build),
};

console.log(`${requests} requests per page after 200 warm-up requests`);
for (const pathname of pathsArg.split(",")) {
  const once = async () => {
    // A context per request, as the server makes one: app/lib/auth.server.ts remembers the
    // session and the user on it, so a shared one would answer every request from the first's.
    const response = await handle(new Request(`http://bench.local${pathname}`), { ...context });
    await response.text();
  };
  for (let i = 0; i < 200; i++) await once();
  const cpuBefore = process.cpuUsage();
  const wallBefore = performance.now();
  for (let i = 0; i < requests; i++) await once();
  const cpu = process.cpuUsage(cpuBefore);
  const cpuMs = (cpu.user + cpu.system) / 1000 / requests;
  const wallMs = (performance.now() - wallBefore) / requests;
  console.log(
    `${pathname.padEnd(24)} ${cpuMs.toFixed(3)} ms CPU  ${wallMs.toFixed(3)} ms wall per request`,
  );
}

await db.destroy();
if (tempDir) await fs.rm(tempDir, { recursive: true, force: true });
