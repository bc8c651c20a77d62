/**
 * Staff managing accounts over HTTP, on SQLite and MySQL: finding users,
 * disabling (their sessions end, their next request is a guest's) and enabling
 * them, promoting and demoting; an admin cannot demote or disable themselves,
 * and two admins removing each other at once leave one admin standing.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, enginesUnderTest, type TestDatabase } from "../helpers/databases";
import { createUser, type TestUser } from "../helpers/fixtures";
import { locationOf, TestClient, textOf } from "../helpers/http-client";
import { startTestServer, type TestServer } from "../helpers/server";

const engines = await enginesUnderTest();

describe.each(engines)("users in the admin area on %s", (engine) => {
  let t: TestDatabase;
  let server: TestServer;
  let admin: TestUser;
  let staff: TestClient;

  beforeAll(async () => {
    t = await createTestDatabase(engine);
    server = await startTestServer(t.db);
    admin = await createUser(t.db, { role: "admin" });
    staff = await signIn(server, admin);
  });

  afterAll(async () => {
    await server?.close();
    await t?.destroy();
  });

  const act = (intent: string, user: { id: number }, search = "") =>
    staff.post(`/admin/users${search}`, { intent, userId: user.id });
  const auditOf = (userId: number) =>
    t
      .db("auditEvents")
      .where({ entityType: "user", entityId: userId })
      .orderBy("id")
      .select("action", "actorEmail", "before", "after");
  const listText = async (search: string) => {
    const res = await staff.get(`/admin/users${search}`);
    expect(res.status).toBe(200);
    return textOf(await res.text());
  };

  it("finds users by email or name, a page at a time, showing role and status", async () => {
    const tag = `pager${engine}${Date.now()}`;
    // Rows written directly: 51 real password hashes would only slow the test down.
    await t.db("users").insert(
      Array.from({ length: 51 }, (_, i) => ({
        email: `${tag}-${String(i).padStart(2, "0")}@users.test`,
        name: `Reader ${i}`,
        passwordHash: "not-a-real-hash",
        role: i === 0 ? "admin" : "customer",
        disabledAt: i === 1 ? "2026-01-02 03:04:05" : null,
      })),
    );
    const first = await listText(`?q=${tag}`);
    expect(first).toContain("51 users · page 1 of 2");
    expect(first).toContain(`Reader 0 ${tag}-00@users.test Admin Active`);
    expect(first).toContain(
      `Reader 1 ${tag}-01@users.test Customer Disabled since Jan 2, 2026, 3:04 AM UTC`,
    );
    expect(first).not.toContain(`${tag}-50@`);
    const second = await listText(`?q=${tag}&page=2`);
    expect(second).toContain("page 2 of 2");
    expect(second).toContain(`Reader 50 ${tag}-50@users.test`);

    const byName = await listText(`?q=${encodeURIComponent(admin.name.toUpperCase())}`);
    expect(byName).toContain("1 user ·");
    expect(byName).toContain(`${admin.name} (you) ${admin.email} Admin Active`);
    expect(await listText("?q=nobody-has-this-anywhere")).toContain("No users match this search.");
    expect((await staff.get("/admin/users?page=-3&q=%25")).status).toBe(200);
  });

  it("disables a user: their sessions end at once and their next request is a guest's", async () => {
    const user = await createUser(t.db);
    const browser = await signIn(server, user);
    const otherDevice = await signIn(server, user);
    expect((await browser.get("/account")).status).toBe(200);

    const search = `?q=${encodeURIComponent(user.email)}`;
    const disabled = await act("disable", user, search);
    expect(disabled.status).toBe(302);
    expect(locationOf(disabled)).toBe(`/admin/users${search}&notice=disable`);
    expect((await t.db("users").where({ id: user.id }).first()).disabledAt).toMatch(
      /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/,
    );
    expect(await t.db("sessions").where({ userId: user.id }).pluck("id")).toEqual([]);
    for (const device of [browser, otherDevice]) {
      const next = await device.get("/account");
      expect(next.status).toBe(302);
      expect(locationOf(next)).toBe("/login?redirectTo=%2Faccount");
      const home = textOf(await (await device.get("/")).text());
      expect(home).toContain("Sign in");
      expect(home).not.toContain("Sign out");
    }
    const refused = await new TestClient(server.url).post("/login", {
      email: user.email,
      password: user.password,
    });
    expect(refused.status).toBe(400);
    const page = await listText(`${search}&notice=disable`);
    expect(page).toContain("The account is disabled: its sessions have ended");
    expect(page).toMatch(/Customer Disabled since .* Enable/);

    const enabled = await act("enable", user, search);
    expect(locationOf(enabled)).toBe(`/admin/users${search}&notice=enable`);
    expect((await t.db("users").where({ id: user.id }).first()).disabledAt).toBeNull();
    expect((await signIn(server, user)).cookies.get("__session")).toBeTruthy();
    expect((await auditOf(user.id)).map((row) => row.action)).toEqual([
      "user.disable",
      "user.enable",
    ]);
    const [disableRow] = await auditOf(user.id);
    expect(disableRow.actorEmail).toBe(admin.email);
    expect(JSON.parse(disableRow.before)).toEqual({ disabledAt: null });
  });

  it("promotes a customer (who then reaches the admin area) and demotes them again", async () => {
    const user = await createUser(t.db);
    const browser = await signIn(server, user);
    expect((await browser.get("/admin/orders")).status).toBe(403);

    expect(locationOf(await act("promote", user))).toBe("/admin/users?notice=promote");
    expect((await t.db("users").where({ id: user.id }).first()).role).toBe("admin");
    // The same session, on its next request: no sign-in needed.
    expect((await browser.get("/admin/orders")).status).toBe(200);
    expect(await listText(`?q=${encodeURIComponent(user.email)}`)).toMatch(
      new RegExp(`${user.email} Admin Active .* Disable ${user.email} Make customer`),
    );

    expect(locationOf(await act("demote", user))).toBe("/admin/users?notice=demote");
    expect((await browser.get("/admin/orders")).status).toBe(403);
    const rows = await auditOf(user.id);
    expect(rows.map((row) => row.action)).toEqual(["user.promote", "user.demote"]);
    expect(JSON.parse(rows[1].before)).toEqual({ role: "admin" });
    expect(JSON.parse(rows[1].after)).toEqual({ role: "customer" });
  });

  it("refuses an admin demoting or disabling themselves, saying so next to their row", async () => {
    const search = `?q=${encodeURIComponent(admin.email)}`;
    for (const [intent, message] of [
      ["demote", "You cannot demote yourself. Ask another admin."],
      ["disable", "You cannot disable yourself. Ask another admin."],
    ]) {
      const res = await act(intent, admin, search);
      expect(res.status).toBe(409);
      const html = await res.text();
      expect(html).toMatch(
        new RegExp(`<p id="user-${admin.id}-error" class="form-errors" role="alert">${message}`),
      );
      expect(textOf(html)).toContain(`${admin.email} Admin Active`);
    }
    expect(await t.db("users").where({ id: admin.id }).first()).toMatchObject({
      role: "admin",
      disabledAt: null,
    });
    expect(await auditOf(admin.id)).toEqual([]);
    expect((await staff.get("/admin/users")).status).toBe(200);
  });

  it("answers an unknown user with 404 and a made-up action with 400", async () => {
    expect((await act("disable", { id: 99999999 })).status).toBe(404);
    expect((await staff.post("/admin/users", { intent: "disable", userId: "x" })).status).toBe(404);
    expect((await staff.post("/admin/users", { intent: "delete", userId: admin.id })).status).toBe(
      400,
    );
  });

  it("keeps the last admin when two admins remove each other at the same moment", async () => {
    // A shop of its own, with exactly two admins.
    const lone = await createTestDatabase(engine);
    const shop = await startTestServer(lone.db);
    try {
      const [ann, bob] = [
        await createUser(lone.db, { role: "admin" }),
        await createUser(lone.db, { role: "admin" }),
      ];
      for (const [first, second] of [
        ["demote", "demote"],
        ["disable", "demote"],
      ]) {
        const [annBrowser, bobBrowser] = [await signIn(shop, ann), await signIn(shop, bob)];
        const answers = await Promise.all([
          annBrowser.post("/admin/users", { intent: first, userId: bob.id }),
          bobBrowser.post("/admin/users", { intent: second, userId: ann.id }),
        ]);
        const done = (res: Response) =>
          res.status === 302 && locationOf(res).startsWith("/admin/users?notice=");
        expect(answers.filter(done)).toHaveLength(1);
        const loser = answers.find((res) => !done(res))!;
        // Refused by the last-admin rule; or, when the winner's change came first, no longer
        // an admin (403) or no longer signed in at all (disabled: sent to sign in).
        if (loser.status === 302) expect(locationOf(loser)).toMatch(/^\/login\?/);
        else expect([409, 403]).toContain(loser.status);
        if (loser.status === 409) {
          expect(textOf(await loser.text())).toContain(
            "This is the last admin: promote someone else before you",
          );
        }
        const admins = await lone
          .db("users")
          .where({ role: "admin" })
          .whereNull("disabledAt")
          .pluck("id");
        expect(admins).toHaveLength(1);
        // Put both back for the next round.
        await lone
          .db("users")
          .whereIn("id", [ann.id, bob.id])
          .update({ role: "admin", disabledAt: null });
      }
    } finally {
      await shop.close();
      await lone.destroy();
    }
  });
});

async function signIn(server: TestServer, user: TestUser): Promise<TestClient> {
  const browser = new TestClient(server.url);
  const res = await browser.post("/login", { email: user.email, password: user.password });
  expect(res.status).toBe(302);
  return browser;
}
