/**
 * What a request must look like before any page or action sees it, in one place:
 *
 * - `checkRequestTarget`: the address is a path of this site, properly
 *   percent-encoded, on a Host that is a host name. Remix builds a URL from
 *   the protocol, the Host and the path, and a URL it cannot build was a 500;
 *   here it is a 400 that says what was wrong. An absolute-form target
 *   (`GET http://host/books/1 HTTP/1.1`, as proxies send) is served as its
 *   path with its authority as the Host, as RFC 9112 §3.2.2 says;
 *   `OPTIONS *` is refused (no page answers for the whole server).
 * - `answerMethods`: which methods each address takes, derived from the
 *   Remix build like resourceRoutePatterns (decision 017), so a new route is
 *   covered by being a route. OPTIONS is answered with `Allow` and no body;
 *   another method a route does not take is a 405 with `Allow`; a method
 *   the server implements nowhere (TRACE, PROPFIND…) is a 501.
 * - `rejectCrossSiteMutations`: cross-site request forgery protection for
 *   every mutation: a POST (PUT, PATCH, DELETE) must come from a page of this
 *   site. Browsers say where a request comes from in `Origin` (and
 *   `Sec-Fetch-Site`); a form posted from another site is refused with 403
 *   before any action runs. Clients that send neither header (curl, old
 *   browsers) are not browsers carrying a victim's cookies, and SameSite
 *   cookies cover what is left.
 *
 * Refusals are short plain text, never stored by a cache, and logged only by
 * the request log line: they are the client's mistake, not ours.
 */
import type { ServerBuild } from "@remix-run/node";
import { matchRoutes } from "@remix-run/react";
import type { NextFunction, Request, Response } from "express";

type RouteObject = Parameters<typeof matchRoutes>[0][number];

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/** A host name or an IP literal, and an optional port: what Host and X-Forwarded-Host may say. */
const HOST = /^(?:[a-z0-9_][a-z0-9_.-]*|\[[0-9a-f:.]+\])(?::(\d{1,5}))?$/i;

export function checkRequestTarget() {
  return (req: Request, res: Response, next: NextFunction) => {
    if (!req.url.startsWith("/")) {
      const absolute = /^https?:\/\/([^/?#]*)(.*)$/i.exec(req.url);
      if (!absolute) return refuse(res, 400, "Ask for an address of this site, such as /books.");
      const [, authority, rest] = absolute;
      req.url = req.originalUrl = rest.startsWith("/") ? rest : `/${rest}`;
      req.headers.host = authority;
    }
    const forwardedHosts = req.get("x-forwarded-host")?.split(",") ?? [];
    if (![req.get("host"), ...forwardedHosts].every(isHost)) {
      return refuse(res, 400, "The Host of this request is not a host name.");
    }
    // Only a trusted proxy's X-Forwarded-Proto counts, and it may say only these.
    if (req.protocol !== "http" && req.protocol !== "https") {
      return refuse(res, 400, "The protocol of this request is neither http nor https.");
    }
    try {
      decodeURIComponent(req.path);
    } catch {
      return refuse(res, 400, "This address is not properly encoded.");
    }
    // Remix's old data requests: with single fetch our pages never make one,
    // and Remix would still answer it, logging each as an error.
    if (req.url.includes("_data") && searchOf(req).has("_data")) {
      return refuse(res, 400, "This address does not take a _data parameter.");
    }
    next();
  };
}

function isHost(value: string | undefined): boolean {
  const match = value === undefined ? null : HOST.exec(value.trim());
  if (!match || (match[1] !== undefined && Number(match[1]) > 65_535)) return false;
  try {
    new URL(`http://${value!.trim()}`);
    return true;
  } catch {
    return false;
  }
}

/** Every method some address of this server takes; any other is a 501, wherever it is sent. */
const IMPLEMENTED = new Set(["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]);

/**
 * Answers OPTIONS, and methods an address does not take, from the routes of
 * `build` and the paths Express itself serves (`expressPaths`, GET and HEAD
 * only, such as "/healthz" or "/build/*"). Pages are plain HTML forms, which
 * can only GET and POST: a route takes GET and HEAD if it has a loader or a
 * page, and POST if the route Remix would send the form to has an action.
 * Requests no route matches go on, to be answered 404.
 */
export function answerMethods(build: ServerBuild, expressPaths: string[]) {
  const capabilities = new Map<string, { read: boolean; post: boolean }>();
  const tree = (parentId: string | undefined): RouteObject[] =>
    Object.values(build.routes)
      .filter((route) => route.parentId === parentId)
      .map((route) => {
        capabilities.set(route.id, {
          read: Boolean(route.module.loader || route.module.default),
          post: Boolean(route.module.action),
        });
        return route.index
          ? { id: route.id, path: route.path, index: true }
          : {
              id: route.id,
              path: route.path,
              caseSensitive: route.caseSensitive,
              children: tree(route.id),
            };
      });
  const routes: RouteObject[] = [
    ...tree(undefined),
    ...expressPaths.map((path) => {
      capabilities.set(`express:${path}`, { read: true, post: false });
      return { id: `express:${path}`, path };
    }),
  ];

  return (req: Request, res: Response, next: NextFunction) => {
    if (!IMPLEMENTED.has(req.method)) {
      return refuse(res, 501, `This server does not implement ${req.method} requests.`);
    }
    // Reading is what every address is for: the hot path costs no route matching.
    if (req.method === "GET" || req.method === "HEAD") return next();
    // Single fetch asks for /books.data (and /_root.data for /): the same route's data.
    const pathname = req.path.replace(/\.data$/, "").replace(/^\/_root$/, "/");
    const matches = matchRoutes(routes, pathname);
    if (!matches) {
      return req.method === "OPTIONS"
        ? refuse(res, 404, "There is nothing at this address.")
        : next();
    }
    const leaf = matches[matches.length - 1].route;
    // Where Remix sends a form: the index route only when asked with ?index,
    // otherwise the deepest route with a path of its own (its layout).
    const target =
      leaf.index && searchOf(req).getAll("index").includes("")
        ? leaf
        : matches.filter((match, index) => index === 0 || match.route.path).at(-1)!.route;
    const allow = [
      ...(capabilities.get(leaf.id!)!.read ? ["GET", "HEAD"] : []),
      ...(capabilities.get(target.id!)!.post ? ["POST"] : []),
      "OPTIONS",
    ];
    if (req.method === "POST" && allow.includes("POST")) return next();
    res.set("Allow", allow.join(", "));
    if (req.method === "OPTIONS") return res.status(204).set("Cache-Control", "no-store").end();
    refuse(
      res,
      405,
      allow.includes("POST")
        ? "This address only accepts forms sent with POST."
        : "This address can only be read (GET or HEAD); it takes no forms.",
    );
  };
}

export function rejectCrossSiteMutations() {
  return (req: Request, res: Response, next: NextFunction) => {
    if (SAFE_METHODS.has(req.method)) return next();
    if (isSameOrigin(req)) return next();
    res
      .status(403)
      .type("text/plain")
      .send("This form was sent from another site and was refused.");
  };
}

function isSameOrigin(req: Request): boolean {
  const origin = req.get("origin");
  if (origin && origin !== "null") {
    try {
      // The ALB passes the browser's Host header through unchanged.
      return new URL(origin).host === req.get("host");
    } catch {
      return false;
    }
  }
  if (origin === "null") return false;
  const site = req.get("sec-fetch-site");
  return site === undefined || site === "same-origin" || site === "none";
}

function searchOf(req: Request): URLSearchParams {
  const at = req.url.indexOf("?");
  return new URLSearchParams(at === -1 ? "" : req.url.slice(at + 1));
}

function refuse(res: Response, status: number, message: string): void {
  res.status(status).set("Cache-Control", "no-store").type("text/plain").send(message);
}
