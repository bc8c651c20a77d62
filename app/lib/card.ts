/**
 * Card checks that need no bank: the number's Luhn check digit, its brand
 * from the leading digits, an MM/YY expiry not in the past and a CVC of the
 * brand's length. Shared by the checkout form in the browser and the server.
 */
export type CardBrand = "Visa" | "Mastercard" | "American Express" | "Discover" | "Card";

/** Digits only: spaces and dashes people type are dropped; anything else makes it invalid. */
export function normalizeCardNumber(input: string): string | null {
  const compact = input.replace(/[\s-]/g, "");
  return /^\d{12,19}$/.test(compact) ? compact : null;
}

export function passesLuhn(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let digit = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
  }
  return sum % 10 === 0;
}

export function cardBrand(digits: string): CardBrand {
  if (/^4/.test(digits)) return "Visa";
  if (/^(5[1-5]|2(2[2-9][1-9]|[3-6]\d\d|7[01]\d|720))/.test(digits)) return "Mastercard";
  if (/^3[47]/.test(digits)) return "American Express";
  if (/^(6011|65|64[4-9])/.test(digits)) return "Discover";
  return "Card";
}

export function cvcLength(brand: CardBrand): number {
  return brand === "American Express" ? 4 : 3;
}

/** "MM/YY" (or "MM / YY", "MM/YYYY") to a month and a four-digit year, or null. */
export function parseExpiry(input: string): { month: number; year: number } | null {
  const match = /^\s*(\d{1,2})\s*\/\s*(\d{2}|\d{4})\s*$/.exec(input);
  if (!match) return null;
  const month = Number(match[1]);
  const year = match[2].length === 2 ? 2000 + Number(match[2]) : Number(match[2]);
  if (month < 1 || month > 12) return null;
  return { month, year };
}

/** A card is good through the last day of its expiry month. */
export function isExpired({ month, year }: { month: number; year: number }, now = new Date()) {
  return (
    year < now.getUTCFullYear() || (year === now.getUTCFullYear() && month < now.getUTCMonth() + 1)
  );
}
