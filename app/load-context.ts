/**
 * What the Express server hands every loader and action (see server/app.ts).
 * Dependencies come in through the context rather than module singletons, so
 * the same build can serve a SQLite and a MySQL database side by side in tests.
 */
import type { Db } from "./lib/db.server";
import type { Logger } from "./lib/logger.server";

export interface BookstoreContext {
  db: Db;
  cspNonce: string;
  requestId: string;
  uploadsDir: string;
  /** The request's logger: JSON lines that carry its request id. */
  logger: Logger;
}

declare module "@remix-run/server-runtime" {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface AppLoadContext extends BookstoreContext {}
}
