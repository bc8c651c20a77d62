/**
 * ISBNs as people type them: ISBN-10 or ISBN-13, with or without hyphens and
 * spaces, checked by their check digit, and stored as the 13 digits of the
 * ISBN-13 (an ISBN-10 is the same book as its 978-prefixed ISBN-13, so one
 * form is kept and uniqueness holds across both). Shared by the admin forms,
 * the CSV import and the sell form.
 */
export function normalizeIsbn(input: string): string | null {
  const compact = input.replace(/[\s-]/g, "").toUpperCase();
  if (/^\d{9}[\dX]$/.test(compact)) return isbn10CheckOk(compact) ? toIsbn13(compact) : null;
  if (/^\d{13}$/.test(compact)) return isbn13CheckOk(compact) ? compact : null;
  return null;
}

function toIsbn13(isbn10: string): string {
  const body = `978${isbn10.slice(0, 9)}`;
  const sum = [...body].reduce((acc, digit, i) => acc + Number(digit) * (i % 2 === 0 ? 1 : 3), 0);
  return body + String((10 - (sum % 10)) % 10);
}

function isbn10CheckOk(isbn: string): boolean {
  let sum = 0;
  for (let i = 0; i < 10; i++) {
    const value = isbn[i] === "X" ? 10 : Number(isbn[i]);
    if (isbn[i] === "X" && i !== 9) return false;
    sum += value * (10 - i);
  }
  return sum % 11 === 0;
}

function isbn13CheckOk(isbn: string): boolean {
  const sum = [...isbn].reduce((acc, digit, i) => acc + Number(digit) * (i % 2 === 0 ? 1 : 3), 0);
  return sum % 10 === 0;
}

export const ISBN_MESSAGE = "Enter a valid ISBN-10 or ISBN-13 (the check digit must match).";
