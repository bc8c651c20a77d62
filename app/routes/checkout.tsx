import { getFormProps, getInputProps, useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { ErrorList, Field, FormErrors, SubmitButton, useIsPending } from "~/components/forms";
import { requireUser } from "~/lib/auth.server";
import {
  ConflictError,
  describeShortage,
  OutOfStockError,
  PaymentDeclinedError,
} from "~/lib/domain-errors.server";
import { parseForm } from "~/lib/forms.server";
import { formatCents } from "~/lib/money";
import { addressFields, cardFields, checkCvcMatchesBrand, idField } from "~/lib/validation";
import { findCartId, getCart } from "~/services/cart.server";
import {
  activeDeliveryProviders,
  DeliveryUnavailableError,
  placeOrder,
} from "~/services/checkout.server";

export const meta: MetaFunction = () => [{ title: "Checkout — Bookstore" }];

// Prices and totals are not fields: the server computes them from the database.
const schema = z
  .object({
    idempotencyKey: z
      .string({ required_error: "This checkout form has expired. Please reload the page." })
      .regex(/^[A-Za-z0-9-]{16,64}$/, "This checkout form has expired. Please reload the page."),
    ...addressFields,
    deliveryProviderId: z.string({ required_error: "Choose a delivery option." }).pipe(idField),
    ...cardFields,
  })
  .superRefine(checkCvcMatchesBrand);

const CARD_FIELDS = ["cardNumber", "expiry", "cvc"];

export async function loader(args: LoaderFunctionArgs) {
  const user = await requireUser(args);
  const { db } = args.context;
  const cart = await getCart(db, await findCartId(db, { userId: user.id }));
  if (cart.lines.length === 0) throw redirect("/cart");
  return {
    cart,
    providers: await activeDeliveryProviders(db),
    fullName: user.name,
    // One key per rendering of this page: every submission of this form is the same order.
    idempotencyKey: crypto.randomUUID(),
  };
}

export async function action(args: ActionFunctionArgs) {
  const user = await requireUser(args);
  const submission = await parseForm(args.request, schema);
  if (submission.status !== "success") {
    return data(submission.reply({ hideFields: CARD_FIELDS }), { status: 400 });
  }
  const { idempotencyKey, deliveryProviderId, cardNumber, expiry, cvc, ...address } =
    submission.value;
  try {
    const { orderId } = await placeOrder(args.context, {
      userId: user.id,
      address,
      deliveryProviderId,
      card: { number: cardNumber, expiry, cvc },
      idempotencyKey,
    });
    return redirect(`/orders/${orderId}?placed=1`);
  } catch (error) {
    const answer = (
      status: number,
      errors: { formErrors?: string[]; fieldErrors?: Record<string, string[]> },
    ) => data(submission.reply({ ...errors, hideFields: CARD_FIELDS }), { status });
    if (error instanceof PaymentDeclinedError) {
      return answer(402, { fieldErrors: { cardNumber: [error.message] } });
    }
    if (error instanceof OutOfStockError) {
      return answer(409, { formErrors: error.shortages.map(describeShortage) });
    }
    if (error instanceof DeliveryUnavailableError) {
      return answer(409, { fieldErrors: { deliveryProviderId: [error.message] } });
    }
    if (error instanceof ConflictError) return answer(409, { formErrors: [error.message] });
    throw error;
  }
}

export default function CheckoutPage() {
  const { cart, providers, fullName, idempotencyKey } = useLoaderData<typeof loader>();
  const lastResult = useActionData<typeof action>();
  const [form, fields] = useForm({
    id: "checkout",
    lastResult,
    defaultValue: { idempotencyKey, fullName },
    onValidate: ({ formData }) => parseWithZod(formData, { schema }),
    shouldRevalidate: "onInput",
  });
  const pending = useIsPending();
  const delivery = fields.deliveryProviderId;

  return (
    <section className="checkout" aria-labelledby="checkout-title">
      <h1 id="checkout-title">Checkout</h1>
      <div className="checkout__summary">
        <h2>Your order</h2>
        <ul className="summary-lines">
          {cart.lines.map((line) => (
            <li key={line.bookId}>
              {line.quantity} × {line.title} <span>{formatCents(line.lineTotalCents)}</span>
            </li>
          ))}
        </ul>
        <p>
          Subtotal: <strong>{formatCents(cart.subtotalCents)}</strong>
        </p>
        <p>
          <a href="/cart">Change your cart</a>
        </p>
      </div>

      <Form method="post" {...getFormProps(form)} className="stacked-form checkout__form">
        <input
          type="hidden"
          name={fields.idempotencyKey.name}
          value={(fields.idempotencyKey.initialValue as string | undefined) ?? idempotencyKey}
        />
        {/* The key is a hidden field: its error ("reload the page") is the whole form's. */}
        <FormErrors
          id={form.errorId}
          errors={[...(form.errors ?? []), ...(fields.idempotencyKey.errors ?? [])]}
        />

        <fieldset>
          <legend>Shipping address</legend>
          <Field
            meta={fields.fullName}
            label="Full name"
            inputProps={{ autoComplete: "shipping name" }}
          />
          <Field
            meta={fields.line1}
            label="Address line 1"
            inputProps={{ autoComplete: "shipping address-line1" }}
          />
          <Field
            meta={fields.line2}
            label="Address line 2"
            inputProps={{ autoComplete: "shipping address-line2" }}
          />
          <Field
            meta={fields.city}
            label="City"
            inputProps={{ autoComplete: "shipping address-level2" }}
          />
          <Field
            meta={fields.region}
            label="Region"
            inputProps={{ autoComplete: "shipping address-level1" }}
          />
          <Field
            meta={fields.postalCode}
            label="Postal code"
            inputProps={{ autoComplete: "shipping postal-code" }}
          />
          <Field
            meta={fields.country}
            label="Country"
            inputProps={{ autoComplete: "shipping country-name" }}
          />
        </fieldset>

        <fieldset
          aria-invalid={delivery.errors ? true : undefined}
          aria-describedby={delivery.errors ? delivery.errorId : undefined}
        >
          <legend>Delivery</legend>
          {providers.map((provider) => {
            const { key, ...radio } = getInputProps(delivery, {
              type: "radio",
              value: String(provider.id),
            });
            const id = `delivery-${provider.id}`;
            return (
              <div key={key ?? provider.id} className="radio">
                <input {...radio} id={id} />
                <label htmlFor={id}>
                  {provider.name} — {formatCents(provider.costCents)}{" "}
                  <span className="muted">
                    ({provider.coverageArea}; total{" "}
                    {formatCents(cart.subtotalCents + provider.costCents)})
                  </span>
                </label>
              </div>
            );
          })}
          <ErrorList id={delivery.errorId} errors={delivery.errors} />
        </fieldset>

        <fieldset>
          <legend>Payment</legend>
          <Field
            meta={fields.cardNumber}
            label="Card number"
            inputProps={{ autoComplete: "cc-number", inputMode: "numeric" }}
          />
          <Field
            meta={fields.expiry}
            label="Expiry (MM/YY)"
            inputProps={{ autoComplete: "cc-exp", placeholder: "MM/YY" }}
          />
          <Field
            meta={fields.cvc}
            label="CVC"
            inputProps={{ autoComplete: "cc-csc", inputMode: "numeric" }}
          />
        </fieldset>

        <SubmitButton
          pending={pending}
          pendingLabel="Placing your order…"
          className="button--primary"
        >
          Place order
        </SubmitButton>
      </Form>
    </section>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
