/**
 * CPU per page of two builds of the app, measured in one process, in
 * alternating small batches: on a shared or virtual machine the CPU's speed
 * drifts by tens of percent between runs, and two runs one after the other
 * compare the machine as much as the code. Here both builds see the same
 * drift, so their ratio is what changed.
 *
 *   npm run build && npx tsx bench/render-ab.ts <other build dir> [/path,/path…] [batches]
 *
 * <other build dir> is another checkout's `build/` (e.g. a `git worktree` of an
 * older commit, built with `npm run build` there). Both builds render against
 * one fresh SQLite database with the demo catalog, migrated by this checkout
 * (a superset of older schemas), as an anonymous visitor without a cookie.
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
import { migrateLatest } from "../db/migrate";
import { seedDemoData } from "../db/seeds/demo";
import { resourceRoutePatterns, withDomainErrors } from "../server/route-modules";

process.env.NODE_ENV ??= "production";

const [otherDir, pathsArg = "/,/books,/books?q=love,/books/17", batchesArg = "40"] =
  process.argv.slice(2);
if (!otherDir) {
  console.error("usage: render-ab.ts <other build dir> [/path,/path…] [batches]");
  process.exit(2);
}
const batches = Number(batchesArg);
const BATCH = 25;

const tempDir = await fs.mkdtemp(path.join(os.tmpdir(), "bookstore-render-ab-"));
const db = createDb({ client: "sqlite", filename: path.join(tempDir, "bench.sqlite") });
await migrateLatest(db);
await seedDemoData(db);
const logger = createLogger("silent");

async function handlerFor(buildDir: string) {
  const build = (await import(
    pathToFileURL(path.resolve(buildDir, "index.js")).href
  )) as ServerBuild;
  const handle = createRequestHandler(withDomainErrors(build), "production");
  // Everything either build's load context may ask for; the older one ignores the rest.
  const context = {
    db,
    cspNonce: "bench",
    requestId: "bench",
    uploadsDir: tempDir,
    logger,
    sessions: createSessionStore(db, {
      secrets: ["render-ab-only-secret-0123456789abcdef"],
      secure: false,
    }),
    payments: createSimulatedGateway(),
    mailer: createMailer({ from: "bench@localhost", outboxDir: tempDir }, logger, {
      logLinks: false,
    }),
    rateLimits: createRateLimits(db),
    clientIp: "127.0.0.1",
    publicUrl: "http://bench.local",
    resourceRoutes: resourceRoutePatterns(build),
  };
  return async (pathname: string) => {
    const response = await handle(new Request(`http://bench.local${pathname}`), { ...context });
    await response.text();
  };
}

const sides = {
  other: await handlerFor(otherDir),
  this: await handlerFor("build"),
};

console.log(`${batches} alternating batches of ${BATCH} requests per page and build`);
for (const pathname of pathsArg.split(",")) {
  const cpu = { other: 0, this: 0 };
  for (const side of ["other", "this"] as const) {
    for (let i = 0; i < 100; i++) await sides[side](pathname); // warm-up
  }
  for (let b = 0; b < batches; b++) {
    for (const side of b % 2 === 0 ? (["other", "this"] as const) : (["this", "other"] as const)) {
      const before = process.cpuUsage();
      for (let i = 0; i < BATCH; i++) await sides[side](pathname);
      const used = process.cpuUsage(before);
      cpu[side] += used.user + used.system;
    }
  }
  const perRequest = (side: "other" | "this") => cpu[side] / 1000 / (batches * BATCH);
  console.log(
    `${pathname.padEnd(20)} other ${perRequest("other").toFixed(3)} ms  this ${perRequest("this").toFixed(3)} ms  ratio ${(perRequest("this") / perRequest("other")).toFixed(2)}`,
  );
}

await db.destroy();
await fs.rm(tempDir, { recursive: true, force: true });
