import { getFormProps, useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { BookFields } from "~/components/book-form";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { Field, FormErrors, SubmitButton, useIsPending } from "~/components/forms";
import { requireAdmin } from "~/lib/auth.server";
import { newBookSchema } from "~/lib/book-schema";
import { parseForm } from "~/lib/forms.server";
import { BookFieldError, createBook, inventoryGenres } from "~/services/books.server";

export const meta: MetaFunction = () => [{ title: "Add a book — Admin — Bookstore" }];

export async function loader(args: LoaderFunctionArgs) {
  await requireAdmin(args);
  return { genres: await inventoryGenres(args.context.db) };
}

export async function action(args: ActionFunctionArgs) {
  const admin = await requireAdmin(args);
  const submission = await parseForm(args.request, newBookSchema);
  if (submission.status !== "success") return data(submission.reply(), { status: 400 });
  try {
    const id = await createBook(args.context.db, admin, submission.value);
    return redirect(`/admin/books/${id}?notice=created`);
  } catch (error) {
    if (error instanceof BookFieldError) {
      return data(submission.reply({ fieldErrors: { [error.field]: [error.message] } }), {
        status: 409,
      });
    }
    throw error;
  }
}

export default function NewBook() {
  const { genres } = useLoaderData<typeof loader>();
  const lastResult = useActionData<typeof action>();
  const [form, fields] = useForm({
    id: "new-book",
    lastResult,
    defaultValue: { stock: "0" },
    onValidate: ({ formData }) => parseWithZod(formData, { schema: newBookSchema }),
    shouldRevalidate: "onInput",
  });
  return (
    <section aria-labelledby="new-book-heading">
      <h1 id="new-book-heading">Add a book</h1>
      <Form method="post" {...getFormProps(form)} className="stacked-form">
        <FormErrors id={form.errorId} errors={form.errors} />
        <BookFields fields={fields} genres={genres} />
        <Field meta={fields.stock} label="Initial stock" inputProps={{ inputMode: "numeric" }} />
        <SubmitButton pending={useIsPending()} pendingLabel="Adding…" className="button--primary">
          Add book
        </SubmitButton>
      </Form>
      <p>
        <a href="/admin/books">← All books</a>
      </p>
    </section>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
