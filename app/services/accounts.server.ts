/**
 * Accounts: joining, signing in, changing name and password, and resetting a
 * forgotten password by e-mail.
 *
 * - Emails are stored lower-cased, so they compare case-insensitively on both
 *   engines, and the unique index is the last word on duplicates.
 * - Signing in says the same thing for an unknown email, a wrong password and
 *   a disabled account, and takes the same time (a dummy hash is checked).
 * - A reset token is 256 random bits, stored as its SHA-256, good for one hour
 *   and one use; using it signs the account out everywhere.
 */
import crypto from "node:crypto";
import { inTransaction, isUniqueViolation, sqlTimestamp, type Db } from "~/lib/db.server";
import { DomainError } from "~/lib/domain-errors.server";
import type { Mailer } from "~/lib/mailer.server";
import { hashPassword, verifyAgainstNothing, verifyPassword } from "~/lib/password.server";
import { deleteSessionsOf } from "~/lib/session.server";
import { PasswordReset } from "~/models/PasswordReset";
import { User } from "~/models/User";

export const RESET_TOKEN_LIFETIME_MS = 60 * 60 * 1000;

/** A problem with one field of an account form; `field` names it. */
export class AccountFieldError extends DomainError {
  readonly status = 422;
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
    this.name = "AccountFieldError";
  }
}

export async function register(
  db: Db,
  input: { email: string; name: string; password: string },
): Promise<{ id: number }> {
  const passwordHash = await hashPassword(input.password);
  try {
    const user = await User.query(db).insert({
      email: input.email.toLowerCase(),
      name: input.name,
      passwordHash,
      role: "customer",
    });
    return { id: user.id };
  } catch (error) {
    if (isUniqueViolation(error)) {
      throw new AccountFieldError(
        "email",
        "An account with this email already exists. Sign in, or reset your password.",
      );
    }
    throw error;
  }
}

/** The user these credentials belong to, or null; never says which part was wrong. */
export async function authenticate(
  db: Db,
  email: string,
  password: string,
): Promise<{ id: number } | null> {
  const user = await User.query(db)
    .select("id", "passwordHash", "disabledAt")
    .findOne({ email: email.toLowerCase() });
  if (!user) return verifyAgainstNothing(password).then(() => null);
  const valid = await verifyPassword(password, user.passwordHash);
  return valid && !user.disabledAt ? { id: user.id } : null;
}

export async function changeName(db: Db, userId: number, name: string): Promise<void> {
  await User.query(db).patch({ name }).where({ id: userId });
}

/** Changing the password signs every other session out: whoever knew the old one is locked out. */
export async function changePassword(
  db: Db,
  userId: number,
  input: { currentPassword: string; newPassword: string; keepSessionId: string },
): Promise<void> {
  const user = await User.query(db).select("passwordHash").findById(userId);
  if (!user || !(await verifyPassword(input.currentPassword, user.passwordHash))) {
    throw new AccountFieldError("currentPassword", "That is not your current password.");
  }
  const passwordHash = await hashPassword(input.newPassword);
  await inTransaction(db, async (trx) => {
    await User.query(trx).patch({ passwordHash }).where({ id: userId });
    await deleteSessionsOf(trx, userId, { except: input.keepSessionId });
  });
}

/**
 * Mails a reset link if `email` has an active account; does nothing otherwise.
 * The caller says the same either way, so the form reveals no accounts.
 */
export async function requestPasswordReset(
  deps: { db: Db; mailer: Mailer; publicUrl: string },
  email: string,
): Promise<void> {
  const user = await User.query(deps.db)
    .select("id", "name", "email")
    .findOne({ email: email.toLowerCase() })
    .whereNull("disabledAt");
  if (!user) return;
  const token = crypto.randomBytes(32).toString("base64url");
  await PasswordReset.query(deps.db).insert({
    userId: user.id,
    tokenHash: hashToken(token),
    expiresAt: sqlTimestamp(new Date(Date.now() + RESET_TOKEN_LIFETIME_MS)),
    usedAt: null,
  });
  const link = `${deps.publicUrl}/reset-password?${new URLSearchParams({ token })}`;
  await deps.mailer.send({
    to: user.email,
    subject: "Reset your Bookstore password",
    text: [
      `Hello ${user.name},`,
      "",
      "Someone (we hope you) asked to reset the password of your Bookstore account.",
      "To choose a new password, open this link within the next hour:",
      "",
      link,
      "",
      "If you did not ask for this, ignore this message: your password stays as it is.",
    ].join("\n"),
  });
}

/** Whether `token` may still be used (to show the form, or say it expired). */
export async function isResetTokenUsable(db: Db, token: string): Promise<boolean> {
  return Boolean(await usableReset(db, token));
}

/**
 * Sets a new password with a reset token. The token is spent in the same
 * statement that checks it, so two uses at once cannot both succeed; all of
 * the account's sessions and other reset links end.
 */
export async function resetPassword(db: Db, token: string, newPassword: string): Promise<void> {
  const passwordHash = await hashPassword(newPassword);
  await inTransaction(db, async (trx) => {
    const reset = await usableReset(trx, token);
    const spent = reset
      ? await PasswordReset.query(trx)
          .patch({ usedAt: sqlTimestamp() })
          .where({ id: reset.id })
          .whereNull("usedAt")
      : 0;
    if (!reset || spent === 0) {
      throw new AccountFieldError(
        "form",
        "This reset link has expired or was already used. Ask for a new one.",
      );
    }
    await User.query(trx).patch({ passwordHash }).where({ id: reset.userId });
    await PasswordReset.query(trx)
      .patch({ usedAt: sqlTimestamp() })
      .where({ userId: reset.userId })
      .whereNull("usedAt");
    await deleteSessionsOf(trx, reset.userId);
  });
}

async function usableReset(db: Db, token: string) {
  if (!/^[A-Za-z0-9_-]{43}$/.test(token)) return undefined;
  return PasswordReset.query(db)
    .select("id", "userId")
    .findOne({ tokenHash: hashToken(token) })
    .whereNull("usedAt")
    .where("expiresAt", ">", sqlTimestamp());
}

function hashToken(token: string): string {
  return crypto.createHash("sha256").update(token).digest("hex");
}
