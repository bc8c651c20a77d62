import { getFormProps, useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { Field, FormErrors, SubmitButton, useIsPending } from "~/components/forms";
import { getSession, requireUser } from "~/lib/auth.server";
import { intentOf, readForm } from "~/lib/forms.server";
import { deleteSessionsOf } from "~/lib/session.server";
import {
  currentPasswordField,
  MIN_PASSWORD_LENGTH,
  nameField,
  newPasswordField,
} from "~/lib/validation";
import { AccountFieldError, changeName, changePassword } from "~/services/accounts.server";

export const meta: MetaFunction = () => [{ title: "Your account — Bookstore" }];

const nameSchema = z.object({ name: nameField });
const passwordSchema = z.object({
  currentPassword: currentPasswordField,
  newPassword: newPasswordField,
});
const INTENTS = ["name", "password", "sign-out-everywhere"] as const;

export async function loader(args: LoaderFunctionArgs) {
  const user = await requireUser(args);
  return { user: { name: user.name, email: user.email } };
}

export async function action(args: ActionFunctionArgs) {
  const user = await requireUser(args);
  const { db, sessions } = args.context;
  const form = await readForm(args.request);
  const intent = intentOf(form, INTENTS);

  if (intent === "sign-out-everywhere") {
    await deleteSessionsOf(db, user.id);
    const cleared = await sessions.destroySession(await getSession(args));
    return redirect("/login?notice=signed-out", { headers: { "Set-Cookie": cleared } });
  }

  if (intent === "name") {
    const submission = parseWithZod(form, { schema: nameSchema });
    if (submission.status !== "success") {
      return data({ kind: intent, result: submission.reply() }, { status: 400 });
    }
    await changeName(db, user.id, submission.value.name);
    return { kind: intent, result: submission.reply(), saved: "Your name was saved." };
  }

  const submission = parseWithZod(form, { schema: passwordSchema });
  const hideFields = ["currentPassword", "newPassword"];
  if (submission.status !== "success") {
    return data({ kind: intent, result: submission.reply({ hideFields }) }, { status: 400 });
  }
  try {
    await changePassword(db, user.id, {
      ...submission.value,
      keepSessionId: (await getSession(args)).id,
    });
  } catch (error) {
    if (error instanceof AccountFieldError) {
      const reply = submission.reply({
        fieldErrors: { [error.field]: [error.message] },
        hideFields,
      });
      return data({ kind: intent, result: reply }, { status: 400 });
    }
    throw error;
  }
  return {
    kind: intent,
    result: submission.reply({ resetForm: true }),
    saved: "Your password was changed. Your other sessions were signed out.",
  };
}

export default function AccountPage() {
  const { user } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const resultFor = (intent: (typeof INTENTS)[number]) =>
    actionData?.kind === intent ? actionData.result : undefined;

  const [nameForm, nameFields] = useForm({
    id: "account-name",
    lastResult: resultFor("name"),
    defaultValue: { name: user.name },
    onValidate: ({ formData }) => parseWithZod(formData, { schema: nameSchema }),
    shouldRevalidate: "onInput",
  });
  const [passwordForm, passwordFields] = useForm({
    id: "account-password",
    lastResult: resultFor("password"),
    onValidate: ({ formData }) => parseWithZod(formData, { schema: passwordSchema }),
    shouldRevalidate: "onInput",
  });
  const saved = actionData && "saved" in actionData ? actionData.saved : null;

  return (
    <section className="account-page" aria-labelledby="account-title">
      <h1 id="account-title">Your account</h1>
      <p>
        Signed in as <strong>{user.email}</strong>.
      </p>
      {saved ? (
        <p className="notice" role="status">
          {saved}
        </p>
      ) : null}

      <h2>Name</h2>
      <Form method="post" {...getFormProps(nameForm)} className="stacked-form">
        <FormErrors id={nameForm.errorId} errors={nameForm.errors} />
        <Field meta={nameFields.name} label="Name" inputProps={{ autoComplete: "name" }} />
        <SubmitButton
          name="intent"
          value="name"
          pending={useIsPending({ intent: "name" })}
          pendingLabel="Saving…"
        >
          Save name
        </SubmitButton>
      </Form>

      <h2>Password</h2>
      <Form method="post" {...getFormProps(passwordForm)} className="stacked-form">
        <FormErrors id={passwordForm.errorId} errors={passwordForm.errors} />
        <Field
          meta={passwordFields.currentPassword}
          label="Current password"
          type="password"
          inputProps={{ autoComplete: "current-password" }}
        />
        <Field
          meta={passwordFields.newPassword}
          label="New password"
          type="password"
          hint={`At least ${MIN_PASSWORD_LENGTH} characters.`}
          inputProps={{ autoComplete: "new-password" }}
        />
        <SubmitButton
          name="intent"
          value="password"
          pending={useIsPending({ intent: "password" })}
          pendingLabel="Changing…"
        >
          Change password
        </SubmitButton>
      </Form>

      <h2>Sessions</h2>
      <p>Signed in on a shared or lost device? End every session of your account, this one too.</p>
      <Form method="post">
        <button type="submit" name="intent" value="sign-out-everywhere">
          Sign out everywhere
        </button>
      </Form>
    </section>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
