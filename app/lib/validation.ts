/**
 * Field rules shared by the forms in the browser (conform validates as people
 * type) and the server (which decides). Every text field has a maximum length:
 * an oversized value is a field error, never a database error.
 */
import { z } from "zod";
import {
  cardBrand,
  cvcLength,
  isExpired,
  normalizeCardNumber,
  parseExpiry,
  passesLuhn,
} from "./card";
import { isCommonPassword } from "./common-passwords";
import { ISBN_MESSAGE, normalizeIsbn } from "./isbn";

export const MIN_PASSWORD_LENGTH = 10;
export const MAX_PASSWORD_LENGTH = 200;

export const emailField = z
  .string({ required_error: "Enter your email address." })
  .trim()
  .max(254, "That email address is too long.")
  .email("Enter a valid email address, like name@example.com.")
  .transform((email) => email.toLowerCase());

export const nameField = z
  .string({ required_error: "Enter your name." })
  .trim()
  .min(1, "Enter your name.")
  .max(100, "Use at most 100 characters.");

/** A password someone is choosing now. */
export const newPasswordField = z
  .string({ required_error: "Choose a password." })
  .min(MIN_PASSWORD_LENGTH, `Use at least ${MIN_PASSWORD_LENGTH} characters.`)
  .max(MAX_PASSWORD_LENGTH, `Use at most ${MAX_PASSWORD_LENGTH} characters.`)
  .refine(
    (password) => !isCommonPassword(password),
    "That password is too common. Choose one that is harder to guess.",
  );

/** A password someone is typing to prove who they are: no rules to give away. */
export const currentPasswordField = z
  .string({ required_error: "Enter your password." })
  .max(MAX_PASSWORD_LENGTH, "Enter your password.");

export const quantityField = z
  .string({ required_error: "Enter a quantity." })
  .trim()
  .regex(/^\d+$/, "Enter a whole number from 1 to 99.")
  .transform(Number)
  .refine((n) => n >= 1 && n <= 99, "Enter a whole number from 1 to 99.");

export const idField = z
  .string()
  .regex(/^\d{1,10}$/, "Unknown item.")
  .transform(Number)
  .refine((n) => n >= 1 && n <= 2_147_483_647, "Unknown item.");

const text = (label: string, max: number) =>
  z
    .string({ required_error: `Enter ${label}.` })
    .trim()
    .min(1, `Enter ${label}.`)
    .max(max, `Use at most ${max} characters.`);

export const addressFields = {
  fullName: text("the recipient's full name", 100),
  line1: text("the street address", 200),
  line2: z.string().trim().max(200, "Use at most 200 characters.").optional(),
  city: text("the city", 100),
  region: text("the region, state or province", 100),
  postalCode: z
    .string({ required_error: "Enter the postal code." })
    .trim()
    .regex(/^[A-Za-z0-9][A-Za-z0-9 -]{1,18}[A-Za-z0-9]$/, "Enter a valid postal code."),
  country: text("the country", 60),
};

export const cardFields = {
  cardNumber: z
    .string({ required_error: "Enter the card number." })
    .max(40, "Enter a valid card number.")
    .transform((value, ctx) => {
      const digits = normalizeCardNumber(value);
      if (!digits || !passesLuhn(digits)) {
        ctx.addIssue({ code: z.ZodIssueCode.custom, message: "Enter a valid card number." });
        return z.NEVER;
      }
      return digits;
    }),
  expiry: z
    .string({ required_error: "Enter the expiry date as MM/YY." })
    .max(10, "Enter the expiry date as MM/YY.")
    .transform((value, ctx) => {
      const expiry = parseExpiry(value);
      if (!expiry) {
        ctx.addIssue({ code: z.ZodIssueCode.custom, message: "Enter the expiry date as MM/YY." });
        return z.NEVER;
      }
      if (isExpired(expiry)) {
        ctx.addIssue({ code: z.ZodIssueCode.custom, message: "This card has expired." });
        return z.NEVER;
      }
      return expiry;
    }),
  cvc: z
    .string({ required_error: "Enter the security code (CVC)." })
    .trim()
    .regex(/^\d{3,4}$/, "Enter the 3 or 4 digit security code (CVC)."),
};

/** The CVC's length depends on the card's brand: checked once both are known. */
export function checkCvcMatchesBrand(
  value: { cardNumber: string; cvc: string },
  ctx: z.RefinementCtx,
): void {
  if (value.cvc.length !== cvcLength(cardBrand(value.cardNumber))) {
    ctx.addIssue({
      code: z.ZodIssueCode.custom,
      path: ["cvc"],
      message: `Enter the ${cvcLength(cardBrand(value.cardNumber))} digit security code (CVC).`,
    });
  }
}

export const isbnField = z
  .string({ required_error: ISBN_MESSAGE })
  .max(20, ISBN_MESSAGE)
  .transform((value, ctx) => {
    const isbn = normalizeIsbn(value);
    if (!isbn) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, message: ISBN_MESSAGE });
      return z.NEVER;
    }
    return isbn;
  });

/** Money typed as dollars and cents ("12", "12.5", "12.50", "$1,234.00") into integer cents. */
export const priceField = z
  .string({ required_error: "Enter a price." })
  .trim()
  .max(20, "Enter a price such as 12.99.")
  .transform((value, ctx) => {
    const match = /^\$?(\d{1,3}(?:,\d{3})*|\d+)(?:\.(\d{1,2}))?$/.exec(value);
    if (!match) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, message: "Enter a price such as 12.99." });
      return z.NEVER;
    }
    const cents =
      Number(match[1].replace(/,/g, "")) * 100 + Number((match[2] ?? "0").padEnd(2, "0"));
    if (cents > 100_000_00) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, message: "Prices go up to $100,000." });
      return z.NEVER;
    }
    return cents;
  });

/** A whole number in a range, typed into a text or number field. */
export const wholeNumberField = (label: string, min: number, max: number) =>
  z
    .string({ required_error: `Enter ${label}.` })
    .trim()
    .regex(/^-?\d{1,10}$/, `Enter ${label} as a whole number from ${min} to ${max}.`)
    .transform(Number)
    .refine((n) => n >= min && n <= max, `Enter ${label} as a whole number from ${min} to ${max}.`);
