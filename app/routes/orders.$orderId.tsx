import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { OrderLines, ShipToAddress } from "~/components/order-lines";
import { FormErrors, SubmitButton, useIsPending } from "~/components/forms";
import { requireUser } from "~/lib/auth.server";
import { formatDateTime } from "~/lib/dates";
import { ConflictError, NotFoundError } from "~/lib/domain-errors.server";
import { intentOf, readForm } from "~/lib/forms.server";
import { ORDER_STATUS_LABELS } from "~/lib/order-status";
import { parseId } from "~/lib/params";
import { cancelOrder, getOrder } from "~/services/orders.server";

export const meta: MetaFunction<typeof loader> = ({ data: loaded }) => [
  { title: loaded ? `Order #${loaded.order.id} — Bookstore` : "Order not found — Bookstore" },
];

function orderIdOf(value: string | undefined): number {
  const id = parseId(value);
  if (id === null) throw new NotFoundError("We could not find that order.");
  return id;
}

export async function loader(args: LoaderFunctionArgs) {
  const user = await requireUser(args);
  return { order: await getOrder(args.context.db, user.id, orderIdOf(args.params.orderId)) };
}

export async function action(args: ActionFunctionArgs) {
  const user = await requireUser(args);
  const orderId = orderIdOf(args.params.orderId);
  intentOf(await readForm(args.request), ["cancel"] as const);
  try {
    await cancelOrder(args.context, user.id, orderId);
  } catch (error) {
    if (error instanceof ConflictError) return data({ error: error.message }, { status: 409 });
    throw error;
  }
  return redirect(`/orders/${orderId}`);
}

export default function OrderPage() {
  const { order } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const [params] = useSearchParams();
  const cancelling = useIsPending({ intent: "cancel" });

  return (
    <article className="order-page" aria-labelledby="order-title">
      <h1 id="order-title">Order #{order.id}</h1>
      {params.get("placed") ? (
        <p className="notice" role="status">
          Thank you! Your order is placed and paid. We sent a confirmation to your e-mail.
        </p>
      ) : null}
      <p>
        Status: <strong className="order-status">{ORDER_STATUS_LABELS[order.status]}</strong>
        {order.trackingNumber ? (
          <>
            {" "}
            · Tracking number: <strong>{order.trackingNumber}</strong>
          </>
        ) : null}
      </p>

      <OrderLines order={order} hrefFor={(bookId) => `/books/${bookId}`} captionHidden />

      <div className="order-facts">
        <section aria-labelledby="ship-to">
          <h2 id="ship-to">Shipping to</h2>
          <ShipToAddress shipTo={order.shipTo} />
          <p>
            By {order.deliveryProvider.name} ({order.deliveryProvider.coverageArea})
          </p>
        </section>
        {order.payment ? (
          <section aria-labelledby="paid-with">
            <h2 id="paid-with">Payment</h2>
            <p>
              {order.payment.cardBrand} ending in {order.payment.cardLast4}
            </p>
          </section>
        ) : null}
        <section aria-labelledby="history">
          <h2 id="history">History</h2>
          <ol className="order-history">
            {order.history.map((event, index) => (
              <li key={index}>
                {formatDateTime(event.createdAt)}: {ORDER_STATUS_LABELS[event.status]}
                {event.note ? ` — ${event.note}` : null}
              </li>
            ))}
          </ol>
        </section>
      </div>

      {order.canCancel ? (
        <Form method="post" className="order-cancel">
          <FormErrors errors={actionData?.error ? [actionData.error] : null} />
          <p>Changed your mind? You can cancel until the order ships; we refund your card.</p>
          <SubmitButton
            name="intent"
            value="cancel"
            pending={cancelling}
            pendingLabel="Cancelling…"
          >
            Cancel order
          </SubmitButton>
        </Form>
      ) : actionData?.error ? (
        <FormErrors errors={[actionData.error]} />
      ) : null}
      <p>
        <a href="/orders">← All your orders</a>
      </p>
    </article>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary notFoundTitle="Order not found" />;
}
