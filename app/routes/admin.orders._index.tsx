import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { Pagination } from "~/components/pagination";
import { requireAdmin } from "~/lib/auth.server";
import { formatDateTime } from "~/lib/dates";
import { formatCents } from "~/lib/money";
import { ORDER_STATUS_LABELS, ORDER_STATUSES } from "~/lib/order-status";
import { listAdminOrders } from "~/services/admin-orders.server";

export const meta: MetaFunction = () => [{ title: "Orders — Admin — Bookstore" }];

/** A calendar day as a date field sends it; anything else (or an impossible day) is ignored. */
const day = z
  .string()
  .refine((value) => {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
    const date = new Date(`${value}T00:00:00Z`);
    // "2020-02-31" parses too (as March 2nd): only a day that round-trips is real.
    return !Number.isNaN(date.getTime()) && date.toISOString().startsWith(value);
  })
  .optional()
  .catch(undefined);

// Whatever the query string says, the page falls back to sane defaults.
const querySchema = z.object({
  status: z.enum(ORDER_STATUSES).optional().catch(undefined),
  from: day,
  to: day,
  q: z.string().trim().max(254).optional().catch(undefined),
  page: z.coerce.number().int().min(1).max(100_000).catch(1),
});

export async function loader(args: LoaderFunctionArgs) {
  await requireAdmin(args);
  const params = new URL(args.request.url).searchParams;
  const query = querySchema.parse({
    status: params.get("status") || undefined,
    from: params.get("from") || undefined,
    to: params.get("to") || undefined,
    q: params.get("q") || undefined,
    page: params.get("page") ?? 1,
  });
  return { query, result: await listAdminOrders(args.context.db, query) };
}

export default function AdminOrders() {
  const { query, result } = useLoaderData<typeof loader>();
  return (
    <section aria-labelledby="orders-title">
      <h1 id="orders-title">Orders</h1>
      <form method="get" action="/admin/orders" className="filters" aria-label="Filter orders">
        <div className="field">
          <label htmlFor="orders-q">Order number or customer email</label>
          <input
            id="orders-q"
            type="search"
            name="q"
            defaultValue={query.q ?? ""}
            maxLength={254}
          />
        </div>
        <div className="field">
          <label htmlFor="orders-status">Status</label>
          <select id="orders-status" name="status" defaultValue={query.status ?? ""}>
            <option value="">Any status</option>
            {ORDER_STATUSES.map((status) => (
              <option key={status} value={status}>
                {ORDER_STATUS_LABELS[status]}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="orders-from">Placed from (UTC)</label>
          <input id="orders-from" type="date" name="from" defaultValue={query.from ?? ""} />
        </div>
        <div className="field">
          <label htmlFor="orders-to">Placed until (UTC)</label>
          <input id="orders-to" type="date" name="to" defaultValue={query.to ?? ""} />
        </div>
        <button type="submit">Apply</button>
      </form>
      <p className="result-count">
        {result.total} {result.total === 1 ? "order" : "orders"} · page {result.page} of{" "}
        {result.pageCount}
      </p>
      <table className="admin-table">
        <caption className="visually-hidden">Orders, newest first</caption>
        <thead>
          <tr>
            <th scope="col">Order</th>
            <th scope="col">Placed</th>
            <th scope="col">Customer</th>
            <th scope="col">Status</th>
            <th scope="col">Books</th>
            <th scope="col">Total</th>
            <th scope="col">Delivery</th>
          </tr>
        </thead>
        <tbody>
          {result.orders.map((order) => (
            <tr key={order.id}>
              <th scope="row">
                <a href={`/admin/orders/${order.id}`}>#{order.id}</a>
              </th>
              <td>{formatDateTime(order.createdAt)}</td>
              <td>
                {order.customerName} &lt;{order.customerEmail}&gt;
              </td>
              <td>{ORDER_STATUS_LABELS[order.status]}</td>
              <td>{order.itemCount}</td>
              <td>{formatCents(order.totalCents)}</td>
              <td>{order.providerName}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {result.orders.length === 0 ? <p>No orders match these filters.</p> : null}
      <Pagination page={result.page} pageCount={result.pageCount} />
    </section>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
