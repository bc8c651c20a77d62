/**
 * app/lib/aws-secrets.server.ts against a local HTTP server that speaks the
 * Secrets Manager JSON protocol, with the real AWS SDK client pointed at it;
 * the rotation test uses the real MariaDB at 127.0.0.1:3306 when it answers.
 */
import { randomBytes } from "node:crypto";
import { SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import knex, { type Knex } from "knex";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  isAccessDeniedError,
  mysqlConnectionFromSecret,
  readSecretString,
  refreshOnAccessDenied,
  resolveSessionSecret,
} from "~/lib/aws-secrets.server";
import { FakeSecretsManager } from "../helpers/fake-secrets-manager";

const region = "us-east-1";
const arn = (name: string) => `arn:aws:secretsmanager:${region}:111122223333:secret:${name}-AbCdEf`;
const fake = new FakeSecretsManager();
let client: SecretsManagerClient;

beforeAll(async () => {
  await fake.start();
  client = new SecretsManagerClient({
    region,
    endpoint: fake.endpoint,
    credentials: { accessKeyId: "test-access-key-id", secretAccessKey: "test-secret" },
  });
  // mysqlConnectionFromSecret builds its own client (region + endpoint): give the default
  // credential chain static values so it never probes the instance metadata service.
  process.env.AWS_ACCESS_KEY_ID = "test-access-key-id";
  process.env.AWS_SECRET_ACCESS_KEY = "test-secret";
});

afterAll(async () => {
  client?.destroy();
  await fake.stop();
});

describe("reading secrets through the real SDK", () => {
  it("returns the current string value of a secret", async () => {
    fake.secrets.set(arn("plain"), "hello");
    await expect(readSecretString(arn("plain"), { client })).resolves.toBe("hello");
    expect(fake.requests.at(-1)).toEqual({
      target: "secretsmanager.GetSecretValue",
      secretId: arn("plain"),
    });
  });

  it("surfaces Secrets Manager's not-found error", async () => {
    await expect(readSecretString(arn("missing"), { client })).rejects.toMatchObject({
      name: "ResourceNotFoundException",
    });
  });

  it("reads SESSION_SECRET from the JSON the infra stores", async () => {
    const value = randomBytes(32).toString("hex");
    fake.secrets.set(arn("session"), JSON.stringify({ SESSION_SECRET: value }));
    await expect(
      resolveSessionSecret(arn("session"), { region, endpoint: fake.endpoint }),
    ).resolves.toBe(value);
  });

  it("refuses a session secret that is not the expected JSON, without echoing it", async () => {
    fake.secrets.set(arn("session-plain"), "not-json-but-a-long-enough-secret-value");
    const error = await resolveSessionSecret(arn("session-plain"), { client }).catch(
      (e: unknown) => e as Error,
    );
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toContain("not a JSON object");
    expect((error as Error).message).not.toContain("long-enough");

    fake.secrets.set(arn("session-short"), JSON.stringify({ SESSION_SECRET: "short" }));
    await expect(resolveSessionSecret(arn("session-short"), { client })).rejects.toThrow(
      /at least 32 characters/,
    );
  });
});

describe("MySQL connection settings from the RDS-managed secret", () => {
  it("fetches the secret once, caches it, and re-fetches only after an access-denied error", async () => {
    const secretArn = arn("rds-cache");
    fake.secrets.set(secretArn, JSON.stringify({ username: "bookstore", password: "first" }));
    const connection = mysqlConnectionFromSecret({
      secretArn,
      host: "db.internal",
      port: 3306,
      database: "bookstore",
      ssl: { ca: "PEM" },
      region,
      endpoint: fake.endpoint,
    });

    const first = await connection();
    expect(first).toMatchObject({
      host: "db.internal",
      port: 3306,
      database: "bookstore",
      user: "bookstore",
      password: "first",
      ssl: { ca: "PEM" },
    });
    const expired = first.expirationChecker as () => boolean;
    expect(expired()).toBe(false);
    await connection();
    expect(fake.fetchesOf(secretArn)).toBe(1);

    expect(
      connection.handleConnectionError(Object.assign(new Error("timeout"), { code: "ETIMEDOUT" })),
    ).toBe(false);
    expect(expired()).toBe(false);

    fake.secrets.set(secretArn, JSON.stringify({ username: "bookstore", password: "second" }));
    expect(
      connection.handleConnectionError(
        Object.assign(new Error("denied"), { code: "ER_ACCESS_DENIED_ERROR", errno: 1045 }),
      ),
    ).toBe(true);
    expect(expired()).toBe(true);
    await expect(connection()).resolves.toMatchObject({ password: "second" });
    expect(fake.fetchesOf(secretArn)).toBe(2);
    expect(connection.fetchCount).toBe(2);
  });

  it("shares one fetch between concurrent callers and retries after a failed fetch", async () => {
    const secretArn = arn("rds-concurrent");
    const connection = mysqlConnectionFromSecret({
      secretArn,
      host: "h",
      port: 3306,
      database: "d",
      region,
      endpoint: fake.endpoint,
    });
    await expect(connection()).rejects.toMatchObject({ name: "ResourceNotFoundException" });
    fake.secrets.set(secretArn, JSON.stringify({ username: "u", password: "p" }));
    const results = await Promise.all([connection(), connection(), connection()]);
    expect(results.map((r) => r.password)).toEqual(["p", "p", "p"]);
    expect(fake.fetchesOf(secretArn)).toBe(2);
  });

  it("recognises MySQL's access-denied error by code or errno", () => {
    expect(isAccessDeniedError({ code: "ER_ACCESS_DENIED_ERROR" })).toBe(true);
    expect(isAccessDeniedError({ errno: 1045 })).toBe(true);
    expect(isAccessDeniedError({ code: "ECONNREFUSED", errno: -111 })).toBe(false);
    expect(isAccessDeniedError(undefined)).toBe(false);
  });
});

/** Admin connection to the local MariaDB, or undefined when it does not answer. */
async function connectMariaDb(): Promise<Knex | undefined> {
  const admin = knex({
    client: "mysql2",
    connection: { host: "127.0.0.1", port: 3306, user: "root", password: "", connectTimeout: 3000 },
    pool: { min: 0, max: 2 },
  });
  try {
    await admin.raw("select 1");
    return admin;
  } catch (error) {
    await admin.destroy();
    const why = error instanceof Error ? error.message : String(error);
    if (process.env.CI === "true")
      throw new Error(`MariaDB at 127.0.0.1:3306 is required under CI=true: ${why}`);
    console.warn(
      `\n[aws-secrets.test] SKIPPING the password rotation test: MariaDB at 127.0.0.1:3306 does not answer (${why})\n`,
    );
    return undefined;
  }
}

describe("password rotation against a real MariaDB", async () => {
  const admin = await connectMariaDb();
  const suffix = randomBytes(4).toString("hex");
  const database = `bs_secrets_${suffix}`;
  const user = `bs_rot_${suffix}`;
  const secretArn = arn(`rds-rotation-${suffix}`);
  const passwords = [randomBytes(12).toString("hex"), randomBytes(12).toString("hex")];

  beforeAll(async () => {
    if (!admin) return;
    await admin.raw(`create database \`${database}\``);
    for (const host of ["%", "localhost"]) {
      await admin.raw(`create user ?@? identified by ?`, [user, host, passwords[0]]);
      await admin.raw(`grant all on \`${database}\`.* to ?@?`, [user, host]);
    }
  });

  afterAll(async () => {
    if (!admin) return;
    for (const host of ["%", "localhost"]) await admin.raw(`drop user if exists ?@?`, [user, host]);
    await admin.raw(`drop database if exists \`${database}\``);
    await admin.destroy();
  });

  it.skipIf(!admin)(
    "a connection refused with 1045 after rotation makes knex fetch the new password",
    async () => {
      fake.secrets.set(secretArn, JSON.stringify({ username: user, password: passwords[0] }));
      const connection = mysqlConnectionFromSecret({
        secretArn,
        host: "127.0.0.1",
        port: 3306,
        database,
        region,
        endpoint: fake.endpoint,
      });

      // Before rotation: the pool connects with the first password.
      const before = knex({ client: "mysql2", connection, pool: { min: 0, max: 1 } });
      refreshOnAccessDenied(before, connection);
      await expect(before.raw("select current_user() as who")).resolves.toBeDefined();
      await before.destroy();
      expect(fake.fetchesOf(secretArn)).toBe(1);

      // RDS rotates: the database and the secret change, our cache still holds the old password.
      for (const host of ["%", "localhost"])
        await admin!.raw(`alter user ?@? identified by ?`, [user, host, passwords[1]]);
      fake.secrets.set(secretArn, JSON.stringify({ username: user, password: passwords[1] }));

      // Default pool settings: the first query is refused (1045), which invalidates the cache...
      const after = knex({ client: "mysql2", connection, pool: { min: 0, max: 2 } });
      refreshOnAccessDenied(after, connection);
      const refused = await after.raw("select 1").catch((e: unknown) => e);
      expect(isAccessDeniedError(refused)).toBe(true);
      // ...and the next one connects with the refreshed secret.
      const [rows] = (await after.raw("select database() as db")) as [{ db: string }[]];
      expect(rows[0].db).toBe(database);
      expect(fake.fetchesOf(secretArn)).toBe(2);
      await after.destroy();
    },
  );

  it.skipIf(!admin)(
    "with propagateCreateError off, the pool retries and the query itself succeeds",
    async () => {
      const rotated = mysqlConnectionFromSecret({
        secretArn,
        host: "127.0.0.1",
        port: 3306,
        database,
        region,
        endpoint: fake.endpoint,
      });
      // This provider caches the current password; rotate once more behind its back.
      fake.secrets.set(secretArn, JSON.stringify({ username: user, password: passwords[1] }));
      await rotated();
      const third = randomBytes(12).toString("hex");
      for (const host of ["%", "localhost"])
        await admin!.raw(`alter user ?@? identified by ?`, [user, host, third]);
      fake.secrets.set(secretArn, JSON.stringify({ username: user, password: third }));

      const db = knex({
        client: "mysql2",
        connection: rotated,
        pool: { min: 0, max: 1, propagateCreateError: false },
        acquireConnectionTimeout: 10_000,
      });
      refreshOnAccessDenied(db, rotated);
      const [rows] = (await db.raw("select 1 as ok")) as [{ ok: number }[]];
      expect(rows[0].ok).toBe(1);
      expect(rotated.fetchCount).toBe(2);
      await db.destroy();
    },
  );
});
