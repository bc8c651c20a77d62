/**
 * The inventory as a CSV file: exported for spreadsheets, imported back in
 * one transaction after a preview.
 *
 * One format both ways: a header row `isbn,title,author,genre,year,price,stock,description`
 * (any order, names case-insensitive), price as decimal dollars, stock as the
 * whole number there should be. An export re-imports unchanged: the same ISBN
 * form (the stored ISBN-13), `centsToDecimal` prices, and formula escaping
 * (`escapeCell`) that the import undoes exactly.
 *
 * Import rules:
 *  - Rows are matched to books by normalized ISBN (an ISBN-10 finds its ISBN-13);
 *    each row creates a book, updates one, or leaves it unchanged. Books missing
 *    from the file are left alone: an import never deletes, archives or restores.
 *    Archived books are updated like the others and stay archived.
 *  - Cells follow the book form's rules (app/lib/book-schema.ts: trimmed, same
 *    lengths and ranges), plus stock as a whole number from 0 to 1,000,000. A
 *    stored text that differs from the cell only by surrounding whitespace
 *    counts as unchanged, so old untrimmed values survive a round trip.
 *  - A bad row, a repeated ISBN or a broken file makes the whole file bad:
 *    every problem is reported with the physical line its record starts on
 *    (the header is line 1; quoted newlines and blank lines counted), and
 *    nothing is applied until the file is clean.
 *  - Apply re-reads and re-checks the file, then re-plans inside the
 *    transaction against the rows as they are now (locked on MySQL, under
 *    SQLite's write lock), so a preview is never applied stale. Stock changes are deltas from the
 *    locked stock, written as movements ("received" for a new book's stock,
 *    "correction" for an existing book's), so a checkout that committed
 *    earlier is accounted for and one that comes later waits and takes its
 *    copies from the imported figure. One audit row per created or updated book.
 *  - Everything is batched (ISBN lookups, inserts and CASE updates a few
 *    hundred rows at a time): 10,000 rows take a few dozen statements.
 *
 * Between preview and apply the file waits in the uploads folder (shared by
 * every instance), named after its SHA-256, under a dot-directory: the server
 * serves uploads statically but denies dot-paths, so an inventory is never
 * downloadable from there.
 */
import crypto from "node:crypto";
import fs from "node:fs/promises";
import path from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { createReadableStreamFromReadable, unstable_parseMultipartFormData } from "@remix-run/node";
import { CsvError } from "csv-parse";
import { parse } from "csv-parse/sync";
import { stringify } from "csv-stringify";
import type { Knex } from "knex";
import { z } from "zod";
import { bookFields } from "~/lib/book-schema";
import {
  dialectOf,
  inTransaction,
  isUniqueViolation,
  sqlTimestamp,
  type Db,
} from "~/lib/db.server";
import { ConflictError, DomainError } from "~/lib/domain-errors.server";
import { centsToDecimal } from "~/lib/money";
import { wholeNumberField } from "~/lib/validation";
import type { Actor } from "./audit.server";
import { forgetCatalogCaches } from "./catalog.server";
import { sortKey } from "~/lib/sort-key";
import { ensureDirectory } from "~/lib/uploads.server";

/** The file's columns, in the order the export writes them. */
export const CSV_COLUMNS = [
  "isbn",
  "title",
  "author",
  "genre",
  "year",
  "price",
  "stock",
  "description",
] as const;
export type CsvColumn = (typeof CSV_COLUMNS)[number];

/** The largest file an import accepts. */
export const MAX_IMPORT_BYTES = 5 * 1024 * 1024;
/** Rows per file: keeps one import's transaction (and its row locks) to seconds. */
export const MAX_IMPORT_ROWS = 50_000;
/** What the multipart envelope around the file may add (boundaries, part headers). */
const MAX_ENVELOPE_BYTES = 16 * 1024;
/** How much of a body sent without a declared length is drained before the connection is dropped. */
const MAX_DRAIN_BYTES = 2 * MAX_IMPORT_BYTES;
/** A record longer than this cannot be a book (descriptions stop at 5,000 characters). */
const MAX_RECORD_CHARS = 64 * 1024;
/** Previewed files nobody applied are removed after this long. */
const STALE_IMPORT_MS = 24 * 60 * 60 * 1000;

/** Rows per statement: well under SQLite's 32,766 variables and 500 compound selects. */
const LOOKUP_BATCH = 500;
const WRITE_BATCH = 250;
const EXPORT_PAGE = 500;

const TOO_LARGE = `That file is too large: an import takes at most ${MAX_IMPORT_BYTES / 1024 / 1024} MB. Split it into smaller files.`;

interface BookValues {
  isbn: string;
  title: string;
  author: string;
  genre: string;
  publishedYear: number;
  priceCents: number;
  stock: number;
  description: string;
}
type BookField = keyof BookValues;

interface ExistingBook extends BookValues {
  id: number;
  archivedAt: string | null;
}

const FIELD_OF: Record<CsvColumn, BookField> = {
  isbn: "isbn",
  title: "title",
  author: "author",
  genre: "genre",
  year: "publishedYear",
  price: "priceCents",
  stock: "stock",
  description: "description",
};
/** The books columns a CSV row holds, read for export and for comparing an import. */
const BOOK_FIELDS = Object.values(FIELD_OF);
const COLUMN_OF = Object.fromEntries(
  Object.entries(FIELD_OF).map(([column, field]) => [field, column]),
) as Record<BookField, CsvColumn>;
/** Fields an update may change, in the file's column order (the ISBN is the key). */
const UPDATABLE: BookField[] = CSV_COLUMNS.map((column) => FIELD_OF[column]).filter(
  (field) => field !== "isbn",
);

/** One row, by the book form's own field rules, plus the stock the shelf should hold. */
const rowSchema = z.object({
  ...bookFields,
  stock: wholeNumberField("the stock", 0, 1_000_000),
});

export interface ImportProblem {
  /** The physical line the record starts on; the header is line 1. */
  line: number;
  column: CsvColumn | null;
  message: string;
}

export interface FieldChange {
  column: CsvColumn;
  before: string | number;
  after: string | number;
}

export interface PlannedRow {
  line: number;
  action: "create" | "update" | "unchanged";
  isbn: string;
  title: string;
  /** The book's id, for updates and unchanged rows. */
  bookId: number | null;
  archived: boolean;
  values: BookValues;
  /** For updates: each changed column, before → after (stored values: cents, years). */
  changes: FieldChange[];
}

export interface ImportPreview {
  /** Data rows read (the header and blank lines not counted). */
  rowCount: number;
  creates: number;
  updates: number;
  unchanged: number;
  /** Every problem, by line; the file can be applied only when this is empty. */
  problems: ImportProblem[];
  /** Rows that would create or update a book, in file order. */
  changes: PlannedRow[];
}

export interface ImportResult {
  created: number;
  updated: number;
  unchanged: number;
}

/** An upload or a stored import the request cannot use, with the status it deserves. */
export class ImportRefusedError extends DomainError {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = "ImportRefusedError";
  }
}

/** The file has problems (found at apply time): nothing was applied. */
export class ImportInvalidError extends ConflictError {
  constructor(readonly preview: ImportPreview) {
    super(
      `The file has ${preview.problems.length} ${preview.problems.length === 1 ? "problem" : "problems"}: nothing was imported.`,
    );
    this.name = "ImportInvalidError";
  }
}

// ---------------------------------------------------------------------------
// Formula escaping
// ---------------------------------------------------------------------------

/**
 * Spreadsheets run a cell that starts with = + - @ (or a tab or carriage
 * return) as a formula. Such cells are written with a leading apostrophe;
 * so that the import can undo exactly that, a value made of apostrophes and
 * then one of those characters gets one too ("'=x" → "''=x").
 */
const FORMULA_LIKE = /^'*[=+\-@\t\r]/;
const ESCAPED_FORMULA = /^'+[=+\-@\t\r]/;

export function escapeCell(value: string): string {
  return FORMULA_LIKE.test(value) ? `'${value}` : value;
}

export function unescapeCell(cell: string): string {
  return ESCAPED_FORMULA.test(cell) ? cell.slice(1) : cell;
}

// ---------------------------------------------------------------------------
// Export
// ---------------------------------------------------------------------------

/**
 * Every book, archived ones included (the file is the whole inventory, and an
 * archived book's ISBN is taken all the same), as a CSV stream: pages of rows
 * by id (keyset, so each book appears once while others are edited), through
 * csv-stringify, pulled only as fast as the client reads. A UTF-8 BOM lets
 * spreadsheets recognise the encoding; the import skips it.
 */
export function exportInventoryCsv(
  db: Db,
  onError: (error: Error) => void = () => undefined,
): ReadableStream<Uint8Array> {
  async function* records() {
    let afterId = 0;
    for (;;) {
      const page = (await db("books")
        .select("id", ...BOOK_FIELDS)
        .where("id", ">", afterId)
        .orderBy("id")
        .limit(EXPORT_PAGE)) as Array<BookValues & { id: number }>;
      for (const book of page) yield toCsvRecord(book);
      if (page.length < EXPORT_PAGE) return;
      afterId = page[page.length - 1].id;
    }
  }
  const csv = stringify({
    bom: true,
    header: true,
    columns: [...CSV_COLUMNS],
    record_delimiter: "windows",
    // Quote line breaks of either kind (the default only quotes the record
    // delimiter) and surrounding spaces, which spreadsheets would drop.
    quoted_match: /[\r\n]|^\s|\s$/,
  });
  // pipeline, unlike pipe, ends the CSV stream with the error if a page fails
  // (the download is then cut short). A client that goes away is no failure.
  pipeline(Readable.from(records()), csv).catch((error: NodeJS.ErrnoException) => {
    if (error.code !== "ERR_STREAM_PREMATURE_CLOSE") onError(error);
  });
  return createReadableStreamFromReadable(csv);
}

function toCsvRecord(book: BookValues): Record<CsvColumn, string> {
  return {
    isbn: book.isbn,
    title: escapeCell(book.title),
    author: escapeCell(book.author),
    genre: escapeCell(book.genre),
    year: String(book.publishedYear),
    price: centsToDecimal(book.priceCents),
    stock: String(book.stock),
    description: escapeCell(book.description),
  };
}

export function exportFileName(now: Date = new Date()): string {
  return `bookstore-inventory-${now.toISOString().slice(0, 10)}.csv`;
}

// ---------------------------------------------------------------------------
// Preview and apply
// ---------------------------------------------------------------------------

/** What applying `csv` would do now, read-only. */
export async function previewBookImport(db: Db, csv: Uint8Array): Promise<ImportPreview> {
  return (await planImport(db, await readRows(csv), { lock: false })).preview;
}

/**
 * Applies `csv` in one transaction, re-planned against the database as it is
 * now; throws ImportInvalidError (nothing applied) if any row is bad.
 */
export async function applyBookImport(
  db: Db,
  actor: Actor,
  csv: Uint8Array,
): Promise<ImportResult> {
  // The file is checked before the transaction: it cannot change, and locks
  // should not wait on parsing.
  const read = await readRows(csv);
  if (read.problems.length > 0) {
    throw new ImportInvalidError((await planImport(db, read, { lock: false })).preview);
  }
  const result = await inTransaction(db, async (trx) => {
    if (dialectOf(trx) === "sqlite") {
      // Take SQLite's write lock before reading: a transaction that read first
      // and wrote after another process's commit would fail (SQLITE_BUSY_SNAPSHOT)
      // instead of waiting its turn.
      await trx.raw("UPDATE books SET id = id WHERE 0");
    }
    const { preview, rows } = await planImport(trx, read, { lock: true });
    await writePlan(trx, actor, rows);
    return { created: preview.creates, updated: preview.updates, unchanged: preview.unchanged };
  });
  forgetCatalogCaches(db);
  return result;
}

interface Plan {
  preview: ImportPreview;
  rows: PlannedRow[];
}

/** Sorts checked rows into creates, updates and unchanged, against the books as they are now. */
async function planImport(db: Db, read: ReadRows, { lock }: { lock: boolean }): Promise<Plan> {
  const existing = await findByIsbn(
    db,
    read.rows.map((row) => row.values.isbn),
    lock,
  );

  const rows: PlannedRow[] = read.rows.map(({ line, values }) => {
    const book = existing.get(values.isbn);
    if (!book) {
      return {
        line,
        action: "create",
        isbn: values.isbn,
        title: values.title,
        bookId: null,
        archived: false,
        values,
        changes: [],
      };
    }
    const changes = UPDATABLE.filter((field) => !sameValue(book[field], values[field])).map(
      (field) => ({
        column: COLUMN_OF[field],
        before: book[field],
        after: values[field],
      }),
    );
    return {
      line,
      action: changes.length > 0 ? "update" : "unchanged",
      isbn: values.isbn,
      title: values.title,
      bookId: book.id,
      archived: book.archivedAt !== null,
      values,
      changes,
    };
  });

  const count = (action: PlannedRow["action"]) => rows.filter((r) => r.action === action).length;
  return {
    rows,
    preview: {
      rowCount: read.rowCount,
      creates: count("create"),
      updates: count("update"),
      unchanged: count("unchanged"),
      problems: [...read.problems].sort((a, b) => a.line - b.line),
      changes: rows.filter((row) => row.action !== "unchanged"),
    },
  };
}

/**
 * Cells are trimmed like the form's fields, so a stored value with spaces or a
 * newline around it (written before the form trimmed, or by hand) matches its
 * own export: the round trip leaves it alone instead of "changing" it.
 */
function sameValue(stored: string | number, imported: string | number): boolean {
  return typeof stored === "string" ? stored.trim() === imported : stored === imported;
}

/** The existing books among `isbns`, by ISBN; locked for the transaction when applying on MySQL. */
async function findByIsbn(
  db: Db,
  isbns: string[],
  lock: boolean,
): Promise<Map<string, ExistingBook>> {
  const found = new Map<string, ExistingBook>();
  const forUpdate = lock && dialectOf(db) === "mysql";
  for (const batch of chunks(isbns, LOOKUP_BATCH)) {
    const query = db("books")
      .select("id", ...BOOK_FIELDS, "archivedAt")
      .whereIn("isbn", batch);
    if (forUpdate) query.forUpdate();
    for (const book of (await query) as ExistingBook[]) found.set(book.isbn, book);
  }
  return found;
}

async function writePlan(trx: Db, actor: Actor, rows: PlannedRow[]): Promise<void> {
  const now = sqlTimestamp();
  const creates = rows.filter((row) => row.action === "create");
  const updates = rows.filter((row) => row.action === "update");

  for (const batch of chunks(creates, WRITE_BATCH)) {
    try {
      await trx("books").insert(
        batch.map(({ values }) => ({
          ...values,
          titleSort: sortKey(values.title),
          coverPath: null,
          archivedAt: null,
          createdAt: now,
          updatedAt: now,
        })),
      );
    } catch (error) {
      // Cannot happen while the rows we read are locked; said plainly if it ever does.
      if (isUniqueViolation(error)) {
        throw new ConflictError("A book with one of these ISBNs was just added. Preview again.");
      }
      throw error;
    }
  }
  // Multi-row inserts do not return every id on either engine: read them back by ISBN.
  const created = await findByIsbn(
    trx,
    creates.map((row) => row.isbn),
    false,
  );
  for (const row of creates) row.bookId = created.get(row.isbn)!.id;

  for (const batch of chunks(updates, WRITE_BATCH)) await updateBatch(trx, batch, now);

  const movements = [
    ...creates
      .filter((row) => row.values.stock > 0)
      .map((row) => ({ bookId: row.bookId!, delta: row.values.stock, reason: "received" })),
    ...updates.flatMap((row) => {
      const stock = row.changes.find((change) => change.column === "stock");
      if (!stock) return [];
      const delta = Number(stock.after) - Number(stock.before);
      return [{ bookId: row.bookId!, delta, reason: "correction" }];
    }),
  ];
  for (const batch of chunks(movements, LOOKUP_BATCH)) {
    await trx("stockMovements").insert(
      batch.map((movement) => ({
        ...movement,
        orderId: null,
        userId: actor.id,
        note: "CSV import",
        createdAt: now,
      })),
    );
  }

  // The rows recordAudit writes, in batches: created books with everything they
  // were given (as book.create does), updated ones with only what changed.
  const audits = [
    ...creates.map((row) => ({
      action: "book.import_create",
      entityId: row.bookId!,
      before: null,
      after: JSON.stringify(row.values),
    })),
    ...updates.map((row) => ({
      action: "book.import_update",
      entityId: row.bookId!,
      before: JSON.stringify(sideOf(row.changes, "before")),
      after: JSON.stringify(sideOf(row.changes, "after")),
    })),
  ];
  for (const batch of chunks(audits, LOOKUP_BATCH)) {
    await trx("auditEvents").insert(
      batch.map((audit) => ({
        ...audit,
        userId: actor.id,
        actorEmail: actor.email,
        entityType: "book",
        createdAt: now,
      })),
    );
  }
}

/**
 * One UPDATE for a batch of books: each changed column is a CASE over the ids
 * that change it (other rows keep their value). Stock moves by its delta from
 * the locked row, never to an absolute figure.
 */
async function updateBatch(trx: Db, batch: PlannedRow[], now: string): Promise<void> {
  const set: Record<string, unknown> = { updatedAt: now };
  for (const field of UPDATABLE) {
    const changing = batch.flatMap((row) => {
      const change = row.changes.find((c) => c.column === COLUMN_OF[field]);
      return change ? [{ id: row.bookId!, change }] : [];
    });
    if (changing.length === 0) continue;
    const sql: string[] = [];
    const bindings: Knex.RawBinding[] = ["id"];
    for (const { id, change } of changing) {
      if (field === "stock") {
        const delta = Number(change.after) - Number(change.before);
        // Two forms, not `stock + ?` with a negative value: MySQL computes
        // UNSIGNED + signed as UNSIGNED.
        sql.push(delta > 0 ? "WHEN ? THEN ?? + ?" : "WHEN ? THEN ?? - ?");
        bindings.push(id, "stock", Math.abs(delta));
      } else {
        sql.push("WHEN ? THEN ?");
        bindings.push(id, change.after);
      }
    }
    bindings.push(field);
    set[field] = trx.raw(`CASE ?? ${sql.join(" ")} ELSE ?? END`, bindings);
  }
  // A new title is a new sort key (app/lib/sort-key.ts), written with it.
  const retitled = batch.flatMap((row) => {
    const change = row.changes.find((c) => c.column === "title");
    return change ? [[row.bookId!, sortKey(String(change.after))] as const] : [];
  });
  if (retitled.length > 0) {
    set.titleSort = trx.raw(
      `CASE ?? ${retitled.map(() => "WHEN ? THEN ?").join(" ")} ELSE ?? END`,
      ["id", ...retitled.flat(), "titleSort"],
    );
  }
  await trx("books")
    .whereIn(
      "id",
      batch.map((row) => row.bookId!),
    )
    .update(set);
}

function sideOf(changes: FieldChange[], side: "before" | "after"): Partial<BookValues> {
  return Object.fromEntries(changes.map((change) => [FIELD_OF[change.column], change[side]]));
}

// ---------------------------------------------------------------------------
// Reading the file
// ---------------------------------------------------------------------------

interface ReadRows {
  rowCount: number;
  rows: Array<{ line: number; values: BookValues }>;
  problems: ImportProblem[];
}

/** Thrown from inside the parser to stop reading a file that cannot go on. */
class StopReading extends Error {}

/** Rows checked between two yields to the event loop. */
const ROWS_PER_TICK = 500;

/**
 * Parses, then checks every row. csv-parse runs synchronously, handing each
 * record to `on_record` as it ends, so a fatal error (a quote never closed)
 * comes after every record before it was collected and we know where its own
 * record starts. Checking rows costs more than parsing them, so it runs
 * afterwards in slices, letting the instance serve other requests meanwhile.
 */
async function readRows(csv: Uint8Array): Promise<ReadRows> {
  const out: ReadRows = { rowCount: 0, rows: [], problems: [] };
  const problems = out.problems;
  const fileProblem = (line: number, message: string) => {
    problems.push({ line, column: null, message });
    return new StopReading();
  };

  const bytes = Buffer.from(csv.buffer, csv.byteOffset, csv.byteLength);
  try {
    new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    fileProblem(
      1,
      "The file is not UTF-8 text. Save it from your spreadsheet as “CSV UTF-8” and try again.",
    );
    return out;
  }

  const lines = new LineCounter(bytes);
  let recordEnd = 0;
  let header: CsvColumn[] | null = null;
  const records: Array<{ line: number; record: string[] }> = [];
  try {
    parse(bytes, {
      bom: true,
      relax_column_count: true,
      // A stray quote inside an unquoted value (5" floppy) is kept as a character.
      relax_quotes: true,
      skip_empty_lines: true,
      record_delimiter: ["\r\n", "\n", "\r"],
      max_record_size: MAX_RECORD_CHARS,
      on_record: (record: string[], info) => {
        const line = lines.recordStart(recordEnd);
        recordEnd = info.bytes;
        if (!header) {
          header = readHeader(record, problems);
          if (!header) throw new StopReading();
        } else if (records.length === MAX_IMPORT_ROWS) {
          throw fileProblem(
            line,
            `The file has more than ${MAX_IMPORT_ROWS.toLocaleString("en-US")} rows. Split it into smaller files.`,
          );
        } else {
          records.push({ line, record });
        }
        // Collected above, not by the parser.
        return null;
      },
    });
  } catch (error) {
    if (error instanceof StopReading) return out;
    if (!(error instanceof CsvError)) throw error;
    fileProblem(lines.recordStart(recordEnd), csvErrorMessage(error));
  }
  if (!header) {
    fileProblem(
      1,
      `The file is empty. Its first line must be the header: ${CSV_COLUMNS.join(",")}.`,
    );
    return out;
  }
  if (records.length === 0 && problems.length === 0) {
    fileProblem(2, "The file has a header but no books.");
    return out;
  }

  out.rowCount = records.length;
  const columns: CsvColumn[] = header;
  const firstLineOf = new Map<string, number>();
  for (let i = 0; i < records.length; i++) {
    if (i > 0 && i % ROWS_PER_TICK === 0) await new Promise((resolve) => setImmediate(resolve));
    const { line, record } = records[i];
    if (record.length !== columns.length) {
      problems.push({
        line,
        column: null,
        message: `This row has ${record.length} ${record.length === 1 ? "value" : "values"}; the header has ${columns.length} columns.`,
      });
      continue;
    }
    const raw: Partial<Record<BookField, string>> = {};
    columns.forEach((column, j) => (raw[FIELD_OF[column]] = unescapeCell(record[j])));
    const parsed = rowSchema.safeParse(raw);
    if (!parsed.success) {
      const reported = new Set<CsvColumn>();
      for (const issue of parsed.error.issues) {
        const column = COLUMN_OF[issue.path[0] as BookField];
        // One message per cell is enough to fix it.
        if (reported.has(column)) continue;
        reported.add(column);
        problems.push({ line, column, message: issue.message });
      }
      continue;
    }
    const values: BookValues = parsed.data;
    const first = firstLineOf.get(values.isbn);
    if (first !== undefined) {
      problems.push({
        line,
        column: "isbn",
        message: `ISBN ${values.isbn} is also on line ${first}: each book may appear only once.`,
      });
      continue;
    }
    firstLineOf.set(values.isbn, line);
    out.rows.push({ line, values });
  }
  return out;
}

/** The columns in the header's order, or null (with problems) when it is not our header. */
function readHeader(record: string[], problems: ImportProblem[]): CsvColumn[] | null {
  const names = record.map((name) => name.trim().toLowerCase());
  const before = problems.length;
  const expected = `The first line must be the header: ${CSV_COLUMNS.join(",")}.`;
  const unknown = names.filter((name) => !(CSV_COLUMNS as readonly string[]).includes(name));
  for (const name of unknown) {
    problems.push({
      line: 1,
      column: null,
      message: name
        ? `Unknown column “${name.slice(0, 40)}” in the header. ${expected}`
        : `The header has an empty column name. ${expected}`,
    });
  }
  for (const column of CSV_COLUMNS) {
    const count = names.filter((name) => name === column).length;
    if (count === 0)
      problems.push({ line: 1, column, message: `The header has no “${column}” column.` });
    if (count > 1)
      problems.push({ line: 1, column, message: `The header has “${column}” ${count} times.` });
  }
  return problems.length > before ? null : (names as CsvColumn[]);
}

function csvErrorMessage(error: CsvError): string {
  switch (error.code) {
    case "CSV_QUOTE_NOT_CLOSED":
      return 'A quoted value starts here and is never closed: a closing " is missing.';
    case "CSV_INVALID_CLOSING_QUOTE":
      return 'A quoted value has a quote inside it: write a quote inside a quoted value as two ("").';
    case "CSV_MAX_RECORD_SIZE":
      return "This row is far too long for a book.";
    default:
      return `This row cannot be read as CSV (${error.code}).`;
  }
}

/**
 * Physical line numbers from byte offsets. csv-parse's own line count drifts
 * with CRLF endings, so lines are counted here: a record starts on the first
 * line after the previous record's end that is not blank. CRLF, LF and CR
 * each end one line; line breaks are single bytes in UTF-8, so bytes are safe
 * to scan.
 */
class LineCounter {
  private offset = 0;
  private line = 1;

  constructor(private readonly bytes: Uint8Array) {}

  recordStart(previousEnd: number): number {
    while (this.offset < previousEnd) this.step();
    while (this.offset < this.bytes.length && isLineBreak(this.bytes[this.offset])) this.step();
    return this.line;
  }

  private step(): void {
    const byte = this.bytes[this.offset++];
    if (byte === LF) this.line++;
    if (byte === CR) {
      this.line++;
      if (this.bytes[this.offset] === LF) this.offset++;
    }
  }
}

const CR = 0x0d;
const LF = 0x0a;
const isLineBreak = (byte: number) => byte === CR || byte === LF;

function chunks<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

// ---------------------------------------------------------------------------
// The upload, and the file between preview and apply
// ---------------------------------------------------------------------------

/**
 * Reads the import form's CSV file (the part named `file`) from a multipart
 * request. A declared size over the limit is refused with 413 before reading
 * (browsers always declare it). A body that turns out too large while
 * streaming (chunked, from a script) is counted as a whole, not only the file,
 * so no part and no broken envelope can make us buffer more than the limit.
 */
export async function receiveCsvUpload(
  request: Request,
): Promise<{ bytes: Buffer; fileName: string }> {
  if (request.method !== "POST") {
    throw new ImportRefusedError(405, "This address only accepts forms sent with POST.");
  }
  const type = request.headers.get("Content-Type")?.split(";")[0].trim().toLowerCase();
  if (type !== "multipart/form-data") {
    throw new ImportRefusedError(415, "Please send the CSV file from the import page's form.");
  }
  const maxBody = MAX_IMPORT_BYTES + MAX_ENVELOPE_BYTES;
  if (Number(request.headers.get("Content-Length") ?? "0") > maxBody) {
    throw new ImportRefusedError(413, TOO_LARGE);
  }
  if (!request.body) throw new ImportRefusedError(400, "Choose a CSV file to preview.");

  // Past the limit, bytes are read and dropped up to MAX_DRAIN_BYTES before
  // answering: stopping mid-upload resets the connection, and the client would
  // see that instead of our 413. Past MAX_DRAIN_BYTES, the connection goes.
  let received = 0;
  let overflow = false;
  const bounded = request.body.pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        received += chunk.byteLength;
        if (received > MAX_DRAIN_BYTES) controller.error(new ImportRefusedError(413, TOO_LARGE));
        else if (received > maxBody) overflow = true;
        else controller.enqueue(chunk);
      },
      flush(controller) {
        if (overflow) controller.error(new ImportRefusedError(413, TOO_LARGE));
      },
    }),
  );
  const counted = new Request(request.url, {
    method: "POST",
    headers: request.headers,
    body: bounded,
    duplex: "half",
  } as RequestInit);

  let file: { bytes: Buffer; fileName: string } | null = null;
  try {
    await unstable_parseMultipartFormData(counted, async ({ name, filename, data }) => {
      const keep = name === "file" && !file && filename !== undefined;
      const chunks: Uint8Array[] = [];
      // Every part is read to its end (the parser needs that); only the file is
      // kept, and never more than the bounded body above lets through.
      for await (const chunk of data) if (keep) chunks.push(chunk);
      if (keep) file = { bytes: Buffer.concat(chunks), fileName: filename.slice(0, 200) };
      return undefined;
    });
  } catch (error) {
    if (error instanceof ImportRefusedError) throw error;
    throw new ImportRefusedError(
      400,
      "The upload could not be read. Please choose the file again.",
    );
  }
  const upload = file as { bytes: Buffer; fileName: string } | null;
  if (upload && upload.bytes.length > MAX_IMPORT_BYTES)
    throw new ImportRefusedError(413, TOO_LARGE);
  if (!upload || upload.bytes.length === 0) {
    throw new ImportRefusedError(400, "Choose a CSV file to preview.");
  }
  return upload;
}

/** A stored import's token: the file's SHA-256, in hex (and nothing that could be a path). */
const TOKEN = /^[0-9a-f]{64}$/;

function importsDir(uploadsDir: string): string {
  return path.join(uploadsDir, ".imports");
}

/** Keeps a previewed file where every instance can read it; returns the token to apply it. */
export async function keepImportFile(uploadsDir: string, bytes: Uint8Array): Promise<string> {
  const token = crypto.createHash("sha256").update(bytes).digest("hex");
  const dir = importsDir(uploadsDir);
  await ensureDirectory(dir);
  const temp = path.join(dir, `.${token}.${crypto.randomBytes(6).toString("hex")}.tmp`);
  // Written aside and renamed: another instance never reads half a file.
  await fs.writeFile(temp, bytes);
  await fs.rename(temp, path.join(dir, `${token}.csv`));
  await removeStaleImports(dir);
  return token;
}

/** The stored file for `token`, checked against its hash. */
export async function readImportFile(uploadsDir: string, token: string): Promise<Buffer> {
  if (!TOKEN.test(token)) throw new ImportRefusedError(400, "That import is not one we know.");
  let bytes: Buffer;
  try {
    bytes = await fs.readFile(path.join(importsDir(uploadsDir), `${token}.csv`));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
    throw new ImportRefusedError(
      409,
      "This preview has expired or was already applied. Upload the file again to preview it.",
    );
  }
  if (crypto.createHash("sha256").update(bytes).digest("hex") !== token) {
    throw new ImportRefusedError(409, "The stored file is damaged. Upload the file again.");
  }
  return bytes;
}

export async function discardImportFile(uploadsDir: string, token: string): Promise<void> {
  if (!TOKEN.test(token)) return;
  await fs.rm(path.join(importsDir(uploadsDir), `${token}.csv`), { force: true });
}

/** Previews nobody applied: best effort, on each new preview (no cron job needed). */
async function removeStaleImports(dir: string): Promise<void> {
  try {
    const cutoff = Date.now() - STALE_IMPORT_MS;
    for (const name of await fs.readdir(dir)) {
      const file = path.join(dir, name);
      const stat = await fs.stat(file).catch(() => null);
      if (stat && stat.mtimeMs < cutoff) await fs.rm(file, { force: true });
    }
  } catch {
    // Another instance may be cleaning at the same time; the next preview tries again.
  }
}
