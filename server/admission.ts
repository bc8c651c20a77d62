/**
 * The server's answers when it will not serve a page: admission control, and
 * the 503 page people see when the shop is too busy or its database does not
 * answer (docs/decisions/042-admission-control-and-timeouts.md).
 *
 * Admission control, per worker: at most `maxInFlight` requests are served at
 * once, at most `maxQueue` more wait their turn (first come, first served).
 * Anything beyond gets an immediate 503 with Retry-After and a short page,
 * costing microseconds instead of adding to every admitted request's wait. One
 * Node.js process serves requests in turn on one core: without a bound, 200
 * clients at once each wait for the 199 others (seconds), and the load
 * balancer's and browsers' own timeouts turn that into errors. With one,
 * admitted requests stay fast and the rest are told to retry.
 *
 * How long a request may wait in the queue depends on the load (a controlled
 * delay, after Facebook's "Fail at Scale"). A burst (one page view asks for the
 * page and two dozen generated covers at once) drains in milliseconds: its
 * requests may wait up to `queueTimeoutMs`. Once a request had to be refused,
 * the process has more work than it can do, and for the next
 * OVERLOAD_WINDOW_MS new arrivals wait at most OVERLOADED_WAIT_MS: a standing
 * queue would only add its length to every admitted request's time, while
 * clients told to come back later lose nothing by being told at once.
 *
 * Health checks always pass: an overloaded instance is alive, and failing its
 * health check would only move the same load onto fewer instances. So do the
 * files under /build/ and /uploads/: served from disk without the database in
 * microseconds, and refusing the stylesheet or a cover of a page just admitted
 * would break that page.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import type { HandleDocumentRequestFunction, ServerBuild } from "@remix-run/node";
import { DatabaseUnavailableError } from "../app/lib/db.server";
import type { Logger } from "../app/lib/logger.server";

export interface AdmissionLimits {
  /** Requests served at once per worker; 0 turns admission control off. */
  maxInFlight: number;
  /** Requests waiting for a slot beyond those. */
  maxQueue: number;
  /** The longest a request waits in the queue before it is answered 503. */
  queueTimeoutMs: number;
}

/** Never queued, never refused (see above). */
const BYPASS = new Set(["/healthz", "/readyz"]);
const BYPASS_PREFIXES = ["/build/", "/uploads/"];

/** After a refusal, this long counts as overload, not a burst (clients retry after 1 s). */
const OVERLOAD_WINDOW_MS = 1000;
/** The longest a request waits for a slot while overloaded. */
const OVERLOADED_WAIT_MS = 10;

/** Overload passes quickly: a second is long enough for a queue to drain. */
const BUSY_RETRY_AFTER_SECONDS = 1;
/** A database that stopped answering (failover, restart) takes longer to come back. */
const UNAVAILABLE_RETRY_AFTER_SECONDS = DatabaseUnavailableError.retryAfterSeconds;
/** At most one "overloaded" log line per this many milliseconds, with a count. */
const REPORT_EVERY_MS = 10_000;

interface Waiting {
  res: ServerResponse;
  next: () => void;
  timer: NodeJS.Timeout;
}

export interface AdmissionStats {
  inFlight: number;
  queued: number;
  refused: number;
}

export function admissionControl(limits: AdmissionLimits, logger: Logger) {
  let inFlight = 0;
  const queue: Waiting[] = [];
  /** When the last request was refused: until OVERLOAD_WINDOW_MS later, this is overload. */
  let lastRefused = Number.NEGATIVE_INFINITY;
  let refused = 0;
  let refusedSinceReport = 0;
  let lastReport = 0;

  const admit = (res: ServerResponse, next: () => void) => {
    inFlight++;
    let released = false;
    // "close" follows the end of the response, or a client that went away mid-way.
    res.once("close", () => {
      if (released) return;
      released = true;
      inFlight--;
      admitWaiting();
    });
    next();
  };

  const admitWaiting = () => {
    while (inFlight < limits.maxInFlight && queue.length > 0) {
      const waiting = queue.shift()!;
      clearTimeout(waiting.timer);
      admit(waiting.res, waiting.next);
    }
  };

  const leaveQueue = (waiting: Waiting) => {
    const at = queue.indexOf(waiting);
    if (at === -1) return false;
    queue.splice(at, 1);
    clearTimeout(waiting.timer);
    return true;
  };

  const refuse = (res: ServerResponse, reason: "queue full" | "waited too long") => {
    lastRefused = performance.now();
    refused++;
    refusedSinceReport++;
    const now = Date.now();
    if (now - lastReport >= REPORT_EVERY_MS) {
      logger.warn(
        { refused: refusedSinceReport, reason, inFlight, queued: queue.length, ...limits },
        "overloaded: answering 503",
      );
      refusedSinceReport = 0;
      lastReport = now;
    }
    sendUnavailable(res, "busy");
  };

  const middleware = (req: IncomingMessage, res: ServerResponse, next: () => void) => {
    if (limits.maxInFlight === 0 || bypasses(req.url ?? "/")) return next();
    if (inFlight < limits.maxInFlight && queue.length === 0) return admit(res, next);
    if (queue.length >= limits.maxQueue) return refuse(res, "queue full");
    const overloaded = performance.now() - lastRefused < OVERLOAD_WINDOW_MS;
    const waiting: Waiting = {
      res,
      next,
      timer: setTimeout(
        () => {
          if (leaveQueue(waiting)) refuse(res, "waited too long");
        },
        overloaded ? Math.min(OVERLOADED_WAIT_MS, limits.queueTimeoutMs) : limits.queueTimeoutMs,
      ),
    };
    // A client that gives up while queued frees its place; nobody is left to answer.
    res.once("close", () => leaveQueue(waiting));
    queue.push(waiting);
  };

  return Object.assign(middleware, {
    stats: (): AdmissionStats => ({ inFlight, queued: queue.length, refused }),
  });
}

function bypasses(url: string): boolean {
  const query = url.indexOf("?");
  const path = query === -1 ? url : url.slice(0, query);
  return BYPASS.has(path) || BYPASS_PREFIXES.some((prefix) => path.startsWith(prefix));
}

// ─────────────────────────── the 503 page ───────────────────────────

const TEXT = {
  busy: "Too many people are shopping at this very moment. Please try again in a few seconds.",
  database: DatabaseUnavailableError.publicMessage,
};

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/**
 * A page that needs nothing to render: no database, no React, no scripts and
 * no styles (so no CSP nonce), a few hundred bytes. Its title says what it is.
 */
export function unavailablePage(message: string): string {
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Temporarily unavailable — Bookstore</title></head>
<body><main>
<p>503</p>
<h1>We’ll be right back</h1>
<p>${escapeHtml(message)}</p>
<p><a href="">Try again</a> or go to the <a href="/">home page</a>.</p>
</main></body>
</html>
`;
}

const PAGES = {
  busy: Buffer.from(unavailablePage(TEXT.busy)),
  database: Buffer.from(unavailablePage(TEXT.database)),
};

/** Headers every 503 carries: never cached, a time to come back, nothing to sniff or run. */
function unavailableHeaders(retryAfterSeconds: number): Record<string, string> {
  return {
    "Content-Type": "text/html; charset=utf-8",
    "Cache-Control": "no-store",
    "Retry-After": String(retryAfterSeconds),
    "X-Content-Type-Options": "nosniff",
    // Admission refuses before helmet runs: this page needs nothing, so it allows nothing.
    "Content-Security-Policy": "default-src 'none'; frame-ancestors 'none'; base-uri 'none'",
  };
}

/** Answers 503 with the page, from plain node:http (used before Express's helpers run). */
export function sendUnavailable(
  res: ServerResponse<IncomingMessage>,
  kind: keyof typeof PAGES,
): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const retryAfter = kind === "busy" ? BUSY_RETRY_AFTER_SECONDS : UNAVAILABLE_RETRY_AFTER_SECONDS;
  res.writeHead(503, {
    ...unavailableHeaders(retryAfter),
    "Content-Length": String(PAGES[kind].length),
  });
  res.end(PAGES[kind]);
}

/**
 * Pages whose data failed with a 503 (app/lib/db.server.ts's
 * DatabaseUnavailableError, through server/route-modules.ts) are answered with
 * the page above instead of the route's error boundary. The boundary would
 * render inside the site's layout, under the route's own <title> ("Books —
 * Bookstore", "Book not found"), and need the layout's data, which the same
 * database holds. Data requests from client-side navigation keep Remix's
 * answer (a 503 with Retry-After), shown by the error boundary.
 */
export function withUnavailablePage(build: ServerBuild): ServerBuild {
  const renderDocument = build.entry.module.default;
  const handleDocument: HandleDocumentRequestFunction = (
    request,
    status,
    headers,
    context,
    loadContext,
  ) => {
    if (status !== 503) return renderDocument(request, status, headers, context, loadContext);
    for (const [name, value] of Object.entries(
      unavailableHeaders(UNAVAILABLE_RETRY_AFTER_SECONDS),
    )) {
      // A Retry-After the failing route chose wins over ours.
      if (name !== "Retry-After" || !headers.has(name)) headers.set(name, value);
    }
    return new Response(unavailablePage(messageOf(context.staticHandlerContext.errors)), {
      status: 503,
      headers,
    });
  };
  return {
    ...build,
    entry: { ...build.entry, module: { ...build.entry.module, default: handleDocument } },
  };
}

/** The message the failing route gave people (a domain error's), or the database's. */
function messageOf(errors: Record<string, unknown> | null): string {
  for (const error of Object.values(errors ?? {})) {
    const data = (error as { status?: number; data?: unknown }).data;
    if ((error as { status?: number }).status !== 503) continue;
    if (data && typeof data === "object" && "message" in data && typeof data.message === "string")
      return data.message;
  }
  return TEXT.database;
}
