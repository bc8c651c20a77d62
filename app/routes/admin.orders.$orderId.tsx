import { getFormProps, useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { OrderLines, ShipToAddress } from "~/components/order-lines";
import { Field, FormErrors, SubmitButton, useIsPending } from "~/components/forms";
import { requireAdmin } from "~/lib/auth.server";
import { formatDateTime } from "~/lib/dates";
import { ConflictError, NotFoundError } from "~/lib/domain-errors.server";
import { intentOf, readForm } from "~/lib/forms.server";
import { formatCents } from "~/lib/money";
import { ORDER_STATUS_LABELS } from "~/lib/order-status";
import { parseId } from "~/lib/params";
import {
  cancelOrderAsStaff,
  deliverOrder,
  getAdminOrder,
  ORDER_MOVES,
  shipOrder,
} from "~/services/admin-orders.server";

export const meta: MetaFunction<typeof loader> = ({ data: loaded }) => [
  {
    title: loaded
      ? `Order #${loaded.order.id} — Admin — Bookstore`
      : "Order not found — Admin — Bookstore",
  },
];

const shipSchema = z.object({
  trackingNumber: z
    .string({ required_error: "Enter the carrier's tracking number." })
    .trim()
    .min(1, "Enter the carrier's tracking number.")
    .max(64, "Use at most 64 characters.")
    // Checked only once there is something to check: one message at a time.
    .pipe(
      z
        .string()
        .regex(
          /^[A-Za-z0-9][A-Za-z0-9 ./-]*$/,
          "Use the tracking number as the carrier gives it: letters, digits, spaces, dots, slashes and dashes.",
        ),
    ),
});
const cancelSchema = z.object({
  reason: z.string().trim().max(200, "Use at most 200 characters.").optional(),
});

const NOTICES: Record<string, string> = {
  shipped: "The order is shipped: the customer now sees its tracking number.",
  delivered: "The order is marked delivered.",
  voided: "The order is cancelled: its books are back in stock and the card hold was released.",
  refunded: "The order is cancelled: its books are back in stock and the payment was refunded.",
  none: "The order is cancelled: its books are back in stock.",
  failed:
    "The order is cancelled and its books are back in stock, but the refund failed: settle it with the payment processor.",
};

function orderIdOf(value: string | undefined): number {
  const id = parseId(value);
  if (id === null) throw new NotFoundError("We could not find that order.");
  return id;
}

export async function loader(args: LoaderFunctionArgs) {
  await requireAdmin(args);
  const order = await getAdminOrder(args.context.db, orderIdOf(args.params.orderId));
  const notice = new URL(args.request.url).searchParams.get("notice");
  return { order, notice: notice ? (NOTICES[notice] ?? null) : null };
}

export async function action(args: ActionFunctionArgs) {
  const admin = await requireAdmin(args);
  const orderId = orderIdOf(args.params.orderId);
  const form = await readForm(args.request);
  const intent = intentOf(form, ORDER_MOVES);
  const back = (notice: string) => redirect(`/admin/orders/${orderId}?notice=${notice}`);
  // A move the order cannot make (any more) is answered on the page, with its reason.
  const refused = (error: unknown) => {
    if (!(error instanceof ConflictError)) throw error;
    return data({ kind: intent, error: error.message }, { status: 409 });
  };

  if (intent === "ship") {
    const submission = parseWithZod(form, { schema: shipSchema });
    if (submission.status !== "success")
      return data({ kind: intent, result: submission.reply() }, { status: 400 });
    try {
      await shipOrder(args.context.db, admin, orderId, submission.value.trackingNumber);
    } catch (error) {
      return refused(error);
    }
    return back("shipped");
  }
  if (intent === "deliver") {
    try {
      await deliverOrder(args.context.db, admin, orderId);
    } catch (error) {
      return refused(error);
    }
    return back("delivered");
  }
  const submission = parseWithZod(form, { schema: cancelSchema });
  if (submission.status !== "success")
    return data({ kind: intent, result: submission.reply() }, { status: 400 });
  try {
    const refund = await cancelOrderAsStaff(
      args.context,
      admin,
      orderId,
      submission.value.reason || undefined,
    );
    return back(refund);
  } catch (error) {
    return refused(error);
  }
}

export default function AdminOrder() {
  const { order, notice } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const resultFor = (kind: string) =>
    actionData && "result" in actionData && actionData.kind === kind
      ? actionData.result
      : undefined;
  const refusal = actionData && "error" in actionData ? actionData.error : null;

  const [shipForm, ship] = useForm({
    id: "order-ship",
    lastResult: resultFor("ship"),
    onValidate: ({ formData }) => parseWithZod(formData, { schema: shipSchema }),
    shouldRevalidate: "onInput",
  });
  const [cancelForm, cancel] = useForm({
    id: "order-cancel",
    lastResult: resultFor("cancel"),
    onValidate: ({ formData }) => parseWithZod(formData, { schema: cancelSchema }),
    shouldRevalidate: "onInput",
  });
  const shipping = useIsPending({ intent: "ship" });
  const delivering = useIsPending({ intent: "deliver" });
  const cancelling = useIsPending({ intent: "cancel" });

  return (
    <article aria-labelledby="order-title" className="admin-order">
      <h1 id="order-title">Order #{order.id}</h1>
      {notice ? (
        <p className="notice" role="status">
          {notice}
        </p>
      ) : null}
      <p>
        Status: <strong className="order-status">{ORDER_STATUS_LABELS[order.status]}</strong>
        {order.trackingNumber ? (
          <>
            {" "}
            · Tracking number: <strong>{order.trackingNumber}</strong>
          </>
        ) : null}{" "}
        · Placed {formatDateTime(order.createdAt)}
      </p>

      <section aria-labelledby="moves-title">
        <h2 id="moves-title">Next step</h2>
        <FormErrors errors={refusal ? [refusal] : null} />
        {order.moves.length === 0 ? (
          <p>
            Nothing left to do: this order is {ORDER_STATUS_LABELS[order.status].toLowerCase()}.
          </p>
        ) : null}
        {order.moves.includes("ship") ? (
          <Form method="post" {...getFormProps(shipForm)} className="stacked-form">
            <FormErrors id={shipForm.errorId} errors={shipForm.errors} />
            <Field
              meta={ship.trackingNumber}
              label={`Tracking number from ${order.deliveryProvider.name}`}
              hint="The customer sees it on their order page."
              inputProps={{ autoComplete: "off", maxLength: 64 }}
            />
            <SubmitButton
              name="intent"
              value="ship"
              pending={shipping}
              pendingLabel="Marking as shipped…"
              className="button--primary"
            >
              Mark as shipped
            </SubmitButton>
          </Form>
        ) : null}
        {order.moves.includes("deliver") ? (
          <Form method="post" className="inline-form">
            <SubmitButton
              name="intent"
              value="deliver"
              pending={delivering}
              pendingLabel="Marking as delivered…"
              className="button--primary"
            >
              Mark as delivered
            </SubmitButton>
          </Form>
        ) : null}
        {order.moves.includes("cancel") ? (
          <Form method="post" {...getFormProps(cancelForm)} className="stacked-form">
            <FormErrors id={cancelForm.errorId} errors={cancelForm.errors} />
            <Field
              meta={cancel.reason}
              label="Reason for cancelling (optional)"
              hint="The customer sees it in the order's history. Their books go back in stock and their card is refunded."
              inputProps={{ maxLength: 200 }}
            />
            <SubmitButton
              name="intent"
              value="cancel"
              pending={cancelling}
              pendingLabel="Cancelling…"
              className="button--danger"
            >
              Cancel order
            </SubmitButton>
          </Form>
        ) : null}
      </section>

      <OrderLines order={order} hrefFor={(bookId) => `/admin/books/${bookId}`} />

      <div className="order-facts">
        <section aria-labelledby="customer-title">
          <h2 id="customer-title">Customer</h2>
          <p>
            {order.customer.name}
            <br />
            <a href={`/admin/users?q=${encodeURIComponent(order.customer.email)}`}>
              {order.customer.email}
            </a>
            {order.customer.disabledAt ? " (account disabled)" : null}
          </p>
        </section>
        <section aria-labelledby="ship-to">
          <h2 id="ship-to">Shipping to</h2>
          <ShipToAddress shipTo={order.shipTo} />
          <p>
            By {order.deliveryProvider.name} ({order.deliveryProvider.coverageArea})
            {order.deliveryProvider.active ? null : " — no longer offered at checkout"}
          </p>
        </section>
        <section aria-labelledby="payment-title">
          <h2 id="payment-title">Payment</h2>
          {order.payments.length === 0 ? <p>No payment recorded.</p> : null}
          {order.payments.map((payment) => (
            <p key={payment.id}>
              {payment.cardBrand} ending in {payment.cardLast4} · {formatCents(payment.amountCents)}{" "}
              · <span className="payment-status">{payment.status}</span>
              <br />
              <span className="muted">Reference {payment.reference}</span>
            </p>
          ))}
        </section>
      </div>

      <section aria-labelledby="history-title">
        <h2 id="history-title">History</h2>
        <ol className="order-history">
          {order.history.map((event) => (
            <li key={event.id}>
              {formatDateTime(event.createdAt)}: {ORDER_STATUS_LABELS[event.status]}
              {event.note ? ` — ${event.note}` : null}
              {event.byEmail ? ` (by ${event.byEmail})` : null}
            </li>
          ))}
        </ol>
        <p>
          <a href={`/admin/audit?entityType=order&entityId=${order.id}`}>Audit trail</a>
        </p>
      </section>
      <p>
        <a href="/admin/orders">← All orders</a>
      </p>
    </article>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary notFoundTitle="Order not found" />;
}
