/**
 * "Add to cart" with a Quantity field, on the book page and every catalog
 * card. Without JavaScript it is a plain form: the server adds the books and
 * shows the cart. With it, a fetcher posts in the background: the page stays,
 * the header's count goes up at once (see usePendingCartAdds) and the result
 * is announced next to the button.
 *
 * The server always renders the plain form, and the browser swaps in the
 * fetcher once it has hydrated: a fetcher form costs the server route
 * resolution per form, and a catalog page has two dozen of them, which made
 * the catalog measurably slower (bench/render-cost.ts) for no visible gain.
 */
import { useFetcher } from "@remix-run/react";
import { useSyncExternalStore, type ReactNode } from "react";

/** What the cart's action answers a fetcher (app/routes/cart.tsx). */
interface AddToCartResult {
  result?: { error?: Record<string, string[] | null> | null };
  added?: { title: string; quantity: number };
}

interface AddToCartProps {
  bookId: number;
  title: string;
  stock: number;
  compact?: boolean;
}

export function AddToCartForm(props: AddToCartProps) {
  const hydrated = useHydrated();
  if (props.stock <= 0) return null;
  return hydrated ? <FetcherAddToCart {...props} /> : <PlainAddToCart {...props} />;
}

function PlainAddToCart(props: AddToCartProps) {
  return (
    <form method="post" action="/cart" className={formClass(props)}>
      <AddToCartFields {...props} />
    </form>
  );
}

function FetcherAddToCart(props: AddToCartProps) {
  const fetcher = useFetcher<AddToCartResult>({ key: `add-to-cart-${props.bookId}` });
  const result = fetcher.state === "idle" ? fetcher.data : undefined;
  const errors = Object.values(result?.result?.error ?? {}).flatMap((messages) => messages ?? []);
  return (
    <fetcher.Form method="post" action="/cart" className={formClass(props)}>
      <AddToCartFields
        {...props}
        pending={fetcher.state !== "idle"}
        invalid={errors.length > 0}
        status={
          errors.length > 0 ? (
            <span className="error-text">{errors.join(" ")}</span>
          ) : result?.added ? (
            <>
              Added to your cart. <a href="/cart">View cart</a>
            </>
          ) : null
        }
      />
    </fetcher.Form>
  );
}

/**
 * The fields, as few elements as the form needs: each card renders them, so
 * every element counts on the catalog's hottest pages. The intent travels as
 * the button's value; the status line exists only where a fetcher can fill it.
 */
function AddToCartFields({
  bookId,
  title,
  stock,
  compact = false,
  pending = false,
  invalid = false,
  status,
}: AddToCartProps & { pending?: boolean; invalid?: boolean; status?: ReactNode }) {
  const id = `quantity-${bookId}${compact ? "-card" : ""}`;
  const enhanced = status !== undefined;
  return (
    <>
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
        aria-invalid={invalid || undefined}
        aria-describedby={enhanced ? `${id}-status` : undefined}
      />
      <button type="submit" name="intent" value="add" aria-disabled={pending || undefined}>
        {pending ? "Adding…" : "Add to cart"}
        {compact ? <span className="visually-hidden"> — {title}</span> : null}
      </button>
      {enhanced ? (
        <p id={`${id}-status`} className="add-to-cart__status" role="status">
          {status}
        </p>
      ) : null}
    </>
  );
}

function formClass({ compact }: AddToCartProps): string {
  return compact ? "add-to-cart add-to-cart--compact" : "add-to-cart";
}

/** False on the server and while hydrating (so the markup matches), true once hydrated. */
function useHydrated(): boolean {
  return useSyncExternalStore(
    subscribeToNothing,
    () => true,
    () => false,
  );
}

function subscribeToNothing(): () => void {
  return () => {};
}
