/**
 * A MariaDB server of a test's own, to take away and bring back: its own data
 * folder (mariadb-install-db), port, socket, pid file and error log in a temp
 * folder, started with --no-defaults so no system option file (port 3306, the
 * system socket) applies, and grant tables skipped so root connects over TCP
 * without a password. Stopped and killed by its process id only: the shared
 * server on 3306 is never touched.
 */
import { spawn, type ChildProcess } from "node:child_process";
import fsp from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import mysql from "mysql2/promise";
import { findExecutable, makeTempDir, track, waitFor, type Exit } from "./cluster";
import { freePort } from "./net";

export interface PrivateMariaDb {
  /** Server-level URL, without a database: mysql://root@127.0.0.1:<port>. */
  url: string;
  port: number;
  /** The running server's process id (undefined while it is down). */
  pid(): number | undefined;
  /** Starts it (again) on the same data folder and port; resolves once it answers. */
  start(): Promise<void>;
  /** Sends `signal` (SIGKILL: a crash) to the server and waits for it to go. */
  kill(signal?: NodeJS.Signals): Promise<Exit>;
  /** Its error log, for failure messages. */
  log(): Promise<string>;
  /** Stops it and removes its folder. */
  destroy(): Promise<void>;
}

const isRoot = () => process.getuid?.() === 0;

export async function startPrivateMariaDb(): Promise<PrivateMariaDb> {
  const installDb = findExecutable("mariadb-install-db");
  const server = findExecutable("mariadbd");
  if (!installDb || !server) throw new Error("mariadb-install-db and mariadbd are needed");
  const dir = await makeTempDir("bookstore-mariadb-");
  const dataDir = path.join(dir, "data");
  const port = await freePort();
  const user = isRoot() ? "root" : os.userInfo().username;

  await run(installDb, [
    "--no-defaults",
    `--datadir=${dataDir}`,
    `--user=${user}`,
    "--auth-root-authentication-method=normal",
    "--skip-test-db",
    "--skip-name-resolve",
  ]);

  let child: ChildProcess | undefined;
  let exited: Promise<Exit> | undefined;
  const errorLog = path.join(dir, "error.log");
  const db: PrivateMariaDb = {
    url: `mysql://root@127.0.0.1:${port}`,
    port,
    pid: () =>
      child && child.exitCode === null && child.signalCode === null ? child.pid : undefined,
    async start() {
      if (db.pid()) throw new Error("the private MariaDB is running already");
      child = track(
        spawn(
          server,
          [
            "--no-defaults",
            `--datadir=${dataDir}`,
            `--port=${port}`,
            "--bind-address=127.0.0.1",
            `--socket=${path.join(dir, "mariadb.sock")}`,
            `--pid-file=${path.join(dir, "mariadb.pid")}`,
            `--log-error=${errorLog}`,
            `--tmpdir=${dir}`,
            "--skip-grant-tables",
            "--skip-name-resolve",
            "--skip-log-bin",
            "--innodb-buffer-pool-size=32M",
            "--max-connections=200",
            ...(isRoot() ? ["--user=root"] : []),
          ],
          { stdio: "ignore" },
        ),
      );
      const started = child;
      exited = new Promise((resolve) =>
        started.once("exit", (code, signal) => resolve({ code, signal })),
      );
      await waitFor(
        "the private MariaDB to answer",
        async () => {
          if (!db.pid()) throw new Error(`mariadbd exited:\n${await db.log()}`);
          const connection = await mysql.createConnection({
            host: "127.0.0.1",
            port,
            user: "root",
            connectTimeout: 1000,
          });
          await connection.end();
          return true;
        },
        { timeoutMs: 30_000, intervalMs: 100 },
      );
    },
    async kill(signal = "SIGKILL") {
      if (!child || !exited) throw new Error("the private MariaDB was never started");
      if (db.pid()) child.kill(signal);
      return exited;
    },
    log: () => fsp.readFile(errorLog, "utf8").catch(() => ""),
    async destroy() {
      if (db.pid()) await db.kill("SIGTERM");
      await fsp.rm(dir, { recursive: true, force: true });
    },
  };
  try {
    await db.start();
  } catch (error) {
    await db.destroy().catch(() => {});
    throw error;
  }
  return db;
}

function run(command: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = track(spawn(command, args, { stdio: ["ignore", "pipe", "pipe"] }));
    let output = "";
    child.stdout!.on("data", (chunk) => (output += chunk));
    child.stderr!.on("data", (chunk) => (output += chunk));
    child.once("error", reject);
    child.once("exit", (code) =>
      code === 0
        ? resolve()
        : reject(new Error(`${path.basename(command)} exited ${code}:\n${output}`)),
    );
  });
}
