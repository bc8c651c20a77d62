import { getFormProps, useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { Field, FormErrors, SubmitButton, useIsPending } from "~/components/forms";
import { parseForm } from "~/lib/forms.server";
import { MIN_PASSWORD_LENGTH, newPasswordField } from "~/lib/validation";
import { AccountFieldError, isResetTokenUsable, resetPassword } from "~/services/accounts.server";

export const meta: MetaFunction = () => [{ title: "Choose a new password — Bookstore" }];

const schema = z.object({
  token: z.string({ required_error: "This reset link is incomplete." }).max(100),
  password: newPasswordField,
});

export async function loader({ request, context }: LoaderFunctionArgs) {
  const token = new URL(request.url).searchParams.get("token") ?? "";
  return { token, usable: await isResetTokenUsable(context.db, token) };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const submission = await parseForm(request, schema);
  if (submission.status !== "success") {
    return data(submission.reply({ hideFields: ["password"] }), { status: 400 });
  }
  try {
    await resetPassword(context.db, submission.value.token, submission.value.password);
  } catch (error) {
    if (error instanceof AccountFieldError) {
      return data(submission.reply({ formErrors: [error.message], hideFields: ["password"] }), {
        status: 400,
      });
    }
    throw error;
  }
  return redirect("/login?notice=reset");
}

export default function ResetPasswordPage() {
  const { token, usable } = useLoaderData<typeof loader>();
  const lastResult = useActionData<typeof action>();
  const [form, fields] = useForm({
    id: "reset-password",
    lastResult,
    defaultValue: { token },
    onValidate: ({ formData }) => parseWithZod(formData, { schema }),
    shouldRevalidate: "onInput",
  });
  const pending = useIsPending();

  if (!usable) {
    return (
      <section className="auth-page" aria-labelledby="reset-title">
        <h1 id="reset-title">This link no longer works</h1>
        <p>
          Reset links work once, for one hour. <a href="/forgot-password">Ask for a new one</a>.
        </p>
      </section>
    );
  }
  return (
    <section className="auth-page" aria-labelledby="reset-title">
      <h1 id="reset-title">Choose a new password</h1>
      <Form method="post" {...getFormProps(form)} className="stacked-form">
        <input type="hidden" name={fields.token.name} value={token} />
        <FormErrors id={form.errorId} errors={form.errors} />
        <Field
          meta={fields.password}
          label="New password"
          type="password"
          hint={`At least ${MIN_PASSWORD_LENGTH} characters.`}
          inputProps={{ autoComplete: "new-password" }}
        />
        <SubmitButton pending={pending} pendingLabel="Saving…" className="button--primary">
          Save new password
        </SubmitButton>
      </Form>
    </section>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
