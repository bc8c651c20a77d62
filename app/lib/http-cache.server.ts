/**
 * HTTP caching of what the app answers itself: pages, data requests and
 * generated covers (docs/decisions/040-http-caching.md has the rules and why).
 *
 * - A page is `private, no-cache` and varies on Cookie: a browser may keep it
 *   but asks us each time; no shared cache may keep it, signed in or not.
 *   A page that renders without error gets an ETag: a hash of its bytes with
 *   the CSP nonce taken out, so the same page rendered twice has the same tag
 *   although each render has its own nonce. A matching If-None-Match is
 *   answered 304 without a body.
 * - A 304 carries no Content-Security-Policy (`httpCacheGuards`): the browser
 *   keeps the headers it stored with the page and merges in those of the 304,
 *   so a new CSP (with a new nonce) would replace the one whose nonce the
 *   stored page's scripts carry, and the page would run none of them.
 * - Answers to POSTs, error pages and data requests are `no-store`.
 *
 * The ETag is computed after rendering, so a 304 saves the bytes on the wire
 * and the browser's parsing, not our CPU (bench/README.md has the figures).
 */
import crypto from "node:crypto";
import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from "node:http";

/** Every page: browsers keep it but revalidate on every use; shared caches never keep it. */
export const PAGE_CACHE_CONTROL = "private, no-cache";
/** POST answers, error pages, data requests. */
export const NO_STORE = "no-store";

const SAFE_METHODS = new Set(["GET", "HEAD"]);

/**
 * A weak validator for `body`: equal tags mean equal bytes, apart from the
 * value of each `nonce="…"` attribute when `nonce` is given. Weak, because the
 * bytes do differ by the nonce (and by gzip, which changes the bytes but not
 * the page). 128 bits of SHA-256, base64url.
 */
export function weakEtag(body: Uint8Array, nonce?: string): string {
  const hash = crypto.createHash("sha256");
  const bytes = Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  if (nonce) {
    // React writes the nonce only as this attribute and escapes quotes in text and
    // attribute values, so ` nonce=""` can never have been in the page otherwise:
    // blanking the value keeps different pages apart.
    const attribute = Buffer.from(`nonce="${nonce}"`);
    let from = 0;
    for (let at = bytes.indexOf(attribute, from); at !== -1; at = bytes.indexOf(attribute, from)) {
      hash.update(bytes.subarray(from, at)).update('nonce=""');
      from = at + attribute.length;
    }
    hash.update(bytes.subarray(from));
  } else {
    hash.update(bytes);
  }
  return `W/"${hash.digest("base64url").slice(0, 22)}"`;
}

/** If-None-Match against our tag, by weak comparison (RFC 9110 §13.1.2); `*` matches anything. */
export function ifNoneMatchMatches(header: string | null, etag: string): boolean {
  if (!header) return false;
  const opaque = (tag: string) => tag.trim().replace(/^W\//, "");
  const ours = opaque(etag);
  return header.split(",").some((tag) => tag.trim() === "*" || opaque(tag) === ours);
}

/** Adds `name` to the Vary header, once. */
export function addVary(headers: Headers, name: string): void {
  const current = headers.get("Vary");
  if (!current) return headers.set("Vary", name);
  const names = current.split(",").map((part) => part.trim().toLowerCase());
  if (!names.includes("*") && !names.includes(name.toLowerCase()))
    headers.set("Vary", `${current}, ${name}`);
}

/** What a 304 must repeat of the 200 it stands for (RFC 9110 §15.4.5); nothing about the body. */
const NOT_MODIFIED_HEADERS = ["Cache-Control", "ETag", "Vary", "Expires", "Content-Location"];

function notModified(headers: Headers): Response {
  const kept = new Headers();
  for (const name of NOT_MODIFIED_HEADERS) {
    const value = headers.get(name);
    if (value !== null) kept.set(name, value);
  }
  return new Response(null, { status: 304, headers: kept });
}

/**
 * The answer for a rendered page (app/entry.server.tsx): its caching headers,
 * and a 304 instead of the page when the browser already has these bytes.
 *
 * Only a GET (or HEAD) answered 200 without a Set-Cookie gets a validator:
 * an error page or a form's answer must not be replayed, and a cookie must
 * reach the browser with the body it belongs to. A route that asked for
 * `no-store` keeps it; nothing may ask for less than the rules give.
 */
export function pageResponse({
  request,
  status,
  headers,
  body,
  nonce,
}: {
  request: Request;
  status: number;
  headers: Headers;
  body: Buffer<ArrayBuffer>;
  nonce: string;
}): Response {
  const routeAskedNoStore = /\bno-store\b/i.test(headers.get("Cache-Control") ?? "");
  if (!SAFE_METHODS.has(request.method) || status >= 400 || routeAskedNoStore) {
    headers.set("Cache-Control", NO_STORE);
    headers.delete("ETag");
    return new Response(body, { status, headers });
  }
  headers.set("Cache-Control", PAGE_CACHE_CONTROL);
  // The page shows who is signed in and their cart: another cookie, another page.
  addVary(headers, "Cookie");
  if (status !== 200 || headers.has("Set-Cookie")) {
    headers.delete("ETag");
    return new Response(body, { status, headers });
  }
  const etag = weakEtag(body, nonce);
  headers.set("ETag", etag);
  if (ifNoneMatchMatches(request.headers.get("If-None-Match"), etag)) return notModified(headers);
  return new Response(body, { status, headers });
}

/**
 * Data requests (`/books.data`, client-side navigation and fetchers): never
 * stored. They carry no validator (their body is a stream we do not buffer),
 * so a stored copy could never be reused anyway; and they are the signed-in
 * shopper's data as much as the pages are.
 */
export function dataResponse(response: Response): Response {
  const headers = new Headers(response.headers);
  headers.set("Cache-Control", NO_STORE);
  return new Response(response.body, {
    status: response.status,
    statusText: response.statusText,
    headers,
  });
}

/**
 * A resource route's answer whose bytes say everything (a generated cover):
 * with a weak ETag of `body`, or a 304 when the browser has these bytes.
 * `headers` must hold the caching headers the answer is meant to have.
 */
export function validatedResponse(
  request: Request,
  body: string | Buffer<ArrayBuffer>,
  headersInit: HeadersInit,
): Response {
  const bytes = typeof body === "string" ? Buffer.from(body) : body;
  const headers = new Headers(headersInit);
  const etag = weakEtag(bytes);
  headers.set("ETag", etag);
  if (
    SAFE_METHODS.has(request.method) &&
    ifNoneMatchMatches(request.headers.get("If-None-Match"), etag)
  )
    return notModified(headers);
  return new Response(bytes, { status: 200, headers });
}

/**
 * Express middleware, mounted before anything answers (server/app.ts): rules
 * for every answer, whoever wrote it (Remix, static files, the error handler).
 * It acts when the head is written, once the status and headers are final:
 *
 * - a 304 loses its Content-Security-Policy, so the browser keeps the policy
 *   it stored with the page, whose nonce the stored page's scripts carry
 *   (helmet makes a new nonce for every answer, 304s included);
 * - an answer to anything but GET/HEAD, or an error, without a Cache-Control
 *   of its own gets `no-store` (a redirect after a POST, a 500 from the last
 *   error handler, a 404 from a resource route).
 */
export function httpCacheGuards() {
  return (req: IncomingMessage, res: ServerResponse, next: () => void) => {
    const writeHead = res.writeHead;
    res.writeHead = function (this: ServerResponse, ...args: unknown[]) {
      const status = typeof args[0] === "number" ? args[0] : this.statusCode;
      if (status === 304) {
        this.removeHeader("Content-Security-Policy");
      } else if (
        (!SAFE_METHODS.has(req.method ?? "GET") || status >= 400) &&
        !this.hasHeader("Cache-Control") &&
        !setsCacheControl(args)
      ) {
        this.setHeader("Cache-Control", NO_STORE);
      }
      return (writeHead as (...a: unknown[]) => ServerResponse).apply(this, args);
    } as ServerResponse["writeHead"];
    next();
  };
}

/** Whether writeHead's own headers argument (an object or a flat array) names Cache-Control. */
function setsCacheControl(args: unknown[]): boolean {
  const headers = args.find((arg) => typeof arg === "object" && arg !== null) as
    OutgoingHttpHeaders | string[] | undefined;
  if (!headers) return false;
  if (Array.isArray(headers))
    return headers.some((name, i) => i % 2 === 0 && name.toLowerCase() === "cache-control");
  return Object.keys(headers).some((name) => name.toLowerCase() === "cache-control");
}
