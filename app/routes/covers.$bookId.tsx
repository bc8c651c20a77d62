/**
 * Generated cover for books without an uploaded image: an SVG with the title
 * and author, coloured by the book's id so the shelf is not monotonous.
 *
 * Browsers keep it for a day, then revalidate: its ETag is the hash of the
 * SVG, so an unchanged cover then costs a 304, and a retitled book's a new SVG.
 */
import type { LoaderFunctionArgs } from "@remix-run/node";
import { validatedResponse } from "~/lib/http-cache.server";
import { parseId } from "~/lib/params";
import { renderPlaceholderCover } from "~/lib/placeholder-cover";
import { findCoverInfo } from "~/services/catalog.server";

export async function loader({ params, context, request }: LoaderFunctionArgs) {
  const id = parseId(params.bookId);
  const book = id === null ? null : await findCoverInfo(context.db, id);
  if (id === null || !book) {
    return new Response("No such book", { status: 404, headers: { "Content-Type": "text/plain" } });
  }
  return validatedResponse(request, renderPlaceholderCover(id, book.title, book.author), {
    "Content-Type": "image/svg+xml; charset=utf-8",
    // The same for everyone (no cookie changes it), so any cache may keep it.
    "Cache-Control": "public, max-age=86400",
    // An SVG is a document: forbid scripts in it even if opened directly.
    "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'",
  });
}
