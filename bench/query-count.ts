/**
 * How many database queries one request costs, and on which tables: the
 * production build's request handler called in this process (as
 * bench/render-cost.ts does) over a knex instance that counts its queries.
 *
 * It shows a design rule the req/s figures can only hint at: a visitor
 * without a session cookie costs no session, user or cart query (app/root.tsx,
 * app/lib/session.server.ts), while a signed-in shopper pays for the session,
 * the user and the cart on every page.
 */
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { createRequestHandler, type ServerBuild } from "@remix-run/node";
import type { Db } from "../app/lib/db.server";
import { createLogger } from "../app/lib/logger.server";
import { createMailer } from "../app/lib/mailer.server";
import { createSimulatedGateway } from "../app/lib/payments.server";
import { createRateLimits } from "../app/lib/rate-limits.server";
import { createSessionStore } from "../app/lib/session.server";
import { resourceRoutePatterns, withDomainErrors } from "../server/route-modules";

/** Tables only a visitor with a session may cost. */
export const SESSION_TABLES = ["sessions", "users", "carts", "cart_items"] as const;

export interface QueryCount {
  request: string;
  status: number;
  queries: number;
  /** Queries naming each table (a join counts for both tables). */
  tables: Record<string, number>;
  /** Queries on SESSION_TABLES. */
  sessionQueries: number;
  setsCookie: boolean;
}

/** Table names a statement mentions (knex quotes them: `books` or "books"). */
function tablesOf(sql: string): string[] {
  const names = new Set<string>();
  for (const match of sql.matchAll(/\b(?:from|join|into|update)\s+[`"]?(\w+)[`"]?/gi))
    names.add(match[1]);
  return [...names];
}

/**
 * Counts the queries of each `requests` path, as a visitor without a cookie
 * and as `userId` signed in (a session minted here, through the app's own
 * session store). Each request runs twice first, so short-lived caches are as
 * warm as under load.
 */
export async function countQueriesPerRequest(
  db: Db,
  { userId, paths, uploadsDir }: { userId: number; paths: string[]; uploadsDir: string },
): Promise<QueryCount[]> {
  // React picks its production build from NODE_ENV when the server build first loads it.
  process.env.NODE_ENV ??= "production";
  const build = (await import(pathToFileURL(path.resolve("build/index.js")).href)) as ServerBuild;
  const handle = createRequestHandler(withDomainErrors(build), "production");
  const logger = createLogger("silent");
  const sessions = createSessionStore(db, {
    secrets: ["bench-only-query-count-secret-0123456789"],
    secure: false,
  });
  const context = {
    db,
    cspNonce: "bench",
    requestId: "bench",
    uploadsDir,
    logger,
    sessions,
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

  const session = await sessions.getSession(null);
  session.set("userId", userId);
  const signedInCookie = (await sessions.commitSession(session)).split(";")[0];

  let statements: string[] = [];
  const onQuery = (query: { sql: string }) => statements.push(query.sql);
  db.on("query", onQuery);
  const results: QueryCount[] = [];
  try {
    for (const [who, cookie] of [
      ["anonymous", null],
      ["signed-in", signedInCookie],
    ] as const) {
      for (const pathname of paths) {
        const once = async () => {
          const headers = new Headers({ accept: "text/html" });
          if (cookie) headers.set("cookie", cookie);
          const response = await handle(
            new Request(`http://bench.local${pathname}`, { headers }),
            // A context per request, as the server makes one: the session and user are
            // remembered on it (app/lib/auth.server.ts).
            { ...context },
          );
          await response.text();
          return response;
        };
        await once();
        await once();
        statements = [];
        const response = await once();
        const tables: Record<string, number> = {};
        for (const sql of statements) {
          for (const table of tablesOf(sql)) tables[table] = (tables[table] ?? 0) + 1;
        }
        results.push({
          request: `${who} GET ${pathname}`,
          status: response.status,
          queries: statements.length,
          tables,
          sessionQueries: statements.filter((sql) =>
            tablesOf(sql).some((t) => (SESSION_TABLES as readonly string[]).includes(t)),
          ).length,
          setsCookie: response.headers.has("set-cookie"),
        });
      }
    }
  } finally {
    db.off("query", onQuery);
  }
  return results;
}
