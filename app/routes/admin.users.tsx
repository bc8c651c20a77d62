import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { Pagination } from "~/components/pagination";
import { requireAdmin } from "~/lib/auth.server";
import { formatDateTime } from "~/lib/dates";
import { ConflictError } from "~/lib/domain-errors.server";
import { intentOf, readForm } from "~/lib/forms.server";
import { idField } from "~/lib/validation";
import { searchUsers, setDisabled, setRole } from "~/services/users.server";

export const meta: MetaFunction = () => [{ title: "Users — Admin — Bookstore" }];

// Whatever the query string says, the page falls back to sane defaults.
const querySchema = z.object({
  q: z.string().trim().max(254).optional().catch(undefined),
  page: z.coerce.number().int().min(1).max(100_000).catch(1),
});

const INTENTS = ["disable", "enable", "promote", "demote"] as const;
const NOTICES: Record<string, string> = {
  disable: "The account is disabled: its sessions have ended, and it can no longer sign in.",
  enable: "The account is enabled: it can sign in again.",
  promote: "The user is now an admin.",
  demote: "The user is now a customer.",
};

function queryOf(url: string) {
  const params = new URL(url).searchParams;
  return querySchema.parse({ q: params.get("q") || undefined, page: params.get("page") ?? 1 });
}

export async function loader(args: LoaderFunctionArgs) {
  const admin = await requireAdmin(args);
  const query = queryOf(args.request.url);
  const notice = new URL(args.request.url).searchParams.get("notice");
  return {
    query,
    result: await searchUsers(args.context.db, query),
    meId: admin.id,
    notice: notice ? (NOTICES[notice] ?? null) : null,
  };
}

export async function action(args: ActionFunctionArgs) {
  const admin = await requireAdmin(args);
  const form = await readForm(args.request);
  const intent = intentOf(form, INTENTS);
  const userId = idField.safeParse(form.get("userId") ?? "");
  if (!userId.success) throw data({ message: "We could not find that user." }, { status: 404 });
  const { db } = args.context;
  try {
    if (intent === "disable" || intent === "enable") {
      await setDisabled(db, admin, userId.data, intent === "disable");
    } else {
      await setRole(db, admin, userId.data, intent === "promote" ? "admin" : "customer");
    }
  } catch (error) {
    // The rules that keep the shop administrable say no: shown next to the user.
    if (!(error instanceof ConflictError)) throw error;
    return data({ kind: intent, userId: userId.data, error: error.message }, { status: 409 });
  }
  // Back to the same search and page the admin was looking at.
  const { q, page } = queryOf(args.request.url);
  const params = new URLSearchParams();
  if (q) params.set("q", q);
  if (page > 1) params.set("page", String(page));
  params.set("notice", intent);
  return redirect(`/admin/users?${params}`);
}

export default function AdminUsers() {
  const { query, result, meId, notice } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();

  return (
    <section aria-labelledby="users-title">
      <h1 id="users-title">Users</h1>
      {notice ? (
        <p className="notice" role="status">
          {notice}
        </p>
      ) : null}
      <form method="get" action="/admin/users" className="filters" aria-label="Find users">
        <div className="field">
          <label htmlFor="users-q">Email or name</label>
          <input id="users-q" type="search" name="q" defaultValue={query.q ?? ""} maxLength={254} />
        </div>
        <button type="submit">Search</button>
      </form>
      <p className="result-count">
        {result.total} {result.total === 1 ? "user" : "users"} · page {result.page} of{" "}
        {result.pageCount}
      </p>
      <table className="admin-table">
        <caption className="visually-hidden">Users</caption>
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Email</th>
            <th scope="col">Role</th>
            <th scope="col">Status</th>
            <th scope="col">Joined</th>
            <th scope="col">Actions</th>
          </tr>
        </thead>
        <tbody>
          {result.users.map((user) => {
            const refusal =
              actionData && actionData.userId === user.id ? actionData.error : undefined;
            const errorId = `user-${user.id}-error`;
            return (
              <tr key={user.id}>
                <th scope="row">
                  {user.name}
                  {user.id === meId ? " (you)" : null}
                </th>
                <td>{user.email}</td>
                <td>{user.role === "admin" ? "Admin" : "Customer"}</td>
                <td>
                  {user.disabledAt ? `Disabled since ${formatDateTime(user.disabledAt)}` : "Active"}
                </td>
                <td>{formatDateTime(user.createdAt)}</td>
                <td>
                  <Form method="post" className="inline-form">
                    <input type="hidden" name="userId" value={user.id} />
                    <button
                      type="submit"
                      name="intent"
                      value={user.disabledAt ? "enable" : "disable"}
                      aria-describedby={refusal ? errorId : undefined}
                    >
                      {user.disabledAt ? "Enable" : "Disable"}
                      <span className="visually-hidden"> {user.email}</span>
                    </button>{" "}
                    <button
                      type="submit"
                      name="intent"
                      value={user.role === "admin" ? "demote" : "promote"}
                      aria-describedby={refusal ? errorId : undefined}
                    >
                      {user.role === "admin" ? "Make customer" : "Make admin"}
                      <span className="visually-hidden"> {user.email}</span>
                    </button>
                  </Form>
                  {refusal ? (
                    <p id={errorId} className="form-errors" role="alert">
                      {refusal}
                    </p>
                  ) : null}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      {result.users.length === 0 ? <p>No users match this search.</p> : null}
      <Pagination page={result.page} pageCount={result.pageCount} />
    </section>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
