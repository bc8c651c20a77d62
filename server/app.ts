/**
 * The Express application: security headers, compression, static files with
 * the right caching, health endpoints, request logging, and the Remix handler.
 * A factory, so tests build the real thing on an ephemeral port.
 */
import crypto from "node:crypto";
import fsSync from "node:fs";
import fs from "node:fs/promises";
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
import { createMailer, type Mailer } from "../app/lib/mailer.server";
import { createSimulatedGateway, type PaymentGateway } from "../app/lib/payments.server";
import { createRateLimits, type RateLimits } from "../app/lib/rate-limits.server";
import { createSessionStore } from "../app/lib/session.server";
import { rejectCrossSiteMutations } from "./origin-check";
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
  // Addresses that are not pages: Remix resource routes, and what Express serves itself below.
  const resourceRoutes = [
    ...resourceRoutePatterns(build),
    "/build/*",
    "/uploads/*",
    "/healthz",
    "/readyz",
  ];

  const app = express();
  app.disable("x-powered-by");
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
    }),
  );
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
  app.use(publicRootFiles(publicDir));

  app.use(rejectCrossSiteMutations());

  app.all(
    "*",
    createRequestHandler({
      build: withDomainErrors(build),
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
    logger.error({ err: error, requestId: res.locals.requestId }, "unhandled error");
    res.status(500).type("text/plain").send("Something went wrong on our side. Please try again.");
  });

  return app;
}

/**
 * favicon.svg, robots.txt and the like, cached for an hour. The list is read
 * once at start, so page requests do not each cost a file-system lookup.
 */
function publicRootFiles(publicDir: string) {
  const names = new Set(
    fsSync
      .readdirSync(publicDir, { withFileTypes: true })
      .filter((entry) => entry.isFile())
      .map((entry) => `/${entry.name}`),
  );
  const serve = express.static(publicDir, { maxAge: "1h", index: false });
  return (req: Request, res: Response, next: NextFunction) =>
    names.has(req.path) ? serve(req, res, next) : next();
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
