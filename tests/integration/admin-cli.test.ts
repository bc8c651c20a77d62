/**
 * `cli.js admin:create` as ops run it on an instance: the bundled CLI in a
 * child process, over a real database file. The password never comes from an
 * argument: ADMIN_PASSWORD, or a line on stdin (the prompt).
 */
import { spawn } from "node:child_process";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDb, type Db } from "../../app/lib/db.server";
import { verifyPassword } from "../../app/lib/password.server";
import { migrateLatest } from "../../db/migrate";
import { createUser } from "../helpers/fixtures";
import { repoRoot } from "../helpers/server";

const cli = path.join(repoRoot, "build", "server", "cli.js");

describe("admin:create", () => {
  let dir: string;
  let db: Db;
  let databaseUrl: string;

  beforeAll(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), "bookstore-cli-"));
    databaseUrl = `sqlite:${path.join(dir, "shop.sqlite")}`;
    db = createDb({ client: "sqlite", filename: path.join(dir, "shop.sqlite") });
    await migrateLatest(db);
  });

  afterAll(async () => {
    await db?.destroy();
    await fs.rm(dir, { recursive: true, force: true });
  });

  function run(
    args: string[],
    { env = {}, stdin = "" }: { env?: Record<string, string>; stdin?: string } = {},
  ) {
    return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
      const child = spawn(process.execPath, [cli, "admin:create", ...args], {
        env: {
          PATH: process.env.PATH,
          DATABASE_URL: databaseUrl,
          LOG_LEVEL: "info",
          ...env,
        } as unknown as NodeJS.ProcessEnv,
      });
      let stdout = "";
      let stderr = "";
      child.stdout.on("data", (chunk) => (stdout += chunk));
      child.stderr.on("data", (chunk) => (stderr += chunk));
      child.on("close", (code) => resolve({ code, stdout, stderr }));
      child.stdin.end(stdin);
    });
  }
  const userByEmail = (email: string) => db("users").where({ email }).first();

  it("creates an admin with the password from ADMIN_PASSWORD, and audits it", async () => {
    const result = await run(["--email", "Owner@Example.com", "--name", "Shop Owner"], {
      env: { ADMIN_PASSWORD: "a-long-owner-passphrase" },
    });
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout.trim().split("\n").pop()!)).toMatchObject({
      msg: "admin:create done",
      created: true,
    });
    const user = await userByEmail("owner@example.com");
    expect(user).toMatchObject({ name: "Shop Owner", role: "admin" });
    expect(await verifyPassword("a-long-owner-passphrase", user.passwordHash)).toBe(true);
    expect(result.stdout + result.stderr).not.toContain("a-long-owner-passphrase");
    expect(await db("auditEvents").where({ entityId: user.id }).first()).toMatchObject({
      action: "user.create",
      actorEmail: "cli",
    });
  });

  it("reads the password from the prompt (stdin) when ADMIN_PASSWORD is not set", async () => {
    const result = await run(["--email", "prompted@example.com", "--name", "Prompted"], {
      stdin: "typed-at-the-prompt-1\n",
    });
    expect(result.code).toBe(0);
    const user = await userByEmail("prompted@example.com");
    expect(await verifyPassword("typed-at-the-prompt-1", user.passwordHash)).toBe(true);
  });

  it("promotes an existing customer, keeping their password", async () => {
    const customer = await createUser(db);
    const result = await run(["--email", customer.email]);
    expect(result.code).toBe(0);
    const user = await userByEmail(customer.email);
    expect(user.role).toBe("admin");
    expect(await verifyPassword(customer.password, user.passwordHash)).toBe(true);
  });

  it.each([
    [["--email", "not-an-email", "--name", "X"], {}, /--email must be an email address/],
    [
      ["--email", "short@example.com", "--name", "X"],
      { ADMIN_PASSWORD: "short" },
      /Use at least 10 characters/,
    ],
    [
      ["--email", "common@example.com", "--name", "X"],
      { ADMIN_PASSWORD: "password123" },
      /too common/,
    ],
    [
      ["--email", "noname@example.com"],
      { ADMIN_PASSWORD: "a-long-passphrase-9" },
      /--name is required/,
    ],
    [
      ["--email", "arg@example.com", "--name", "X", "--password", "on-the-command-line"],
      {},
      /password/i,
    ],
  ])("refuses %j with a usage error and changes nothing", async (args, env, message) => {
    const before = await db("users").count({ n: "*" }).first();
    const result = await run(args, { env });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(await db("users").count({ n: "*" }).first()).toEqual(before);
  });
});
