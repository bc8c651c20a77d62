/**
 * What the server derives from the Remix build's route modules: the domain
 * errors of every loader and action become their 4xx, and the list of
 * resource routes that client-side navigation must leave to the browser.
 */
import type { ServerBuild } from "@remix-run/node";
import { beforeAll, describe, expect, it } from "vitest";
import { NotFoundError, TooManyRequestsError } from "../../app/lib/domain-errors.server";
import { resourceRoutePatterns, withDomainErrors } from "../../server/route-modules";
import { loadServerBuild } from "../helpers/server";

let build: ServerBuild;
beforeAll(async () => {
  build = await loadServerBuild();
});

describe("route modules", () => {
  it("lists every route without a page, and only those", () => {
    const patterns = resourceRoutePatterns(build);
    expect(patterns).toContain("/covers/:bookId");
    for (const page of ["/books", "/cart", "/checkout", "/login", "/logout", "/orders/:orderId"]) {
      expect(patterns).not.toContain(page);
    }
    // Every route module without a default export is listed, whatever its name.
    const withoutPage = Object.values(build.routes).filter((r) => !r.module.default && !r.index);
    expect(patterns).toHaveLength(withoutPage.length);
  });

  it("turns a domain error thrown by any loader or action into its status and message", async () => {
    const fake = {
      ...build,
      routes: {
        "routes/fake": {
          id: "routes/fake",
          parentId: "root",
          path: "fake",
          module: {
            loader: async () => {
              throw new NotFoundError("No such fake.");
            },
            action: async () => {
              throw new TooManyRequestsError(120);
            },
          },
        },
      },
    } as unknown as ServerBuild;
    const wrapped = withDomainErrors(fake).routes["routes/fake"].module;
    const args = {} as Parameters<NonNullable<typeof wrapped.loader>>[0];
    await expect(wrapped.loader!(args)).rejects.toMatchObject({
      data: { message: "No such fake." },
      init: { status: 404 },
    });
    await expect(wrapped.action!(args)).rejects.toMatchObject({
      init: { status: 429, headers: { "Retry-After": "120" } },
    });
  });

  it("leaves every other error alone (a real bug stays a 500, logged)", async () => {
    const boom = new Error("boom");
    const fake = {
      ...build,
      routes: { r: { id: "r", path: "r", module: { loader: async () => Promise.reject(boom) } } },
    } as unknown as ServerBuild;
    const wrapped = withDomainErrors(fake).routes.r.module;
    await expect(wrapped.loader!({} as never)).rejects.toBe(boom);
  });
});
