import { formatCents } from "~/lib/money";
import { AddToCartForm } from "./add-to-cart";
import type { BookSummary } from "~/services/catalog.server";

export function coverUrl(book: Pick<BookSummary, "id" | "coverPath">): string {
  return book.coverPath ? `/uploads/${book.coverPath}` : `/covers/${book.id}`;
}

export function Availability({ stock }: { stock: number }) {
  if (stock <= 0) return <span className="availability availability--out">Sold out</span>;
  if (stock < 5)
    return <span className="availability availability--low">{`Only ${stock} left`}</span>;
  return <span className="availability availability--in">In stock</span>;
}

export function BookGrid({
  books,
  headingLevel = 2,
}: {
  books: BookSummary[];
  headingLevel?: 2 | 3;
}) {
  return (
    <ul className="book-grid">
      {books.map((book) => (
        <li key={book.id}>
          <BookCard book={book} headingLevel={headingLevel} />
        </li>
      ))}
    </ul>
  );
}

function BookCard({ book, headingLevel }: { book: BookSummary; headingLevel: 2 | 3 }) {
  const Heading = headingLevel === 2 ? "h2" : "h3";
  return (
    <article className="book-card">
      <img
        className="book-card__cover"
        src={coverUrl(book)}
        alt=""
        width={160}
        height={240}
        loading="lazy"
        decoding="async"
      />
      <Heading className="book-card__title">
        <a href={`/books/${book.id}`}>{book.title}</a>
      </Heading>
      <p className="book-card__author">{book.author}</p>
      <p className="book-card__meta">
        <span className="price">{formatCents(book.priceCents)}</span>{" "}
        <Availability stock={book.stock} />
      </p>
      <AddToCartForm bookId={book.id} title={book.title} stock={book.stock} compact />
    </article>
  );
}
