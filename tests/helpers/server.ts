/**
 * The real Express app on an ephemeral loopback port, over a test database,
 * with the real Remix production build (npm test builds it first).
 */
import fs from "node:fs";
import fsp from "node:fs/promises";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import type { ServerBuild } from "@remix-run/node";
import type { Db } from "../../app/lib/db.server";
import { createLogger, type Logger } from "../../app/lib/logger.server";
import type { PaymentGateway } from "../../app/lib/payments.server";
import type { RateLimits } from "../../app/lib/rate-limits.server";
import { createApp } from "../../server/app";

export const repoRoot = path.resolve(import.meta.dirname, "..", "..");
const serverBuildPath = path.join(repoRoot, "build", "index.js");

export async function loadServerBuild(): Promise<ServerBuild> {
  if (!fs.existsSync(serverBuildPath)) {
    throw new Error("No build/index.js: run `npm run build` first (npm test does it for you)");
  }
  return (await import(pathToFileURL(serverBuildPath).href)) as ServerBuild;
}

export interface TestServer {
  url: string;
  uploadsDir: string;
  /** Where the server writes the e-mails it would send (one JSON file each). */
  outboxDir: string;
  close(): Promise<void>;
}

export const TEST_SESSION_SECRET = "test-only-session-secret-0123456789abcdefghij";

export interface TestServerOptions {
  trustProxy?: number;
  sharedAssetsDir?: string;
  /** Newest first; defaults to [TEST_SESSION_SECRET]. */
  sessionSecrets?: string[];
  secureCookies?: boolean;
  payments?: PaymentGateway;
  rateLimits?: RateLimits;
  logger?: Logger;
  /**
   * Serve this uploads folder instead of a fresh one, as several instances
   * share EFS; the caller creates it and removes it (close() leaves it).
   */
  uploadsDir?: string;
}

export async function startTestServer(
  db: Db,
  options: TestServerOptions = {},
): Promise<TestServer> {
  const build = await loadServerBuild();
  const uploadsDir =
    options.uploadsDir ?? (await fsp.mkdtemp(path.join(os.tmpdir(), "bookstore-uploads-")));
  const outboxDir = await fsp.mkdtemp(path.join(os.tmpdir(), "bookstore-outbox-"));
  const app = createApp({
    config: {
      env: "production",
      trustProxy: options.trustProxy ?? 0,
      uploadsDir,
      sharedAssetsDir: options.sharedAssetsDir,
      sessionSecrets: options.sessionSecrets ?? [TEST_SESSION_SECRET],
      // Plain HTTP on loopback: a Secure cookie would not come back.
      secureCookies: options.secureCookies ?? false,
      mail: { from: "Bookstore <shop@test.invalid>", outboxDir },
      publicUrl: undefined,
    },
    db,
    logger: options.logger ?? createLogger("silent"),
    build,
    publicDir: path.join(repoRoot, "public"),
    payments: options.payments,
    rateLimits: options.rateLimits,
  });
  const server = app.listen(0, "127.0.0.1");
  await new Promise<void>((resolve) => server.once("listening", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    uploadsDir,
    outboxDir,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      if (!options.uploadsDir) await fsp.rm(uploadsDir, { recursive: true, force: true });
      await fsp.rm(outboxDir, { recursive: true, force: true });
    },
  };
}
