import { getFormProps, useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod";
import type { ActionFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, useActionData } from "@remix-run/react";
import { z } from "zod";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { Field, FormErrors, SubmitButton, useIsPending } from "~/components/forms";
import { isDomainError } from "~/lib/domain-errors.server";
import { parseForm } from "~/lib/forms.server";
import { emailField } from "~/lib/validation";
import { requestPasswordReset } from "~/services/accounts.server";

export const meta: MetaFunction = () => [{ title: "Forgot your password? — Bookstore" }];

const schema = z.object({ email: emailField });

/**
 * Always the same answer, whether or not the address has an account, and
 * whether or not that account was already sent its quota of links.
 */
export async function action({ request, context }: ActionFunctionArgs) {
  const submission = await parseForm(request, schema);
  if (submission.status !== "success") return data(submission.reply(), { status: 400 });
  await context.rateLimits.consume("resetPerIp", context.clientIp);
  const { email } = submission.value;
  try {
    await context.rateLimits.consume("resetPerEmail", email);
    await requestPasswordReset(context, email);
  } catch (error) {
    if (!isDomainError(error)) throw error;
  }
  return { ...submission.reply({ resetForm: true }), sentTo: email };
}

export default function ForgotPasswordPage() {
  const lastResult = useActionData<typeof action>();
  const [form, fields] = useForm({
    id: "forgot-password",
    lastResult,
    onValidate: ({ formData }) => parseWithZod(formData, { schema }),
    shouldRevalidate: "onInput",
  });
  const pending = useIsPending();
  const sentTo = lastResult && "sentTo" in lastResult ? lastResult.sentTo : null;

  return (
    <section className="auth-page" aria-labelledby="forgot-title">
      <h1 id="forgot-title">Forgot your password?</h1>
      {sentTo ? (
        <p className="notice" role="status">
          If {sentTo} has an account with us, we sent it a link to choose a new password. It works
          for one hour.
        </p>
      ) : (
        <p>
          Enter your account&apos;s email address and we will send you a link to choose a new
          password.
        </p>
      )}
      <Form method="post" {...getFormProps(form)} className="stacked-form">
        <FormErrors id={form.errorId} errors={form.errors} />
        <Field
          meta={fields.email}
          label="Email"
          type="email"
          inputProps={{ autoComplete: "email" }}
        />
        <SubmitButton pending={pending} pendingLabel="Sending…" className="button--primary">
          Send reset link
        </SubmitButton>
      </Form>
      <p>
        <a href="/login">Back to sign in</a>
      </p>
    </section>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
