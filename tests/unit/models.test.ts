import { ValidationError } from "objection";
import { describe, expect, it } from "vitest";
import { Book } from "../../app/models/Book";
import { DeliveryProvider } from "../../app/models/DeliveryProvider";
import { demoIsbn } from "../../db/seeds/demo";

const valid = {
  isbn: demoIsbn(1),
  title: "Moby-Dick",
  author: "Herman Melville",
  description: "A whaling voyage.",
  genre: "Adventure",
  publishedYear: 1851,
  priceCents: 1299,
  stock: 3,
};

describe("model invariants", () => {
  it("accepts a valid book and a valid delivery provider", () => {
    expect(Book.fromJson(valid).title).toBe("Moby-Dick");
    expect(
      DeliveryProvider.fromJson({ name: "DHL", coverageArea: "World", costCents: 2490 }).name,
    ).toBe("DHL");
  });

  it.each([
    ["negative stock", { stock: -1 }],
    ["fractional cents", { priceCents: 12.5 }],
    ["a malformed ISBN", { isbn: "12-34" }],
    ["an empty title", { title: "" }],
  ])("refuses a book with %s", (_label, change) => {
    expect(() => Book.fromJson({ ...valid, ...change })).toThrow(ValidationError);
  });

  it("refuses a delivery provider with a negative cost", () => {
    expect(() =>
      DeliveryProvider.fromJson({ name: "X", coverageArea: "Y", costCents: -5 }),
    ).toThrow(ValidationError);
  });

  it("gives every demo ISBN a valid ISBN-13 check digit", () => {
    for (const n of [1, 57, 234]) {
      const digits = [...demoIsbn(n)].map(Number);
      const sum = digits.reduce((acc, d, i) => acc + d * (i % 2 === 0 ? 1 : 3), 0);
      expect(sum % 10).toBe(0);
    }
  });
});
