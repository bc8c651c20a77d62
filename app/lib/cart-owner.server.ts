/**
 * Whose cart a request is about: the signed-in user's, or the guest cart
 * whose id the session holds. Creating a guest cart writes its id into the
 * session, which then needs its cookie sent: `ensureRequestCart` says so.
 */
import type { CartOwner } from "~/services/cart.server";
import { ensureCart } from "~/services/cart.server";
import { getSession, getUser, type RequestArgs } from "./auth.server";

export async function cartOwnerOf(args: RequestArgs): Promise<CartOwner> {
  const user = await getUser(args);
  if (user) return { userId: user.id };
  return { guestCartId: (await getSession(args)).get("cartId") };
}

/** The request's cart id, created if needed, and the Set-Cookie header when the session changed. */
export async function ensureRequestCart(
  args: RequestArgs,
): Promise<{ cartId: number; setCookie?: string }> {
  const owner = await cartOwnerOf(args);
  const cartId = await ensureCart(args.context.db, owner);
  if ("userId" in owner || owner.guestCartId === cartId) return { cartId };
  const session = await getSession(args);
  session.set("cartId", cartId);
  return { cartId, setCookie: await args.context.sessions.commitSession(session) };
}
