import { useLocation, useSearchParams } from "@remix-run/react";

// Plain links and forms: see client-navigation.ts for how they navigate with JavaScript.

export function SiteHeader() {
  const { pathname } = useLocation();
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
              <a href="/books" aria-current={pathname === "/books" ? "page" : undefined}>
                All books
              </a>
            </li>
          </ul>
        </nav>
      </div>
    </header>
  );
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

export function SiteFooter() {
  return (
    <footer className="site-footer">
      <p>
        Bookstore — classic books, shipped by DHL, FedEx, Envía and Servientrega. Every title in our
        demo catalog is in the public domain.
      </p>
    </footer>
  );
}
