/**
 * Every wait on the database is bounded (app/lib/db.server.ts): connecting,
 * waiting for a pooled connection, and each statement, transactions included.
 * Past a bound the query fails at once with DatabaseUnavailableError, which
 * the server answers as a 503 with Retry-After; the pool recovers by itself.
 * These tests also pin the knex internals the bounds rely on (the client's
 * `query` and `acquireConnection`): a knex upgrade that changes them fails here.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseDatabaseUrl } from "../../app/lib/config.server";
import {
  createDb,
  DatabaseUnavailableError,
  isDatabaseUnavailable,
  type Db,
} from "../../app/lib/db.server";
import { domainErrorResponse, isDomainError } from "../../app/lib/domain-errors.server";
import { createTestDatabase, enginesUnderTest, type TestDatabase } from "../helpers/databases";
import { silentTcpServer } from "../helpers/net";

const engines = await enginesUnderTest();

/** MySQL's raw answer is [rows, fields]: the first row. */
async function firstRow(query: Promise<unknown>): Promise<unknown> {
  const [rows] = (await query) as [unknown[]];
  return rows[0];
}

/** How long `work` took to fail, and with what. */
async function failure(work: () => Promise<unknown>): Promise<{ error: unknown; ms: number }> {
  const started = performance.now();
  try {
    await work();
  } catch (error) {
    return { error, ms: performance.now() - started };
  }
  throw new Error("expected the query to fail");
}

describe("a database error people should see as 'try again'", () => {
  it("is a domain error answered 503 with Retry-After", async () => {
    const error = new DatabaseUnavailableError("test");
    expect(isDomainError(error)).toBe(true);
    expect(isDatabaseUnavailable(error)).toBe(true);
    const response = domainErrorResponse(error);
    expect(response.init?.status).toBe(503);
    expect(new Headers(response.init?.headers).get("Retry-After")).toBe("5");
    // People read the fixed message, never the cause.
    expect(error.message).not.toContain("test");
  });
});

describe.runIf(engines.includes("mysql"))("MySQL bounds", () => {
  let t: TestDatabase;
  let bounded: Db;

  beforeAll(async () => {
    t = await createTestDatabase("mysql");
    bounded = createDb(parseDatabaseUrl(t.url), {
      min: 0,
      max: 2,
      connectTimeoutMs: 1000,
      acquireTimeoutMs: 500,
      queryTimeoutMs: 400,
    });
  });
  afterAll(async () => {
    await bounded?.destroy();
    await t?.destroy();
  });

  it("ends a statement that runs past the bound, and the pool recovers", async () => {
    const { error, ms } = await failure(() => bounded.raw("SELECT SLEEP(5)"));
    expect(error).toBeInstanceOf(DatabaseUnavailableError);
    expect((error as DatabaseUnavailableError).detail).toMatch(/within 400 ms/);
    expect(ms).toBeGreaterThanOrEqual(390);
    expect(ms).toBeLessThan(1500);
    // The stuck connection was destroyed, not handed out again: the next query answers at once.
    const started = performance.now();
    expect(await firstRow(bounded.raw("SELECT 1 AS one"))).toEqual({ one: 1 });
    expect(performance.now() - started).toBeLessThan(300);
  });

  it("bounds statements inside a transaction too", async () => {
    const { error, ms } = await failure(() =>
      bounded.transaction(async (trx) => {
        await trx.raw("SELECT 1");
        await trx.raw("SELECT SLEEP(5)");
      }),
    );
    expect(isDatabaseUnavailable(error)).toBe(true);
    expect(ms).toBeLessThan(1500);
    expect(await firstRow(bounded.raw("SELECT 2 AS two"))).toEqual({ two: 2 });
  });

  it("keeps statements that finish in time, and errors that are not about reaching the database", async () => {
    expect(await firstRow(bounded.raw("SELECT SLEEP(0.1) AS slept"))).toEqual({ slept: 0 });
    const { error } = await failure(() => bounded.raw("SELECT * FROM no_such_table"));
    expect(isDatabaseUnavailable(error)).toBe(false);
    expect((error as { code?: string }).code).toBe("ER_NO_SUCH_TABLE");
  });

  it("answers 'unavailable' when every pooled connection stays busy past the wait", async () => {
    const one = createDb(parseDatabaseUrl(t.url), {
      min: 0,
      max: 1,
      acquireTimeoutMs: 300,
      queryTimeoutMs: 5000,
    });
    try {
      const trx = await one.transaction();
      const { error, ms } = await failure(() => one.raw("SELECT 1"));
      expect(isDatabaseUnavailable(error)).toBe(true);
      expect((error as DatabaseUnavailableError).detail).toMatch(/no database connection/);
      expect(ms).toBeLessThan(1000);
      await trx.commit();
      expect(await firstRow(one.raw("SELECT 3 AS three"))).toEqual({ three: 3 });
    } finally {
      await one.destroy();
    }
  });

  it("gives up on a server that accepts TCP and never answers, after the connect bound", async () => {
    const silent = await silentTcpServer();
    const url = `mysql://root@127.0.0.1:${silent.port}/shop`;
    const db = createDb(parseDatabaseUrl(url), {
      min: 0,
      max: 2,
      connectTimeoutMs: 400,
      acquireTimeoutMs: 2000,
      queryTimeoutMs: 2000,
    });
    try {
      const { error, ms } = await failure(() => db.raw("SELECT 1"));
      expect(isDatabaseUnavailable(error)).toBe(true);
      expect(ms).toBeGreaterThanOrEqual(390);
      expect(ms).toBeLessThan(1500);
      expect(silent.connections()).toBeGreaterThan(0);
    } finally {
      await db.destroy();
      await silent.close();
    }
  });

  it("answers 'unavailable' when nothing listens at all", async () => {
    const closed = await silentTcpServer();
    const port = closed.port;
    await closed.close();
    const db = createDb(parseDatabaseUrl(`mysql://root@127.0.0.1:${port}/shop`), {
      min: 0,
      max: 1,
      connectTimeoutMs: 1000,
      acquireTimeoutMs: 1000,
    });
    try {
      const { error } = await failure(() => db.raw("SELECT 1"));
      expect(isDatabaseUnavailable(error)).toBe(true);
      expect((error as DatabaseUnavailableError).detail).toMatch(/ECONNREFUSED/);
    } finally {
      await db.destroy();
    }
  });

  it("leaves migrations' waits alone: without bounds a long statement runs to its end", async () => {
    // What db/migrate.ts's GET_LOCK wait (up to 300 s) relies on: no default statement bound.
    const unbounded = createDb(parseDatabaseUrl(t.url), { min: 0, max: 1 });
    try {
      expect(await firstRow(unbounded.raw("SELECT SLEEP(0.6) AS slept"))).toEqual({ slept: 0 });
    } finally {
      await unbounded.destroy();
    }
  });
});

describe("SQLite bounds", () => {
  it("answers 'unavailable' when the one connection stays taken past the wait", async () => {
    const t = await createTestDatabase("sqlite", { migrate: false });
    const db = createDb(parseDatabaseUrl(t.url), { min: 1, max: 1, acquireTimeoutMs: 300 });
    try {
      const trx = await db.transaction();
      const { error, ms } = await failure(() => db.raw("SELECT 1"));
      expect(isDatabaseUnavailable(error)).toBe(true);
      expect(ms).toBeLessThan(1000);
      await trx.commit();
      expect(await db.raw("SELECT 4 AS four")).toEqual([{ four: 4 }]);
    } finally {
      await db.destroy();
      await t.destroy();
    }
  });
});
