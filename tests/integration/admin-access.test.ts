/**
 * Every /admin route, found in the route manifest of the real build (so a new
 * admin route is covered without touching this file): its loader and its
 * action refuse a guest (sent to sign in) and a signed-in customer (403), and
 * answer an admin without a server error. Loaders and actions are checked
 * separately, because Remix calls an action without its parent's loader.
 */
import type { ServerBuild } from "@remix-run/node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../helpers/databases";
import { createUser } from "../helpers/fixtures";
import { locationOf, TestClient } from "../helpers/http-client";
import { loadServerBuild, startTestServer, type TestServer } from "../helpers/server";

interface AdminRoute {
  id: string;
  /** A concrete URL: every :param becomes 1 (the demo catalog's first book, for instance). */
  url: string;
  hasLoader: boolean;
  hasAction: boolean;
}

function adminRoutes(build: ServerBuild): AdminRoute[] {
  const pathOf = (id: string): string => {
    const route = build.routes[id];
    const parent = route.parentId ? pathOf(route.parentId) : "";
    return route.path ? `${parent.replace(/\/$/, "")}/${route.path}` : parent;
  };
  return Object.values(build.routes)
    .map((route) => ({ route, path: pathOf(route.id) }))
    .filter(({ path }) => path === "/admin" || path.startsWith("/admin/"))
    .map(({ route, path }) => ({
      id: route.id,
      url: path.replace(/:[^/]+/g, "1") + (route.index ? "?index" : ""),
      hasLoader: Boolean(route.module.loader),
      hasAction: Boolean(route.module.action),
    }));
}

const build = await loadServerBuild();
const routes = adminRoutes(build);

describe("the admin area", () => {
  let t: TestDatabase;
  let server: TestServer;
  const as: Record<"guest" | "customer" | "admin", TestClient> = {} as never;

  beforeAll(async () => {
    t = await createTestDatabase("sqlite", { seed: true });
    server = await startTestServer(t.db);
    as.guest = new TestClient(server.url);
    for (const role of ["customer", "admin"] as const) {
      const user = await createUser(t.db, { role });
      as[role] = new TestClient(server.url);
      const res = await as[role].post("/login", { email: user.email, password: user.password });
      expect(res.status).toBe(302);
    }
  });

  afterAll(async () => {
    await server?.close();
    await t?.destroy();
  });

  it("has routes to check: the manifest lists the admin pages", () => {
    const paths = routes.map((route) => route.url.split("?")[0]);
    expect(paths).toEqual(expect.arrayContaining(["/admin", "/admin/books", "/admin/audit"]));
    expect(routes.every((route) => route.hasLoader)).toBe(true);
  });

  describe.each(routes)("$id ($url)", (route) => {
    const pathname = route.url.split("?")[0];
    // A form as any page would post it: the role check must come before the body is read.
    const post = (client: TestClient) => client.post(route.url, { intent: "anything" });

    it("sends a guest to sign in, from the loader and the action", async () => {
      const get = await as.guest.get(pathname);
      expect(get.status).toBe(302);
      expect(locationOf(get)).toBe(`/login?redirectTo=${encodeURIComponent(pathname)}`);
      if (route.hasAction) {
        const res = await post(as.guest);
        expect(res.status).toBe(302);
        expect(locationOf(res)).toBe(`/login?redirectTo=${encodeURIComponent(pathname)}`);
      }
    });

    it("refuses a customer with 403, from the loader and the action", async () => {
      const get = await as.customer.get(pathname);
      expect(get.status).toBe(403);
      if (route.hasAction) expect((await post(as.customer)).status).toBe(403);
    });

    it("answers an admin without a server error", async () => {
      const res = await as.admin.get(pathname);
      expect(res.status).toBeLessThan(500);
      expect([200, 404]).toContain(res.status);
    });
  });
});
