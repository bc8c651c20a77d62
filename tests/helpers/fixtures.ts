import type { Db } from "../../app/lib/db.server";
import { isbn13 } from "../../db/seeds/demo";
import { sortKey } from "../../app/lib/sort-key";

let counter = 0;

/** Inserts a book with sensible defaults; ISBNs from a range the demo seed never uses. */
export async function insertBook(
  db: Db,
  overrides: Partial<{
    title: string;
    author: string;
    description: string;
    genre: string;
    publishedYear: number;
    priceCents: number;
    stock: number;
    archivedAt: string | null;
    coverPath: string | null;
  }> = {},
): Promise<number> {
  counter += 1;
  // A valid ISBN-13 (check digit and all) in a range the demo seed never uses.
  const isbn = isbn13("9780", (process.pid % 1000) * 100_000 + counter);
  const title = overrides.title ?? "Untitled Fixture";
  const [id] = await db("books").insert({
    isbn,
    title,
    // As the app writes it (app/models/Book.ts); fixtures insert without the model.
    titleSort: sortKey(title),
    author: "Anonymous Fixture",
    description: "A book made for a test.",
    genre: "Fiction",
    publishedYear: 1900,
    priceCents: 999,
    stock: 10,
    ...overrides,
  });
  return Number(id);
}

let userCounter = 0;

export interface TestUser {
  id: number;
  email: string;
  name: string;
  password: string;
}

/**
 * A new user with a unique email, made through the accounts service (real
 * scrypt hashing), so tests never share accounts.
 */
export async function createUser(
  db: Db,
  overrides: Partial<{
    email: string;
    name: string;
    password: string;
    role: "customer" | "admin";
  }> = {},
): Promise<TestUser> {
  const { register } = await import("../../app/services/accounts.server");
  userCounter += 1;
  const email =
    overrides.email ?? `shopper-${process.pid}-${userCounter}-${Date.now() % 100000}@example.com`;
  const name = overrides.name ?? `Test Shopper ${userCounter}`;
  const password = overrides.password ?? `a-long-test-passphrase-${userCounter}`;
  const { id } = await register(db, { email, name, password });
  if (overrides.role) await db("users").where({ id }).update({ role: overrides.role });
  return { id, email: email.toLowerCase(), name, password };
}

/** The address, delivery and card fields of a checkout form that succeeds. */
export interface CheckoutFields {
  fullName: string;
  line1: string;
  line2: string;
  city: string;
  region: string;
  postalCode: string;
  country: string;
  cardNumber: string;
  expiry: string;
  cvc: string;
  [field: string]: string;
}

export function checkoutFields(overrides: Record<string, string> = {}): CheckoutFields {
  return {
    fullName: "Ada Lovelace",
    line1: "12 St James's Square",
    line2: "",
    city: "London",
    region: "Greater London",
    postalCode: "SW1Y 4JH",
    country: "United Kingdom",
    cardNumber: "4242 4242 4242 4242",
    expiry: "12/39",
    cvc: "123",
    ...overrides,
  };
}
