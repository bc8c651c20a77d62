/**
 * Adding (/admin/delivery-providers/new) and editing a delivery provider: one
 * form, shown above the list of providers (the parent route).
 */
import { getFormProps, useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { Field, FormErrors, SubmitButton, useIsPending } from "~/components/forms";
import { requireAdmin } from "~/lib/auth.server";
import { NotFoundError } from "~/lib/domain-errors.server";
import { parseForm } from "~/lib/forms.server";
import { centsToDecimal } from "~/lib/money";
import { parseId } from "~/lib/params";
import { priceField } from "~/lib/validation";
import {
  createProvider,
  getProvider,
  ProviderFieldError,
  updateProvider,
} from "~/services/delivery-providers.server";

export const meta: MetaFunction<typeof loader> = ({ data: loaded }) => [
  {
    title: loaded?.provider
      ? `${loaded.provider.name} — Delivery — Admin — Bookstore`
      : "Add a delivery provider — Admin — Bookstore",
  },
];

const text = (label: string, max: number) =>
  z
    .string({ required_error: `Enter ${label}.` })
    .trim()
    .min(1, `Enter ${label}.`)
    .max(max, `Use at most ${max} characters.`);

// Cost is typed in dollars and stored in cents, like a book's price.
const schema = z.object({
  name: text("the provider's name", 100),
  coverageArea: text("where it delivers", 255),
  costCents: priceField,
});

/** "new", or the id of an existing provider; anything else is "no such provider". */
function providerIdOf(value: string | undefined): number | "new" {
  if (value === "new") return "new";
  const id = parseId(value);
  if (id === null) throw new NotFoundError("We could not find that delivery provider.");
  return id;
}

export async function loader(args: LoaderFunctionArgs) {
  await requireAdmin(args);
  const id = providerIdOf(args.params.providerId);
  return { provider: id === "new" ? null : await getProvider(args.context.db, id) };
}

export async function action(args: ActionFunctionArgs) {
  const admin = await requireAdmin(args);
  const id = providerIdOf(args.params.providerId);
  const submission = await parseForm(args.request, schema);
  if (submission.status !== "success") return data(submission.reply(), { status: 400 });
  try {
    if (id === "new") {
      await createProvider(args.context.db, admin, submission.value);
      return redirect("/admin/delivery-providers?notice=created");
    }
    await updateProvider(args.context.db, admin, id, submission.value);
    return redirect("/admin/delivery-providers?notice=saved");
  } catch (error) {
    if (!(error instanceof ProviderFieldError)) throw error;
    return data(submission.reply({ fieldErrors: { [error.field]: [error.message] } }), {
      status: 409,
    });
  }
}

export default function DeliveryProviderForm() {
  const { provider } = useLoaderData<typeof loader>();
  const lastResult = useActionData<typeof action>();
  const [form, fields] = useForm({
    // A new id per provider: moving from one to another starts a fresh form.
    id: `delivery-provider-${provider?.id ?? "new"}`,
    lastResult,
    defaultValue: provider
      ? {
          name: provider.name,
          coverageArea: provider.coverageArea,
          costCents: centsToDecimal(provider.costCents),
        }
      : undefined,
    onValidate: ({ formData }) => parseWithZod(formData, { schema }),
    shouldRevalidate: "onInput",
  });
  const title = provider ? `Edit ${provider.name}` : "Add a delivery provider";

  return (
    <section aria-labelledby="provider-form-title">
      <h2 id="provider-form-title">{title}</h2>
      {provider ? (
        <p>
          {provider.active
            ? "Active: offered at checkout."
            : "Inactive: not offered at checkout. Reactivate it from the list below."}
        </p>
      ) : null}
      <Form method="post" {...getFormProps(form)} className="stacked-form">
        <FormErrors id={form.errorId} errors={form.errors} />
        <Field meta={fields.name} label="Name" inputProps={{ maxLength: 100 }} />
        <Field
          meta={fields.coverageArea}
          label="Coverage area"
          hint="Where it delivers, as shoppers read it at checkout."
          inputProps={{ maxLength: 255 }}
        />
        <Field
          meta={fields.costCents}
          label="Cost (US dollars)"
          hint="What shoppers pay for delivery, such as 12.50."
          inputProps={{ inputMode: "decimal" }}
        />
        <SubmitButton
          pending={useIsPending()}
          pendingLabel={provider ? "Saving…" : "Adding…"}
          className="button--primary"
        >
          {provider ? "Save changes" : "Add delivery provider"}
        </SubmitButton>{" "}
        <a href="/admin/delivery-providers">Cancel</a>
      </Form>
    </section>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary notFoundTitle="Delivery provider not found" />;
}
