/**
 * Who is asking, in one place. Loaders and actions call `getUser`,
 * `requireUser` or `requireAdmin` with their `{ request, context }`; the
 * session and the user are read at most once per request however many
 * loaders ask (they are remembered on the request's load context).
 */
import { redirect, type AppLoadContext } from "@remix-run/node";
import { User, type Role } from "~/models/User";
import { ForbiddenError } from "./domain-errors.server";
import { safeRedirectPath } from "./redirects";
import type { AppSession } from "./session.server";

export interface RequestArgs {
  request: Request;
  context: AppLoadContext;
}

export interface CurrentUser {
  id: number;
  email: string;
  name: string;
  role: Role;
}

interface RequestState {
  session?: Promise<AppSession>;
  user?: Promise<CurrentUser | null>;
}
const perRequest = new WeakMap<AppLoadContext, RequestState>();

function stateOf(context: AppLoadContext): RequestState {
  let state = perRequest.get(context);
  if (!state) perRequest.set(context, (state = {}));
  return state;
}

export function getSession({ request, context }: RequestArgs): Promise<AppSession> {
  const state = stateOf(context);
  state.session ??= context.sessions.getSession(request.headers.get("Cookie"));
  return state.session;
}

/** The signed-in user, or null for a guest. A disabled user is a guest from their next request on. */
export function getUser(args: RequestArgs): Promise<CurrentUser | null> {
  const state = stateOf(args.context);
  state.user ??= (async () => {
    const userId = (await getSession(args)).get("userId");
    if (!userId) return null;
    const user = await User.query(args.context.db)
      .select("id", "email", "name", "role")
      .findById(userId)
      .whereNull("disabledAt");
    return user ? { id: user.id, email: user.email, name: user.name, role: user.role } : null;
  })();
  return state.user;
}

/** The signed-in user; a guest is sent to sign in, and brought back here afterwards. */
export async function requireUser(args: RequestArgs): Promise<CurrentUser> {
  const user = await getUser(args);
  if (user) return user;
  const url = new URL(args.request.url);
  // A form posted by a guest comes back to its page, not to the action's URL.
  const back = args.request.method === "GET" ? url.pathname + url.search : url.pathname;
  throw redirect(`/login?${new URLSearchParams({ redirectTo: safeRedirectPath(back) })}`);
}

/** An admin; a signed-in customer gets 403, a guest is sent to sign in. */
export async function requireAdmin(args: RequestArgs): Promise<CurrentUser> {
  const user = await requireUser(args);
  if (user.role !== "admin") throw new ForbiddenError("This page is for the shop's staff only.");
  return user;
}

/**
 * Signs `userId` in with a brand-new session id (the guest's session is
 * deleted, so an id planted before sign-in is worthless: no fixation).
 * Returns the Set-Cookie header.
 */
export async function startUserSession(args: RequestArgs, userId: number): Promise<string> {
  const { sessions } = args.context;
  const previous = await getSession(args);
  if (previous.id) await sessions.destroySession(previous);
  const session = await sessions.getSession(null);
  session.set("userId", userId);
  return sessions.commitSession(session);
}

/** Ends this session; returns the Set-Cookie header that clears the cookie. */
export async function endSession(args: RequestArgs): Promise<string> {
  return args.context.sessions.destroySession(await getSession(args));
}
