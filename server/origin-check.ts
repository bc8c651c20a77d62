/**
 * Cross-site request forgery protection for every mutation, in one place:
 * a POST (PUT, PATCH, DELETE) must come from a page of this site. Browsers say
 * where a request comes from in `Origin` (and `Sec-Fetch-Site`); a form posted
 * from another site is refused with 403 before any action runs. Clients that
 * send neither header (curl, old browsers) are not browsers carrying a
 * victim's cookies, and SameSite cookies cover what is left.
 */
import type { NextFunction, Request, Response } from "express";

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

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
