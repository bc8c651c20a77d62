import { isRouteErrorResponse, useRouteError } from "@remix-run/react";
import { StatusPage } from "./status-page";

/**
 * What a route shows when its loader or action throws: the status the server
 * chose and a message meant for people; never a stack trace. Routes may name
 * their own 404 (a missing book is not a missing page).
 */
export function GeneralErrorBoundary({
  notFoundTitle = "Page not found",
}: {
  notFoundTitle?: string;
}) {
  const error = useRouteError();
  if (isRouteErrorResponse(error)) {
    if (error.status === 404) {
      return (
        <StatusPage status={404} title={notFoundTitle}>
          We could not find that. It may have moved, or the address may be mistyped.
        </StatusPage>
      );
    }
    const given =
      typeof error.data === "object" && error.data && "message" in error.data
        ? String(error.data.message)
        : undefined;
    if (error.status === 503) {
      // A client-side navigation whose data the server could not get in time (the
      // database did not answer) or would not serve (too busy: its answer is the
      // server's page, not data, so there is no message); a document request gets
      // the server's own 503 page instead (server/admission.ts).
      return (
        <StatusPage status={503} title="Temporarily unavailable">
          {given ?? "We could not load this page just now. Please try again in a few seconds."}
        </StatusPage>
      );
    }
    const message = given ?? error.statusText;
    return (
      <StatusPage
        status={error.status}
        title={error.status < 500 ? "We could not do that" : "Something went wrong"}
      >
        {message}
      </StatusPage>
    );
  }
  return (
    <StatusPage status={500} title="Something went wrong">
      An unexpected error happened on our side. Please try again in a moment.
    </StatusPage>
  );
}

/**
 * The document title for an error page that no route's own meta names (an
 * address no route matches renders the root's boundary): the boundary's heading.
 */
export function errorPageTitle(error: unknown): string {
  const status = isRouteErrorResponse(error) ? error.status : 500;
  const heading =
    status === 404
      ? "Page not found"
      : status === 503
        ? "Temporarily unavailable"
        : status < 500
          ? "We could not do that"
          : "Something went wrong";
  return `${heading} — Bookstore`;
}
