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
import { emailField, MIN_PASSWORD_LENGTH, nameField, newPasswordField } from "~/lib/validation";
import { AccountFieldError, register } from "~/services/accounts.server";

export const meta: MetaFunction = () => [{ title: "Create an account — Bookstore" }];

const schema = z.object({
  name: nameField,
  email: emailField,
  password: newPasswordField,
  redirectTo: z.string().max(1000).optional(),
});

export async function loader(args: LoaderFunctionArgs) {
  const redirectTo = safeRedirectPath(new URL(args.request.url).searchParams.get("redirectTo"));
  if (await getUser(args)) throw redirect(redirectTo);
  return { redirectTo };
}

export async function action(args: ActionFunctionArgs) {
  const { context } = args;
  const submission = await parseForm(args.request, schema);
  if (submission.status !== "success") {
    return data(submission.reply({ hideFields: ["password"] }), { status: 400 });
  }
  const { name, email, password, redirectTo } = submission.value;
  await context.rateLimits.consume("joinPerIp", context.clientIp);
  await context.rateLimits.consume("joinPerEmail", email);
  let user: { id: number };
  try {
    user = await register(context.db, { name, email, password });
  } catch (error) {
    if (error instanceof AccountFieldError) {
      return data(
        submission.reply({
          fieldErrors: { [error.field]: [error.message] },
          hideFields: ["password"],
        }),
        { status: 400 },
      );
    }
    throw error;
  }
  return signInAndRedirect(args, user.id, redirectTo);
}

export default function JoinPage() {
  const { redirectTo } = useLoaderData<typeof loader>();
  const lastResult = useActionData<typeof action>();
  const [form, fields] = useForm({
    id: "join",
    lastResult,
    defaultValue: { redirectTo },
    onValidate: ({ formData }) => parseWithZod(formData, { schema }),
    shouldRevalidate: "onInput",
  });
  const pending = useIsPending();
  const loginHref = redirectTo === "/" ? "/login" : `/login?${new URLSearchParams({ redirectTo })}`;

  return (
    <section className="auth-page" aria-labelledby="join-title">
      <h1 id="join-title">Create an account</h1>
      <Form method="post" {...getFormProps(form)} className="stacked-form">
        <input type="hidden" name={fields.redirectTo.name} value={redirectTo} />
        <FormErrors id={form.errorId} errors={form.errors} />
        <Field meta={fields.name} label="Name" inputProps={{ autoComplete: "name" }} />
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
          hint={`At least ${MIN_PASSWORD_LENGTH} characters. A few unrelated words make a strong one.`}
          inputProps={{ autoComplete: "new-password" }}
        />
        <SubmitButton
          pending={pending}
          pendingLabel="Creating your account…"
          className="button--primary"
        >
          Create account
        </SubmitButton>
      </Form>
      <p>
        Already have an account? <a href={loginHref}>Sign in</a>.
      </p>
    </section>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
