import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { requireUser } from "~/lib/auth.server";
import { formatDateTime } from "~/lib/dates";
import { formatCents } from "~/lib/money";
import { CONDITION_LABELS, OFFER_STATUS_LABELS } from "~/lib/offer-options";
import { listOffersOf } from "~/services/offers.server";

export const meta: MetaFunction = () => [{ title: "My offers — Bookstore" }];

export async function loader(args: LoaderFunctionArgs) {
  const user = await requireUser(args);
  const sent = new URL(args.request.url).searchParams.get("notice") === "sent";
  return { offers: await listOffersOf(args.context.db, user.id), sent };
}

export default function MyOffers() {
  const { offers, sent } = useLoaderData<typeof loader>();
  return (
    <section aria-labelledby="offers-title">
      <h1 id="offers-title">My offers</h1>
      {sent ? (
        <p className="notice" role="status">
          Thank you! Your offer was sent; we will review it soon.
        </p>
      ) : null}
      <p>
        <a href="/sell">Offer another book</a>
      </p>
      {offers.length === 0 ? (
        <p>You have not offered us any books yet.</p>
      ) : (
        <table className="orders-table">
          <caption className="visually-hidden">Your offers, newest first</caption>
          <thead>
            <tr>
              <th scope="col">Book</th>
              <th scope="col">Condition</th>
              <th scope="col">Asking</th>
              <th scope="col">Sent</th>
              <th scope="col">Status</th>
            </tr>
          </thead>
          <tbody>
            {offers.map((offer) => (
              <tr key={offer.id}>
                <th scope="row">
                  {offer.title} <span className="muted">by {offer.author}</span>
                </th>
                <td>{CONDITION_LABELS[offer.condition]}</td>
                <td>{formatCents(offer.askingPriceCents)}</td>
                <td>{formatDateTime(offer.createdAt)}</td>
                <td>
                  {OFFER_STATUS_LABELS[offer.status]}
                  {offer.status === "accepted" && offer.acceptedPriceCents !== null
                    ? ` for ${formatCents(offer.acceptedPriceCents)}`
                    : null}
                  {offer.decisionNote ? (
                    <span className="muted"> — {offer.decisionNote}</span>
                  ) : null}
                </td>
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
