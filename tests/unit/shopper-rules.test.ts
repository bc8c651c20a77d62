/**
 * The shop's small rules, each on its own: card checks, the simulated
 * gateway, password hashing and choice, safe redirects, form reading.
 */
import { parseWithZod } from "@conform-to/zod";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import {
  cardBrand,
  isExpired,
  normalizeCardNumber,
  parseExpiry,
  passesLuhn,
} from "../../app/lib/card";
import { isCommonPassword } from "../../app/lib/common-passwords";
import { readForm } from "../../app/lib/forms.server";
import { hashPassword, verifyPassword } from "../../app/lib/password.server";
import { createSimulatedGateway, TEST_CARDS } from "../../app/lib/payments.server";
import { safeRedirectPath } from "../../app/lib/redirects";
import {
  cardFields,
  checkCvcMatchesBrand,
  newPasswordField,
  quantityField,
} from "../../app/lib/validation";

describe("card checks", () => {
  it.each(["4242 4242 4242 4242", "4000-0000-0000-0002", "378282246310005", "5555555555554444"])(
    "accepts the valid number %s",
    (input) => {
      const digits = normalizeCardNumber(input);
      expect(digits).not.toBeNull();
      expect(passesLuhn(digits!)).toBe(true);
    },
  );

  it.each(["4242 4242 4242 4241", "1234567890123", "4242x4242x4242x4242", "", "42"])(
    "refuses %j",
    (input) => {
      const digits = normalizeCardNumber(input);
      expect(digits !== null && passesLuhn(digits)).toBe(false);
    },
  );

  it("names brands from the leading digits", () => {
    expect(cardBrand("4242424242424242")).toBe("Visa");
    expect(cardBrand("5555555555554444")).toBe("Mastercard");
    expect(cardBrand("2223003122003222")).toBe("Mastercard");
    expect(cardBrand("378282246310005")).toBe("American Express");
    expect(cardBrand("6011111111111117")).toBe("Discover");
  });

  it("reads MM/YY expiries and knows a card is good through its month", () => {
    expect(parseExpiry("07/29")).toEqual({ month: 7, year: 2029 });
    expect(parseExpiry(" 7 / 2029 ")).toEqual({ month: 7, year: 2029 });
    expect(parseExpiry("13/29")).toBeNull();
    expect(parseExpiry("00/29")).toBeNull();
    expect(parseExpiry("july")).toBeNull();
    const now = new Date(Date.UTC(2026, 11, 3));
    expect(isExpired({ month: 12, year: 2026 }, now)).toBe(false);
    expect(isExpired({ month: 11, year: 2026 }, now)).toBe(true);
    expect(isExpired({ month: 1, year: 2027 }, now)).toBe(false);
  });

  it("asks for a CVC as long as the brand's", () => {
    const schema = z.object(cardFields).superRefine(checkCvcMatchesBrand);
    const amex = { cardNumber: "378282246310005", expiry: "12/39" };
    expect(schema.safeParse({ ...amex, cvc: "1234" }).success).toBe(true);
    expect(schema.safeParse({ ...amex, cvc: "123" }).success).toBe(false);
    const visa = { cardNumber: TEST_CARDS.approved, expiry: "12/39" };
    expect(schema.safeParse({ ...visa, cvc: "123" }).success).toBe(true);
    expect(schema.safeParse({ ...visa, cvc: "1234" }).success).toBe(false);
  });
});

describe("the simulated gateway", () => {
  const gateway = createSimulatedGateway();
  const card = (number: string) => ({ number, expiry: { month: 12, year: 2039 }, cvc: "123" });

  it("approves 4242…, keeping only brand and last four", async () => {
    const result = await gateway.authorize({
      amountCents: 1000,
      card: card(TEST_CARDS.approved),
      idempotencyKey: "key-0000000000000001",
    });
    expect(result).toMatchObject({ approved: true, brand: "Visa", last4: "4242" });
    expect(JSON.stringify(result)).not.toContain(TEST_CARDS.approved);
  });

  it("gives the same authorization for the same key: a retry holds the money once", async () => {
    const request = {
      amountCents: 1000,
      card: card(TEST_CARDS.approved),
      idempotencyKey: "key-0000000000000002",
    };
    const [a, b] = await Promise.all([gateway.authorize(request), gateway.authorize(request)]);
    expect(a).toEqual(b);
  });

  it.each([
    [TEST_CARDS.declined, "card_declined", "Your card was declined."],
    [
      TEST_CARDS.insufficientFunds,
      "insufficient_funds",
      "Your card was declined for insufficient funds.",
    ],
  ])("declines %s", async (number, code, message) => {
    expect(
      await gateway.authorize({
        amountCents: 1,
        card: card(number),
        idempotencyKey: "key-0000000000000003",
      }),
    ).toEqual({ approved: false, code, message });
  });
});

describe("passwords", () => {
  it("hashes with a per-user salt and verifies in constant time", async () => {
    const [a, b] = await Promise.all([
      hashPassword("correct horse battery"),
      hashPassword("correct horse battery"),
    ]);
    expect(a).not.toBe(b);
    expect(a).toMatch(/^scrypt\$32768\$8\$1\$/);
    expect(a).not.toContain("correct horse");
    expect(await verifyPassword("correct horse battery", a)).toBe(true);
    expect(await verifyPassword("correct horse batterY", a)).toBe(false);
    expect(await verifyPassword("anything", "not-a-hash")).toBe(false);
  });

  it.each([
    ["short", false],
    ["1234567890", false],
    ["password123", false],
    ["PASSWORD123", false],
    ["aaaaaaaaaaaa", false],
    ["tangerine bicycle ocean", true],
  ])("judges %j as a new password: allowed %s", (password, allowed) => {
    expect(newPasswordField.safeParse(password).success).toBe(allowed);
  });

  it("knows the obvious ones are common", () => {
    expect(isCommonPassword("qwertyuiop")).toBe(true);
    expect(isCommonPassword("0123456789")).toBe(true);
    expect(isCommonPassword("a quiet lighthouse")).toBe(false);
  });
});

describe("quantities", () => {
  it.each(["1", "7", "99", " 3 "])("accepts %j", (value) => {
    expect(quantityField.safeParse(value).success).toBe(true);
  });
  it.each(["0", "-1", "1.5", "100", "1e2", "", "abc", "99999999999999999999", "0x10"])(
    "refuses %j",
    (value) => {
      expect(quantityField.safeParse(value).success).toBe(false);
    },
  );
});

describe("where to go after signing in", () => {
  it.each([
    ["/orders", "/orders"],
    ["/books?q=moby#top", "/books?q=moby#top"],
    ["https://evil.example/", "/"],
    ["//evil.example", "/"],
    ["/\\evil.example", "/"],
    ["\\\\evil.example", "/"],
    ["javascript:alert(1)", "/"],
    ["/\t/evil.example", "/"],
    ["/%0d%0aSet-Cookie:x=1", "/%0d%0aSet-Cookie:x=1"],
    ["", "/"],
    [undefined, "/"],
  ])("%j → %j", (value, expected) => {
    expect(safeRedirectPath(value)).toBe(expected);
  });
});

describe("reading a form", () => {
  const post = (body: BodyInit | null, headers: Record<string, string> = {}, method = "POST") =>
    new Request("http://shop.test/join", {
      method,
      body,
      headers: { "Content-Type": "application/x-www-form-urlencoded", ...headers },
    });
  const statusOf = async (request: Request) => {
    try {
      await readForm(request);
      return 200;
    } catch (error) {
      return (error as { init?: { status?: number } }).init?.status;
    }
  };

  it("reads URL-encoded fields", async () => {
    const form = await readForm(post("name=Ada&email=ada%40example.com"));
    expect(Object.fromEntries(form)).toEqual({ name: "Ada", email: "ada@example.com" });
  });

  it.each([
    ["a repeated field", post("email=a%40b.c&email=d%40e.f"), 400],
    ["JSON", post('{"email":"a@b.c"}', { "Content-Type": "application/json" }), 415],
    ["a body over 16 KiB", post(`name=${"x".repeat(20_000)}`), 413],
    ["a GET", new Request("http://shop.test/join"), 405],
  ])("refuses %s with %i", async (_label, request, status) => {
    expect(await statusOf(request)).toBe(status);
  });

  it("stops reading a streamed body once it is too large", async () => {
    let pulled = 0;
    const endless = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulled += 1;
        controller.enqueue(new TextEncoder().encode("x".repeat(4096)));
      },
    });
    const request = new Request("http://shop.test/join", {
      method: "POST",
      body: endless,
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      duplex: "half",
    } as RequestInit);
    expect(await statusOf(request)).toBe(413);
    expect(pulled).toBeLessThan(10);
  });

  it("keeps what was typed and names the field that is wrong", () => {
    const submission = parseWithZod(new URLSearchParams({ quantity: "0" }), {
      schema: z.object({ quantity: quantityField }),
    });
    expect(submission.status).toBe("error");
    const reply = submission.reply();
    expect(reply.initialValue).toEqual({ quantity: "0" });
    expect(reply.error?.quantity).toEqual(["Enter a whole number from 1 to 99."]);
  });
});
