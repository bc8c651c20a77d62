/**
 * A short list of passwords people pick most often that are long enough to
 * pass the length rule (shorter ones are refused anyway), after the large
 * public breach corpora. Not a breach check, a guard against the obvious.
 */
const COMMON = new Set([
  "0000000000",
  "0123456789",
  "1111111111",
  "1234567890",
  "12345678910",
  "123456789a",
  "1234567890a",
  "123123123123",
  "1q2w3e4r5t",
  "1q2w3e4r5t6y",
  "1qaz2wsx3edc",
  "9876543210",
  "abc1234567",
  "abcdefghij",
  "abcd123456",
  "administrator",
  "asdfghjkl1",
  "asdfghjkl123",
  "baseball123",
  "bookstore123",
  "changeme123",
  "computer123",
  "dragon1234",
  "football123",
  "iloveyou123",
  "letmein123",
  "letmein1234",
  "michael123",
  "monkey1234",
  "passw0rd123",
  "password01",
  "password12",
  "password123",
  "password1234",
  "password12345",
  "passwordpassword",
  "princess123",
  "q1w2e3r4t5",
  "qazwsxedcrfv",
  "qwerty1234",
  "qwerty12345",
  "qwerty123456",
  "qwertyuiop",
  "qwertyuiop123",
  "shadow1234",
  "starwars123",
  "sunshine123",
  "superman123",
  "trustno1234",
  "welcome123",
  "welcome1234",
  "zaq12wsxcde3",
  "zxcvbnm123",
  "zxcvbnmasdfghjkl",
]);

export function isCommonPassword(password: string): boolean {
  const lowered = password.toLowerCase();
  if (COMMON.has(lowered)) return true;
  // One character repeated ("aaaaaaaaaa") or a run of consecutive digits.
  if (/^(.)\1+$/.test(lowered)) return true;
  return "01234567890123456789".includes(lowered) || "98765432109876543210".includes(lowered);
}
