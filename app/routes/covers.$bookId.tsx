/**
 * Generated cover for books without an uploaded image: an SVG with the title
 * and author, coloured by the book's id so the shelf is not monotonous.
 */
import type { LoaderFunctionArgs } from "@remix-run/node";
import { parseId } from "~/lib/params";
import { renderPlaceholderCover } from "~/lib/placeholder-cover";
import { findCoverInfo } from "~/services/catalog.server";

export async function loader({ params, context }: LoaderFunctionArgs) {
  const id = parseId(params.bookId);
  const book = id === null ? null : await findCoverInfo(context.db, id);
  if (id === null || !book) {
    return new Response("No such book", { status: 404, headers: { "Content-Type": "text/plain" } });
  }
  return new Response(renderPlaceholderCover(id, book.title, book.author), {
    headers: {
      "Content-Type": "image/svg+xml; charset=utf-8",
      "Cache-Control": "public, max-age=86400",
      // An SVG is a document: forbid scripts in it even if opened directly.
      "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'",
    },
  });
}
