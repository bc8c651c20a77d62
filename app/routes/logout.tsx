/**
 * Signing out is a POST (the header's "Sign out" button): a link or an image
 * on another site cannot sign anyone out. A GET shows the button.
 */
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form } from "@remix-run/react";
import { endSession, getUser } from "~/lib/auth.server";
import { readForm } from "~/lib/forms.server";

export const meta: MetaFunction = () => [{ title: "Sign out — Bookstore" }];

export async function loader(args: LoaderFunctionArgs) {
  if (!(await getUser(args))) throw redirect("/");
  return null;
}

export async function action(args: ActionFunctionArgs) {
  await readForm(args.request);
  return redirect("/", { headers: { "Set-Cookie": await endSession(args) } });
}

export default function LogoutPage() {
  return (
    <section className="auth-page" aria-labelledby="logout-title">
      <h1 id="logout-title">Sign out?</h1>
      <Form method="post">
        <button type="submit" className="button--primary">
          Sign out
        </button>
      </Form>
    </section>
  );
}
