import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { BookGrid } from "~/components/book-card";
import { SearchBox } from "~/components/layout";
import { listGenres, newArrivals } from "~/services/catalog.server";

export const meta: MetaFunction = () => [
  { title: "Bookstore — classic books, delivered" },
  { name: "description", content: "Browse and search hundreds of classic books." },
];

export async function loader({ context }: LoaderFunctionArgs) {
  const [arrivals, genres] = await Promise.all([
    newArrivals(context.db, 10),
    listGenres(context.db),
  ]);
  return { arrivals, genres };
}

export default function Home() {
  const { arrivals, genres } = useLoaderData<typeof loader>();
  return (
    <>
      <section className="hero" aria-labelledby="hero-title">
        <h1 id="hero-title">Great books never go out of print.</h1>
        <p>Hundreds of classics, from Austen to Zola, delivered to your door.</p>
        <SearchBox id="hero-search" large />
      </section>

      <section aria-labelledby="arrivals-title">
        <div className="section-heading">
          <h2 id="arrivals-title">New arrivals</h2>
          <a href="/books?sort=title">See all books</a>
        </div>
        <BookGrid books={arrivals} headingLevel={3} />
      </section>

      <section aria-labelledby="genres-title">
        <h2 id="genres-title">Browse by genre</h2>
        <ul className="genre-list">
          {genres.map(({ genre, count }) => (
            <li key={genre}>
              <a href={`/books?genre=${encodeURIComponent(genre)}`}>
                {genre} <span className="count">({count})</span>
              </a>
            </li>
          ))}
        </ul>
      </section>
    </>
  );
}
