/**
 * `cli.js db:users` as ops run it once per environment: the bundled CLI in a
 * child process, the three secrets (master, migrator, app) in a local Secrets
 * Manager, against the local MariaDB (MySQL 8.0/8.4 in the users' CI). Then the
 * instances' two identities: `cli.js migrate --as migrator` changes the schema,
 * the server connects as the app user, who may read and write rows but not
 * change the schema. Everything here (a database and four users) has a unique
 * name and is dropped afterwards; no other database is touched.
 */
import { spawn } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import knexFactory, { type Knex } from "knex";
import mysql from "mysql2/promise";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { enginesUnderTest, serverKnex, uniqueDatabaseName } from "../helpers/databases";
import { FakeSecretsManager } from "../helpers/fake-secrets-manager";
import { startEntry } from "../helpers/entry-process";
import { repoRoot } from "../helpers/server";

const engines = await enginesUnderTest();
const cli = path.join(repoRoot, "build/server/cli.js");
const hex = (bytes: number) => crypto.randomBytes(bytes).toString("hex");
const arn = (name: string) =>
  `arn:aws:secretsmanager:us-east-1:111122223333:secret:bookstore/test/${name}-${hex(3)}`;

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

describe.runIf(engines.includes("mysql"))("db:users, then the app and migrator users", () => {
  const secrets = new FakeSecretsManager();
  const database = uniqueDatabaseName("bookstore_users");
  const tag = hex(4);
  const master = { username: `bk_master_${tag}`, password: `master-${hex(12)}` };
  const weakMaster = { username: `bk_weak_${tag}`, password: `weak-${hex(12)}` };
  const migrator = { username: `bk_migrator_${tag}`, password: hex(32) };
  const app = { username: `bk_app_${tag}`, password: hex(32) };
  const everyUser = [master, weakMaster, migrator, app].map((u) => u.username);
  const masterArn = arn("rds-master");
  const migratorArn = arn("db-migrator");
  const appArn = arn("db-app");
  const sessionArn = arn("session-secret");
  let dir: string;
  let admin: Knex;
  let baseEnv: NodeJS.ProcessEnv;

  function run(command: string[], env: Record<string, string> = {}, stdin = ""): Promise<Run> {
    return new Promise((resolve) => {
      const child = spawn(process.execPath, [cli, ...command], {
        env: { ...baseEnv, ...env },
        cwd: dir,
      });
      let stdout = "";
      let stderr = "";
      child.stdout.on("data", (chunk) => (stdout += chunk));
      child.stderr.on("data", (chunk) => (stderr += chunk));
      child.on("close", (code) => resolve({ code, stdout, stderr }));
      child.stdin.end(stdin);
    });
  }
  /** The last JSON log line of a run. */
  const result = (r: Run) =>
    JSON.parse(r.stdout.trim().split("\n").filter(Boolean).pop() ?? "{}") as Record<
      string,
      unknown
    >;
  const noPasswordIn = (text: string) => {
    for (const user of [master, weakMaster, migrator, app]) {
      expect(text).not.toContain(user.password);
    }
  };
  /** A connection as `user` (no pool reuse across tests). */
  const connectAs = (user: { username: string; password: string }) =>
    knexFactory({
      client: "mysql2",
      connection: {
        host: "127.0.0.1",
        port: 3306,
        user: user.username,
        password: user.password,
        database,
      },
      pool: { min: 0, max: 1 },
    });
  /** What db:users controls, as the server sees it: users, TLS setting, privileges. */
  async function grantsSnapshot() {
    const users: unknown[] = [];
    for (const user of [migrator, app]) {
      const [[created]] = (await admin.raw("SHOW CREATE USER ?@?", [user.username, "%"])) as [
        Record<string, string>[],
      ];
      const [privileges] = (await admin.raw(
        "SELECT TABLE_SCHEMA, PRIVILEGE_TYPE, IS_GRANTABLE FROM information_schema.SCHEMA_PRIVILEGES WHERE GRANTEE = ? ORDER BY TABLE_SCHEMA, PRIVILEGE_TYPE",
        [`'${user.username}'@'%'`],
      )) as [unknown[]];
      users.push({ created: Object.values(created)[0], privileges });
    }
    return users;
  }

  beforeAll(async () => {
    await secrets.start();
    dir = await fs.mkdtemp(path.join(os.tmpdir(), "bookstore-db-users-"));
    admin = serverKnex();
    await admin.raw(`CREATE DATABASE \`${database}\``);
    // The RDS master user's privileges (no SUPER), on every schema, with GRANT OPTION.
    await admin.raw("CREATE USER ?@? IDENTIFIED BY ?", [master.username, "%", master.password]);
    await admin.raw(
      "GRANT SELECT, INSERT, UPDATE, DELETE, CREATE, DROP, RELOAD, PROCESS, REFERENCES, INDEX, ALTER, SHOW DATABASES, CREATE TEMPORARY TABLES, LOCK TABLES, EXECUTE, REPLICATION SLAVE, REPLICATION CLIENT, CREATE VIEW, SHOW VIEW, CREATE ROUTINE, ALTER ROUTINE, CREATE USER, EVENT, TRIGGER ON *.* TO ?@? WITH GRANT OPTION",
      [master.username, "%"],
    );
    // A "master" that may not create users.
    await admin.raw("CREATE USER ?@? IDENTIFIED BY ?", [
      weakMaster.username,
      "%",
      weakMaster.password,
    ]);
    await admin.raw(`GRANT SELECT ON *.* TO ?@?`, [weakMaster.username, "%"]);

    secrets.secrets.set(masterArn, JSON.stringify(master));
    secrets.secrets.set(migratorArn, JSON.stringify(migrator));
    secrets.secrets.set(appArn, JSON.stringify(app));
    secrets.secrets.set(sessionArn, JSON.stringify({ SESSION_SECRET: "e".repeat(64) }));
    // As the launch template's user data configures an instance (no DATABASE_URL, only ARNs).
    baseEnv = {
      PATH: process.env.PATH ?? "",
      NODE_ENV: "production",
      LOG_LEVEL: "info",
      AWS_REGION: "us-east-1",
      AWS_ENDPOINT_URL_SECRETS_MANAGER: secrets.endpoint,
      AWS_ACCESS_KEY_ID: "test-access-key-id",
      AWS_SECRET_ACCESS_KEY: "test-secret-access-key",
      DB_HOST: "127.0.0.1",
      DB_NAME: database,
      DB_USER: app.username,
      DATABASE_SECRET_ARN: appArn,
      DATABASE_MIGRATOR_SECRET_ARN: migratorArn,
      SESSION_SECRET_ARN: sessionArn,
      UPLOADS_DIR: path.join(dir, "uploads"),
    };
  });

  afterAll(async () => {
    await secrets.stop();
    if (admin) {
      await admin.raw(`DROP DATABASE IF EXISTS \`${database}\``);
      for (const user of everyUser) await admin.raw("DROP USER IF EXISTS ?@?", [user, "%"]);
      await admin.destroy();
    }
    if (dir) await fs.rm(dir, { recursive: true, force: true });
  });

  it("the app cannot migrate before the users exist", async () => {
    const migrate = await run(["migrate", "--as", "migrator"]);
    expect(migrate.code).toBe(1);
    expect(migrate.stdout).toContain('"msg":"migrate failed"');
  });

  it("creates the migrator and the app user from their secrets, as the master user", async () => {
    const first = await run(["db:users"], { DATABASE_MASTER_SECRET_ARN: masterArn });
    expect(first.code, first.stderr + first.stdout).toBe(0);
    expect(result(first)).toMatchObject({
      msg: "db:users done",
      schema: database,
      requireSsl: false, // no TLS on the local server; on RDS the session is TLS, so REQUIRE SSL
      changed: true,
      users: [
        {
          role: "migrator",
          user: migrator.username,
          created: true,
          granted: [
            "SELECT",
            "INSERT",
            "UPDATE",
            "DELETE",
            "CREATE",
            "ALTER",
            "DROP",
            "INDEX",
            "REFERENCES",
          ],
          revoked: [],
        },
        {
          role: "app",
          user: app.username,
          created: true,
          granted: ["SELECT", "INSERT", "UPDATE", "DELETE"],
          revoked: [],
        },
      ],
    });
    noPasswordIn(first.stdout + first.stderr);
    expect(secrets.fetchesOf(masterArn)).toBe(1);
  });

  it("lets the migrator migrate (--as migrator), under the advisory lock", async () => {
    const migrate = await run(["migrate", "--as", "migrator"]);
    expect(migrate.code, migrate.stderr + migrate.stdout).toBe(0);
    expect(result(migrate)).toMatchObject({ msg: "migrate done" });
    expect((result(migrate).applied as string[]).length).toBeGreaterThan(0);
    const [tables] = (await admin.raw(
      "SELECT COUNT(*) AS n FROM information_schema.TABLES WHERE TABLE_SCHEMA = ?",
      [database],
    )) as [{ n: number }[]];
    expect(Number(tables[0].n)).toBeGreaterThan(10);
    expect(secrets.fetchesOf(migratorArn)).toBeGreaterThanOrEqual(1);
    noPasswordIn(migrate.stdout + migrate.stderr);
  });

  it("gives the app user rows, the rate limiter's upsert and GET_LOCK, but no DDL", async () => {
    const db = connectAs(app);
    try {
      await db("delivery_providers").insert({
        name: `Test courier ${tag}`,
        coverage_area: "Everywhere",
        cost_cents: 499,
        active: true,
      });
      await db("delivery_providers")
        .where({ name: `Test courier ${tag}` })
        .update({ cost_cents: 599 });
      expect(
        await db("delivery_providers")
          .where({ name: `Test courier ${tag}` })
          .first(),
      ).toMatchObject({ cost_cents: 599 });
      await db("delivery_providers")
        .where({ name: `Test courier ${tag}` })
        .delete();
      // What rate-limiter-flexible's MySQL store runs (app/lib/rate-limits.server.ts).
      await db.raw(
        "INSERT INTO rate_limits VALUES (?, ?, ?) ON DUPLICATE KEY UPDATE points = points + 1",
        [`test:${tag}`, 1, Date.now() + 60_000],
      );
      await db("rate_limits").where("key", `test:${tag}`).delete();
      const [[lock]] = (await db.raw("SELECT GET_LOCK(?, 1) AS got, RELEASE_LOCK(?) AS freed", [
        `test:${tag}`,
        `test:${tag}`,
      ])) as [{ got: number }[]];
      expect(Number(lock.got)).toBe(1);

      const denied = [1142, 1044]; // ER_TABLEACCESS_DENIED_ERROR, ER_DBACCESS_DENIED_ERROR
      for (const ddl of [
        "CREATE TABLE app_may_not (id INT)",
        "ALTER TABLE books ADD COLUMN app_may_not INT",
        "DROP TABLE rate_limits",
        "CREATE INDEX app_may_not ON books (title)",
        "TRUNCATE TABLE rate_limits",
      ]) {
        const errno = await db.raw(ddl).then(
          () => "allowed",
          (error: { errno?: number }) => error.errno,
        );
        expect(denied, `${ddl}: ${errno}`).toContain(errno);
      }
      await expect(db.raw(`CREATE DATABASE \`${database}_x\``)).rejects.toMatchObject({
        errno: 1044,
      });
    } finally {
      await db.destroy();
    }
  });

  it("the migrator may change the schema", async () => {
    const db = connectAs(migrator);
    try {
      await db.raw("CREATE TABLE migrator_may (id INT PRIMARY KEY)");
      await db.raw("ALTER TABLE migrator_may ADD COLUMN note VARCHAR(10)");
      await db.raw("DROP TABLE migrator_may");
    } finally {
      await db.destroy();
    }
  });

  it("changes nothing when run again (here with the master password at the prompt)", async () => {
    const before = await grantsSnapshot();
    const again = await run(
      ["db:users", "--master-user", master.username],
      {},
      `${master.password}\n`,
    );
    expect(again.code, again.stderr + again.stdout).toBe(0);
    expect(result(again)).toMatchObject({
      changed: false,
      users: [
        {
          role: "migrator",
          created: false,
          passwordChanged: false,
          requireSslChanged: false,
          granted: [],
          revoked: [],
        },
        {
          role: "app",
          created: false,
          passwordChanged: false,
          requireSslChanged: false,
          granted: [],
          revoked: [],
        },
      ],
    });
    expect(await grantsSnapshot()).toEqual(before);
    noPasswordIn(again.stdout + again.stderr);
  });

  it("brings drifted users back: a new password from the secret, extra privileges revoked", async () => {
    const old = app.password;
    app.password = hex(32);
    secrets.secrets.set(appArn, JSON.stringify(app));
    await admin.raw(`GRANT DROP ON \`${database.replace(/_/g, "\\_")}\`.* TO ?@?`, [
      app.username,
      "%",
    ]);
    await admin.raw("GRANT PROCESS ON *.* TO ?@?", [app.username, "%"]);

    const fix = await run(["db:users"], { DATABASE_MASTER_SECRET_ARN: masterArn });
    expect(fix.code, fix.stderr + fix.stdout).toBe(0);
    expect((result(fix).users as Record<string, unknown>[])[1]).toMatchObject({
      role: "app",
      created: false,
      passwordChanged: true,
      granted: [],
      revoked: ["DROP", "PROCESS ON *.*"],
    });
    expect(fix.stdout + fix.stderr).not.toContain(old);
    noPasswordIn(fix.stdout + fix.stderr);

    const now = connectAs(app);
    try {
      await expect(now.raw("SELECT 1")).resolves.toBeDefined();
    } finally {
      await now.destroy();
    }
    await expect(
      mysql.createConnection({
        host: "127.0.0.1",
        port: 3306,
        user: app.username,
        password: old,
      }),
    ).rejects.toMatchObject({ errno: 1045 });
  });

  it("serves as the app user, never as the migrator or the master user", async () => {
    const server = await startEntry(
      { ...baseEnv, HOST: "127.0.0.1", PORT: "0", WEB_CONCURRENCY: "1" },
      dir,
    );
    const { port } = server;
    try {
      const ready = await fetch(`http://127.0.0.1:${port}/readyz`);
      expect(await ready.json()).toMatchObject({ status: "ready", checks: { database: "ok" } });
      const [sessions] = (await admin.raw(
        "SELECT DISTINCT USER AS user FROM information_schema.PROCESSLIST WHERE DB = ?",
        [database],
      )) as [{ user: string }[]];
      expect(sessions.map((s) => s.user)).toEqual([app.username]);
      noPasswordIn(server.output());
    } finally {
      await server.stop();
    }
  });

  it("fails cleanly, without printing any password, when the master may not create users", async () => {
    const weakArn = arn("weak-master");
    secrets.secrets.set(weakArn, JSON.stringify(weakMaster));
    const other = { username: `bk_other_${tag}`, password: hex(32) };
    everyUser.push(other.username);
    const otherArn = arn("db-other");
    secrets.secrets.set(otherArn, JSON.stringify(other));
    const failed = await run(["db:users"], {
      DATABASE_MASTER_SECRET_ARN: weakArn,
      DATABASE_SECRET_ARN: otherArn,
      DB_USER: other.username,
    });
    expect(failed.code).toBe(1);
    expect(failed.stdout).toContain('"msg":"db:users failed"');
    expect(failed.stdout).toMatch(/CREATE USER failed: ER_/);
    noPasswordIn(failed.stdout + failed.stderr);
    expect(failed.stdout + failed.stderr).not.toContain(other.password);
  });

  it("refuses to run without the users' secrets or with a bad --as", async () => {
    const noMigrator = await run(["db:users", "--master-user", master.username], {
      DATABASE_MIGRATOR_SECRET_ARN: "",
      DB_MASTER_PASSWORD: master.password,
    });
    expect(noMigrator.code).toBe(2);
    expect(noMigrator.stderr).toMatch(/DATABASE_MIGRATOR_SECRET_ARN/);
    const noMasterUser = await run(["db:users"]);
    expect(noMasterUser.code).toBe(2);
    expect(noMasterUser.stderr).toMatch(/--master-user is required/);
    const badRole = await run(["migrate", "--as", "root"]);
    expect(badRole.code).toBe(2);
    const noSecret = await run(["migrate", "--as", "migrator"], {
      DATABASE_MIGRATOR_SECRET_ARN: "",
    });
    expect(noSecret.code).toBe(2);
    expect(noSecret.stderr).toMatch(/--as migrator needs DATABASE_MIGRATOR_SECRET_ARN/);
  });
});
