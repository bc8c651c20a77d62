/**
 * ISBNs as people type them: ISBN-10 or ISBN-13, with or without hyphens and
 * spaces, checked by their check digit and stored as plain digits (an
 * ISBN-10's last character may be X). Shared by the admin forms, the CSV
 * import and the sell form.
 */
export function normalizeIsbn(input: string): string | null {
  const compact = input.replace(/[\s-]/g, "").toUpperCase();
  if (/^\d{9}[\dX]$/.test(compact)) return isbn10CheckOk(compact) ? compact : null;
  if (/^\d{13}$/.test(compact)) return isbn13CheckOk(compact) ? compact : null;
  return null;
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
