import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { requireUser } from "~/lib/auth.server";
import { formatDateTime } from "~/lib/dates";
import { formatCents } from "~/lib/money";
import { ORDER_STATUS_LABELS } from "~/lib/order-status";
import { listOrders } from "~/services/orders.server";

export const meta: MetaFunction = () => [{ title: "Your orders — Bookstore" }];

export async function loader(args: LoaderFunctionArgs) {
  const user = await requireUser(args);
  return { orders: await listOrders(args.context.db, user.id) };
}

export default function OrdersPage() {
  const { orders } = useLoaderData<typeof loader>();
  return (
    <section aria-labelledby="orders-title">
      <h1 id="orders-title">Your orders</h1>
      {orders.length === 0 ? (
        <p>
          You have not ordered anything yet. <a href="/books">Find a book</a>.
        </p>
      ) : (
        <table className="orders-table">
          <caption className="visually-hidden">Your orders, newest first</caption>
          <thead>
            <tr>
              <th scope="col">Order</th>
              <th scope="col">Placed</th>
              <th scope="col">Books</th>
              <th scope="col">Total</th>
              <th scope="col">Status</th>
            </tr>
          </thead>
          <tbody>
            {orders.map((order) => (
              <tr key={order.id}>
                <th scope="row">
                  <a href={`/orders/${order.id}`}>#{order.id}</a>
                </th>
                <td>{formatDateTime(order.createdAt)}</td>
                <td>{order.itemCount}</td>
                <td>{formatCents(order.totalCents)}</td>
                <td>{ORDER_STATUS_LABELS[order.status]}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
