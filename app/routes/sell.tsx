import { getFormProps, getSelectProps, useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, useActionData } from "@remix-run/react";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { ErrorList, Field, FormErrors, SubmitButton, useIsPending } from "~/components/forms";
import { requireUser } from "~/lib/auth.server";
import { parseForm } from "~/lib/forms.server";
import { CONDITION_LABELS, OFFER_CONDITIONS } from "~/lib/offer-options";
import { offerSchema } from "~/lib/offer-schema";
import { createOffer } from "~/services/offers.server";

export const meta: MetaFunction = () => [{ title: "Sell us a book — Bookstore" }];

export async function loader(args: LoaderFunctionArgs) {
  await requireUser(args);
  return null;
}

export async function action(args: ActionFunctionArgs) {
  const user = await requireUser(args);
  const submission = await parseForm(args.request, offerSchema);
  if (submission.status !== "success") return data(submission.reply(), { status: 400 });
  await createOffer(args.context.db, user.id, submission.value);
  return redirect("/offers?notice=sent");
}

export default function SellPage() {
  const lastResult = useActionData<typeof action>();
  const [form, fields] = useForm({
    id: "sell",
    lastResult,
    onValidate: ({ formData }) => parseWithZod(formData, { schema: offerSchema }),
    shouldRevalidate: "onBlur",
  });
  const { key: conditionKey, ...condition } = getSelectProps(fields.condition);
  return (
    <section className="auth-page" aria-labelledby="sell-title">
      <h1 id="sell-title">Sell us a book</h1>
      <p>
        Tell us about a book you would like to sell. Our staff review every offer and answer within
        a few days; you can follow it under <a href="/offers">My offers</a>.
      </p>
      <Form method="post" {...getFormProps(form)} className="stacked-form">
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
