import { getFormProps, getInputProps, getSelectProps, useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, useActionData } from "@remix-run/react";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { ErrorList, Field, FormErrors, SubmitButton, useIsPending } from "~/components/forms";
import { requireUser } from "~/lib/auth.server";
import { CONDITION_LABELS, OFFER_CONDITIONS } from "~/lib/offer-options";
import { offerSchema } from "~/lib/offer-schema";
import { isUploadError, readImageUpload, storeImage } from "~/lib/uploads.server";
import { createOffer } from "~/services/offers.server";

export const meta: MetaFunction = () => [{ title: "Sell us a book — Bookstore" }];

export async function loader(args: LoaderFunctionArgs) {
  await requireUser(args);
  return null;
}

/**
 * A multipart form: the optional photo follows the cover upload's rules (type
 * from its bytes, 5 MB, re-encoded without metadata). It is stored only once
 * every other field is valid, so a refused offer leaves no file behind.
 */
export async function action(args: ActionFunctionArgs) {
  const user = await requireUser(args);
  let upload: Awaited<ReturnType<typeof readImageUpload>>;
  try {
    upload = await readImageUpload(args.request, { field: "photo", required: false });
  } catch (error) {
    if (!isUploadError(error) || error.field !== "photo") throw error;
    return data(
      { initialValue: null, status: "error" as const, error: { photo: [error.message] } },
      { status: error.status },
    );
  }
  const submission = parseWithZod(upload.fields, { schema: offerSchema });
  if (submission.status !== "success") return data(submission.reply(), { status: 400 });
  const photoPath = upload.image
    ? await storeImage(args.context.uploadsDir, upload.image, { folder: "offers" })
    : null;
  const { photo: _file, ...offer } = submission.value;
  await createOffer(args.context.db, user.id, { ...offer, photoPath });
  return redirect("/offers?notice=sent");
}

export default function SellPage() {
  const lastResult = useActionData<typeof action>();
  const [form, fields] = useForm({
    id: "sell",
    lastResult,
    onValidate: ({ formData }) => parseWithZod(formData, { schema: offerSchema }),
    shouldRevalidate: "onInput",
  });
  const { key: conditionKey, ...condition } = getSelectProps(fields.condition);
  const { key: photoKey, ...photo } = getInputProps(fields.photo, { type: "file" });
  return (
    <section className="auth-page" aria-labelledby="sell-heading">
      <h1 id="sell-heading">Sell us a book</h1>
      <p>
        Tell us about a book you would like to sell. Our staff review every offer and answer within
        a few days; you can follow it under <a href="/offers">My offers</a>.
      </p>
      <Form
        method="post"
        encType="multipart/form-data"
        {...getFormProps(form)}
        className="stacked-form"
      >
        <FormErrors id={form.errorId} errors={form.errors} />
        <Field
          meta={fields.isbn}
          label="ISBN"
          hint="On the back cover or the copyright page; 10 or 13 digits."
        />
        <Field meta={fields.title} label="Title" />
        <Field meta={fields.author} label="Author" />
        <div className="field">
          <label htmlFor={fields.condition.id}>Condition</label>
          <select key={conditionKey} {...condition}>
            <option value="">Choose…</option>
            {OFFER_CONDITIONS.map((value) => (
              <option key={value} value={value}>
                {CONDITION_LABELS[value]}
              </option>
            ))}
          </select>
          <ErrorList id={fields.condition.errorId} errors={fields.condition.errors} />
        </div>
        <Field
          meta={fields.askingPriceCents}
          label="Asking price (USD)"
          hint="What you would like us to pay, e.g. 8.50."
          inputProps={{ inputMode: "decimal" }}
        />
        <div className="field">
          <label htmlFor={fields.photo.id}>Photo (optional)</label>
          <input key={photoKey} {...photo} accept="image/jpeg,image/png,image/webp" />
          <ErrorList id={fields.photo.errorId} errors={fields.photo.errors} />
        </div>
        <SubmitButton pending={useIsPending()} pendingLabel="Sending…" className="button--primary">
          Send offer
        </SubmitButton>
      </Form>
    </section>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
