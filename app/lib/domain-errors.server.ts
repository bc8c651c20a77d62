/**
 * Typed errors the shop's services throw when a rule says no. Each carries the
 * HTTP status it means and a message written for the person who caused it.
 *
 * Routes catch the ones they answer in place (a declined card shows on the
 * checkout form); every other one becomes its 4xx page in one place: the
 * server wraps every route's loader and action (server/domain-errors.ts), so a
 * new route cannot forget it and none of these ever turns into a 500.
 */
import { data } from "@remix-run/node";

// Symbol.for: the Remix build and the server bundle each hold a copy of these
// classes, so `instanceof` would not recognise the other copy's errors.
const DOMAIN_ERROR = Symbol.for("bookstore.domain-error");

export abstract class DomainError extends Error {
  abstract readonly status: number;
  readonly [DOMAIN_ERROR] = true;
  /** Extra response headers this answer needs. */
  headers(): Record<string, string> | undefined {
    return undefined;
  }
}

export class NotFoundError extends DomainError {
  readonly status = 404;
  constructor(message = "We could not find that.") {
    super(message);
    this.name = "NotFoundError";
  }
}

export class ForbiddenError extends DomainError {
  readonly status = 403;
  constructor(message = "You are not allowed to do that.") {
    super(message);
    this.name = "ForbiddenError";
  }
}

/** A rule of the shop refuses the request as it stands (e.g. cancelling a shipped order). */
export class ConflictError extends DomainError {
  readonly status = 409;
  constructor(message: string) {
    super(message);
    this.name = "ConflictError";
  }
}

export interface Shortage {
  bookId: number;
  title: string;
  requested: number;
  available: number;
}

export class OutOfStockError extends DomainError {
  readonly status = 409;
  constructor(readonly shortages: Shortage[]) {
    super(shortages.map(describeShortage).join(" "));
    this.name = "OutOfStockError";
  }
}

export function describeShortage({ title, requested, available }: Shortage): string {
  if (available <= 0) return `Not enough stock: “${title}” is sold out.`;
  return `Not enough stock: you asked for ${requested} of “${title}”, and only ${available} ${available === 1 ? "is" : "are"} left.`;
}

export class PaymentDeclinedError extends DomainError {
  readonly status = 402;
  constructor(message: string) {
    super(message);
    this.name = "PaymentDeclinedError";
  }
}

/** Too many attempts from one address or for one account; try again after a while. */
export class TooManyRequestsError extends DomainError {
  readonly status = 429;
  constructor(readonly retryAfterSeconds: number) {
    super(
      `Too many attempts. For your security, please wait ${describeWait(retryAfterSeconds)} and try again.`,
    );
    this.name = "TooManyRequestsError";
  }

  override headers() {
    return { "Retry-After": String(this.retryAfterSeconds) };
  }
}

function describeWait(seconds: number): string {
  if (seconds <= 90) return "a minute";
  return `${Math.ceil(seconds / 60)} minutes`;
}

export function isDomainError(error: unknown): error is DomainError {
  return typeof error === "object" && error !== null && DOMAIN_ERROR in error;
}

/** The response a domain error stands for: its status and its message, nothing else. */
export function domainErrorResponse(error: DomainError) {
  return data({ message: error.message }, { status: error.status, headers: error.headers() });
}
