/**
 * Times the inventory's CSV import and export at the service layer, on a fresh
 * database, and prints the figures. The integration test only guards an upper
 * bound; this is where the numbers come from.
 *
 *   npx tsx bench/csv-import.ts [--rows 10000] [--db sqlite|mysql]
 *
 * Steps, each timed once, in this order on the same database:
 *  1. preview and apply a generated file of --rows new books (all creates);
 *  2. preview and apply a second file changing every one of them (price and
 *     stock always, the title of every third: all updates, one stock movement
 *     and one audit row each);
 *  3. export the inventory (the stream read to its end), then preview and apply
 *     that export, which must come back all unchanged and write nothing.
 * The longest event-loop stall during each step is shown too: previews check
 * rows in slices so a large file does not freeze the instance.
 *
 * --db mysql creates bench_csv_<random> on 127.0.0.1:3306 as root and drops it
 * afterwards (also on error or Ctrl-C); SQLite uses a file in a temporary folder.
 */
import crypto from "node:crypto";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { monitorEventLoopDelay } from "node:perf_hooks";
import { parseArgs } from "node:util";
import knexFactory from "knex";
import { parseDatabaseUrl } from "../app/lib/config.server";
import { createDb, type Db } from "../app/lib/db.server";
import {
  applyBookImport,
  CSV_COLUMNS,
  exportInventoryCsv,
  MAX_IMPORT_ROWS,
  previewBookImport,
} from "../app/services/book-csv.server";
import { migrateLatest } from "../db/migrate";
import { isbn13 } from "../db/seeds/demo";

const MYSQL_SERVER = { host: "127.0.0.1", port: 3306, user: "root" } as const;

const HELP = `Usage: npx tsx bench/csv-import.ts [--rows N] [--db sqlite|mysql]

  --rows N           books in the generated file (default 10000; at most ${MAX_IMPORT_ROWS})
  --db sqlite|mysql  engine (default sqlite; mysql creates bench_csv_<random> on 127.0.0.1:3306 and drops it)
`;

function options(): { rows: number; engine: "sqlite" | "mysql" } {
  const { values } = parseArgs({
    options: {
      rows: { type: "string", default: "10000" },
      db: { type: "string", default: "sqlite" },
      help: { type: "boolean", short: "h", default: false },
    },
    strict: true,
  });
  if (values.help) {
    process.stdout.write(HELP);
    process.exit(0);
  }
  const rows = Number(values.rows);
  if (!Number.isInteger(rows) || rows < 1 || rows > MAX_IMPORT_ROWS) {
    throw new Error(`--rows must be a whole number from 1 to ${MAX_IMPORT_ROWS}`);
  }
  const engine = values.db;
  if (engine !== "sqlite" && engine !== "mysql") throw new Error("--db must be sqlite or mysql");
  return { rows, engine };
}

const cleanups: Array<() => Promise<void>> = [];

async function cleanUp(): Promise<void> {
  for (const cleanup of cleanups.splice(0).reverse()) {
    await cleanup().catch((error: unknown) => console.error("cleanup failed:", error));
  }
}

async function freshDatabase(engine: "sqlite" | "mysql"): Promise<{ db: Db; where: string }> {
  if (engine === "sqlite") {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), "bench-csv-"));
    cleanups.push(() => fs.rm(dir, { recursive: true, force: true }));
    const filename = path.join(dir, "bench.sqlite");
    return { db: createDb({ client: "sqlite", filename }), where: `SQLite file ${filename}` };
  }
  const name = `bench_csv_${crypto.randomBytes(4).toString("hex")}`;
  const server = () =>
    knexFactory({
      client: "mysql2",
      connection: { ...MYSQL_SERVER, connectTimeout: 3000 },
      pool: { min: 0, max: 1 },
    });
  const creator = server();
  try {
    await creator.raw(
      `CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`,
    );
  } finally {
    await creator.destroy();
  }
  cleanups.push(async () => {
    const dropper = server();
    try {
      await dropper.raw(`DROP DATABASE IF EXISTS \`${name}\``);
    } finally {
      await dropper.destroy();
    }
  });
  const url = `mysql://${MYSQL_SERVER.user}@${MYSQL_SERVER.host}:${MYSQL_SERVER.port}/${name}`;
  return {
    db: createDb(parseDatabaseUrl(url), { min: 0, max: 2 }),
    where: `MySQL database ${name}`,
  };
}

/**
 * A file of `rows` books, deterministic by row number: quotes, commas and a
 * line break in every description, as real exports have. `version` changes
 * prices and stock always, titles every third row.
 */
function generatedCsv(rows: number, version: number): Buffer {
  const lines = [CSV_COLUMNS.join(",")];
  for (let i = 0; i < rows; i++) {
    const title = `Bench Book ${i}${i % 3 === 0 ? `, edition ${version}` : ""}`;
    lines.push(
      [
        isbn13("9783", i),
        `"${title}"`,
        `Author ${i % 211}`,
        `Genre ${i % 17}`,
        1800 + (i % 220),
        (3 + (i % 60) + version / 4).toFixed(2),
        (i * 7 + version) % 40,
        `"Row ${i}, said ""the bench"".\nSecond line."`,
      ].join(","),
    );
  }
  return Buffer.from(lines.join("\r\n") + "\r\n");
}

interface Step {
  name: string;
  ms: number;
  stallMs: number;
  detail: string;
}

async function timed<T>(
  name: string,
  work: () => Promise<T>,
  detail: (result: T) => string,
): Promise<{ step: Step; result: T }> {
  const loop = monitorEventLoopDelay({ resolution: 5 });
  loop.enable();
  const started = performance.now();
  const result = await work();
  const ms = performance.now() - started;
  loop.disable();
  return { step: { name, ms, stallMs: loop.max / 1e6, detail: detail(result) }, result };
}

async function main(): Promise<void> {
  const { rows, engine } = options();
  const { db, where } = await freshDatabase(engine);
  cleanups.push(() => db.destroy());
  await migrateLatest(db);
  const [adminId] = await db("users").insert({
    email: "bench-admin@example.com",
    name: "Bench Admin",
    // Never signed in with: the bench calls the services directly.
    passwordHash: "not-a-password-hash",
    role: "admin",
  });
  const actor = { id: Number(adminId), email: "bench-admin@example.com" };
  console.log(`CSV import bench: ${rows} rows on ${where}, node ${process.version}\n`);

  const steps: Step[] = [];
  const counts = (p: {
    creates: number;
    updates: number;
    unchanged: number;
    problems: unknown[];
  }) =>
    `${p.creates} new, ${p.updates} updated, ${p.unchanged} unchanged, ${p.problems.length} problems`;
  const applied = (r: { created: number; updated: number; unchanged: number }) =>
    `${r.created} created, ${r.updated} updated, ${r.unchanged} unchanged`;

  const creates = generatedCsv(rows, 1);
  const updates = generatedCsv(rows, 2);
  const sizes = `${(creates.length / 1024 / 1024).toFixed(2)} MB`;
  for (const [label, file] of [
    ["create", creates],
    ["update", updates],
  ] as const) {
    const preview = await timed(`preview (${label}s)`, () => previewBookImport(db, file), counts);
    steps.push(preview.step);
    if (preview.result.problems.length > 0)
      throw new Error(JSON.stringify(preview.result.problems));
    steps.push(
      (await timed(`apply (${label}s)`, () => applyBookImport(db, actor, file), applied)).step,
    );
  }

  const exported = await timed(
    "export (stream read to the end)",
    async () => Buffer.from(await new Response(exportInventoryCsv(db)).arrayBuffer()),
    (bytes) => `${(bytes.length / 1024 / 1024).toFixed(2)} MB`,
  );
  steps.push(exported.step);
  const writes = async () =>
    Promise.all(
      ["stockMovements", "auditEvents"].map(async (table) =>
        Number(((await db(table).count({ n: "*" }).first()) as { n: number | string }).n),
      ),
    );
  const before = await writes();
  steps.push(
    (
      await timed(
        "preview (export, unchanged)",
        () => previewBookImport(db, exported.result),
        counts,
      )
    ).step,
  );
  steps.push(
    (
      await timed(
        "apply (export, unchanged)",
        () => applyBookImport(db, actor, exported.result),
        applied,
      )
    ).step,
  );
  const after = await writes();
  if (before.join() !== after.join()) throw new Error("applying the export wrote rows");

  const width = Math.max(...steps.map((step) => step.name.length));
  console.log(`${"step".padEnd(width)}  ${"ms".padStart(8)}  ${"stall ms".padStart(8)}  result`);
  for (const step of steps) {
    console.log(
      `${step.name.padEnd(width)}  ${step.ms.toFixed(0).padStart(8)}  ${step.stallMs.toFixed(0).padStart(8)}  ${step.detail}`,
    );
  }
  console.log(
    `\nGenerated files: ${sizes} each. "stall ms" is the longest event-loop delay in the step.`,
  );
}

process.once("SIGINT", () => {
  void cleanUp().finally(() => process.exit(130));
});

main()
  .catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  })
  .finally(cleanUp);
