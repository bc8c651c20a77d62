import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Outlet, useLoaderData } from "@remix-run/react";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { requireAdmin } from "~/lib/auth.server";
import { intentOf, readForm } from "~/lib/forms.server";
import { formatCents } from "~/lib/money";
import { idField } from "~/lib/validation";
import { listProviders, setProviderActive } from "~/services/delivery-providers.server";

export const meta: MetaFunction = () => [{ title: "Delivery providers — Admin — Bookstore" }];

const INTENTS = ["deactivate", "reactivate"] as const;
const NOTICES: Record<string, string> = {
  created: "The delivery provider was added and is offered at checkout.",
  saved: "Your changes were saved.",
  deactivate: "The delivery provider is no longer offered at checkout. Past orders keep it.",
  reactivate: "The delivery provider is offered at checkout again.",
};

export async function loader(args: LoaderFunctionArgs) {
  await requireAdmin(args);
  const notice = new URL(args.request.url).searchParams.get("notice");
  return {
    providers: await listProviders(args.context.db),
    notice: notice ? (NOTICES[notice] ?? null) : null,
  };
}

export async function action(args: ActionFunctionArgs) {
  const admin = await requireAdmin(args);
  const form = await readForm(args.request);
  const intent = intentOf(form, INTENTS);
  const providerId = idField.safeParse(form.get("providerId") ?? "");
  if (!providerId.success) {
    throw data({ message: "We could not find that delivery provider." }, { status: 404 });
  }
  await setProviderActive(args.context.db, admin, providerId.data, intent === "reactivate");
  return redirect(`/admin/delivery-providers?notice=${intent}`);
}

export default function DeliveryProviders() {
  const { providers, notice } = useLoaderData<typeof loader>();
  return (
    <section aria-labelledby="providers-title">
      <div className="section-heading">
        <h1 id="providers-title">Delivery providers</h1>
        <p className="actions">
          <a href="/admin/delivery-providers/new" className="button button--primary">
            Add a delivery provider
          </a>
        </p>
      </div>
      {notice ? (
        <p className="notice" role="status">
          {notice}
        </p>
      ) : null}
      {/* The add and edit forms (admin.delivery-providers.$providerId.tsx), above the list. */}
      <Outlet />
      <p>
        Checkout offers only active providers; orders placed with a provider keep it after it is
        deactivated. The shop&apos;s footer names the active ones.
      </p>
      <table className="admin-table">
        <caption className="visually-hidden">Delivery providers</caption>
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Coverage</th>
            <th scope="col">Cost</th>
            <th scope="col">Orders</th>
            <th scope="col">Status</th>
            <th scope="col">Actions</th>
          </tr>
        </thead>
        <tbody>
          {providers.map((provider) => (
            <tr key={provider.id}>
              <th scope="row">
                <a href={`/admin/delivery-providers/${provider.id}`}>{provider.name}</a>
              </th>
              <td>{provider.coverageArea}</td>
              <td>{formatCents(provider.costCents)}</td>
              <td>{provider.orderCount}</td>
              <td>{provider.active ? "Active" : "Inactive"}</td>
              <td>
                <Form method="post" className="inline-form">
                  <input type="hidden" name="providerId" value={provider.id} />
                  <button
                    type="submit"
                    name="intent"
                    value={provider.active ? "deactivate" : "reactivate"}
                  >
                    {provider.active ? "Deactivate" : "Reactivate"}
                    <span className="visually-hidden"> {provider.name}</span>
                  </button>
                </Form>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
