/**
 * The last step of joining and signing in: the guest's cart joins the
 * account's, the session id is replaced (no fixation), and the browser goes
 * where it was headed, if that is a page of this site.
 */
import { redirect } from "@remix-run/node";
import { mergeGuestCart } from "~/services/cart.server";
import { getSession, startUserSession, type RequestArgs } from "./auth.server";
import { safeRedirectPath } from "./redirects";

export async function signInAndRedirect(
  args: RequestArgs,
  userId: number,
  redirectTo: string | undefined,
): Promise<Response> {
  const guestCartId = (await getSession(args)).get("cartId");
  if (guestCartId) await mergeGuestCart(args.context.db, guestCartId, userId);
  const cookie = await startUserSession(args, userId);
  return redirect(safeRedirectPath(redirectTo), { headers: { "Set-Cookie": cookie } });
}
