import { getFormProps, getSelectProps, useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { coverUrl } from "~/components/book-card";
import { BookFields } from "~/components/book-form";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { ErrorList, Field, FormErrors, SubmitButton, useIsPending } from "~/components/forms";
import { requireAdmin } from "~/lib/auth.server";
import { bookSchema } from "~/lib/book-schema";
import { formatDateTime } from "~/lib/dates";
import { ConflictError, NotFoundError, OutOfStockError } from "~/lib/domain-errors.server";
import { intentOf, readForm } from "~/lib/forms.server";
import { ADJUSTMENT_REASONS } from "~/lib/inventory-options";
import { centsToDecimal, formatCents } from "~/lib/money";
import { parseId } from "~/lib/params";
import { removeIfUnreferenced } from "~/lib/uploads.server";
import { wholeNumberField } from "~/lib/validation";
import {
  adjustBookStock,
  BookFieldError,
  deleteBook,
  getBookForAdmin,
  inventoryGenres,
  setArchived,
  updateBook,
} from "~/services/books.server";

export const meta: MetaFunction<typeof loader> = ({ data: loaded }) => [
  {
    title: loaded
      ? `${loaded.book.title} — Admin — Bookstore`
      : "Book not found — Admin — Bookstore",
  },
];

const stockSchema = z.object({
  delta: wholeNumberField("the change", -1_000_000, 1_000_000).refine(
    (n) => n !== 0,
    "Enter a change other than 0.",
  ),
  reason: z.enum(ADJUSTMENT_REASONS, { errorMap: () => ({ message: "Choose a reason." }) }),
  note: z.string().trim().max(255, "Use at most 255 characters.").optional(),
});
const INTENTS = ["details", "stock", "archive", "restore", "delete"] as const;
const NOTICES: Record<string, string> = {
  created: "The book was added.",
  saved: "Your changes were saved.",
  archived: "The book is archived: shoppers no longer see it.",
  restored: "The book is on sale again.",
  cover: "The cover was updated.",
};

function bookIdOf(value: string | undefined): number {
  const id = parseId(value);
  if (id === null) throw new NotFoundError("We could not find that book.");
  return id;
}

export async function loader(args: LoaderFunctionArgs) {
  await requireAdmin(args);
  const id = bookIdOf(args.params.bookId);
  const [details, genres] = await Promise.all([
    getBookForAdmin(args.context.db, id),
    inventoryGenres(args.context.db),
  ]);
  const notice = new URL(args.request.url).searchParams.get("notice");
  return { ...details, genres, notice: notice ? (NOTICES[notice] ?? null) : null };
}

export async function action(args: ActionFunctionArgs) {
  const admin = await requireAdmin(args);
  const id = bookIdOf(args.params.bookId);
  const { db } = args.context;
  const form = await readForm(args.request);
  const intent = intentOf(form, INTENTS);
  const back = (notice: string) => redirect(`/admin/books/${id}?notice=${notice}`);

  if (intent === "details") {
    const submission = parseWithZod(form, { schema: bookSchema });
    if (submission.status !== "success")
      return data({ kind: intent, result: submission.reply() }, { status: 400 });
    try {
      await updateBook(db, admin, id, submission.value);
    } catch (error) {
      if (!(error instanceof BookFieldError)) throw error;
      const result = submission.reply({ fieldErrors: { [error.field]: [error.message] } });
      return data({ kind: intent, result }, { status: 409 });
    }
    return back("saved");
  }
  if (intent === "stock") {
    const submission = parseWithZod(form, { schema: stockSchema });
    if (submission.status !== "success")
      return data({ kind: intent, result: submission.reply() }, { status: 400 });
    try {
      await adjustBookStock(db, admin, id, submission.value);
    } catch (error) {
      if (!(error instanceof OutOfStockError)) throw error;
      const [shortage] = error.shortages;
      const result = submission.reply({
        fieldErrors: {
          delta: [
            `Stock cannot go below zero: there ${shortage.available === 1 ? "is" : "are"} only ${shortage.available}.`,
          ],
        },
      });
      return data({ kind: intent, result }, { status: 409 });
    }
    return redirect(`/admin/books/${id}?notice=saved`);
  }
  if (intent === "archive" || intent === "restore") {
    await setArchived(db, admin, id, intent === "archive");
    return back(intent === "archive" ? "archived" : "restored");
  }
  try {
    const { coverPath } = await deleteBook(db, admin, id);
    if (coverPath) await removeIfUnreferenced(db, args.context.uploadsDir, coverPath);
  } catch (error) {
    if (!(error instanceof ConflictError)) throw error;
    return data({ kind: intent, error: error.message }, { status: 409 });
  }
  return redirect(`/admin/books?notice=${encodeURIComponent("The book was deleted.")}`);
}

export default function AdminBook() {
  const { book, movements, orderCount, genres, notice } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const resultFor = (kind: string) =>
    actionData && "result" in actionData && actionData.kind === kind
      ? actionData.result
      : undefined;

  const [detailsForm, details] = useForm({
    id: "book-details",
    lastResult: resultFor("details"),
    defaultValue: {
      isbn: book.isbn,
      title: book.title,
      author: book.author,
      description: book.description,
      genre: book.genre,
      publishedYear: String(book.publishedYear),
      priceCents: centsToDecimal(book.priceCents),
    },
    onValidate: ({ formData }) => parseWithZod(formData, { schema: bookSchema }),
    shouldRevalidate: "onInput",
  });
  const [stockForm, stock] = useForm({
    id: "book-stock",
    lastResult: resultFor("stock"),
    onValidate: ({ formData }) => parseWithZod(formData, { schema: stockSchema }),
    shouldRevalidate: "onInput",
  });
  const { key: reasonKey, ...reasonProps } = getSelectProps(stock.reason);
  const deleteError = actionData && "error" in actionData ? actionData.error : null;

  return (
    <article aria-labelledby="book-title" className="admin-book">
      <h1 id="book-title">{book.title}</h1>
      {notice ? (
        <p className="notice" role="status">
          {notice}
        </p>
      ) : null}
      <p>
        {book.archivedAt ? (
          <strong>Archived</strong>
        ) : (
          <a href={`/books/${book.id}`}>See it in the shop</a>
        )}{" "}
        · {formatCents(book.priceCents)} · <strong>{book.stock}</strong> in stock · in {orderCount}{" "}
        {orderCount === 1 ? "order" : "orders"}
      </p>

      <section aria-labelledby="cover-title" className="admin-book__cover">
        <h2 id="cover-title">Cover</h2>
        <img src={coverUrl(book)} alt={`Cover of ${book.title}`} width={160} height={240} />
        <p>
          <a href={`/admin/books/${book.id}/cover`}>Change cover</a>
        </p>
      </section>

      <section aria-labelledby="details-title">
        <h2 id="details-title">Details</h2>
        <Form method="post" {...getFormProps(detailsForm)} className="stacked-form">
          <FormErrors id={detailsForm.errorId} errors={detailsForm.errors} />
          <BookFields fields={details} genres={genres} />
          <SubmitButton
            name="intent"
            value="details"
            pending={useIsPending({ intent: "details" })}
            pendingLabel="Saving…"
            className="button--primary"
          >
            Save changes
          </SubmitButton>
        </Form>
      </section>

      <section aria-labelledby="stock-title">
        <h2 id="stock-title">Stock</h2>
        <p>
          Stock changes only with a reason; each one is kept below. Sales and cancellations are
          recorded by orders.
        </p>
        <Form method="post" {...getFormProps(stockForm)} className="stacked-form">
          <FormErrors id={stockForm.errorId} errors={stockForm.errors} />
          <Field
            meta={stock.delta}
            label="Change"
            hint="A positive number adds books, a negative one takes them away."
            inputProps={{ inputMode: "numeric" }}
          />
          <div className="field">
            <label htmlFor={stock.reason.id}>Reason</label>
            <select key={reasonKey} {...reasonProps}>
              <option value="">Choose a reason</option>
              {ADJUSTMENT_REASONS.map((reason) => (
                <option key={reason} value={reason}>
                  {reason[0].toUpperCase() + reason.slice(1)}
                </option>
              ))}
            </select>
            <ErrorList id={stock.reason.errorId} errors={stock.reason.errors} />
          </div>
          <Field meta={stock.note} label="Note (optional)" />
          <SubmitButton
            name="intent"
            value="stock"
            pending={useIsPending({ intent: "stock" })}
            pendingLabel="Adjusting…"
          >
            Adjust stock
          </SubmitButton>
        </Form>
        <table className="admin-table">
          <caption>Stock history (latest first)</caption>
          <thead>
            <tr>
              <th scope="col">When</th>
              <th scope="col">Change</th>
              <th scope="col">Reason</th>
              <th scope="col">By</th>
              <th scope="col">Note</th>
            </tr>
          </thead>
          <tbody>
            {movements.map((movement) => (
              <tr key={movement.id}>
                <td>{formatDateTime(movement.createdAt)}</td>
                <td>{movement.delta > 0 ? `+${movement.delta}` : movement.delta}</td>
                <td>
                  {movement.reason}
                  {movement.orderId ? (
                    <>
                      {" "}
                      (<a href={`/admin/orders/${movement.orderId}`}>order #{movement.orderId}</a>)
                    </>
                  ) : null}
                </td>
                <td>{movement.userEmail ?? "—"}</td>
                <td>{movement.note ?? ""}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>

      <section aria-labelledby="danger-title">
        <h2 id="danger-title">Archive or delete</h2>
        <Form method="post" className="inline-form">
          {book.archivedAt ? (
            <button type="submit" name="intent" value="restore">
              Put back on sale
            </button>
          ) : (
            <button type="submit" name="intent" value="archive">
              Archive book
            </button>
          )}{" "}
          <button type="submit" name="intent" value="delete" className="button--danger">
            Delete book
          </button>
        </Form>
        {deleteError ? (
          <p className="form-errors" role="alert">
            {deleteError}
          </p>
        ) : null}
      </section>
      <p>
        <a href="/admin/books">← All books</a>
      </p>
    </article>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary notFoundTitle="Book not found" />;
}
