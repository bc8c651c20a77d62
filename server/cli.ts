/**
 * Operations CLI: `node build/server/cli.js <command>` in production (from the
 * release on an instance), `npm run db:migrate`, `npm run db:seed` and
 * `npm run admin:create -- --email … --name …` in development.
 *
 *   migrate                          apply pending migrations (under an advisory lock on MySQL)
 *   seed                             migrate, then add the demo catalog and delivery providers
 *   admin:create --email E [--name N]
 *                                    create an admin, or promote an existing account; the
 *                                    password comes from ADMIN_PASSWORD or a prompt, never
 *                                    from an argument (arguments show in `ps` and shell history)
 */
import readline from "node:readline";
import { parseArgs } from "node:util";
import { migrateLatest } from "../db/migrate";
import { seedDemoData } from "../db/seeds/demo";
import type { Db } from "../app/lib/db.server";
import { emailField, nameField, newPasswordField } from "../app/lib/validation";
import { createOrPromoteAdmin } from "../app/services/users.server";
import { User } from "../app/models/User";
import { createLogger, loadConfigOrExit, openDatabase } from "./runtime";

class UsageError extends Error {}

const commands = {
  async migrate(db) {
    const { applied } = await migrateLatest(db);
    return applied.length > 0 ? { applied } : { applied, note: "already up to date" };
  },
  async seed(db) {
    await migrateLatest(db);
    return seedDemoData(db);
  },
  async "admin:create"(db, args, { embedded }) {
    const { values } = parseArgs({
      args,
      options: { email: { type: "string" }, name: { type: "string" } },
      strict: true,
    });
    const email = emailField.safeParse(values.email ?? "");
    if (!email.success) throw new UsageError("--email must be an email address");
    const name = values.name === undefined ? undefined : nameField.safeParse(values.name);
    if (name && !name.success) throw new UsageError("--name must be 1 to 100 characters");
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
} satisfies Record<
  string,
  (db: Db, args: string[], options: { embedded: boolean }) => Promise<object>
>;

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
const db = await openDatabase(config);
try {
  const result = await commands[name as keyof typeof commands](db, args, {
    embedded: config.database.client === "sqlite",
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
  await db.destroy();
}
