import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { AddToCartForm } from "~/components/add-to-cart";
import { Availability, coverUrl } from "~/components/book-card";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { formatCents } from "~/lib/money";
import { parseId } from "~/lib/params";
import { findBook } from "~/services/catalog.server";

export const meta: MetaFunction<typeof loader> = ({ data: loaded }) =>
  loaded
    ? [
        { title: `${loaded.book.title} by ${loaded.book.author} — Bookstore` },
        { name: "description", content: loaded.book.description.slice(0, 160) },
      ]
    : [{ title: "Book not found — Bookstore" }];

export async function loader({ params, context }: LoaderFunctionArgs) {
  const id = parseId(params.bookId);
  const book = id === null ? null : await findBook(context.db, id);
  if (!book) throw data({ message: "We have no such book." }, { status: 404 });
  return { book };
}

export default function BookPage() {
  const { book } = useLoaderData<typeof loader>();
  return (
    <article className="book-detail" aria-labelledby="book-title">
      <img
        className="book-detail__cover"
        src={coverUrl(book)}
        alt={`Cover of ${book.title}`}
        width={320}
        height={480}
      />
      <div className="book-detail__info">
        <h1 id="book-title">{book.title}</h1>
        <p className="book-detail__author">by {book.author}</p>
        <dl className="facts">
          <div>
            <dt>First published</dt>
            <dd>{book.publishedYear}</dd>
          </div>
          <div>
            <dt>Genre</dt>
            <dd>
              <a href={`/books?genre=${encodeURIComponent(book.genre)}`}>{book.genre}</a>
            </dd>
          </div>
          <div>
            <dt>ISBN</dt>
            <dd>{book.isbn}</dd>
          </div>
        </dl>
        <p className="book-detail__description">{book.description}</p>
        <p className="book-detail__buy">
          <span className="price price--large">{formatCents(book.priceCents)}</span>{" "}
          <Availability stock={book.stock} />
        </p>
        <AddToCartForm bookId={book.id} title={book.title} stock={book.stock} />
        <p>
          <a href="/books">← Back to all books</a>
        </p>
      </div>
    </article>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary notFoundTitle="Book not found" />;
}
