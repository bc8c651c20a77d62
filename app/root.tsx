import type { LinksFunction } from "@remix-run/node";
import {
  isRouteErrorResponse,
  Links,
  Meta,
  Outlet,
  Scripts,
  ScrollRestoration,
  useNavigation,
  useRouteError,
} from "@remix-run/react";
import type { ReactNode } from "react";
import { SiteFooter, SiteHeader } from "~/components/layout";
import { StatusPage } from "~/components/status-page";
import { useNonce } from "~/lib/nonce";
import styles from "~/styles/app.css";

export const links: LinksFunction = () => [
  { rel: "stylesheet", href: styles },
  { rel: "icon", href: "/favicon.svg", type: "image/svg+xml" },
];

export function Layout({ children }: { children: ReactNode }) {
  const nonce = useNonce();
  return (
    <html lang="en">
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <Meta />
        <Links />
      </head>
      <body>
        <a className="skip-link" href="#main">
          Skip to content
        </a>
        <SiteHeader />
        <main id="main" tabIndex={-1}>
          {children}
        </main>
        <SiteFooter />
        <ScrollRestoration nonce={nonce} />
        <Scripts nonce={nonce} />
      </body>
    </html>
  );
}

export default function App() {
  const navigation = useNavigation();
  return (
    <div className={navigation.state === "loading" ? "page page--loading" : "page"}>
      <Outlet />
    </div>
  );
}

export function ErrorBoundary() {
  const error = useRouteError();
  if (isRouteErrorResponse(error)) {
    if (error.status === 404) {
      return (
        <StatusPage status={404} title="Page not found">
          We could not find that page. It may have moved, or the address may be mistyped.
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
