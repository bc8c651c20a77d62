/**
 * Importing the inventory from a CSV file, in two steps that work without
 * JavaScript: the file is posted (multipart) and the page shows what it would
 * do — books created, updated, unchanged, and every bad row with its line —
 * then "Apply import" posts the file's token back and everything is applied in
 * one transaction (app/services/book-csv.server.ts), or nothing is.
 *
 * The file waits between the two steps in the shared uploads folder, so the
 * apply may land on any instance.
 */
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { FormErrors, SubmitButton, useIsPending } from "~/components/forms";
import { requireAdmin } from "~/lib/auth.server";
import { intentOf, readForm } from "~/lib/forms.server";
import { centsToDecimal } from "~/lib/money";
import {
  applyBookImport,
  CSV_COLUMNS,
  discardImportFile,
  ImportInvalidError,
  type ImportPreview,
  ImportRefusedError,
  keepImportFile,
  MAX_IMPORT_BYTES,
  MAX_IMPORT_ROWS,
  previewBookImport,
  readImportFile,
  receiveCsvUpload,
  type FieldChange,
} from "~/services/book-csv.server";

export const meta: MetaFunction = () => [{ title: "Import books — Admin — Bookstore" }];

/** What the page lists of a large file; the counts always cover all of it. */
const SHOWN_PROBLEMS = 1000;
const SHOWN_CHANGES = 200;

export async function loader(args: LoaderFunctionArgs) {
  await requireAdmin(args);
  // The browser bundle has no .server modules: the page gets the rules from here.
  return {
    columns: CSV_COLUMNS.join(","),
    maxMegabytes: MAX_IMPORT_BYTES / 1024 / 1024,
    maxRows: MAX_IMPORT_ROWS.toLocaleString("en-US"),
  };
}

export async function action(args: ActionFunctionArgs) {
  const admin = await requireAdmin(args);
  const { db, uploadsDir } = args.context;
  const type = args.request.headers.get("Content-Type")?.split(";")[0].trim().toLowerCase();
  try {
    if (type === "multipart/form-data") {
      const upload = await receiveCsvUpload(args.request);
      const preview = await previewBookImport(db, upload.bytes);
      const applicable = preview.problems.length === 0 && preview.creates + preview.updates > 0;
      const token = applicable ? await keepImportFile(uploadsDir, upload.bytes) : null;
      return data(
        { kind: "preview" as const, fileName: upload.fileName, token, preview: shown(preview) },
        { status: preview.problems.length > 0 ? 400 : 200 },
      );
    }
    const form = await readForm(args.request);
    intentOf(form, ["apply"] as const);
    const token = form.get("token") ?? "";
    const bytes = await readImportFile(uploadsDir, token);
    let result;
    try {
      result = await applyBookImport(db, admin, bytes);
    } catch (error) {
      // Bad rows do not get better by waiting: this file is done with.
      if (error instanceof ImportInvalidError) await discardImportFile(uploadsDir, token);
      throw error;
    }
    await discardImportFile(uploadsDir, token);
    const notice = `Import applied: ${plural(result.created, "book")} added, ${result.updated} updated, ${result.unchanged} unchanged.`;
    return redirect(`/admin/books?notice=${encodeURIComponent(notice)}`);
  } catch (error) {
    if (error instanceof ImportRefusedError) {
      return data({ kind: "error" as const, message: error.message }, { status: error.status });
    }
    if (error instanceof ImportInvalidError) {
      return data(
        { kind: "preview" as const, fileName: null, token: null, preview: shown(error.preview) },
        { status: 409 },
      );
    }
    throw error;
  }
}

/** The preview as the page shows it: counts of everything, lists cut to what a page can hold. */
function shown(preview: ImportPreview) {
  return {
    rowCount: preview.rowCount,
    creates: preview.creates,
    updates: preview.updates,
    unchanged: preview.unchanged,
    problemCount: preview.problems.length,
    problems: preview.problems.slice(0, SHOWN_PROBLEMS),
    changeCount: preview.changes.length,
    changes: preview.changes.slice(0, SHOWN_CHANGES).map((row) => ({
      line: row.line,
      action: row.action,
      isbn: row.isbn,
      title: row.title,
      archived: row.archived,
      detail:
        row.action === "create"
          ? `${row.values.author} · ${row.values.publishedYear} · $${centsToDecimal(row.values.priceCents)} · stock ${row.values.stock}`
          : row.changes.map(describeChange).join("; "),
    })),
  };
}

function describeChange({ column, before, after }: FieldChange): string {
  const show = (value: string | number) => {
    if (column === "price") return centsToDecimal(Number(value));
    const text = String(value);
    return text.length > 60 ? `${text.slice(0, 57)}…` : text;
  };
  if (column === "description") return "description changed";
  return `${column}: ${show(before)} → ${show(after)}`;
}

function plural(n: number, noun: string): string {
  return `${n} ${n === 1 ? noun : `${noun}s`}`;
}

export default function ImportBooks() {
  const { columns, maxMegabytes, maxRows } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const preview = actionData?.kind === "preview" ? actionData : null;
  const error = actionData?.kind === "error" ? actionData.message : null;
  // The upload is any submission of this page that is not the apply button's.
  const submitting = useIsPending();
  const applying = useIsPending({ intent: "apply" });
  const uploading = submitting && !applying;

  return (
    <section aria-labelledby="import-title">
      <h1 id="import-title">Import books from a CSV file</h1>
      <p>
        The first line is the header: <code>{columns}</code>. Each row adds a book (a new ISBN) or
        updates the book with that ISBN; books not in the file are left as they are. Price in
        dollars, like 12.99; stock is the number of copies on the shelf, a whole number from 0. You
        see what the file would change before anything is applied.
      </p>
      <p>
        <a href="/admin/books/export.csv">Export the inventory</a> for a file in this format.
      </p>

      <Form
        method="post"
        encType="multipart/form-data"
        className="stacked-form"
        aria-describedby={error ? "import-error" : undefined}
      >
        <FormErrors id="import-error" errors={error ? [error] : null} />
        <div className="field">
          <label htmlFor="import-file">CSV file</label>
          <p id="import-file-hint" className="field__hint">
            UTF-8 CSV, at most {maxMegabytes} MB and {maxRows} rows.
          </p>
          <input
            id="import-file"
            type="file"
            name="file"
            accept=".csv,text/csv"
            required
            aria-describedby="import-file-hint"
            aria-invalid={error ? true : undefined}
          />
        </div>
        <SubmitButton pending={uploading} pendingLabel="Reading the file…">
          Preview import
        </SubmitButton>
      </Form>

      {preview ? <Preview {...preview} /> : null}

      <p>
        <a href="/admin/books">← All books</a>
      </p>
    </section>
  );
}

function Preview({
  fileName,
  token,
  preview,
}: {
  fileName: string | null;
  token: string | null;
  preview: ReturnType<typeof shown>;
}) {
  const applying = useIsPending({ intent: "apply" });
  const ok = preview.problemCount === 0;
  return (
    <section aria-labelledby="preview-title" className="import-preview">
      <h2 id="preview-title">{fileName ? `Preview of ${fileName}` : "Preview"}</h2>
      <p role="status">
        {plural(preview.rowCount, "row")}: {preview.creates} new, {preview.updates} updated,{" "}
        {preview.unchanged} unchanged
        {ok ? "." : `, ${plural(preview.problemCount, "problem")}.`}
      </p>

      {!ok ? (
        <div role="alert">
          <h3>Nothing was imported</h3>
          <p>Fix these rows in the file and preview it again. Lines count the header as line 1.</p>
        </div>
      ) : null}
      {!ok ? (
        <table className="admin-table">
          <caption>Problems</caption>
          <thead>
            <tr>
              <th scope="col">Line</th>
              <th scope="col">Column</th>
              <th scope="col">Problem</th>
            </tr>
          </thead>
          <tbody>
            {preview.problems.map((problem, i) => (
              <tr key={`${problem.line}-${i}`}>
                <td>{problem.line}</td>
                <td>{problem.column ?? "—"}</td>
                <td>{problem.message}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      {preview.problemCount > preview.problems.length ? (
        <p>…and {preview.problemCount - preview.problems.length} more problems not listed here.</p>
      ) : null}

      {token ? (
        <Form method="post" className="stacked-form">
          <input type="hidden" name="token" value={token} />
          <SubmitButton
            name="intent"
            value="apply"
            pending={applying}
            pendingLabel="Applying…"
            className="button--primary"
          >
            Apply import
          </SubmitButton>
        </Form>
      ) : ok ? (
        <p>Every book in the file already matches the inventory: there is nothing to apply.</p>
      ) : null}

      {preview.changes.length > 0 ? (
        <table className="admin-table">
          <caption>Changes{ok ? "" : " once the problems are fixed"}</caption>
          <thead>
            <tr>
              <th scope="col">Line</th>
              <th scope="col">Change</th>
              <th scope="col">ISBN</th>
              <th scope="col">Title</th>
              <th scope="col">Details</th>
            </tr>
          </thead>
          <tbody>
            {preview.changes.map((row) => (
              <tr key={row.line}>
                <td>{row.line}</td>
                <td>
                  {row.action === "create" ? "New" : "Update"}
                  {row.archived ? " (archived: stays archived)" : ""}
                </td>
                <td>{row.isbn}</td>
                <td>{row.title}</td>
                <td>{row.detail}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      {preview.changeCount > preview.changes.length ? (
        <p>…and {preview.changeCount - preview.changes.length} more changes not listed here.</p>
      ) : null}
    </section>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
