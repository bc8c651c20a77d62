/**
 * Operations CLI: `node build/server/cli.js <command>` in production (from the
 * release on an instance), `npm run db:migrate`, `npm run db:seed` and
 * `npm run admin:create -- --email … --name …` in development.
 *
 *   migrate [--as migrator]          apply pending migrations (under an advisory lock on MySQL),
 *                                    as the migrator user when DATABASE_MIGRATOR_SECRET_ARN is
 *                                    set; `--as migrator` makes that secret mandatory (the unit)
 *   seed                             migrate, then add the demo catalog and delivery providers
 *   admin:create --email E [--name N]
 *                                    create an admin, or promote an existing account; the
 *                                    password comes from ADMIN_PASSWORD or a prompt, never
 *                                    from an argument (arguments show in `ps` and shell history)
 *   db:users [--master-user U]       create or update the migrator and app MySQL users from
 *                                    their secrets (DATABASE_MIGRATOR_SECRET_ARN,
 *                                    DATABASE_SECRET_ARN), connected as the RDS master user:
 *                                    from DATABASE_MASTER_SECRET_ARN, or U with the password
 *                                    from DB_MASTER_PASSWORD or a prompt. Run once by ops
 *                                    (docs/operations.md, "First deploy"); idempotent
 */
import readline from "node:readline";
import { parseArgs } from "node:util";
import mysql from "mysql2/promise";
import { migrateLatest } from "../db/migrate";
import { seedDemoData } from "../db/seeds/demo";
import { isAccessDeniedError, readSecretString } from "../app/lib/aws-secrets.server";
import type { Config } from "../app/lib/config.server";
import { createDb, mysqlTls, type Db } from "../app/lib/db.server";
import { emailField, nameField, newPasswordField } from "../app/lib/validation";
import { createOrPromoteAdmin } from "../app/services/users.server";
import { User } from "../app/models/User";
import { createLogger, type DatabaseRole, loadConfigOrExit, openDatabase } from "./runtime";

class UsageError extends Error {}

interface CommandContext {
  args: string[];
  config: Config;
  embedded: boolean;
  /** Opens the database as `role`; closed when the command ends. */
  open(role: DatabaseRole): Promise<Db>;
}

const commands = {
  async migrate({ args, config, open }) {
    const db = await open(migrationRole(args, config));
    const { applied } = await migrateLatest(db);
    return applied.length > 0 ? { applied } : { applied, note: "already up to date" };
  },
  async seed({ args, config, open }) {
    const db = await open(migrationRole(args, config));
    await migrateLatest(db);
    return seedDemoData(db);
  },
  async "admin:create"({ args, embedded, open }) {
    const { values } = parseArgs({
      args,
      options: { email: { type: "string" }, name: { type: "string" } },
      strict: true,
    });
    const email = emailField.safeParse(values.email ?? "");
    if (!email.success) throw new UsageError("--email must be an email address");
    const name = values.name === undefined ? undefined : nameField.safeParse(values.name);
    if (name && !name.success) throw new UsageError("--name must be 1 to 100 characters");
    const db = await open("app");
    // The embedded default sets itself up; a MySQL database is migrated by `migrate` first.
    if (embedded) await migrateLatest(db);

    const exists = Boolean(await User.query(db).findOne({ email: email.data }));
    if (!exists && !name) throw new UsageError("--name is required for a new admin");
    let password = process.env.ADMIN_PASSWORD || undefined;
    if (!password && !exists) password = await readPassword(`Password for ${email.data}: `);
    if (password !== undefined) {
      const checked = newPasswordField.safeParse(password);
      if (!checked.success) throw new UsageError(`password: ${checked.error.issues[0].message}`);
    }
    const result = await createOrPromoteAdmin(db, {
      email: email.data,
      name: name?.data,
      password,
    });
    return { email: email.data, userId: result.id, created: result.created };
  },
  async "db:users"({ args, config }) {
    return provisionDatabaseUsers(config, args);
  },
} satisfies Record<string, (context: CommandContext) => Promise<object>>;

/** `migrate` and `seed` connect as the migrator; `--as migrator` insists on its secret. */
function migrationRole(args: string[], config: Config): DatabaseRole {
  const { values } = parseArgs({ args, options: { as: { type: "string" } }, strict: true });
  if (values.as !== undefined && values.as !== "migrator") {
    throw new UsageError(`--as must be "migrator", got "${values.as}"`);
  }
  if (
    values.as === "migrator" &&
    (config.database.client !== "mysql" || !config.database.migratorSecretArn)
  ) {
    throw new UsageError(
      "--as migrator needs DATABASE_MIGRATOR_SECRET_ARN (with DATABASE_SECRET_ARN, DB_HOST, DB_NAME)",
    );
  }
  return "migrator";
}

// ---- db:users (docs/decisions/031-database-users.md) ----------------------------------

/** Privileges on the schema: the app reads and writes rows (the rate limiter included). */
const APP_PRIVILEGES = ["SELECT", "INSERT", "UPDATE", "DELETE"] as const;
/** The migrator also changes the schema. GET_LOCK (migrations' lock) needs no privilege. */
const MIGRATOR_PRIVILEGES = [
  ...APP_PRIVILEGES,
  "CREATE",
  "ALTER",
  "DROP",
  "INDEX",
  "REFERENCES",
] as const;
/** The instances' addresses change with every refresh: the users connect from any host. */
const USER_HOST = "%";
/** MySQL 8 user names, and nothing that needs quoting. */
const MYSQL_USER_NAME = /^[A-Za-z][A-Za-z0-9_]{0,31}$/;

interface Credentials {
  username: string;
  password: string;
}

interface UserReport {
  role: "migrator" | "app";
  user: string;
  created: boolean;
  passwordChanged: boolean;
  requireSslChanged: boolean;
  granted: string[];
  revoked: string[];
}

async function provisionDatabaseUsers(config: Config, args: string[]) {
  const database = config.database;
  if (database.client !== "mysql" || !database.secretArn || !database.migratorSecretArn) {
    throw new UsageError(
      "needs DATABASE_SECRET_ARN (the app user's secret) and DATABASE_MIGRATOR_SECRET_ARN, with DB_HOST and DB_NAME",
    );
  }
  const { values } = parseArgs({
    args,
    options: { "master-user": { type: "string" } },
    strict: true,
  });
  const secrets = { region: config.awsRegion };
  const app = await readUserSecret(database.secretArn, secrets);
  const migrator = await readUserSecret(database.migratorSecretArn, secrets);
  let master: Credentials;
  if (database.masterSecretArn) {
    master = await readUserSecret(database.masterSecretArn, secrets);
    if (values["master-user"] !== undefined && values["master-user"] !== master.username) {
      throw new UsageError("--master-user differs from the user in DATABASE_MASTER_SECRET_ARN");
    }
  } else {
    const username = values["master-user"];
    if (!username) {
      throw new UsageError("--master-user is required without DATABASE_MASTER_SECRET_ARN");
    }
    const password =
      process.env.DB_MASTER_PASSWORD ||
      (await readPassword(`Password for the MySQL master user ${username}: `));
    master = { username, password };
  }

  for (const [what, name] of [
    ["the app secret's username", app.username],
    ["the migrator secret's username", migrator.username],
  ]) {
    if (!MYSQL_USER_NAME.test(name)) {
      throw new UsageError(`${what} must be 1-32 letters, digits or underscores`);
    }
  }
  if (new Set([app.username, migrator.username, master.username]).size !== 3) {
    throw new UsageError("the app, migrator and master users must be three different users");
  }
  if (database.user !== undefined && database.user !== app.username) {
    throw new UsageError(`DB_USER (${database.user}) is not the app secret's username`);
  }

  const db = createDb(
    { ...database, user: master.username, password: master.password },
    { min: 0, max: 1 },
  );
  try {
    // Over TLS (RDS, where require_secure_transport is on) the users must always use TLS too.
    const requireSsl = await sessionUsesTls(db);
    const users: UserReport[] = [];
    for (const [role, credentials, privileges] of [
      ["migrator", migrator, MIGRATOR_PRIVILEGES],
      ["app", app, APP_PRIVILEGES],
    ] as const) {
      users.push(
        await ensureUser(db, {
          role,
          credentials,
          privileges,
          schema: database.database,
          requireSsl,
          canLogIn: () => canLogIn(database, credentials),
        }),
      );
    }
    return {
      schema: database.database,
      requireSsl,
      users,
      changed: users.some(
        (u) =>
          u.created ||
          u.passwordChanged ||
          u.requireSslChanged ||
          u.granted.length > 0 ||
          u.revoked.length > 0,
      ),
    };
  } finally {
    await db.destroy();
  }
}

/** {"username", "password"} from a secret; errors never echo the secret's text. */
async function readUserSecret(arn: string, opts: { region?: string }): Promise<Credentials> {
  const text = await readSecretString(arn, opts);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new Error(`secret ${arn} is not JSON`);
  }
  const { username, password } = (value ?? {}) as Record<string, unknown>;
  if (typeof username !== "string" || typeof password !== "string" || password === "") {
    throw new Error(`secret ${arn} must hold {"username", "password"}`);
  }
  return { username, password };
}

async function ensureUser(
  db: Db,
  spec: {
    role: UserReport["role"];
    credentials: Credentials;
    privileges: readonly string[];
    schema: string;
    requireSsl: boolean;
    canLogIn: () => Promise<boolean>;
  },
): Promise<UserReport> {
  const { username: user, password } = spec.credentials;
  const report: UserReport = {
    role: spec.role,
    user,
    created: false,
    passwordChanged: false,
    requireSslChanged: false,
    granted: [],
    revoked: [],
  };
  const tls = spec.requireSsl ? "REQUIRE SSL" : "REQUIRE NONE";
  const [exists] = await rows<{ n: number }>(
    db,
    "SELECT COUNT(*) AS n FROM mysql.user WHERE User = ? AND Host = ?",
    [user, USER_HOST],
  );
  if (Number(exists?.n) === 0) {
    await withSecret(db, `CREATE USER IF NOT EXISTS ?@? IDENTIFIED BY ? ${tls}`, [
      user,
      USER_HOST,
      password,
    ]);
    report.created = true;
  } else {
    const [shown] = await rows<Record<string, unknown>>(db, "SHOW CREATE USER ?@?", [
      user,
      USER_HOST,
    ]);
    const requiresSsl = /\bREQUIRE\s+SSL\b/i.test(String(Object.values(shown ?? {})[0] ?? ""));
    if (requiresSsl !== spec.requireSsl) {
      await db.raw(`ALTER USER ?@? ${tls}`, [user, USER_HOST]);
      report.requireSslChanged = true;
    }
    // The password is only set when the secret's no longer works: a second run changes nothing.
    if (!(await spec.canLogIn())) {
      await withSecret(db, "ALTER USER ?@? IDENTIFIED BY ?", [user, USER_HOST, password]);
      report.passwordChanged = true;
    }
  }

  // Schema-level privileges converge on exactly `privileges`; global ones are removed.
  const grantee = `'${user}'@'${USER_HOST}'`;
  // In GRANT … ON `db`.*, "_" and "%" are wildcards: escape them to mean this schema only.
  const schemaPattern = spec.schema.replace(/[\\_%]/g, (c) => `\\${c}`);
  const on = `\`${schemaPattern}\`.*`;
  const held = await rows<{ privilege: string; grantable: string }>(
    db,
    "SELECT PRIVILEGE_TYPE AS privilege, IS_GRANTABLE AS grantable FROM information_schema.SCHEMA_PRIVILEGES WHERE GRANTEE = ? AND TABLE_SCHEMA = ?",
    [grantee, schemaPattern],
  );
  const heldNames = held.map((h) => h.privilege.toUpperCase());
  const missing = spec.privileges.filter((p) => !heldNames.includes(p));
  const extra = heldNames.filter((p) => !spec.privileges.includes(p));
  if (held.some((h) => h.grantable === "YES")) extra.push("GRANT OPTION");
  if (missing.length > 0) {
    await db.raw(`GRANT ${missing.join(", ")} ON ${on} TO ?@?`, [user, USER_HOST]);
    report.granted.push(...missing);
  }
  if (extra.length > 0) {
    await db.raw(`REVOKE ${extra.join(", ")} ON ${on} FROM ?@?`, [user, USER_HOST]);
    report.revoked.push(...extra);
  }
  const global = await rows<{ privilege: string }>(
    db,
    "SELECT PRIVILEGE_TYPE AS privilege FROM information_schema.USER_PRIVILEGES WHERE GRANTEE = ? AND PRIVILEGE_TYPE <> 'USAGE'",
    [grantee],
  );
  if (global.length > 0) {
    const names = global.map((g) => g.privilege.toUpperCase());
    await db.raw(`REVOKE ${names.join(", ")} ON *.* FROM ?@?`, [user, USER_HOST]);
    report.revoked.push(...names.map((n) => `${n} ON *.*`));
  }
  return report;
}

/** The rows of a query (knex's mysql2 raw result is [rows, fields]). */
async function rows<T>(db: Db, sql: string, bindings: readonly string[] = []): Promise<T[]> {
  const [result] = (await db.raw(sql, bindings)) as [T[], unknown];
  return result;
}

/**
 * Runs a statement that carries a password. knex puts the SQL, values included,
 * into its error messages: the error is rebuilt from MySQL's code and message
 * only, with the password masked should the server quote it.
 */
async function withSecret(db: Db, sql: string, bindings: string[]): Promise<void> {
  try {
    await db.raw(sql, bindings);
  } catch (error) {
    const { code, errno, sqlMessage } = error as {
      code?: string;
      errno?: number;
      sqlMessage?: string;
    };
    const secret = bindings[bindings.length - 1];
    const message = (sqlMessage ?? "no message from MySQL").split(secret).join("***");
    throw new Error(
      `${sql.split(" ").slice(0, 2).join(" ")} failed: ${code ?? "error"} (${errno ?? "?"}): ${message}`,
    );
  }
}

async function sessionUsesTls(db: Db): Promise<boolean> {
  const [status] = await rows<Record<string, unknown>>(db, "SHOW SESSION STATUS LIKE 'Ssl_cipher'");
  return String(Object.values(status ?? {})[1] ?? "") !== "";
}

/** Whether `credentials` can open a session (the user exists with this password and TLS setting). */
async function canLogIn(
  database: Extract<Config["database"], { client: "mysql" }>,
  credentials: Credentials,
): Promise<boolean> {
  try {
    const connection = await mysql.createConnection({
      host: database.host,
      port: database.port,
      user: credentials.username,
      password: credentials.password,
      ssl: mysqlTls(database.sslCa),
      connectTimeout: 10_000,
    });
    await connection.end();
    return true;
  } catch (error) {
    if (isAccessDeniedError(error)) return false;
    throw error;
  }
}

/** One line from the terminal without echoing it, or from stdin when it is not a terminal. */
async function readPassword(question: string): Promise<string> {
  const rl = readline.createInterface({
    input: process.stdin,
    output: process.stdout,
    terminal: Boolean(process.stdin.isTTY),
  });
  if (process.stdin.isTTY) {
    process.stdout.write(question);
    // Echo nothing of what is typed.
    (rl as unknown as { _writeToOutput: (text: string) => void })._writeToOutput = () => {};
  }
  try {
    return await new Promise<string>((resolve, reject) => {
      rl.once("line", resolve);
      rl.once("close", () => reject(new UsageError("no password given")));
    });
  } finally {
    if (process.stdin.isTTY) process.stdout.write("\n");
    rl.close();
  }
}

const [name, ...args] = process.argv.slice(2);
if (!name || !(name in commands)) {
  console.error(`usage: cli.js <${Object.keys(commands).join("|")}>`);
  process.exit(2);
}

const config = loadConfigOrExit();
const logger = createLogger(config.logLevel);
const opened: Db[] = [];
try {
  const result = await commands[name as keyof typeof commands]({
    args,
    config,
    embedded: config.database.client === "sqlite",
    async open(role) {
      const db = await openDatabase(config, role);
      opened.push(db);
      return db;
    },
  });
  logger.info({ command: name, database: config.database.client, ...result }, `${name} done`);
} catch (error) {
  if (
    error instanceof UsageError ||
    (error as { code?: string }).code?.startsWith("ERR_PARSE_ARGS")
  ) {
    console.error(`${name}: ${(error as Error).message}`);
    process.exitCode = 2;
  } else {
    logger.error({ err: error, command: name }, `${name} failed`);
    process.exitCode = 1;
  }
} finally {
  await Promise.all(opened.map((db) => db.destroy()));
}
