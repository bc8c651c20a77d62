/**
 * A shopper for the bench: accounts made through the app's own service, then
 * everything else over HTTP as a browser without JavaScript does it (forms
 * URL-encoded, `Sec-Fetch-Mode: navigate`, no Origin header, redirects not
 * followed), with the `__session` cookie carried by hand.
 *
 * It speaks node:http rather than fetch: fetch adds headers of its own
 * (`Sec-Fetch-Mode: cors`), which would change what the app answers.
 */
import crypto from "node:crypto";
import http from "node:http";
import type { Db } from "../app/lib/db.server";
import { register } from "../app/services/accounts.server";

export interface Shopper {
  id: number;
  email: string;
  password: string;
}

export interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
  /** From sending the request to the last byte of the answer. */
  ms: number;
}

export interface SendOptions {
  /** `__session=…`, sent as the Cookie header. */
  cookie?: string;
  /** Posted URL-encoded, as an HTML form would. */
  form?: Record<string, string | number>;
  /** A keep-alive agent, for a shopper who sends many requests. */
  agent?: http.Agent;
}

/** One request, its whole answer as text. Only ever to 127.0.0.1 (the caller's origin). */
export function send(
  origin: string,
  method: "GET" | "POST",
  path: string,
  { cookie, form, agent }: SendOptions = {},
): Promise<Answer> {
  const body = form
    ? new URLSearchParams(
        Object.entries(form).map(([name, value]) => [name, String(value)]),
      ).toString()
    : undefined;
  const headers: Record<string, string> = { accept: "text/html", "sec-fetch-mode": "navigate" };
  if (cookie) headers.cookie = cookie;
  if (body !== undefined) {
    headers["content-type"] = "application/x-www-form-urlencoded";
    headers["content-length"] = String(Buffer.byteLength(body));
  }
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const request = http.request(
      `${origin}${path}`,
      { method, headers, agent, timeout: 30_000 },
      (response) => {
        const chunks: Buffer[] = [];
        response.on("data", (chunk: Buffer) => chunks.push(chunk));
        response.on("end", () =>
          resolve({
            status: response.statusCode ?? 0,
            headers: response.headers,
            body: Buffer.concat(chunks).toString("utf8"),
            ms: performance.now() - started,
          }),
        );
        response.on("error", reject);
      },
    );
    request.on("timeout", () => request.destroy(new Error(`${method} ${path} timed out`)));
    request.on("error", reject);
    request.end(body);
  });
}

/**
 * `count` new customer accounts, through the accounts service (real scrypt
 * hashes, so signing in costs what it costs in production). The emails carry
 * a random tag: a rerun against the same database never collides.
 */
export async function createShoppers(db: Db, count: number, label: string): Promise<Shopper[]> {
  const tag = crypto.randomBytes(3).toString("hex");
  return Promise.all(
    Array.from({ length: count }, async (_, i) => {
      const email = `bench-${label}-${tag}-${i + 1}@example.com`;
      const password = `bench passphrase ${tag} ${i + 1}`;
      const { id } = await register(db, { email, name: `Bench ${label} ${i + 1}`, password });
      return { id, email, password };
    }),
  );
}

/** Signs in over HTTP (POST /login) and returns the `__session=…` cookie to send back. */
export async function signIn(origin: string, shopper: Shopper): Promise<string> {
  const answer = await send(origin, "POST", "/login", {
    form: { email: shopper.email, password: shopper.password },
  });
  const setCookie = answer.headers["set-cookie"] ?? [];
  const session = setCookie.map((line) => line.split(";")[0]).find((c) => /^__session=./.test(c));
  if (answer.status !== 302 || !session) {
    throw new Error(
      `signing ${shopper.email} in answered ${answer.status} without a session cookie` +
        (answer.status === 429 ? " (the sign-in rate limit per address)" : ""),
    );
  }
  return session;
}

/** POST /cart intent=add: 302 when added, 422 when the stock does not allow it (sold out). */
export function addToCart(
  origin: string,
  cookie: string,
  bookId: number,
  quantity = 1,
  agent?: http.Agent,
): Promise<Answer> {
  return send(origin, "POST", "/cart", {
    cookie,
    agent,
    form: { intent: "add", bookId, quantity },
  });
}

/** POST /cart intent=remove: leaves the cart without that book (302). */
export function removeFromCart(
  origin: string,
  cookie: string,
  bookId: number,
  agent?: http.Agent,
): Promise<Answer> {
  return send(origin, "POST", "/cart", { cookie, agent, form: { intent: "remove", bookId } });
}

/** The books listed on a rendered /cart page, in order. */
export function cartBookIds(html: string): number[] {
  return [...html.matchAll(/<a href="\/books\/(\d+)" class="cart-line__title"/g)].map((m) =>
    Number(m[1]),
  );
}

/** The idempotency key a rendered /checkout page carries in its hidden input, if any. */
export function idempotencyKeyOf(html: string): string | null {
  const input = /<input[^>]*name="idempotencyKey"[^>]*>/.exec(html)?.[0];
  return input ? (/value="([A-Za-z0-9-]{16,64})"/.exec(input)?.[1] ?? null) : null;
}

/** An expiry date the form accepts: December, five years from now. */
export function futureExpiry(now = new Date()): string {
  return `12/${String((now.getUTCFullYear() + 5) % 100).padStart(2, "0")}`;
}

/** The fields of a checkout form that places the order (the approved test card). */
export function checkoutForm(
  idempotencyKey: string,
  deliveryProviderId: number,
): Record<string, string | number> {
  return {
    idempotencyKey,
    fullName: "Bench Buyer",
    line1: "12 St James's Square",
    line2: "",
    city: "London",
    region: "Greater London",
    postalCode: "SW1Y 4JH",
    country: "United Kingdom",
    deliveryProviderId,
    cardNumber: "4242424242424242",
    expiry: futureExpiry(),
    cvc: "123",
  };
}
