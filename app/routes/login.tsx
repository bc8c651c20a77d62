import { getFormProps, useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { Field, FormErrors, SubmitButton, useIsPending } from "~/components/forms";
import { getUser } from "~/lib/auth.server";
import { parseForm } from "~/lib/forms.server";
import { safeRedirectPath } from "~/lib/redirects";
import { signInAndRedirect } from "~/lib/sign-in.server";
import { currentPasswordField, emailField } from "~/lib/validation";
import { authenticate } from "~/services/accounts.server";

export const meta: MetaFunction = () => [{ title: "Sign in — Bookstore" }];

const schema = z.object({
  email: emailField,
  password: currentPasswordField,
  redirectTo: z.string().max(1000).optional(),
});

const NOTICES = {
  reset: "Your password was changed. Sign in with your new password.",
  "signed-out": "You were signed out everywhere.",
} as const;

export async function loader(args: LoaderFunctionArgs) {
  const url = new URL(args.request.url);
  const redirectTo = safeRedirectPath(url.searchParams.get("redirectTo"));
  if (await getUser(args)) throw redirect(redirectTo);
  const notice = url.searchParams.get("notice");
  return {
    redirectTo,
    notice: notice && notice in NOTICES ? NOTICES[notice as keyof typeof NOTICES] : null,
  };
}

export async function action(args: ActionFunctionArgs) {
  const { context } = args;
  const submission = await parseForm(args.request, schema);
  if (submission.status !== "success") {
    return data(submission.reply({ hideFields: ["password"] }), { status: 400 });
  }
  const { email, password, redirectTo } = submission.value;
  // Per address for everything, per account for failures (from anywhere): 429 beyond.
  await context.rateLimits.consume("signInPerIp", context.clientIp);
  await context.rateLimits.check("signInFailuresPerEmail", email);
  const user = await authenticate(context.db, email, password);
  if (!user) {
    await context.rateLimits.consume("signInFailuresPerEmail", email);
    return data(
      submission.reply({
        formErrors: ["That email and password do not match an account."],
        hideFields: ["password"],
      }),
      { status: 400 },
    );
  }
  await context.rateLimits.reset("signInFailuresPerEmail", email);
  return signInAndRedirect(args, user.id, redirectTo);
}

export default function LoginPage() {
  const { redirectTo, notice } = useLoaderData<typeof loader>();
  const lastResult = useActionData<typeof action>();
  const [form, fields] = useForm({
    id: "login",
    lastResult,
    defaultValue: { redirectTo },
    onValidate: ({ formData }) => parseWithZod(formData, { schema }),
    shouldRevalidate: "onInput",
  });
  const pending = useIsPending();
  const joinHref = redirectTo === "/" ? "/join" : `/join?${new URLSearchParams({ redirectTo })}`;

  return (
    <section className="auth-page" aria-labelledby="login-title">
      <h1 id="login-title">Sign in</h1>
      {notice ? (
        <p className="notice" role="status">
          {notice}
        </p>
      ) : null}
      <Form method="post" {...getFormProps(form)} className="stacked-form">
        <input type="hidden" name={fields.redirectTo.name} value={redirectTo} />
        <FormErrors id={form.errorId} errors={form.errors} />
        <Field
          meta={fields.email}
          label="Email"
          type="email"
          inputProps={{ autoComplete: "email" }}
        />
        <Field
          meta={fields.password}
          label="Password"
          type="password"
          inputProps={{ autoComplete: "current-password" }}
        />
        <SubmitButton pending={pending} pendingLabel="Signing in…" className="button--primary">
          Sign in
        </SubmitButton>
      </Form>
      <p>
        New here? <a href={joinHref}>Create an account</a>. ·{" "}
        <a href="/forgot-password">Forgot your password?</a>
      </p>
    </section>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
