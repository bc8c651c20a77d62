import type { ReactNode } from "react";

export function StatusPage({
  status,
  title,
  children,
}: {
  status: number;
  title: string;
  children: ReactNode;
}) {
  return (
    <section className="status-page" aria-labelledby="status-title">
      <p className="status-page__code">{status}</p>
      <h1 id="status-title">{title}</h1>
      <p>{children}</p>
      <p>
        <a href="/books">Browse the catalog</a> or <a href="/">go to the home page</a>.
      </p>
    </section>
  );
}
