import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { SalesChart } from "~/components/sales-chart";
import { requireAdmin } from "~/lib/auth.server";
import { formatDateTime } from "~/lib/dates";
import { formatCents } from "~/lib/money";
import { ORDER_STATUS_LABELS, type OrderStatus } from "~/lib/order-status";
import { dashboard } from "~/services/dashboard.server";

export const meta: MetaFunction = () => [{ title: "Dashboard — Admin — Bookstore" }];

export async function loader(args: LoaderFunctionArgs) {
  await requireAdmin(args);
  return dashboard(args.context.db);
}

export default function Dashboard() {
  const data = useLoaderData<typeof loader>();
  const figures = [
    ["Today", data.today],
    ["Last 7 days", data.last7Days],
    ["Last 30 days", data.last30Days],
  ] as const;
  return (
    <section aria-labelledby="dashboard-title" className="dashboard">
      <h1 id="dashboard-title">Dashboard</h1>
      <dl className="dashboard__figures">
        {figures.map(([label, figure]) => (
          <div key={label}>
            <dt>{label}</dt>
            <dd>
              <strong>{formatCents(figure.revenueCents)}</strong> from {figure.orders}{" "}
              {figure.orders === 1 ? "order" : "orders"}
            </dd>
          </div>
        ))}
      </dl>
      <h2>Sales, last 30 days</h2>
      <SalesChart days={data.daily} />

      <div className="dashboard__lists">
        <section aria-labelledby="low-stock-title">
          <h2 id="low-stock-title">Low stock</h2>
          {data.lowStock.length === 0 ? (
            <p>Every book on sale has more than a few copies.</p>
          ) : (
            <ul>
              {data.lowStock.map((book) => (
                <li key={book.id}>
                  <a href={`/admin/books/${book.id}`}>{book.title}</a>: {book.stock} left
                </li>
              ))}
            </ul>
          )}
          <p>
            <a href="/admin/books?low=1">All low-stock books</a>
          </p>
        </section>
        <section aria-labelledby="offers-title">
          <h2 id="offers-title">Pending offers ({data.pendingOfferCount})</h2>
          {data.pendingOffers.length === 0 ? (
            <p>No offers are waiting.</p>
          ) : (
            <ul>
              {data.pendingOffers.map((offer) => (
                <li key={offer.id}>
                  {offer.title}, asking {formatCents(offer.askingPriceCents)}
                </li>
              ))}
            </ul>
          )}
          <p>
            <a href="/admin/offers">Review offers</a>
          </p>
        </section>
        <section aria-labelledby="recent-title">
          <h2 id="recent-title">Recent orders</h2>
          {data.recentOrders.length === 0 ? (
            <p>No orders yet.</p>
          ) : (
            <ul>
              {data.recentOrders.map((order) => (
                <li key={order.id}>
                  <a href={`/admin/orders/${order.id}`}>#{order.id}</a> · {order.email} ·{" "}
                  {formatCents(order.totalCents)} ·{" "}
                  {ORDER_STATUS_LABELS[order.status as OrderStatus]} ·{" "}
                  {formatDateTime(order.createdAt)}
                </li>
              ))}
            </ul>
          )}
        </section>
      </div>
    </section>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
