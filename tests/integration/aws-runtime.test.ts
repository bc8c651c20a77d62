/**
 * The production processes configured the way the launch template configures
 * them on AWS: no DATABASE_URL and no SESSION_SECRET in the environment, only
 * Secrets Manager ARNs plus DB host/name. The real AWS SDK inside the built
 * server talks to a local Secrets Manager (AWS_ENDPOINT_URL_SECRETS_MANAGER);
 * the database is a fresh MariaDB database with its own user.
 */
import { execFile } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { enginesUnderTest, serverKnex, uniqueDatabaseName } from "../helpers/databases";
import { FakeSecretsManager } from "../helpers/fake-secrets-manager";
import { startEntry } from "../helpers/entry-process";
import { repoRoot } from "../helpers/server";

const engines = await enginesUnderTest();
const run = promisify(execFile);

describe.runIf(engines.includes("mysql"))("starting on AWS settings (Secrets Manager)", () => {
  const secrets = new FakeSecretsManager();
  const database = uniqueDatabaseName("bookstore_aws");
  const user = `bk_${crypto.randomBytes(4).toString("hex")}`;
  const password = crypto.randomBytes(12).toString("hex");
  const dbSecretArn = "arn:aws:secretsmanager:us-east-1:111122223333:secret:rds!db-test-AbCdEf";
  const sessionSecretArn = "arn:aws:secretsmanager:us-east-1:111122223333:secret:session-AbCdEf";
  let dir: string;
  let env: NodeJS.ProcessEnv;

  beforeAll(async () => {
    await secrets.start();
    const admin = serverKnex();
    await admin.raw(`CREATE DATABASE \`${database}\``);
    for (const host of ["%", "localhost"]) {
      await admin.raw("CREATE USER ?@? IDENTIFIED BY ?", [user, host, password]);
      await admin.raw(`GRANT ALL ON \`${database}\`.* TO ?@?`, [user, host]);
    }
    await admin.destroy();
    secrets.secrets.set(dbSecretArn, JSON.stringify({ username: user, password }));
    secrets.secrets.set(sessionSecretArn, JSON.stringify({ SESSION_SECRET: "f".repeat(64) }));
    dir = await fs.mkdtemp(path.join(os.tmpdir(), "bookstore-aws-"));
    env = {
      PATH: process.env.PATH ?? "",
      NODE_ENV: "production",
      HOST: "127.0.0.1",
      PORT: "0",
      WEB_CONCURRENCY: "1",
      AWS_REGION: "us-east-1",
      AWS_ENDPOINT_URL_SECRETS_MANAGER: secrets.endpoint,
      AWS_ACCESS_KEY_ID: "test-access-key-id",
      AWS_SECRET_ACCESS_KEY: "test-secret-access-key",
      DATABASE_SECRET_ARN: dbSecretArn,
      SESSION_SECRET_ARN: sessionSecretArn,
      DB_HOST: "127.0.0.1",
      DB_NAME: database,
      UPLOADS_DIR: path.join(dir, "uploads"),
    };
  });

  afterAll(async () => {
    await secrets.stop();
    const admin = serverKnex();
    await admin.raw(`DROP DATABASE IF EXISTS \`${database}\``);
    for (const host of ["%", "localhost"]) await admin.raw("DROP USER IF EXISTS ?@?", [user, host]);
    await admin.destroy();
    await fs.rm(dir, { recursive: true, force: true });
  });

  it("migrates with the password from the RDS secret", async () => {
    const { stdout } = await run(
      process.execPath,
      [path.join(repoRoot, "build/server/cli.js"), "migrate"],
      {
        env,
        cwd: dir,
      },
    );
    expect(stdout).toContain('"msg":"migrate done"');
    expect(secrets.fetchesOf(dbSecretArn)).toBeGreaterThanOrEqual(1);
  });

  it("serves and is ready, having read both secrets", async () => {
    const server = await startEntry(env, dir);
    const { port } = server;
    try {
      const ready = await fetch(`http://127.0.0.1:${port}/readyz`);
      expect(await ready.json()).toEqual({
        status: "ready",
        checks: { database: "ok", uploads: "ok" },
      });
      expect(secrets.fetchesOf(sessionSecretArn)).toBe(1);
      expect(server.output()).not.toContain(password);
    } finally {
      await server.stop();
    }
  });
});
