/**
 * "Add to cart" with a Quantity field, on the book page and every catalog
 * card. Without JavaScript it is a plain form: the server adds the books and
 * shows the cart. With it, a fetcher posts in the background: the page stays,
 * the header's count goes up at once (see usePendingCartAdds) and the result
 * is announced here.
 */
import { useFetcher } from "@remix-run/react";

/** What the cart's action answers a fetcher (app/routes/cart.tsx). */
interface AddToCartResult {
  result?: { error?: Record<string, string[] | null> | null };
  added?: { title: string; quantity: number };
}

export function AddToCartForm({
  bookId,
  title,
  stock,
  compact = false,
}: {
  bookId: number;
  title: string;
  stock: number;
  compact?: boolean;
}) {
  const fetcher = useFetcher<AddToCartResult>({ key: `add-to-cart-${bookId}` });
  if (stock <= 0) return null;
  const id = `quantity-${bookId}${compact ? "-card" : ""}`;
  const result = fetcher.state === "idle" ? fetcher.data : undefined;
  const errors = Object.values(result?.result?.error ?? {}).flatMap((messages) => messages ?? []);
  const pending = fetcher.state !== "idle";
  return (
    <fetcher.Form
      method="post"
      action="/cart"
      className={compact ? "add-to-cart add-to-cart--compact" : "add-to-cart"}
    >
      <input type="hidden" name="intent" value="add" />
      <input type="hidden" name="bookId" value={bookId} />
      <label htmlFor={id}>
        Quantity
        {compact ? <span className="visually-hidden"> of {title}</span> : null}
      </label>
      <input
        id={id}
        name="quantity"
        type="number"
        inputMode="numeric"
        min={1}
        max={Math.min(99, stock)}
        defaultValue={1}
        required
        aria-invalid={errors.length > 0 || undefined}
        aria-describedby={`${id}-status`}
      />
      <button type="submit" aria-disabled={pending || undefined}>
        {pending ? "Adding…" : "Add to cart"}
        {compact ? <span className="visually-hidden"> — {title}</span> : null}
      </button>
      <p id={`${id}-status`} className="add-to-cart__status" role="status">
        {errors.length > 0 ? (
          <span className="error-text">{errors.join(" ")}</span>
        ) : result?.added ? (
          <>
            Added to your cart. <a href="/cart">View cart</a>
          </>
        ) : null}
      </p>
    </fetcher.Form>
  );
}
