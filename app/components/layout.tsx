import { Form, useFetchers, useLocation, useSearchParams } from "@remix-run/react";

// Plain links and GET forms: see client-navigation.ts for how they navigate with JavaScript.

export interface HeaderUser {
  name: string;
  role: "customer" | "admin";
}

export function SiteHeader({ user, cartCount }: { user: HeaderUser | null; cartCount: number }) {
  const { pathname } = useLocation();
  const current = (path: string) => (pathname === path ? "page" : undefined);
  const count = cartCount + usePendingCartAdds();
  return (
    <header className="site-header">
      <div className="site-header__inner">
        <a href="/" className="brand" aria-label="Bookstore home">
          <img src="/favicon.svg" alt="" width={28} height={28} /> Bookstore
        </a>
        <SearchBox />
        <nav aria-label="Main">
          <ul className="nav-list">
            <li>
              <a href="/books" aria-current={current("/books")}>
                All books
              </a>
            </li>
            <li>
              <a href="/cart" aria-current={current("/cart")} className="cart-link">
                Cart{" "}
                <span className="cart-count" aria-live="polite">
                  <span className="visually-hidden">: </span>
                  {count}
                  <span className="visually-hidden">{count === 1 ? " book" : " books"}</span>
                </span>
              </a>
            </li>
            {user ? (
              <>
                {user.role === "admin" ? (
                  <li>
                    <a href="/admin" aria-current={current("/admin")}>
                      Admin
                    </a>
                  </li>
                ) : null}
                <li>
                  <a href="/sell" aria-current={current("/sell")}>
                    Sell
                  </a>
                </li>
                <li>
                  <a href="/orders" aria-current={current("/orders")}>
                    Orders
                  </a>
                </li>
                <li>
                  <a href="/account" aria-current={current("/account")}>
                    Account
                  </a>
                </li>
                <li>
                  <Form method="post" action="/logout" className="inline-form">
                    <button type="submit" className="link-button">
                      Sign out
                    </button>
                  </Form>
                </li>
              </>
            ) : (
              <>
                <li>
                  <a href="/login" aria-current={current("/login")}>
                    Sign in
                  </a>
                </li>
                <li>
                  <a href="/join" aria-current={current("/join")}>
                    Join
                  </a>
                </li>
              </>
            )}
          </ul>
        </nav>
      </div>
    </header>
  );
}

/**
 * Books being added right now (fetchers posting intent=add to /cart), counted
 * before the server answers: the optimistic part of the header's cart count.
 * Once the action is done the root loader's fresh count takes over.
 */
function usePendingCartAdds(): number {
  return useFetchers()
    .filter(
      (fetcher) =>
        fetcher.state === "submitting" &&
        fetcher.formAction === "/cart" &&
        fetcher.formData?.get("intent") === "add",
    )
    .reduce((sum, fetcher) => {
      const quantity = Number(fetcher.formData?.get("quantity"));
      return Number.isInteger(quantity) && quantity >= 1 && quantity <= 99 ? sum + quantity : sum;
    }, 0);
}

export function SearchBox({ id = "site-search", large = false }: { id?: string; large?: boolean }) {
  const [params] = useSearchParams();
  return (
    <form
      method="get"
      action="/books"
      role="search"
      className={large ? "search search--large" : "search"}
    >
      <label htmlFor={id} className="visually-hidden">
        Search books by title, author or subject
      </label>
      <input
        // A new search resets the box after a client-side navigation too.
        key={params.get("q") ?? ""}
        id={id}
        type="search"
        name="q"
        defaultValue={params.get("q") ?? ""}
        placeholder="Search title, author, subject…"
        maxLength={200}
        autoComplete="off"
      />
      <button type="submit">Search</button>
    </form>
  );
}

/**
 * Names the active delivery providers, as the database has them (loaded by the
 * root loader, cached per instance). Without them, on an error page without the
 * root's data, it says less rather than something stale.
 */
export function SiteFooter({ deliveryProviders }: { deliveryProviders?: string[] }) {
  const shippedBy =
    deliveryProviders && deliveryProviders.length > 0
      ? `, shipped by ${listOf(deliveryProviders)}`
      : "";
  return (
    <footer className="site-footer">
      <p>
        Bookstore — classic books{shippedBy}. Every title in our demo catalog is in the public
        domain.
      </p>
    </footer>
  );
}

/** "A", "A and B", "A, B and C": written out, so server and browser render the same text. */
function listOf(names: string[]): string {
  if (names.length === 1) return names[0];
  return `${names.slice(0, -1).join(", ")} and ${names[names.length - 1]}`;
}
