/**
 * The Express application: security headers, compression, static files with
 * the right caching, health endpoints, request logging, and the Remix handler.
 * A factory, so tests build the real thing on an ephemeral port.
 */
import crypto from "node:crypto";
import fsSync from "node:fs";
import fs from "node:fs/promises";
import http from "node:http";
import path from "node:path";
import { createRequestHandler } from "@remix-run/express";
import type { AppLoadContext, ServerBuild } from "@remix-run/node";
import compression from "compression";
import express, { type NextFunction, type Request, type Response } from "express";
import helmet from "helmet";
import "../app/load-context";
import type { Config } from "../app/lib/config.server";
import { pingDb, type Db } from "../app/lib/db.server";
import type { Logger } from "../app/lib/logger.server";
import { httpCacheGuards } from "../app/lib/http-cache.server";
import { createMailer, type Mailer } from "../app/lib/mailer.server";
import { createSimulatedGateway, type PaymentGateway } from "../app/lib/payments.server";
import { createRateLimits, type RateLimits } from "../app/lib/rate-limits.server";
import { createSessionStore } from "../app/lib/session.server";
import { withUnavailablePage } from "./admission";
import { answerMethods, checkRequestTarget, rejectCrossSiteMutations } from "./origin-check";
import { resourceRoutePatterns, withDomainErrors } from "./route-modules";

export interface AppDependencies {
  config: Pick<
    Config,
    | "env"
    | "trustProxy"
    | "uploadsDir"
    | "sharedAssetsDir"
    | "sessionSecrets"
    | "secureCookies"
    | "mail"
    | "publicUrl"
  >;
  db: Db;
  logger: Logger;
  build: ServerBuild;
  /** Folder holding favicon etc. and the client build in build/ (default ./public). */
  publicDir?: string;
  /** The payment gateway; the simulated one unless a test or a real processor provides another. */
  payments?: PaymentGateway;
  /** Outgoing mail; SMTP or the outbox folder as configured unless given. */
  mailer?: Mailer;
  /** Sign-in and join limits; the database-backed defaults unless given. */
  rateLimits?: RateLimits;
}

const REQUEST_ID = /^[\w.:-]{1,128}$/;
/** An upload stored under the SHA-256 of its bytes (see storeImage). */
const CONTENT_HASHED_NAME = /^[0-9a-f]{64}\.(?:webp|jpg|png)$/;

export function createApp({
  config,
  db,
  logger,
  build,
  publicDir = "public",
  ...services
}: AppDependencies) {
  if (!config.sessionSecrets?.length) {
    throw new Error("createApp needs the session secrets resolved (see resolveSecrets)");
  }
  const sessions = createSessionStore(db, {
    secrets: config.sessionSecrets,
    secure: config.secureCookies,
  });
  const payments = services.payments ?? createSimulatedGateway();
  const mailer =
    services.mailer ?? createMailer(config.mail, logger, { logLinks: config.env !== "production" });
  const rateLimits = services.rateLimits ?? createRateLimits(db);
  // What Express serves itself below, to GET and HEAD only.
  const expressPaths = ["/build/*", "/uploads/*", "/healthz", "/readyz"];
  const rootFiles = publicRootNames(publicDir);
  // Addresses that are not pages: Remix resource routes, and what Express serves itself.
  const resourceRoutes = [...resourceRoutePatterns(build), ...expressPaths];

  const app = express();
  app.disable("x-powered-by");
  // A resource route that sends its own Content-Security-Policy (a cover's SVG)
  // replaces the page policy helmet set; Remix appends each header and would add
  // a second one. Set once on this app's response prototype, not per request.
  const append = app.response.append;
  app.response.append = function (this: Response, field: string, value?: string | string[]) {
    return field.toLowerCase() === "content-security-policy"
      ? this.set(field, value)
      : append.call(this, field, value);
  };
  // Behind the ALB exactly one hop is trusted, so X-Forwarded-For cannot be spoofed.
  app.set("trust proxy", config.trustProxy);

  app.use(requestLogging(logger));
  app.use((_req, res, next) => {
    res.locals.cspNonce = crypto.randomBytes(16).toString("base64");
    next();
  });
  app.use(
    helmet({
      contentSecurityPolicy: {
        directives: {
          defaultSrc: ["'self'"],
          scriptSrc: ["'self'", (_req, res) => `'nonce-${(res as Response).locals.cspNonce}'`],
          styleSrc: ["'self'"],
          imgSrc: ["'self'", "data:"],
          connectSrc: ["'self'"],
          formAction: ["'self'"],
          frameAncestors: ["'none'"],
          objectSrc: ["'none'"],
          baseUri: ["'self'"],
          // Plain-HTTP dev mode must keep working; the ALB terminates TLS in production.
          upgradeInsecureRequests: null,
        },
      },
      // HSTS is the edge's job (the ALB redirects to HTTPS); sending it from a
      // localhost server would pin browsers to HTTPS for localhost.
      strictTransportSecurity: config.env === "production" ? undefined : false,
      // Helmet's default, no-referrer, makes Chromium send "Origin: null" with a
      // form posted without JavaScript, which the cross-site check must refuse.
      // same-origin still tells other sites nothing.
      referrerPolicy: { policy: "same-origin" },
      // What frame-ancestors 'none' says, for browsers that only know this header.
      xFrameOptions: { action: "deny" },
    }),
  );
  app.use(checkRequestTarget());
  // HTTP caching (app/lib/http-cache.server.ts, decision 040): a 304 keeps the
  // CSP the browser stored with the page (its nonce is the page's), and POST
  // answers and errors that chose no Cache-Control get no-store.
  app.use(httpCacheGuards());
  app.use(compression());

  app.get("/healthz", (_req, res) => {
    res
      .set("Cache-Control", "no-store")
      .json({ status: "ok", uptimeSeconds: Math.round(process.uptime()) });
  });
  app.get("/readyz", async (_req, res) => {
    const checks = await readinessChecks(db, config.uploadsDir);
    const ready = Object.values(checks).every((state) => state === "ok");
    if (!ready) logger.warn({ checks }, "not ready");
    res
      .status(ready ? 200 : 503)
      .set("Cache-Control", "no-store")
      .json({ status: ready ? "ready" : "unavailable", checks });
  });

  // Fingerprinted assets never change under the same name: cache them for a year.
  // Ours first, then those every other release published (see shared-assets.ts).
  const fingerprinted = { immutable: true, maxAge: "1y", index: false } as const;
  app.use("/build", express.static(path.join(publicDir, "build"), fingerprinted));
  if (config.sharedAssetsDir)
    app.use("/build", express.static(config.sharedAssetsDir, fingerprinted));
  app.use(
    "/uploads",
    express.static(config.uploadsDir, {
      maxAge: "1h",
      index: false,
      // Also keeps the uploads' temporary dot-names (mid-write) from ever being served.
      dotfiles: "deny",
      fallthrough: true,
      // Uploaded images are named after their content's hash (covers/<sha256>.webp,
      // app/lib/uploads.server.ts): a name never changes content, so browsers
      // may keep them for a year like /build. Other files keep the hour above.
      setHeaders(res, filePath) {
        if (CONTENT_HASHED_NAME.test(path.basename(filePath)))
          res.setHeader("Cache-Control", "public, max-age=31536000, immutable");
      },
    }),
  );
  app.use(publicRootFiles(publicDir, rootFiles));

  app.use(rejectCrossSiteMutations());
  app.use(answerMethods(build, [...expressPaths, ...rootFiles]));
  // A file missing there is a short 404, not the shop's page (an asset or an
  // image asked for it), and not stored: a release's assets may appear later.
  app.use(["/build", "/uploads"], (_req, res) => {
    res.status(404).set("Cache-Control", "no-store").type("text/plain").send("Not found");
  });

  app.all(
    "*",
    createRequestHandler({
      // A page whose data failed with a 503 (the database did not answer) is
      // answered with the static 503 page, titled as such (server/admission.ts).
      build: withUnavailablePage(withDomainErrors(build)),
      mode: config.env,
      getLoadContext: (req, res): AppLoadContext => ({
        db,
        cspNonce: res.locals.cspNonce as string,
        requestId: res.locals.requestId as string,
        uploadsDir: config.uploadsDir,
        logger: logger.child({ requestId: res.locals.requestId }),
        sessions,
        payments,
        mailer,
        rateLimits,
        clientIp: req.ip ?? req.socket.remoteAddress ?? "unknown",
        publicUrl: config.publicUrl ?? `${req.protocol}://${req.get("host")}`,
        resourceRoutes,
      }),
    }),
  );

  app.use((error: unknown, req: Request, res: Response, next: NextFunction) => {
    if (res.headersSent) return next(error);
    // Whatever caching a static file had set up does not apply to its error.
    for (const name of ["Cache-Control", "ETag", "Last-Modified", "Content-Range"])
      res.removeHeader(name);
    res.set("Cache-Control", "no-store");
    // Express and the static files mark the client's mistakes with a 4xx status
    // (a range past the end of a file: 416 and its Content-Range): say so.
    const { status, headers } = (error ?? {}) as { status?: unknown; headers?: unknown };
    if (typeof status === "number" && status >= 400 && status < 500) {
      if (headers && typeof headers === "object") res.set(headers as Record<string, string>);
      return res
        .status(status)
        .type("text/plain")
        .send(status === 416 ? "That range is outside the file." : http.STATUS_CODES[status]);
    }
    logger.error({ err: error, requestId: res.locals.requestId }, "unhandled error");
    res.status(500).type("text/plain").send("Something went wrong on our side. Please try again.");
  });

  return app;
}

/**
 * favicon.svg, robots.txt and the like, cached for an hour. The list is read
 * once at start, so page requests do not each cost a file-system lookup.
 */
function publicRootFiles(publicDir: string, files: string[]) {
  const names = new Set(files);
  const serve = express.static(publicDir, { maxAge: "1h", index: false });
  return (req: Request, res: Response, next: NextFunction) =>
    names.has(req.path) ? serve(req, res, next) : next();
}

function publicRootNames(publicDir: string): string[] {
  return fsSync
    .readdirSync(publicDir, { withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => `/${entry.name}`);
}

async function readinessChecks(db: Db, uploadsDir: string) {
  const checks: Record<"database" | "uploads", "ok" | "failed"> = { database: "ok", uploads: "ok" };
  await Promise.all([
    pingDb(db).catch(() => (checks.database = "failed")),
    fs
      .mkdir(uploadsDir, { recursive: true })
      .then(() => fs.access(uploadsDir, fs.constants.W_OK))
      .catch(() => (checks.uploads = "failed")),
  ]);
  return checks;
}

/** One JSON line per request, with the request id the client or the ALB sent, or a new one. */
function requestLogging(logger: Logger) {
  return (req: Request, res: Response, next: NextFunction) => {
    const started = process.hrtime.bigint();
    const incoming = req.get("x-request-id");
    const requestId = incoming && REQUEST_ID.test(incoming) ? incoming : crypto.randomUUID();
    res.locals.requestId = requestId;
    res.setHeader("X-Request-Id", requestId);
    res.on("finish", () => {
      logger.info(
        {
          requestId,
          method: req.method,
          path: req.path,
          status: res.statusCode,
          durationMs: Number(process.hrtime.bigint() - started) / 1e6,
          ip: req.ip,
        },
        "request",
      );
    });
    next();
  };
}
