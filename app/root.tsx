import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import {
  Links,
  Meta,
  Outlet,
  Scripts,
  ScrollRestoration,
  useNavigation,
  useRouteLoaderData,
} from "@remix-run/react";
import type { ReactNode } from "react";
import { SiteFooter, SiteHeader } from "~/components/layout";
import { errorPageTitle, GeneralErrorBoundary } from "~/components/error-boundary";
import { useClientNavigation } from "~/components/client-navigation";
import { getSession, getUser } from "~/lib/auth.server";
import { useNonce } from "~/lib/nonce";
import { cartCount } from "~/services/cart.server";
import { footerProviderNames } from "~/services/delivery-providers.server";
import styles from "~/styles/app.css";

export const links: LinksFunction = () => [
  { rel: "stylesheet", href: styles },
  { rel: "icon", href: "/favicon.svg", type: "image/svg+xml" },
];

/**
 * Every route names its own page; the root's title is for what no route
 * answers, such as an unknown address's 404, which would otherwise have none.
 */
export const meta: MetaFunction = ({ error }) => [
  { title: error ? errorPageTitle(error) : "Bookstore" },
];

/**
 * Who is here and how full their cart is, for the header. A visitor without a
 * session cookie costs no session, user or cart query; a guest with a cart one,
 * a signed-in user two (see app/lib/auth.server.ts). The footer's delivery
 * providers are cached per instance, so they cost a query once in a while, not
 * one per page (app/services/delivery-providers.server.ts).
 */
export async function loader(args: LoaderFunctionArgs) {
  const deliveryProviders = await footerProviderNames(args.context.db);
  // Most catalog traffic carries no cookie at all: nothing to look up.
  if (!args.request.headers.has("Cookie")) {
    return {
      user: null,
      cartCount: 0,
      deliveryProviders,
      resourceRoutes: args.context.resourceRoutes,
    };
  }
  const [user, session] = await Promise.all([getUser(args), getSession(args)]);
  const count = await cartCount(
    args.context.db,
    user ? { userId: user.id } : { guestCartId: session.get("cartId") },
  );
  return {
    user: user && { name: user.name, role: user.role },
    cartCount: count,
    deliveryProviders,
    resourceRoutes: args.context.resourceRoutes,
  };
}

export type RootLoaderData = Awaited<ReturnType<typeof loader>>;

export function Layout({ children }: { children: ReactNode }) {
  const nonce = useNonce();
  // Undefined while an error boundary renders without the root's data.
  const root = useRouteLoaderData<typeof loader>("root");
  useClientNavigation(root?.resourceRoutes);
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
        <SiteHeader user={root?.user ?? null} cartCount={root?.cartCount ?? 0} />
        <main id="main" tabIndex={-1}>
          {children}
        </main>
        <SiteFooter deliveryProviders={root?.deliveryProviders} />
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
  return <GeneralErrorBoundary />;
}
