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
    const message =
      typeof error.data === "object" && error.data && "message" in error.data
        ? String(error.data.message)
        : error.statusText;
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
