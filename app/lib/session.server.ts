/**
 * Sessions in the database, with Remix's own session API: the cookie carries
 * only a signed, random session id; what the session holds (the signed-in
 * user, a guest's cart) is a row in `sessions`. So any instance can read any
 * session, "sign out everywhere" and disabling a user take effect on the next
 * request, and a cookie never grows.
 *
 * The cookie is HttpOnly, SameSite=Lax, Secure in production, and signed with
 * the first of the configured secrets while every one of them is accepted
 * (rotation). A cookie that fails the signature check is ignored: the visitor
 * is a guest. A visitor without our cookie costs no query at all.
 */
import crypto from "node:crypto";
import {
  createCookie,
  createSessionStorage,
  type Session as RemixSession,
  type SessionStorage,
} from "@remix-run/node";
import { Session } from "~/models/Session";
import { sqlTimestamp, type Db } from "./db.server";

export interface SessionData {
  userId?: number;
  /** A guest's cart; a signed-in user's cart is found by user id. */
  cartId?: number;
}
export type AppSession = RemixSession<SessionData>;

export const SESSION_COOKIE_NAME = "__session";
/** Sessions end 30 days after their last change, at the latest. */
export const SESSION_MAX_AGE_SECONDS = 30 * 24 * 60 * 60;

const SESSION_ID = /^[A-Za-z0-9_-]{32,64}$/;

export interface SessionStore {
  /** The request's session; a fresh, empty one when the cookie is absent, forged, expired or revoked. */
  getSession(cookieHeader: string | null): Promise<AppSession>;
  /** Saves the session and returns its Set-Cookie header. */
  commitSession(session: AppSession): Promise<string>;
  /** Deletes the session row and returns a Set-Cookie header that clears the cookie. */
  destroySession(session: AppSession): Promise<string>;
}

export function createSessionStore(
  db: Db,
  { secrets, secure }: { secrets: string[]; secure: boolean },
): SessionStore {
  const cookie = createCookie(SESSION_COOKIE_NAME, {
    secrets,
    httpOnly: true,
    sameSite: "lax",
    secure,
    path: "/",
    maxAge: SESSION_MAX_AGE_SECONDS,
  });
  const expiry = (expires: Date | undefined) =>
    sqlTimestamp(expires ?? new Date(Date.now() + SESSION_MAX_AGE_SECONDS * 1000));
  const row = (data: SessionData, expires: Date | undefined) => ({
    // Copied out of the data so that "sign out everywhere" is one indexed delete.
    userId: data.userId ?? null,
    data: JSON.stringify(data),
    expiresAt: expiry(expires),
  });

  const storage: SessionStorage<SessionData> = createSessionStorage<SessionData>({
    cookie,
    async createData(data, expires) {
      const id = crypto.randomBytes(32).toString("base64url");
      await Session.query(db).insert({ id, ...row(data, expires) });
      await maybeDeleteExpired(db);
      return id;
    },
    async readData(id) {
      if (!SESSION_ID.test(id)) return null;
      const found = (await db("sessions")
        .select("data")
        .where({ id })
        .where("expiresAt", ">", sqlTimestamp())
        .first()) as { data: string } | undefined;
      if (!found) return null;
      return JSON.parse(found.data) as SessionData;
    },
    async updateData(id, data, expires) {
      await Session.query(db).patch(row(data, expires)).where({ id });
    },
    async deleteData(id) {
      await Session.query(db).delete().where({ id });
    },
  });

  return {
    async getSession(cookieHeader) {
      const session = await storage.getSession(cookieHeader);
      // A signed id whose row is gone (signed out everywhere, expired) must not be
      // written again: start a new session, with a new id, instead.
      if (session.id && Object.keys(session.data).length === 0) return storage.getSession(null);
      return session;
    },
    commitSession: (session) => storage.commitSession(session),
    destroySession: (session) => storage.destroySession(session),
  };
}

/** Expired rows are cleared now and then by whoever creates a session; no cron needed. */
async function maybeDeleteExpired(db: Db): Promise<void> {
  if (Math.random() >= 0.01) return;
  await Session.query(db).delete().where("expiresAt", "<", sqlTimestamp());
}

/** Ends every session of a user: "sign out everywhere", a password change or reset, disabling. */
export async function deleteSessionsOf(
  db: Db,
  userId: number,
  { except }: { except?: string } = {},
): Promise<number> {
  const query = Session.query(db).delete().where({ userId });
  if (except) query.whereNot({ id: except });
  return query;
}
