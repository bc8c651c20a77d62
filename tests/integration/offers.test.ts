/**
 * Customers offer books to the shop and staff decide, over HTTP on both
 * engines: the sell form's checks, "My offers", rejecting with a reason,
 * accepting into an existing book's stock or as a new book, and deciding once.
 */
import fs from "node:fs/promises";
import path from "node:path";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, enginesUnderTest, type TestDatabase } from "../helpers/databases";
import { createUser, insertBook } from "../helpers/fixtures";
import { locationOf, TestClient, textOf } from "../helpers/http-client";
import { startTestServer, type TestServer } from "../helpers/server";

const engines = await enginesUnderTest();

describe.each(engines)("offers on %s", (engine) => {
  let t: TestDatabase;
  let server: TestServer;
  let staff: TestClient;
  let seller: TestClient;
  let sellerId: number;

  beforeAll(async () => {
    t = await createTestDatabase(engine, { seed: true });
    server = await startTestServer(t.db);
    const admin = await createUser(t.db, { role: "admin" });
    const customer = await createUser(t.db);
    sellerId = customer.id;
    staff = new TestClient(server.url);
    seller = new TestClient(server.url);
    await staff.post("/login", { email: admin.email, password: admin.password });
    await seller.post("/login", { email: customer.email, password: customer.password });
  });

  afterAll(async () => {
    await server?.close();
    await t?.destroy();
  });

  /** Posts the sell form as the page does (multipart, for its optional photo). */
  const sell = (fields: Record<string, string>, photo?: { filename: string; bytes: Uint8Array }) =>
    seller.postMultipart("/sell", [
      ...Object.entries(fields).map(([name, value]) => ({ name, value })),
      photo
        ? { name: "photo", ...photo }
        : { name: "photo", filename: "", bytes: new Uint8Array() },
    ]);

  async function offer(
    fields: Record<string, string>,
    photo?: { filename: string; bytes: Uint8Array },
  ) {
    const res = await sell(
      {
        isbn: "0-14-044913-2",
        title: "Crime and Punishment",
        author: "Fyodor Dostoevsky",
        condition: "good",
        askingPriceCents: "6.50",
        ...fields,
      },
      photo,
    );
    expect(locationOf(res)).toBe("/offers?notice=sent");
    return (await t.db("offers").where({ userId: sellerId }).orderBy("id", "desc").first())
      .id as number;
  }

  it("sends guests to sign in and checks the form", async () => {
    const guest = await new TestClient(server.url).get("/sell");
    expect(locationOf(guest)).toBe("/login?redirectTo=%2Fsell");
    const bad = await sell({
      isbn: "12345",
      title: "",
      author: "Someone",
      condition: "mint",
      askingPriceCents: "-3",
    });
    expect(bad.status).toBe(400);
    const text = textOf(await bad.text());
    expect(text).toContain("Enter a valid ISBN-10 or ISBN-13");
    expect(text).toContain("Enter the title.");
    expect(text).toContain("Choose the book's condition.");
    expect(text).toContain("Enter a price such as 12.99.");
  });

  it("keeps an optional photo under the upload rules, and refuses a file that is no image", async () => {
    const jpeg = await sharp({
      create: { width: 300, height: 400, channels: 3, background: "#357" },
    })
      .jpeg()
      .toBuffer();
    const id = await offer({ title: "With A Photo" }, { filename: "copy.jpg", bytes: jpeg });
    const photoPath = (await t.db("offers").where({ id }).first()).photoPath as string;
    expect(photoPath).toMatch(/^offers\/[0-9a-f]{64}\.webp$/);
    const served = await seller.get(`/uploads/${photoPath}`);
    expect(served.status).toBe(200);
    expect(served.headers.get("content-type")).toBe("image/webp");

    const before = await fs.readdir(path.join(server.uploadsDir, "offers"));
    const fake = await sell(
      { isbn: "0140449132", title: "Fake", author: "X", condition: "good", askingPriceCents: "1" },
      { filename: "photo.png", bytes: Buffer.from("<?php system($_GET['c']); ?>") },
    );
    expect(fake.status).toBe(415);
    expect(textOf(await fake.text())).toMatch(/JPEG, PNG or WebP/);
    expect(await fs.readdir(path.join(server.uploadsDir, "offers"))).toEqual(before);
    expect(await t.db("offers").where({ title: "Fake" }).first()).toBeUndefined();
  });

  it("lists the seller's offers, and the decision with its reason", async () => {
    const id = await offer({ title: "A Tattered Copy" });
    let mine = textOf(await (await seller.get("/offers")).text());
    expect(mine).toMatch(/A Tattered Copy .*Good \$6\.50 .*Waiting for review/);

    const noReason = await staff.post("/admin/offers", {
      intent: "reject",
      offerId: id,
      reason: "",
    });
    expect(noReason.status).toBe(400);
    expect(textOf(await noReason.text())).toContain("Give the seller a reason.");
    expect(
      locationOf(
        await staff.post("/admin/offers", {
          intent: "reject",
          offerId: id,
          reason: "Too worn to sell",
        }),
      ),
    ).toBe("/admin/offers?notice=rejected");
    mine = textOf(await (await seller.get("/offers")).text());
    expect(mine).toContain("Declined — Too worn to sell");
    const again = await staff.post("/admin/offers", {
      intent: "accept",
      offerId: id,
      acceptedPriceCents: "5",
    });
    expect(again.status).toBe(409);
    expect(textOf(await again.text())).toContain("This offer was already rejected.");
  });

  it("accepts into an existing book's stock, with a movement and audit rows", async () => {
    const bookId = await insertBook(t.db, { stock: 2 });
    const isbn = (await t.db("books").where({ id: bookId }).first()).isbn;
    const id = await offer({ isbn });
    const res = await staff.post("/admin/offers", {
      intent: "accept",
      offerId: id,
      acceptedPriceCents: "5.25",
    });
    expect(locationOf(res)).toBe("/admin/offers?notice=accepted");
    expect((await t.db("books").where({ id: bookId }).first()).stock).toBe(3);
    expect(
      await t.db("stockMovements").where({ bookId }).select("delta", "reason", "note"),
    ).toEqual([{ delta: 1, reason: "received", note: `Bought from offer #${id}` }]);
    expect(await t.db("offers").where({ id }).first()).toMatchObject({
      status: "accepted",
      acceptedPriceCents: 525,
      bookId,
    });
    expect(
      await t.db("auditEvents").where({ entityType: "offer", entityId: id }).pluck("action"),
    ).toEqual(["offer.accept"]);
    expect(textOf(await (await seller.get("/offers")).text())).toContain("Accepted for $5.25");
  });

  it("creates the book when the ISBN is new, with the shelf details the admin gives", async () => {
    const id = await offer({ isbn: "978-0-14-044792-7", title: "The Brothers Karamazov" });
    const missing = await staff.post("/admin/offers", {
      intent: "accept",
      offerId: id,
      acceptedPriceCents: "4",
    });
    expect(missing.status).toBe(409);
    expect(textOf(await missing.text())).toContain("This ISBN is not in the catalog");
    const res = await staff.post("/admin/offers", {
      intent: "accept",
      offerId: id,
      acceptedPriceCents: "4",
      shelfPriceCents: "11.99",
      genre: "Fiction",
      publishedYear: "1880",
      description: "Brothers, faith and a murder.",
    });
    expect(locationOf(res)).toBe("/admin/offers?notice=accepted");
    const book = await t.db("books").where({ isbn: "9780140447927" }).first();
    expect(book).toMatchObject({ title: "The Brothers Karamazov", priceCents: 1199, stock: 1 });
    expect((await new TestClient(server.url).get(`/books/${book.id}`)).status).toBe(200);
  });
});
