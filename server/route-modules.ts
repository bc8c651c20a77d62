/**
 * What the server learns from the Remix build's route modules, once at start.
 *
 * - `withDomainErrors`: every route's loader and action is wrapped so that a
 *   typed domain error thrown anywhere below it (not found, forbidden, out of
 *   stock, too many attempts…) becomes its 4xx answer with its message
 *   (app/lib/domain-errors.server.ts). One place, for every route, present and
 *   future: no route can forget it, and none of these becomes a 500.
 *   Remix copies only the cookies of a thrown answer into a page's headers
 *   unless the route has a `headers` export, so routes without one get one
 *   that also keeps the few headers an error answer must carry (Retry-After
 *   on a 429, Connection: close on a 413 whose body was left unread).
 * - `resourceRoutePatterns`: the paths of routes without a page (no default
 *   export), which the browser must load as documents, never navigate to
 *   client-side. Derived from the build, so a new resource route cannot be missed.
 */
import type { ServerBuild } from "@remix-run/node";
import { domainErrorResponse, isDomainError } from "../app/lib/domain-errors.server";

type RouteModule = ServerBuild["routes"][string]["module"];
type Handler = NonNullable<RouteModule["loader"]>;

export function withDomainErrors(build: ServerBuild): ServerBuild {
  const routes = Object.fromEntries(
    Object.entries(build.routes).map(([id, route]) => [
      id,
      { ...route, module: wrapModule(route.module) },
    ]),
  );
  return { ...build, routes };
}

function wrapModule(module: RouteModule): RouteModule {
  const wrapped: RouteModule = { ...module };
  if (module.loader) wrapped.loader = wrapHandler(module.loader);
  if (module.action) wrapped.action = wrapHandler(module.action as Handler);
  // Without a `headers` export Remix keeps only Set-Cookie from a thrown answer.
  wrapped.headers ??= keepErrorHeaders;
  return wrapped;
}

/** Headers of a thrown answer that its page must keep (DomainError.headers, readForm's 413). */
const ERROR_HEADERS_KEPT = ["Retry-After", "Connection"];

/** Remix's default (the parent's headers; cookies are added by Remix) plus those headers. */
const keepErrorHeaders: NonNullable<RouteModule["headers"]> = ({ parentHeaders, errorHeaders }) => {
  // Every page asks every matched route: without an error there is nothing to add.
  if (!errorHeaders) return parentHeaders;
  const headers = new Headers(parentHeaders);
  for (const name of ERROR_HEADERS_KEPT) {
    const value = errorHeaders instanceof Headers ? errorHeaders.get(name) : null;
    if (value !== null) headers.set(name, value);
  }
  return headers;
};

function wrapHandler(handler: Handler): Handler {
  return async (args) => {
    try {
      return await handler(args);
    } catch (error) {
      if (isDomainError(error)) throw domainErrorResponse(error);
      throw error;
    }
  };
}

export function resourceRoutePatterns(build: ServerBuild): string[] {
  const pathOf = (id: string): string => {
    const route = build.routes[id];
    const parent = route.parentId ? pathOf(route.parentId) : "";
    return route.path ? `${parent.replace(/\/$/, "")}/${route.path}` : parent;
  };
  return Object.entries(build.routes)
    .filter(([, route]) => !route.module.default && !route.index)
    .map(([id]) => pathOf(id) || "/");
}
