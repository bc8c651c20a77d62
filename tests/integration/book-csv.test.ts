/**
 * The inventory's CSV import and export, on SQLite and MySQL, through the
 * service and through real HTTP as a signed-in admin: a good file previews and
 * applies in one go (books, stock movements and audit rows checked in the
 * database), a bad one lists every bad row by line and applies nothing, an
 * export re-imports as "unchanged" and applying it writes nothing, formula
 * escaping round-trips exactly, the role checks come before the body, an
 * oversized file gets 413, and 10,000 rows preview and apply in seconds (the
 * times are logged; bench/csv-import.ts measures, this only guards).
 */
import fs from "node:fs/promises";
import http from "node:http";
import path from "node:path";
import { parse } from "csv-parse/sync";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  applyBookImport,
  CSV_COLUMNS,
  escapeCell,
  ImportInvalidError,
  MAX_IMPORT_BYTES,
  previewBookImport,
  receiveCsvUpload,
  unescapeCell,
} from "../../app/services/book-csv.server";
import { isbn13 } from "../../db/seeds/demo";
import { createTestDatabase, enginesUnderTest, type TestDatabase } from "../helpers/databases";
import { createUser, insertBook, type TestUser } from "../helpers/fixtures";
import { inputValue, locationOf, TestClient, textOf } from "../helpers/http-client";
import { startTestServer, type TestServer } from "../helpers/server";

const engines = await enginesUnderTest();

/**
 * POSTs `chunks` without a Content-Length (Transfer-Encoding: chunked), as a
 * client streaming an upload would; resolves with the answer even if the
 * server stops reading once it has refused.
 */
function postChunked(
  url: string,
  headers: Record<string, string>,
  chunks: Buffer[],
): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    let answered = false;
    const request = http.request(url, { method: "POST", headers }, (res) => {
      const body: Buffer[] = [];
      res.on("data", (chunk: Buffer) => body.push(chunk));
      res.on("end", () => {
        answered = true;
        resolve({ status: res.statusCode ?? 0, text: Buffer.concat(body).toString("utf8") });
      });
    });
    request.on("error", (error) => (answered ? undefined : reject(error)));
    const write = (i: number): void => {
      if (i === chunks.length || request.destroyed) return void request.end();
      if (request.write(chunks[i])) write(i + 1);
      else request.once("drain", () => write(i + 1));
    };
    write(0);
  });
}
const HEADER = CSV_COLUMNS.join(",");
const BOM = "\uFEFF";

/** ISBN-13s from ranges neither the demo seed (9799…) nor the fixtures (9780…) use. */
let isbnCounter = 0;
const freshIsbn = (prefix = "9781") => isbn13(prefix, (process.pid % 90) * 100_000 + ++isbnCounter);

describe.each(engines)("CSV import and export on %s", (engine) => {
  let t: TestDatabase;
  let server: TestServer;
  let admin: TestUser;
  const as: Record<"guest" | "customer" | "admin", TestClient> = {} as never;

  beforeAll(async () => {
    t = await createTestDatabase(engine, { seed: true });
    server = await startTestServer(t.db);
    admin = await createUser(t.db, { role: "admin" });
    const customer = await createUser(t.db, { role: "customer" });
    as.guest = new TestClient(server.url);
    for (const [role, user] of [
      ["admin", admin],
      ["customer", customer],
    ] as const) {
      as[role] = new TestClient(server.url);
      const res = await as[role].post("/login", { email: user.email, password: user.password });
      expect(res.status).toBe(302);
    }
  });

  afterAll(async () => {
    await server?.close();
    await t?.destroy();
  });

  const actor = () => ({ id: admin.id, email: admin.email });

  /** Posts `csv` as the import page's form would, multipart, with the client's cookies. */
  const postCsv = (csv: string | Uint8Array, client = as.admin, fileName = "books.csv") => {
    const form = new FormData();
    form.append("file", new Blob([csv as BlobPart], { type: "text/csv" }), fileName);
    const cookie = [...client.cookies].map(([name, value]) => `${name}=${value}`).join("; ");
    return fetch(`${server.url}/admin/books/import`, {
      method: "POST",
      body: form,
      redirect: "manual",
      headers: { Accept: "text/html", ...(cookie ? { Cookie: cookie } : {}) },
    });
  };
  const apply = (token: string, client = as.admin) =>
    client.post("/admin/books/import", { intent: "apply", token });
  const storedImport = (token: string) => path.join(server.uploadsDir, ".imports", `${token}.csv`);
  const exists = (file: string) =>
    fs.access(file).then(
      () => true,
      () => false,
    );

  /** Everything an import could write, to prove one wrote nothing. */
  const snapshot = async () => ({
    books: await t.db("books").orderBy("id").select(),
    movements: Number(
      ((await t.db("stockMovements").count({ n: "*" }).first()) as { n: number }).n,
    ),
    audits: Number(((await t.db("auditEvents").count({ n: "*" }).first()) as { n: number }).n),
  });

  it("previews and applies a good file: creates and updates, quotes, commas, newlines, BOM", async () => {
    const changedId = await insertBook(t.db, { title: "Old Price", priceCents: 999, stock: 10 });
    const sameId = await insertBook(t.db, { title: "Stays Put", genre: "Poetry", stock: 2 });
    const [changed, same] = await Promise.all(
      [changedId, sameId].map((id) => t.db("books").where({ id }).first()),
    );
    const quotedIsbn = freshIsbn();
    const csv =
      BOM +
      [
        HEADER,
        // Line 2, spanning lines 2-4: quotes, commas and newlines (LF and CRLF) in quoted cells.
        `${quotedIsbn},"The ""Best"", Worst",Ann Author,Essays,1999,12.50,7,"First line\nSecond, line\r\nThird"`,
        // Line 5: an ISBN-10 with hyphens (stored as its ISBN-13), no stock (no movement).
        `0-14-044913-2,Crime and Punishment,Fyodor Dostoevsky,Classics,1866,14,0,`,
        // Line 6: an existing book, new price and less stock.
        `${changed.isbn},Old Price,Anonymous Fixture,Fiction,1900,12.50,4,A book made for a test.`,
        // Line 7: an existing book, exactly as it is.
        `${same.isbn},Stays Put,Anonymous Fixture,Poetry,1900,9.99,2,A book made for a test.`,
        "",
      ].join("\n");

    const preview = await previewBookImport(t.db, Buffer.from(csv));
    expect(preview.problems).toEqual([]);
    expect(preview).toMatchObject({ rowCount: 4, creates: 2, updates: 1, unchanged: 1 });
    expect(preview.changes.map((row) => [row.line, row.action])).toEqual([
      [2, "create"],
      [5, "create"],
      [6, "update"],
    ]);
    expect(preview.changes[2].changes).toEqual([
      { column: "price", before: 999, after: 1250 },
      { column: "stock", before: 10, after: 4 },
    ]);

    // The same file through the page: a preview, the file stored aside, an Apply button.
    const res = await postCsv(csv);
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(textOf(html)).toContain("4 rows: 2 new, 1 updated, 1 unchanged.");
    expect(textOf(html)).toContain("price: 9.99 → 12.50; stock: 10 → 4");
    const token = inputValue(html, "token")!;
    expect(token).toMatch(/^[0-9a-f]{64}$/);
    expect(await exists(storedImport(token))).toBe(true);
    // The uploads folder is served, but never its imports.
    expect((await as.guest.get(`/uploads/.imports/${token}.csv`)).status).toBe(404);

    const applied = await apply(token);
    expect(applied.status).toBe(302);
    expect(decodeURIComponent(locationOf(applied))).toBe(
      "/admin/books?notice=Import applied: 2 books added, 1 updated, 1 unchanged.",
    );
    expect(await exists(storedImport(token))).toBe(false);

    const quoted = await t.db("books").where({ isbn: quotedIsbn }).first();
    expect(quoted).toMatchObject({
      title: 'The "Best", Worst',
      author: "Ann Author",
      genre: "Essays",
      publishedYear: 1999,
      priceCents: 1250,
      stock: 7,
      description: "First line\nSecond, line\r\nThird",
      archivedAt: null,
    });
    const crime = await t.db("books").where({ isbn: "9780140449136" }).first();
    expect(crime).toMatchObject({ title: "Crime and Punishment", stock: 0, description: "" });
    expect(await t.db("books").where({ id: changedId }).first()).toMatchObject({
      priceCents: 1250,
      stock: 4,
    });
    expect(await t.db("books").where({ id: sameId }).first()).toEqual(same);

    const movements = (bookId: number) =>
      t.db("stockMovements").where({ bookId }).select("delta", "reason", "note", "userId");
    expect(await movements(quoted.id)).toEqual([
      { delta: 7, reason: "received", note: "CSV import", userId: admin.id },
    ]);
    expect(await movements(crime.id)).toEqual([]);
    expect(await movements(changedId)).toEqual([
      { delta: -6, reason: "correction", note: "CSV import", userId: admin.id },
    ]);
    expect(await movements(sameId)).toEqual([]);

    const audit = (entityId: number) =>
      t
        .db("auditEvents")
        .where({ entityType: "book", entityId })
        .select("action", "actorEmail", "userId", "before", "after");
    const [created] = await audit(quoted.id);
    expect(created).toMatchObject({
      action: "book.import_create",
      actorEmail: admin.email,
      userId: admin.id,
      before: null,
    });
    expect(JSON.parse(created.after)).toMatchObject({ title: 'The "Best", Worst', stock: 7 });
    const [updated] = await audit(changedId);
    expect(updated.action).toBe("book.import_update");
    expect(JSON.parse(updated.before)).toEqual({ priceCents: 999, stock: 10 });
    expect(JSON.parse(updated.after)).toEqual({ priceCents: 1250, stock: 4 });
    expect(await audit(sameId)).toEqual([]);

    // A second click on Apply finds the file gone and says so; nothing runs twice.
    const again = await apply(token);
    expect(again.status).toBe(409);
    expect(textOf(await again.text())).toContain("expired or was already applied");
    expect(await movements(changedId)).toHaveLength(1);
    // The token names a file: only a SHA-256 in hex is ever looked up.
    for (const bad of [`../${token}`, "../../../etc/passwd", `${token}.csv`, token.toUpperCase()]) {
      const refused = await apply(bad);
      expect(refused.status).toBe(400);
      expect(textOf(await refused.text())).toContain("That import is not one we know.");
    }
  });

  it("lists every bad row with the line it starts on and its reason, and applies nothing", async () => {
    const first = freshIsbn();
    const long = "x".repeat(256);
    const csv = [
      HEADER,
      /*  2 */ `${first},Good Book,An Author,Fiction,2001,10.00,3,Fine`,
      /*  3 */ `978-0-14-044913-7,Bad Check Digit,An Author,Fiction,2001,10.00,3,`,
      /*  4 */ `${freshIsbn()},,An Author,Fiction,2001,10.00,3,"A description`,
      /*  5 */ `over two lines"`,
      /*  6 */ `${freshIsbn()},Bad Price,An Author,Fiction,2001,12.999,3,`,
      /*  7 */ `${freshIsbn()},Negative Stock,An Author,Fiction,2001,10.00,-1,`,
      /*  8 */ `${freshIsbn()},Wordy Stock,An Author,Fiction,2001,10.00,lots,`,
      /*  9 */ `${freshIsbn()},Future Book,An Author,Fiction,3000,10.00,3,`,
      /* 10 */ `${freshIsbn()},${long},An Author,Fiction,2001,10.00,3,`,
      /* 11 */ `${freshIsbn()},Short Row,An Author,Fiction,2001,10.00,3`,
      /* 12 */ `${first},Same ISBN Again,An Author,Fiction,2001,10.00,3,`,
      /* 13 */ ``,
      /* 14 */ `${freshIsbn()},No Genre,An Author,,2001,10.00,3,`,
      ``,
    ].join("\r\n");
    const before = await snapshot();

    const preview = await previewBookImport(t.db, Buffer.from(csv));
    expect(preview.problems.map(({ line, column }) => [line, column])).toEqual([
      [3, "isbn"],
      [4, "title"],
      [6, "price"],
      [7, "stock"],
      [8, "stock"],
      [9, "year"],
      [10, "title"],
      [11, null],
      [12, "isbn"],
      [14, "genre"],
    ]);
    const reasons = Object.fromEntries(preview.problems.map((p) => [p.line, p.message]));
    expect(reasons[3]).toBe("Enter a valid ISBN-10 or ISBN-13 (the check digit must match).");
    expect(reasons[4]).toBe("Enter the title.");
    expect(reasons[6]).toBe("Enter a price such as 12.99.");
    expect(reasons[7]).toBe("Enter the stock as a whole number from 0 to 1000000.");
    expect(reasons[8]).toBe("Enter the stock as a whole number from 0 to 1000000.");
    expect(reasons[9]).toMatch(/^Enter the year as a whole number from 1 to \d{4}\.$/);
    expect(reasons[10]).toBe("Use at most 255 characters.");
    expect(reasons[11]).toBe("This row has 7 values; the header has 8 columns.");
    expect(reasons[12]).toBe(`ISBN ${first} is also on line 2: each book may appear only once.`);
    expect(reasons[14]).toBe("Enter the genre.");

    // Over HTTP: the same list, no Apply button, nothing stored.
    const res = await postCsv(csv);
    expect(res.status).toBe(400);
    const html = await res.text();
    const text = textOf(html);
    expect(text).toContain("Nothing was imported");
    expect(text).toContain("10 problems");
    expect(text).toContain(`12 isbn ISBN ${first} is also on line 2`);
    expect(text).toContain("11 — This row has 7 values");
    expect(inputValue(html, "token")).toBeUndefined();
    expect(await fs.readdir(path.join(server.uploadsDir, ".imports")).catch(() => [])).toEqual([]);

    await expect(applyBookImport(t.db, actor(), Buffer.from(csv))).rejects.toBeInstanceOf(
      ImportInvalidError,
    );
    expect(await snapshot()).toEqual(before);
  });

  it("refuses files it cannot read as our CSV, saying where", async () => {
    const problemsOf = async (csv: string | Buffer) =>
      (await previewBookImport(t.db, Buffer.from(csv))).problems.map((p) => [p.line, p.message]);

    expect(await problemsOf("isbn,title,writer,genre,year,price,stock\n")).toEqual([
      [1, `Unknown column “writer” in the header. The first line must be the header: ${HEADER}.`],
      [1, "The header has no “author” column."],
      [1, "The header has no “description” column."],
    ]);
    expect(await problemsOf(`${HEADER}\n`)).toEqual([[2, "The file has a header but no books."]]);
    expect(await problemsOf("")).toEqual([
      [1, `The file is empty. Its first line must be the header: ${HEADER}.`],
    ]);
    // The unclosed quote opens on line 4, after a good row with a quoted line break.
    expect(
      await problemsOf(
        `${HEADER}\n${freshIsbn()},A,B,C,2000,1.00,1,"two\nlines"\n${freshIsbn()},"Unclosed,B,C,2000,1.00,1,\n`,
      ),
    ).toEqual([[4, 'A quoted value starts here and is never closed: a closing " is missing.']]);
    expect(await problemsOf(Buffer.from([...Buffer.from(`${HEADER}\n`), 0xff, 0xfe]))).toEqual([
      [
        1,
        "The file is not UTF-8 text. Save it from your spreadsheet as “CSV UTF-8” and try again.",
      ],
    ]);
    // Columns in another order and any case are fine.
    const reordered = await previewBookImport(
      t.db,
      Buffer.from(
        `Title,ISBN,Author,Genre,Year,Price,Stock,Description\nReordered,${freshIsbn()},A,B,2000,1.00,1,\n`,
      ),
    );
    expect(reordered).toMatchObject({ problems: [], creates: 1 });
  });

  it("escapes formula-like cells on export and undoes exactly that on import", async () => {
    const cases = [
      '=HYPERLINK("http://evil.example","x")',
      "+1",
      "-dash",
      "@home",
      "\tTab",
      "\rCR",
      "'=quoted",
      "''+two",
    ];
    for (const value of cases) {
      expect(escapeCell(value)).toBe(`'${value}`);
      expect(unescapeCell(escapeCell(value))).toBe(value);
    }
    for (const value of ["'Tis the season", "Plain", "a=b", "''", "'"]) {
      expect(escapeCell(value)).toBe(value);
      expect(unescapeCell(value)).toBe(value);
    }
    const isbn = freshIsbn();
    const csv = `${HEADER}\n${isbn},"'=HYPERLINK(""http://evil.example"",""x"")",'+Plus,'@Home,2000,1.00,1,'-a list\n`;
    await applyBookImport(t.db, actor(), Buffer.from(csv));
    expect(await t.db("books").where({ isbn }).first()).toMatchObject({
      title: '=HYPERLINK("http://evil.example","x")',
      author: "+Plus",
      genre: "@Home",
      description: "-a list",
    });
  });

  it("exports the whole inventory, which re-imports as unchanged and applies as nothing", async () => {
    await insertBook(t.db, {
      title: '=HYPERLINK("http://evil.example","click")',
      author: "+Plus Author",
      genre: "@Mentions",
      description: '-starts with a dash\r\nand has, "quotes" and lines\n',
    });
    await insertBook(t.db, { title: "'=already quoted", description: "" });
    await insertBook(t.db, { title: "Gone from the shop", archivedAt: "2026-01-02 03:04:05" });

    const res = await as.admin.get("/admin/books/export.csv");
    expect(res.status).toBe(200);
    expect(res.headers.get("Content-Type")).toBe("text/csv; charset=utf-8");
    const today = new Date().toISOString().slice(0, 10);
    expect(res.headers.get("Content-Disposition")).toBe(
      `attachment; filename="bookstore-inventory-${today}.csv"`,
    );
    expect(res.headers.get("Cache-Control")).toContain("no-store");
    // Streamed as the pages are read, so no length is known up front.
    expect(res.headers.get("Content-Length")).toBeNull();
    const bytes = Buffer.from(await res.arrayBuffer());
    expect(bytes.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));

    const records = parse(bytes, { bom: true }) as string[][];
    expect(records[0]).toEqual([...CSV_COLUMNS]);
    const books = await t.db("books").select("id");
    // Every book, archived ones included.
    expect(records).toHaveLength(books.length + 1);
    const titles = records.map((record) => record[1]);
    expect(titles).toContain(`'=HYPERLINK("http://evil.example","click")`);
    expect(titles).toContain("''=already quoted");
    expect(titles).toContain("Gone from the shop");

    // Back in, unchanged: no create, no update, and no Apply button.
    const before = await snapshot();
    const previewed = await postCsv(bytes, as.admin, "export.csv");
    expect(previewed.status).toBe(200);
    const html = await previewed.text();
    expect(textOf(html)).toContain(
      `${books.length} rows: 0 new, 0 updated, ${books.length} unchanged.`,
    );
    expect(inputValue(html, "token")).toBeUndefined();
    expect(await applyBookImport(t.db, actor(), bytes)).toEqual({
      created: 0,
      updated: 0,
      unchanged: books.length,
    });
    expect(await snapshot()).toEqual(before);
  });

  it("checks the role before reading anything: a guest signs in, a customer gets 403", async () => {
    // An admin's preview leaves a file a customer could try to apply.
    const isbn = freshIsbn();
    const csv = `${HEADER}\n${isbn},Not For Customers,A,B,2000,1.00,1,\n`;
    const token = inputValue(await (await postCsv(csv)).text(), "token")!;
    const before = await snapshot();

    for (const target of ["/admin/books/import", "/admin/books/export.csv"]) {
      const guest = await as.guest.get(target);
      expect(guest.status).toBe(302);
      expect(locationOf(guest)).toBe(`/login?redirectTo=${encodeURIComponent(target)}`);
      expect((await as.customer.get(target)).status).toBe(403);
    }
    const guestUpload = await postCsv(csv, as.guest);
    expect(guestUpload.status).toBe(302);
    expect(guestUpload.headers.get("Location")).toContain("/login?redirectTo=");
    expect((await postCsv(csv, as.customer)).status).toBe(403);
    expect((await apply(token, as.guest)).status).toBe(302);
    expect((await apply(token, as.customer)).status).toBe(403);
    // Refused before the body is read: an oversized upload from a customer is a 403, not a 413.
    expect((await postCsv(Buffer.alloc(MAX_IMPORT_BYTES + 1, "a"), as.customer)).status).toBe(403);

    expect(await snapshot()).toEqual(before);
    expect(await t.db("books").where({ isbn }).first()).toBeUndefined();
    expect(await exists(storedImport(token))).toBe(true);
  });

  it("refuses a file over the limit with 413, by its declared size and while streaming", async () => {
    const res = await postCsv(Buffer.alloc(MAX_IMPORT_BYTES + 1, "a"));
    expect(res.status).toBe(413);
    expect(textOf(await res.text())).toContain(
      "That file is too large: an import takes at most 5 MB.",
    );

    // No Content-Length (a chunked upload): the bound holds as the bytes arrive,
    // over HTTP…
    const boundary = "----bookstore-test";
    const head = `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="big.csv"\r\nContent-Type: text/csv\r\n\r\n`;
    const chunked = await postChunked(
      `${server.url}/admin/books/import`,
      {
        "Content-Type": `multipart/form-data; boundary=${boundary}`,
        Accept: "text/html",
        Cookie: [...as.admin.cookies].map(([name, value]) => `${name}=${value}`).join("; "),
      },
      [Buffer.from(head), ...Array.from({ length: 100 }, () => Buffer.alloc(64 * 1024, "a"))],
    );
    expect(chunked.status).toBe(413);
    expect(textOf(chunked.text)).toContain("That file is too large");

    // …and in the service, which drops a body that goes on past twice the limit.
    let sent = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent === 0) controller.enqueue(new TextEncoder().encode(head));
        if (sent > MAX_IMPORT_BYTES * 10) return controller.close();
        sent += 64 * 1024;
        controller.enqueue(new Uint8Array(64 * 1024).fill(0x61));
      },
    });
    const request = new Request("http://test.invalid/admin/books/import", {
      method: "POST",
      headers: { "Content-Type": `multipart/form-data; boundary=${boundary}` },
      body,
      duplex: "half",
    } as RequestInit);
    await expect(receiveCsvUpload(request)).rejects.toMatchObject({ status: 413 });
    // It stopped rather than reading all that was offered.
    expect(sent).toBeLessThan(MAX_IMPORT_BYTES * 2 + 256 * 1024);
  });

  it("previews and applies 10,000 rows in seconds (timed; bench/csv-import.ts measures)", async () => {
    const rows = 10_000;
    const isbns = Array.from({ length: rows }, () => freshIsbn("9782"));
    const file = (version: number) =>
      Buffer.from(
        [
          HEADER,
          ...isbns.map(
            (isbn, i) =>
              `${isbn},"Generated Book ${i}, volume ${version}",Author ${i % 97},Genre ${i % 13},${1900 + (i % 120)},${(5 + (i % 40) + version).toFixed(2)},${(i + version) % 50},"Row ${i}\nversion ${version}"`,
          ),
        ].join("\n"),
      );
    const timed = async <T>(work: () => Promise<T>) => {
      const started = performance.now();
      const result = await work();
      return { result, ms: Math.round(performance.now() - started) };
    };

    const createPreview = await timed(() => previewBookImport(t.db, file(1)));
    expect(createPreview.result).toMatchObject({ creates: rows, updates: 0, problems: [] });
    const createApply = await timed(() => applyBookImport(t.db, actor(), file(1)));
    expect(createApply.result).toEqual({ created: rows, updated: 0, unchanged: 0 });

    const updatePreview = await timed(() => previewBookImport(t.db, file(2)));
    expect(updatePreview.result).toMatchObject({ creates: 0, updates: rows, problems: [] });
    const updateApply = await timed(() => applyBookImport(t.db, actor(), file(2)));
    expect(updateApply.result).toEqual({ created: 0, updated: rows, unchanged: 0 });

    console.log(
      `[${engine}] 10,000 rows: create preview ${createPreview.ms} ms, apply ${createApply.ms} ms; ` +
        `update preview ${updatePreview.ms} ms, apply ${updateApply.ms} ms`,
    );
    for (const { ms } of [createPreview, createApply, updatePreview, updateApply]) {
      expect(ms).toBeLessThan(60_000);
    }

    const sample = await t.db("books").where({ isbn: isbns[1234] }).first();
    expect(sample).toMatchObject({
      title: "Generated Book 1234, volume 2",
      priceCents: (5 + (1234 % 40) + 2) * 100,
      stock: (1234 + 2) % 50,
      description: "Row 1234\nversion 2",
    });
    const movements = await t
      .db("stockMovements")
      .where({ bookId: sample.id })
      .orderBy("id")
      .select("delta", "reason");
    expect(movements).toEqual([
      { delta: (1234 + 1) % 50, reason: "received" },
      { delta: 1, reason: "correction" },
    ]);
    const audits = await t
      .db("auditEvents")
      .whereIn("action", ["book.import_create", "book.import_update"])
      .where({ entityId: sample.id })
      .orderBy("id")
      .pluck("action");
    expect(audits).toEqual(["book.import_create", "book.import_update"]);
  }, 300_000);
});
