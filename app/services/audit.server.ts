/**
 * The audit trail: every admin change writes who did it, when, what, and the
 * entity before → after, in the same transaction as the change (so there is
 * never a change without its row, nor a row for a change that rolled back).
 */
import { LIKE_ESCAPED, likePattern, type Db } from "~/lib/db.server";
import { AuditEvent } from "~/models/AuditEvent";

/** Who made a change: an admin, or the operations CLI. */
export interface Actor {
  id: number | null;
  email: string;
}

export interface AuditEntry {
  /** "<entity>.<verb>", e.g. "book.update", "user.promote", "order.ship". */
  action: string;
  entityType: string;
  entityId?: number | null;
  before?: unknown;
  after?: unknown;
}

export async function recordAudit(trx: Db, actor: Actor, entry: AuditEntry): Promise<void> {
  await AuditEvent.query(trx).insert({
    userId: actor.id,
    actorEmail: actor.email,
    action: entry.action,
    entityType: entry.entityType,
    entityId: entry.entityId ?? null,
    before: entry.before === undefined ? null : JSON.stringify(entry.before),
    after: entry.after === undefined ? null : JSON.stringify(entry.after),
  });
}

/** Only what changed, both sides: a readable before → after. */
export function changedFields<T extends object>(
  before: T,
  after: Partial<T>,
): { before: Partial<T>; after: Partial<T> } {
  const was: Partial<T> = {};
  const now: Partial<T> = {};
  for (const key of Object.keys(after) as Array<keyof T>) {
    if (after[key] !== undefined && before[key] !== after[key]) {
      was[key] = before[key];
      now[key] = after[key];
    }
  }
  return { before: was, after: now };
}

export interface AuditFilter {
  action?: string;
  entityType?: string;
  entityId?: number;
  actor?: string;
  page?: number;
}

export const AUDIT_PAGE_SIZE = 50;

export async function listAudit(db: Db, filter: AuditFilter) {
  const query = AuditEvent.query(db);
  if (filter.action) query.where("action", filter.action);
  if (filter.entityType) query.where("entityType", filter.entityType);
  if (filter.entityId) query.where("entityId", filter.entityId);
  if (filter.actor) query.whereRaw(`?? ${LIKE_ESCAPED}`, ["actorEmail", likePattern(filter.actor)]);
  const page = Math.max(1, filter.page ?? 1);
  const result = await query
    .orderBy("createdAt", "desc")
    .orderBy("id", "desc")
    .page(page - 1, AUDIT_PAGE_SIZE);
  return {
    events: result.results.map((event) => ({
      id: event.id,
      actorEmail: event.actorEmail,
      action: event.action,
      entityType: event.entityType,
      entityId: event.entityId,
      before: event.before,
      after: event.after,
      createdAt: event.createdAt!,
    })),
    total: result.total,
    page,
    pageCount: Math.max(1, Math.ceil(result.total / AUDIT_PAGE_SIZE)),
  };
}
