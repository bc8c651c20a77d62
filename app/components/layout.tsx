import { Form, Link, NavLink, useSearchParams } from "@remix-run/react";

export function SiteHeader() {
  return (
    <header className="site-header">
      <div className="site-header__inner">
        <Link to="/" className="brand" aria-label="Bookstore home">
          <img src="/favicon.svg" alt="" width={28} height={28} /> Bookstore
        </Link>
        <SearchBox />
        <nav aria-label="Main">
          <ul className="nav-list">
            <li>
              <NavLink to="/books" end>
                All books
              </NavLink>
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
    <Form
      method="get"
      action="/books"
      role="search"
      className={large ? "search search--large" : "search"}
    >
      <label htmlFor={id} className="visually-hidden">
        Search books by title, author or subject
      </label>
      <input
        id={id}
        type="search"
        name="q"
        defaultValue={params.get("q") ?? ""}
        placeholder="Search title, author, subject…"
        maxLength={200}
        autoComplete="off"
      />
      <button type="submit">Search</button>
    </Form>
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
