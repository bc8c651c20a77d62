/**
 * What the Express server hands every loader and action (see server/app.ts).
 * Dependencies come in through the context rather than module singletons, so
 * the same build can serve a SQLite and a MySQL database side by side in tests,
 * and a test can swap the payment gateway or the mailer.
 */
import type { Db } from "./lib/db.server";
import type { Logger } from "./lib/logger.server";
import type { Mailer } from "./lib/mailer.server";
import type { PaymentGateway } from "./lib/payments.server";
import type { RateLimits } from "./lib/rate-limits.server";
import type { SessionStore } from "./lib/session.server";

export interface BookstoreContext {
  db: Db;
  cspNonce: string;
  requestId: string;
  uploadsDir: string;
  /** The request's logger: JSON lines that carry its request id. */
  logger: Logger;
  /** Database-backed sessions (app/lib/session.server.ts); use app/lib/auth.server.ts to read them. */
  sessions: SessionStore;
  payments: PaymentGateway;
  mailer: Mailer;
  rateLimits: RateLimits;
  /** The client's address, trusting exactly TRUST_PROXY proxy hops. */
  clientIp: string;
  /** This site's origin for links in e-mails: PUBLIC_URL, or in development the request's own. */
  publicUrl: string;
  /**
   * Path patterns of resource routes (no page to render): client-side
   * navigation must load these as documents (app/components/client-navigation.ts).
   */
  resourceRoutes: string[];
}

declare module "@remix-run/server-runtime" {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface AppLoadContext extends BookstoreContext {}
}
