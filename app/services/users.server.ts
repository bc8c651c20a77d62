/**
 * Managing accounts as staff: finding users, disabling and enabling them,
 * promoting and demoting admins, and creating the first admin from the CLI.
 *
 * Two rules keep the shop administrable: an admin cannot demote or disable
 * themselves, and the last active admin cannot be removed. The second is
 * checked with the admins' rows locked (MySQL), so two admins demoting each
 * other at the same moment cannot both succeed.
 */
import {
  dialectOf,
  inTransaction,
  LIKE_ESCAPED,
  likePattern,
  sqlTimestamp,
  type Db,
} from "~/lib/db.server";
import { ConflictError, NotFoundError } from "~/lib/domain-errors.server";
import { hashPassword } from "~/lib/password.server";
import { deleteSessionsOf } from "~/lib/session.server";
import { User, type Role } from "~/models/User";
import { recordAudit, type Actor } from "./audit.server";

export const USERS_PAGE_SIZE = 50;

export interface UserRow {
  id: number;
  email: string;
  name: string;
  role: Role;
  disabledAt: string | null;
  createdAt: string;
}

export async function searchUsers(db: Db, { q, page = 1 }: { q?: string; page?: number }) {
  const query = User.query(db).select("id", "email", "name", "role", "disabledAt", "createdAt");
  if (q) {
    const like = likePattern(q);
    query.where((w) =>
      w
        .whereRaw(`?? ${LIKE_ESCAPED}`, ["email", like])
        .orWhereRaw(`LOWER(??) ${LIKE_ESCAPED}`, ["name", like]),
    );
  }
  const result = await query.orderBy("id").page(Math.max(0, page - 1), USERS_PAGE_SIZE);
  return {
    users: result.results.map((user): UserRow => ({
      id: user.id,
      email: user.email,
      name: user.name,
      role: user.role,
      disabledAt: user.disabledAt,
      createdAt: user.createdAt!,
    })),
    total: result.total,
    page: Math.max(1, page),
    pageCount: Math.max(1, Math.ceil(result.total / USERS_PAGE_SIZE)),
  };
}

/** Gives `userId` a role. Demoting refuses oneself and the last active admin. */
export async function setRole(db: Db, actor: Actor, userId: number, role: Role): Promise<void> {
  await inTransaction(db, async (trx) => {
    const user = await User.query(trx).findById(userId);
    if (!user) throw new NotFoundError("We could not find that user.");
    if (user.role === role) return;
    if (role !== "admin") await keepAnAdmin(trx, actor, user, "demote");
    await User.query(trx).patch({ role }).where({ id: userId });
    await recordAudit(trx, actor, {
      action: role === "admin" ? "user.promote" : "user.demote",
      entityType: "user",
      entityId: userId,
      before: { role: user.role },
      after: { role },
    });
  });
}

/** Disables (their sessions end at once) or enables an account. */
export async function setDisabled(
  db: Db,
  actor: Actor,
  userId: number,
  disabled: boolean,
): Promise<void> {
  await inTransaction(db, async (trx) => {
    const user = await User.query(trx).findById(userId);
    if (!user) throw new NotFoundError("We could not find that user.");
    if (Boolean(user.disabledAt) === disabled) return;
    if (disabled) await keepAnAdmin(trx, actor, user, "disable");
    const disabledAt = disabled ? sqlTimestamp() : null;
    await User.query(trx).patch({ disabledAt }).where({ id: userId });
    if (disabled) await deleteSessionsOf(trx, userId);
    await recordAudit(trx, actor, {
      action: disabled ? "user.disable" : "user.enable",
      entityType: "user",
      entityId: userId,
      before: { disabledAt: user.disabledAt },
      after: { disabledAt },
    });
  });
}

async function keepAnAdmin(trx: Db, actor: Actor, user: User, verb: "demote" | "disable") {
  if (user.id === actor.id) {
    throw new ConflictError(`You cannot ${verb} yourself. Ask another admin.`);
  }
  if (user.role !== "admin" || user.disabledAt) return;
  const admins = User.query(trx).select("id").where({ role: "admin" }).whereNull("disabledAt");
  // Lock the admins' rows so a concurrent demotion waits for this one (SQLite has one writer).
  if (dialectOf(trx) === "mysql") admins.forUpdate();
  if ((await admins).length <= 1) {
    throw new ConflictError(
      `This is the last admin: promote someone else before you ${verb} them.`,
    );
  }
}

/**
 * `admin:create`: makes `email` an admin, creating the account if there is none.
 * The password is required for a new account; for an existing one it is
 * changed only when given.
 */
export async function createOrPromoteAdmin(
  db: Db,
  input: { email: string; name?: string; password?: string },
): Promise<{ id: number; created: boolean }> {
  const email = input.email.toLowerCase();
  const actor: Actor = { id: null, email: "cli" };
  return inTransaction(db, async (trx) => {
    const existing = await User.query(trx).findOne({ email });
    if (existing) {
      const patch: Partial<User> = { role: "admin", disabledAt: null };
      if (input.name) patch.name = input.name;
      if (input.password) patch.passwordHash = await hashPassword(input.password);
      await User.query(trx).patch(patch).where({ id: existing.id });
      await recordAudit(trx, actor, {
        action: "user.promote",
        entityType: "user",
        entityId: existing.id,
        before: { role: existing.role, disabledAt: existing.disabledAt },
        after: { role: "admin", disabledAt: null, passwordChanged: Boolean(input.password) },
      });
      return { id: existing.id, created: false };
    }
    if (!input.password)
      throw new Error("a new admin needs a password (ADMIN_PASSWORD or the prompt)");
    if (!input.name) throw new Error("a new admin needs a name (--name)");
    const user = await User.query(trx).insert({
      email,
      name: input.name,
      passwordHash: await hashPassword(input.password),
      role: "admin",
    });
    await recordAudit(trx, actor, {
      action: "user.create",
      entityType: "user",
      entityId: user.id,
      after: { email, name: input.name, role: "admin" },
    });
    return { id: user.id, created: true };
  });
}
