import { getFormProps, useForm, type SubmissionResult } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { coverUrl } from "~/components/book-card";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { ErrorList, FormErrors, SubmitButton, useIsPending } from "~/components/forms";
import { cartOwnerOf, ensureRequestCart } from "~/lib/cart-owner.server";
import { NotFoundError } from "~/lib/domain-errors.server";
import { intentOf, readForm } from "~/lib/forms.server";
import { formatCents } from "~/lib/money";
import { isDocumentRequest } from "~/lib/request.server";
import { idField, quantityField } from "~/lib/validation";
import {
  addToCart,
  checkAddable,
  findCartId,
  getCart,
  QuantityError,
  removeFromCart,
  setQuantity,
  type CartLine,
} from "~/services/cart.server";

export const meta: MetaFunction = () => [{ title: "Your cart — Bookstore" }];

const lineSchema = z.object({ bookId: idField, quantity: quantityField });
const removeSchema = z.object({ bookId: idField });
const INTENTS = ["add", "update", "remove"] as const;

export async function loader(args: LoaderFunctionArgs) {
  const { db } = args.context;
  const cart = await getCart(db, await findCartId(db, await cartOwnerOf(args)));
  return { cart };
}

/**
 * Adds, updates and removes lines. A form posted without JavaScript is
 * answered with the cart page (POST → redirect → GET); a fetcher gets the
 * result as data and stays on its page.
 */
export async function action(args: ActionFunctionArgs) {
  const { request, context } = args;
  const form = await readForm(request);
  const intent = intentOf(form, INTENTS);
  const submission = parseWithZod(form, {
    schema: intent === "remove" ? removeSchema : lineSchema,
  });
  const bookId = form.get("bookId");
  if (submission.status !== "success") {
    return data({ kind: intent, bookId, result: submission.reply() }, { status: 400 });
  }
  const { db } = context;
  const headers = new Headers();
  let added: { title: string; quantity: number } | undefined;

  try {
    if (intent === "add") {
      const { quantity } = submission.value as z.infer<typeof lineSchema>;
      await checkAddable(db, submission.value.bookId, quantity);
      const { cartId, setCookie } = await ensureRequestCart(args);
      if (setCookie) headers.append("Set-Cookie", setCookie);
      added = await addToCart(db, cartId, submission.value.bookId, quantity);
    } else {
      const cartId = await findCartId(db, await cartOwnerOf(args));
      if (!cartId) throw new NotFoundError("That book is no longer in your cart.");
      if (intent === "update") {
        const { quantity } = submission.value as z.infer<typeof lineSchema>;
        await setQuantity(db, cartId, submission.value.bookId, quantity);
      } else {
        await removeFromCart(db, cartId, submission.value.bookId);
      }
    }
  } catch (error) {
    // Said next to the form the shopper used, whichever page it is on.
    if (error instanceof QuantityError) {
      const reply = submission.reply({ fieldErrors: { quantity: [error.message] } });
      return data({ kind: intent, bookId, result: reply }, { status: 422, headers });
    }
    if (error instanceof NotFoundError) {
      const reply = submission.reply({ formErrors: [error.message] });
      return data({ kind: intent, bookId, result: reply }, { status: 404, headers });
    }
    throw error;
  }

  if (isDocumentRequest(request)) return redirect("/cart", { headers });
  return data(
    { kind: intent, bookId, result: submission.reply({ resetForm: true }), added },
    { headers },
  );
}

export default function CartPage() {
  const { cart } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const addError = actionData?.kind === "add" ? errorMessages(actionData.result.error) : [];
  // An update or removal of a book that is not in the cart has no line to say it on.
  const orphanError =
    actionData &&
    actionData.kind !== "add" &&
    !cart.lines.some((line) => String(line.bookId) === actionData.bookId)
      ? errorMessages(actionData.result.error)
      : [];
  const shortLines = cart.lines.filter((line) => line.quantity > line.stock);

  return (
    <section aria-labelledby="cart-title" className="cart">
      <h1 id="cart-title">Your cart</h1>
      <FormErrors
        errors={[
          ...addError.map((message) => `We could not add that book: ${message}`),
          ...orphanError,
        ]}
      />
      {cart.lines.length === 0 ? (
        <p>
          Your cart is empty. <a href="/books">Browse the catalog</a> to find your next book.
        </p>
      ) : (
        <>
          <ul className="cart-lines">
            {cart.lines.map((line) => (
              // Keyed by the stored quantity too: after an update the line's form starts
              // again from the new number instead of conform resetting it to the old one.
              <li key={`${line.bookId}:${line.quantity}`} className="cart-line">
                <CartLineRow
                  line={line}
                  lastResult={
                    actionData?.kind !== "add" && actionData?.bookId === String(line.bookId)
                      ? actionData.result
                      : undefined
                  }
                />
              </li>
            ))}
          </ul>
          <p className="cart-subtotal">
            Subtotal ({cart.count} {cart.count === 1 ? "book" : "books"}):{" "}
            <strong>{formatCents(cart.subtotalCents)}</strong>
          </p>
          {shortLines.length > 0 ? (
            <p className="form-errors" role="alert">
              Some books have less stock than your cart asks for. Lower those quantities to check
              out.
            </p>
          ) : (
            <p>
              <a href="/checkout" className="button button--primary">
                Checkout
              </a>
            </p>
          )}
        </>
      )}
    </section>
  );
}

function errorMessages(error: Record<string, string[] | null> | null | undefined): string[] {
  return error ? Object.values(error).flatMap((messages) => messages ?? []) : [];
}

function CartLineRow({
  line,
  lastResult,
}: {
  line: CartLine;
  lastResult?: SubmissionResult<string[]>;
}) {
  const [form, fields] = useForm({
    id: `cart-line-${line.bookId}`,
    lastResult,
    defaultValue: { bookId: String(line.bookId), quantity: String(line.quantity) },
    onValidate: ({ formData }) => parseWithZod(formData, { schema: lineSchema }),
    shouldRevalidate: "onInput",
  });
  const updating = useIsPending({ intent: "update" });
  const quantityId = `quantity-${line.bookId}`;
  return (
    <>
      <img
        src={coverUrl({ id: line.bookId, coverPath: line.coverPath })}
        alt=""
        width={64}
        height={96}
      />
      <div className="cart-line__info">
        <a href={`/books/${line.bookId}`} className="cart-line__title">
          {line.title}
        </a>
        <p className="cart-line__author">{line.author}</p>
        <p>{formatCents(line.unitPriceCents)} each</p>
        {line.quantity > line.stock ? (
          <p className="error-text">
            {line.stock === 0 ? "Sold out." : `Only ${line.stock} left.`}
          </p>
        ) : null}
      </div>
      <Form method="post" {...getFormProps(form)} className="cart-line__quantity">
        <input type="hidden" name="bookId" value={line.bookId} />
        <label htmlFor={quantityId}>Quantity for {line.title}</label>
        <input
          id={quantityId}
          name={fields.quantity.name}
          type="number"
          inputMode="numeric"
          min={1}
          max={99}
          required
          key={fields.quantity.key}
          defaultValue={fields.quantity.initialValue as string | undefined}
          aria-invalid={fields.quantity.errors ? true : undefined}
          aria-describedby={fields.quantity.errors ? fields.quantity.errorId : undefined}
        />
        <SubmitButton
          name="intent"
          value="update"
          pending={updating}
          pendingLabel="Updating…"
          aria-label={`Update quantity for ${line.title}`}
        >
          Update
        </SubmitButton>
        <ErrorList id={fields.quantity.errorId} errors={fields.quantity.errors} />
        <FormErrors id={form.errorId} errors={form.errors} />
      </Form>
      <p className="cart-line__total">{formatCents(line.lineTotalCents)}</p>
      <Form method="post" className="cart-line__remove">
        <input type="hidden" name="bookId" value={line.bookId} />
        <button type="submit" name="intent" value="remove" aria-label={`Remove ${line.title}`}>
          Remove
        </button>
      </Form>
    </>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
